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
    p.add_argument("--multiple-of", action="append", default=[], metavar="NAME=M",
                   help="analyse symbol NAME as a multiple of M (overrides the spec's "
                        "multiple_of), so strided sizes are exact; repeatable")


def parse_multiples(items: list) -> dict:
    """['resolution=32'] → {'resolution': 32}; M must be a positive integer."""
    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip() or not text.strip().isdigit() or int(text) < 1:
            raise UsageError(f"--multiple-of expects NAME=M with M a positive integer, "
                             f"got '{item}'")
        out[name.strip()] = int(text)
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
