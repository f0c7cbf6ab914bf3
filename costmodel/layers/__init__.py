"""The layer-kind registry. Each sibling module defines and registers its kinds; adding a
kind means adding one module here (plus its tests). Nothing lists kinds by hand.

Modules are found by listing this folder with `os` (already imported at start-up) rather
than `pkgutil.iter_modules`, which imports `inspect` and `typing`: about 6 ms of a cold
numeric `costmodel report` (benchmarks/PROFILE.md)."""
from __future__ import annotations

import importlib
import os

from costmodel.layers.base import _REGISTRY, LayerKind


def _module_names() -> tuple:
    folder = os.path.dirname(__file__)
    return tuple(sorted(f[:-3] for f in os.listdir(folder)
                        if f.endswith(".py") and f not in ("__init__.py", "base.py")))


MODULES = _module_names()

_loaded = False


def _load_all() -> None:
    global _loaded
    if not _loaded:
        for name in MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded = True


def kinds() -> dict[str, type]:
    """name → LayerKind subclass, for every registered kind."""
    _load_all()
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> type[LayerKind] | None:
    _load_all()
    return _REGISTRY.get(name)


def examples() -> list:
    """(kind name, args, input shape(s), expected fields) for every kind's EXAMPLES."""
    out = []
    for name in MODULES:
        mod = importlib.import_module(f"{__name__}.{name}")
        for ex in getattr(mod, "EXAMPLES", []):
            out.append(ex)
    return out
