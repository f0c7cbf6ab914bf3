"""Options shared by several commands: --set, --symbolic, --dtype, --format, --convention."""
from __future__ import annotations

import argparse

from costmodel.cost import DTYPE_BYTES
from costmodel.errors import UsageError


def add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="give a symbol a value, e.g. --set alpha=0.5 (repeatable)")


def add_dtype(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dtype", choices=sorted(DTYPE_BYTES), default="fp32",
                   help="element type for bytes of params and mem_access (default fp32)")


def add_symbolic(p: argparse.ArgumentParser) -> None:
    p.add_argument("--symbolic", default="", metavar="NAMES",
                   help="keep these symbols free (comma-separated): totals become formulas")
    p.add_argument("--ideal", action="store_true",
                   help="ideal widths: drop the rounding written in the spec (make_divisible, "
                        "floor, ceil, //); repeat counts keep theirs")


def parse_sets(items: list) -> dict:
    """['alpha=0.5', ...] → {'alpha': Fraction(1, 2)}, exact."""
    from costmodel.analysis import parse_value
    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise UsageError(f"--set expects NAME=VALUE, got '{item}'")
        out[name] = parse_value(text.strip(), name)
    return out


def parse_names(text: str) -> list:
    return [n.strip() for n in text.split(",") if n.strip()]


def add_convention(p: argparse.ArgumentParser, help_text: str, flag: str = "--convention",
                   default=None) -> None:
    """A counting convention by name (costmodel/conventions); checked when it is used."""
    p.add_argument(flag, default=default, metavar="NAME", help=help_text + " (names: paper, "
                   "fvcore, thop, ptflops, ptflops_aten, flops2x, condensenet)")
