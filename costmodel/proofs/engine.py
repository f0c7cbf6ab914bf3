"""The proofs' only door to the cost formulas: registered layer kinds and the spec engine.

Proofs never type a cost formula. They instantiate a registered kind on a symbolic input
(`layer`) or build a small block spec with the engine (`block`), and read the metric off the
resulting Cost; the Origin they record lets tests/test_proofs.py recompute it independently.
Spatial sizes are positive *integer* symbols, so `floor((h + 2p − k)/s) + 1` is exact at s = 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costmodel import layers
from costmodel.cost import Analysis, evaluate
from costmodel.graph.build import build
from costmodel.layers.base import Shape
from costmodel.proofs.core import Origin
from costmodel.symbolic import symbol


def sym(names: str, integer: bool = False) -> Any:
    """Positive symbols (integer ones for spatial sizes): sym('c1 c2') → (c1, c2)."""
    out = tuple(symbol(n, integer) for n in names.split())
    return out[0] if len(out) == 1 else out


def layer(kind: str, x: Shape, **args: Any) -> tuple:
    """(Cost, output Shape) of registered kind `kind` with `args` on input `x`."""
    inst = layers.get(kind)(**args)
    y = inst.out_shape(x)
    return inst.cost(x, y), y


def layer_origin(label: str, metric: str, kind: str, x: Shape, **args: Any) -> Origin:
    """Record `metric` of a registered layer kind as a proof's starting expression."""
    cost, _ = layer(kind, x, **args)
    return Origin(label, getattr(cost, metric), metric, kind, tuple(sorted(args.items())),
                  (x.c, x.h, x.w))


def block(text: str, env: dict) -> Analysis:
    """Analyse a spec text with symbol values `env` (name → number or sympy symbol)."""
    from costmodel.analysis import load_text
    return evaluate(build(load_text(text, "<proof>"), env))


def block_origin(label: str, metric: str, text: str, env: dict) -> Origin:
    """Record the total `metric` of a block spec (built by the engine) as a starting expression."""
    total = getattr(block(text, env).totals, metric)
    return Origin(label, total, metric, spec=text, env=tuple(sorted(env.items())))


def spec_text(name: str, symbols: dict, input_: str, layers_yaml: str, blocks: str = "") -> str:
    """A small spec: `symbols` name → default, `input_` like '[c, h, w]', layer lines."""
    syms = ", ".join(f"{k}: {v}" for k, v in symbols.items())
    return (f"name: {name}\nversion: 1\nsymbols: {{{syms}}}\ninput: {input_}\n"
            + (f"blocks:\n{blocks}" if blocks else "") + f"layers:\n{layers_yaml}")


# -- the zoo (specs/*.yaml), analysed numerically at their default symbol values ----------
@dataclass(frozen=True)
class ZooEntry:
    path: str
    name: str
    analysis: Any = None      # Analysis, or None when the spec failed
    error: str = ""


def default_spec_paths() -> list:
    """Every specs/*.yaml of the repository (next to the package), else of the cwd."""
    here = Path(__file__).resolve().parents[2] / "specs"
    folder = here if here.is_dir() else Path.cwd() / "specs"
    return sorted(str(p) for p in folder.glob("*.yaml")) if folder.is_dir() else []


def load_zoo(paths: list) -> list:
    """Analyse each spec at its defaults; a spec that fails is kept with its error."""
    from costmodel.analysis import analyse, load_spec
    from costmodel.errors import CostModelError
    out = []
    for path in paths:
        try:
            net = load_spec(path)
            out.append(ZooEntry(path, net.name or Path(path).stem, analyse(net)))
        except CostModelError as e:
            out.append(ZooEntry(path, Path(path).stem, error=str(e).splitlines()[0]))
    return out


def is_depthwise(node: Any) -> bool:
    """dwconv, or a conv whose groups equal its input and output channels (g > 1)."""
    from costmodel.layers.conv import grouping
    return grouping(node) == "depthwise"



def count(v: Any) -> str:
    """An exact count with thousands separators (a non-integer keeps its fraction)."""
    from costmodel.numbers import normalise
    v = normalise(v)
    return f"{v:,}" if isinstance(v, int) else str(v)
