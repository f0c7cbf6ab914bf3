"""Proofs of the ShuffleNet V2 guidelines and of the depthwise-separable savings, derived by
sympy from the engine's own layer formulas (so each proof is also a check of the engine).

One module per proof, each with NAME, TITLE, ORDER and `build(ctx) -> Proof`; they are found
with pkgutil like the layer kinds and commands, so a new proof is one new file. Modules whose
name starts with '_' and the support modules (core, engine, render, steps) are not proofs.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

from costmodel.proofs.core import Proof, Verdict, check

SUPPORT = ("core", "engine", "render", "steps")
__all__ = ["Context", "Proof", "Verdict", "check", "modules", "get", "names"]


@dataclass
class Context:
    """What a proof may look at besides the layer registry: the zoo specs (analysed once)."""
    spec_paths: list = field(default_factory=list)
    _zoo: list | None = None

    def zoo(self) -> list:
        if self._zoo is None:
            from costmodel.proofs.engine import load_zoo
            self._zoo = load_zoo(self.spec_paths)
        return self._zoo


def modules() -> list:
    """Every proof module, in ORDER."""
    found = [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)
             if not m.name.startswith("_") and m.name not in SUPPORT]
    return sorted(found, key=lambda m: (m.ORDER, m.NAME))


def names() -> list:
    return [m.NAME for m in modules()]


def get(name: str):
    """The proof module called `name`, or None."""
    return next((m for m in modules() if m.NAME == name), None)
