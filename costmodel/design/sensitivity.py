"""Sensitivities of a total: partial derivatives, elasticities, and each block's share as a
symbol grows (which block dominates asymptotically).

All of it is computed at ideal widths (the spec's rounding dropped): a rounded cost is a step
function of the width, whose derivative is 0 between steps and undefined at them. Max/min
(e.g. 1280·max(1, alpha)) stay: where a kink sits exactly at the point, the left and right
derivatives are both given.

- ∂f/∂s: per piece of f (closed.pieces), a formula in all free symbols.
- elasticity at the point: s·f'(s)/f(s), "1% more s gives e% more f" (2 for a cost quadratic
  in the resolution).
- share as s → ∞ (other symbols at the point): every block's cost is a polynomial on the last
  piece (s large); blocks of the highest degree share the limit in proportion to their leading
  coefficients, the others tend to 0 %.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from costmodel.design import closed
from costmodel.design.pieces import split
from costmodel.errors import UsageError
from costmodel.symbolic import symbol


@dataclass
class SymbolView:
    name: str
    derivative: list              # [(formula, condition)] per piece of the total
    slope: tuple                  # (left, right) derivative at the point (equal unless a kink)
    elasticity: tuple             # (left, right)
    degree: int                   # of the total as s → ∞
    shares: dict = field(default_factory=dict)   # block path → share limit (Rational)


@dataclass
class BlockView:
    path: str
    kind: str
    formula: object
    value: object                 # at the point
    share: object                 # at the point (Rational)
    degrees: dict = field(default_factory=dict)  # symbol → degree as it grows


@dataclass
class Sensitivity:
    metric: str
    names: list
    point: dict                   # every free symbol's value
    total: list                   # pieces of the total
    value: object
    symbols: list                 # SymbolView per free name
    blocks: list                  # BlockView per block row at the depth


def analyse_sensitivity(net, names: list, fixed: dict, at: dict, metric: str,
                        depth: int = 1) -> Sensitivity:
    """Sensitivities of `metric` in the free `names`, at `at` (defaults for the rest)."""
    a, names = closed.free_analysis(net, names, fixed, True)
    raw = getattr(a.totals, metric)
    found = closed.obstacles(a, raw)
    if found:
        raise UsageError(f"sensitivity: {closed.explain(found[0], metric, net)}")
    point = {n: sympy.Rational(str(at.get(n, net.symbols[n].default.evaluate({}))))
             for n in names}
    subs = {symbol(n): v for n, v in point.items()}
    total = closed.closed_form(raw, a.symbols)
    value = total.subs(subs)
    rows = frontier(a.rows, depth)
    forms = [closed.closed_form(getattr(r.cost, metric), a.symbols) for r in rows]
    kept = [i for i, f in enumerate(forms) if f != 0]       # rows with none of the metric
    rows, forms = [rows[i] for i in kept], [forms[i] for i in kept]
    blocks = [BlockView(r.path, r.kind, f, sympy.sympify(f).subs(subs),
                        sympy.sympify(f).subs(subs) / value if value else sympy.nan)
              for r, f in zip(rows, forms)]
    views = [_symbol_view(n, total, forms, blocks, subs) for n in names]
    return Sensitivity(metric, names, point, closed.pieces(total), value, views, blocks)


def frontier(rows: list, depth: int) -> list:
    """Rows that partition the network at `depth` path levels: groups at depth−1 and the
    leaves above them (each layer is counted in exactly one row)."""
    return [r for r in rows if r.depth == depth - 1 or (r.leaf and r.depth < depth - 1)]


def _symbol_view(name, total, forms, blocks, subs) -> SymbolView:
    s = symbol(name)
    others = {k: v for k, v in subs.items() if k != s}
    derivative = [(sympy.expand(sympy.diff(p, s)), c) for p, c in closed.pieces(total)]
    uni = sympy.sympify(total).subs(others)
    slope = _slopes(uni, s, subs[s])
    value = uni.subs(s, subs[s])
    elasticity = tuple(subs[s] * d / value if value else sympy.nan for d in slope)
    lead = [_leading(sympy.sympify(f).subs(others), s) for f in forms]
    degree = max([d for d, _ in lead] + [_leading(uni, s)[0]])
    weight = sum(c for d, c in lead if d == degree)
    shares = {b.path: (c / weight if d == degree and weight else sympy.Integer(0))
              for b, (d, c) in zip(blocks, lead)}
    for b, (d, _) in zip(blocks, lead):
        b.degrees[name] = d
    return SymbolView(name, derivative, slope, elasticity, degree, shares)


def _slopes(f, s, at) -> tuple:
    """(left, right) derivative of a univariate piecewise polynomial at s = at."""
    pieces = split(f, s, sympy.Integer(0), sympy.oo)
    left = right = None
    for p in pieces:
        d = sympy.diff(p.poly, s).subs(s, at)
        if p.lo < at and (p.hi is sympy.oo or at <= p.hi):
            left = d
        if p.lo <= at and (p.hi is sympy.oo or at < p.hi):
            right = d
    return (left, right)


def _leading(f, s) -> tuple:
    """(degree, leading coefficient) of f as s → ∞ (its last polynomial piece)."""
    last = split(f, s, sympy.Integer(0), sympy.oo)[-1].poly
    if not last.has(s):
        return 0, last
    poly = sympy.Poly(last, s)
    return poly.degree(), poly.LC()
