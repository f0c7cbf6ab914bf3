"""The layer-kind registry. Each sibling module defines and registers its kinds; adding a
kind means adding one module here (plus its tests). Nothing else lists kinds."""
from __future__ import annotations

import importlib
import pkgutil

from costmodel.layers.base import _REGISTRY, LayerKind

_loaded = False


def _load_all() -> None:
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            if info.name != "base":
                importlib.import_module(f"{__name__}.{info.name}")
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
    _load_all()
    out = []
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for ex in getattr(mod, "EXAMPLES", []):
            out.append(ex)
    return out
