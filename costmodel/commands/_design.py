"""Options shared by the design-space commands (formula, sweep, sensitivity, crossover,
compare): --metric lists, --multiple-of, and loading a spec with overrides."""
from __future__ import annotations

import argparse

from costmodel.errors import UsageError


def add_metric(p: argparse.ArgumentParser, default: str | None, many: bool = True) -> None:
    what = "comma-separated metrics" if many else "the metric"
    p.add_argument("--metric", default=default, metavar="METRIC" + ("S" if many else ""),
                   help=f"{what} of params, madds, flops, mem_access"
                        + (f" (default: {default})" if default else " (default: all)"))


def add_multiple_of(p: argparse.ArgumentParser) -> None:
    p.add_argument("--multiple-of", action="append", default=[], metavar="NAME=M[+O]",
                   help="analyse symbol NAME as M·q (or M·q + O, e.g. resolution=32+11 for "
                        "299), q a positive integer, so strided sizes are exact; overrides the "
                        "spec's multiple_of; repeatable")


def parse_multiples(items: list) -> dict:
    """['resolution=32', 'r=32+11'] → {'resolution': (32, 0), 'r': (32, 11)}; 0 <= O < M."""
    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        m, plus, o = text.strip().partition("+")
        ok = sep and name.strip() and m.strip().isdigit() and (not plus or o.strip().isdigit())
        if not ok or not 0 <= int(o or 0) < int(m) or int(m) < 1:
            raise UsageError(f"--multiple-of expects NAME=M or NAME=M+O with integers "
                             f"M >= 1 and 0 <= O < M, got '{item}'")
        out[name.strip()] = (int(m), int(o or 0))
    return out


def metrics(text: str | None) -> list:
    from costmodel.design.closed import check_metrics
    from costmodel.commands._options import parse_names
    return check_metrics(parse_names(text or ""))


def load(path: str, multiples: dict | None = None):
    """Load and validate a spec, with --multiple-of overrides applied."""
    from costmodel.analysis import load_spec
    from costmodel.design.closed import with_multiples
    net = load_spec(path)
    return with_multiples(net, multiples) if multiples else net
