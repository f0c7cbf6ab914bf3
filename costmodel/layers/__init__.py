"""The layer-kind registry. Each module named in MODULES defines and registers its kinds;
adding a kind means adding its module here, its name to MODULES, and its tests
(tests/test_layers.py fails when a module of this package is missing from MODULES).

A fixed list rather than `pkgutil.iter_modules`: pkgutil imports `inspect` and `typing`,
about 6 ms, a seventh of a cold numeric `costmodel report` (benchmarks/PROFILE.md)."""
from __future__ import annotations

import importlib

from costmodel.layers.base import _REGISTRY, LayerKind

MODULES = ("act", "adaptive_pool", "add", "bn", "concat", "conv", "dwconv", "fc", "gap", "lrn",
           "mul", "pool", "shuffle", "split", "views")

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
