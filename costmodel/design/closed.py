"""Closed forms of a network's totals in chosen symbols, and why one may not exist.

A total is a polynomial in the free symbols when every size in the network is exact:
- strided sizes: `floor((h + 2p - k)/s) + 1` is exact only when the resolution is a multiple
  of the total stride, so a symbol declared `multiple_of: m` is analysed as m·q (q a positive
  integer) and the polynomial holds at multiples of m (analysis.py);
- channel rounding written in the spec (make_divisible, floor, ceil, //) makes the total a step
  function of the width; `ideal=True` drops it (ideal, unrounded widths);
- `max`/`min` in the spec (MobileNetV2's last conv: 1280·max(1, alpha)) leave a piecewise
  polynomial, one polynomial per piece.
Whatever floor or rounding survives is reported with the layer it comes from, never silently
floored into a wrong polynomial.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from costmodel.analysis import analyse, closed_form
from costmodel.cost import METRICS
from costmodel.errors import UsageError, did_you_mean, one_of
from costmodel.layers.base import COST_FIELDS
from costmodel.symbolic import MakeDivisible

STEPS = (MakeDivisible, sympy.floor, sympy.ceiling)   # piecewise constant atoms
KINKS = (sympy.Max, sympy.Min)                        # piecewise polynomial atoms


@dataclass
class Obstacle:
    """A rounding atom that keeps a total from being a (piecewise) polynomial."""
    atom: sympy.Expr          # in the user's names
    stride: bool              # True: a strided size (resolution); False: channel rounding
    path: str                 # first layer whose cost contains it
    where: str                # file:line:col of that layer's spec entry


def with_multiples(net, multiples: dict):
    """`net` with some symbols analysed as m·q + o: name → m or (m, o) (--multiple-of; sweep
    passes the grid unit, possibly a fraction such as 1/20)."""
    symbols = dict(net.symbols)
    for name, m in multiples.items():
        if name not in symbols:
            raise UsageError(f"--multiple-of: unknown symbol '{name}'; symbols: "
                             f"{one_of(symbols)}{did_you_mean(name, symbols)}")
        m, o = m if isinstance(m, tuple) else (m, 0)
        symbols[name] = symbols[name].replace(multiple_of=m, offset=o)
    return net.replace(symbols=symbols)


def check_metrics(names: list) -> list:
    for m in names:
        if m not in METRICS:
            raise UsageError(f"unknown metric '{m}'; metrics: {', '.join(METRICS)}"
                             f"{did_you_mean(m, METRICS)}")
    return names or list(METRICS)


def free_analysis(net, names: list, values: dict, ideal: bool):
    """Analyse with `names` free and `values` set; the default is every symbol free."""
    names = names or [n for n in net.symbols if n not in values]
    if not names:
        raise UsageError(f"{net.file}: no symbol left free (symbols: {one_of(net.symbols)})")
    return analyse(net, values, names, ideal), names


def name_symbols(names: list) -> list:
    """The sympy symbols closed forms use for `names` (positive, named as in the spec)."""
    from costmodel.symbolic import symbol
    return [symbol(n) for n in names]


def obstacles(analysis, value) -> list:
    """Rounding atoms (make_divisible, floor, ceiling) surviving in a raw analysis value, in
    the order of the layers they first appear in."""
    left = set(value.atoms(*STEPS)) if hasattr(value, "atoms") else set()
    spatial = _spatial_symbols(analysis)
    found = []
    for node, cost in zip(analysis.graph.nodes, analysis.costs):
        if not left:
            break
        values = [getattr(cost, name) for name in COST_FIELDS]
        here = set().union(*(v.atoms(*STEPS) for v in values if hasattr(v, "atoms"))) & left
        for atom in sorted(here, key=sympy.default_sort_key):
            found.append(Obstacle(closed_form(atom, analysis.symbols),
                                  bool(atom.free_symbols & spatial), node.path,
                                  f"{node.pos.file}:{node.pos.line}:{node.pos.col}"))
        left -= here
    return found


def _spatial_symbols(analysis) -> set:
    x = analysis.graph.input
    return set().union(*(getattr(v, "free_symbols", set()) for v in (x.h, x.w)))


def explain(obstacle: Obstacle, metric: str, net) -> str:
    """Why `metric` has no single polynomial, and what to do instead."""
    head = (f"{metric} is not a polynomial: {show(obstacle.atom)} survives (first at "
            f"{obstacle.path}, {obstacle.where})")
    if not obstacle.stride:
        return (f"{head}. The spec's channel rounding makes the cost a step function of the "
                "width; use --ideal for the polynomial at ideal (unrounded) widths, or "
                "`costmodel sweep` for exact values at chosen points")
    names = [n for n in sorted(str(s) for s in obstacle.atom.free_symbols) if n in net.symbols]
    said = ", ".join(f"{n} ({_form(net.symbols[n])})" for n in names)
    hints = " or ".join(_hint(n, net.symbols[n]) for n in names)
    return (f"{head}. Strided sizes are floored for {said}: pass {hints}, with 32 the total "
            "stride of most ImageNet networks (or declare `multiple_of:` in the spec); the "
            "polynomial then holds at those values")


def _form(sd) -> str:
    if not sd.multiple_of:
        return "no multiple_of"
    return f"analysed as {sd.multiple_of}·q" + (f" + {sd.offset}" if sd.offset else "")


def _hint(name: str, sd, stride: int = 32) -> str:
    """--multiple-of NAME=32[+O], O = the default's remainder, so the default is covered."""
    default = sd.default.evaluate({})
    m = max(stride, 2 * (sd.multiple_of or 0)) if sd.multiple_of and not sd.offset else stride
    o = default % m if isinstance(default, int) else 0
    return f"--multiple-of {name}={m}" + (f"+{o}" if o else "")


def pieces(expr) -> list:
    """[(polynomial, condition)] with conditions made disjoint; one piece when no max/min."""
    if not hasattr(expr, "atoms") or not expr.atoms(*KINKS):
        return [(sympy.expand(expr), sympy.true)]
    folded = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
    if not isinstance(folded, sympy.Piecewise):
        return [(sympy.expand(folded), sympy.true)]
    out, before = [], []
    for e, cond in folded.args:
        out.append((sympy.expand(e), sympy.And(cond, *[sympy.Not(c) for c in before])))
        before.append(cond)
    return out


def exact_for(net, names: list) -> dict:
    """name → (m, o) for free symbols analysed as m·q + o: the polynomial holds there."""
    return {n: (net.symbols[n].multiple_of, net.symbols[n].offset) for n in names
            if net.symbols[n].multiple_of}


def exact_text(name: str, m: int, o: int) -> str:
    """'resolution a multiple of 32' or 'resolution = 32·q + 11 (q >= 1 an integer)'."""
    if not o:
        return f"{name} a multiple of {m}"
    return f"{name} = {m}·q + {o} (q >= 1 an integer)"


def degrees(poly, symbols: list) -> dict:
    """Degree of a polynomial piece in each symbol (None when not a polynomial in it)."""
    out = {}
    for s in symbols:
        out[str(s)] = int(sympy.degree(poly, s)) if poly.is_polynomial(s) else None
    return out


class _SpecPrinter(sympy.printing.str.StrPrinter):
    """sympy's str(), with the spec language's function names (make_divisible, max, ...)."""
    _names = {"MakeDivisible": "make_divisible", "Max": "max", "Min": "min", "ceiling": "ceil"}

    def _print_Function(self, expr):
        name = self._names.get(type(expr).__name__, type(expr).__name__)
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    _print_Max = _print_Min = _print_Function


def show(expr) -> str:
    """A formula as text: sympy syntax, spec function names (make_divisible(24*alpha, 8))."""
    return _SpecPrinter().doprint(expr) if hasattr(expr, "free_symbols") else str(expr)
