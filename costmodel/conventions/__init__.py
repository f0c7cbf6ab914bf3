"""Counting conventions: count a network the way a tool or a paper does, per op kind.

Each module here holds one convention's rule table (see base.py for the rule language and
impl.py for the spec's `impl:` annotation). `get(name)` returns a Convention; `apply` counts
an Analysis with it. Adding a convention is adding a module and its name to NAMES.
"""
from __future__ import annotations

import importlib

from costmodel.conventions.base import Convention, ConventionError, Counted, apply
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
