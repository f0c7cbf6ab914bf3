"""Counting conventions: count a network the way a tool or a paper does, per op kind.

Each module here holds one convention's rule table (see base.py for the rule language and
impl.py for the spec's `impl:` annotation). `get(name)` returns a Convention; `apply` counts
an Analysis with it. Adding a convention is adding a module and its name to NAMES.
"""
from __future__ import annotations

import importlib

from costmodel.errors import UsageError, did_you_mean, one_of

NAMES = ("paper", "fvcore", "thop", "ptflops", "ptflops_aten", "flops2x", "condensenet")
DEFAULT = "paper"

__all__ = ["NAMES", "DEFAULT", "get", "all_conventions", "apply", "Convention",
           "ConventionError", "Counted"]


def get(name: str) -> Convention:
    """The convention called `name`; a UsageError naming the choices otherwise."""
    if name not in NAMES:
        raise UsageError(f"unknown convention '{name}'; conventions: {one_of(NAMES)}"
                         f"{did_you_mean(name, NAMES)}")
    return importlib.import_module(f"{__name__}.{name}").CONVENTION


def all_conventions() -> list:
    return [get(n) for n in NAMES]


def __getattr__(name: str):
    """Convention, ConventionError, Counted and apply, from base.py on first use: the numeric
    path imports this package for `impl.py` alone (spec validation), and base.py's records
    cost start-up time (benchmarks/PROFILE.md)."""
    if name in ("Convention", "ConventionError", "Counted", "apply"):
        from costmodel.conventions import base
        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
