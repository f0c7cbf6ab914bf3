"""A formula in one symbol, cut into the intervals on which it is a polynomial.

The engine's formulas are polynomials in the symbols and in a few atoms: max/min (kinks) and
make_divisible/floor/ceiling (steps). On an interval that contains no breakpoint of any atom,
each step atom is a constant and each max/min is one of its arguments, so the formula is a
polynomial there. `split` finds the breakpoints of the innermost atoms, substitutes each atom's
form on every sub-interval, and recurses, which handles nesting such as
make_divisible(1280·max(1, alpha), 8).

Breakpoints, for an atom whose argument L is affine in s (channel counts c·alpha are):
  floor(L), ceiling(L): L is an integer;
  make_divisible(L, d, m) (Keras/TF-slim: max(m, int(L + d/2) // d·d), plus d if that is
  below 0.9·L): L = d·(n + 1/2), where the rounding jumps, and L = 10·v/9 for v a multiple of
  d or v = m, where the "never more than 10% below" rule switches;
  max/min(a, b, ...): a − b = 0, real roots (exact, possibly algebraic).
Step atoms of non-affine arguments are refused (NotPiecewise) rather than guessed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from costmodel.design.closed import KINKS, STEPS

MAX_BREAKPOINTS = 100_000


class NotPiecewise(Exception):
    """The formula's pieces cannot be found exactly (the message says why)."""


@dataclass
class Piece:
    lo: object            # sympy number (0 or a breakpoint)
    hi: object            # sympy number or sympy.oo
    poly: object          # the formula on the open interval (lo, hi)


def split(expr, s, lo, hi) -> list:
    """[Piece] covering (lo, hi) in order; `expr` is a polynomial in s on each piece."""
    expr = sympy.sympify(expr)
    atoms = [a for a in expr.atoms(*STEPS, *KINKS) if s in a.free_symbols]
    if not atoms:
        return [Piece(lo, hi, sympy.expand(expr))]
    inner = [a for a in atoms if not any(b != a and a.has(b) for b in atoms)]
    points = sorted({p for a in inner for p in breakpoints(a, s, lo, hi)},
                    key=lambda p: sympy.N(p, 30))
    edges = [lo] + points + [hi]
    out = []
    for a, b in zip(edges, edges[1:]):
        mid = midpoint(a, b)
        local = expr.xreplace({atom: _form_at(atom, s, mid) for atom in inner})
        out.extend(split(local, s, a, b))
    return out


def _form_at(atom, s, mid):
    """The atom's form on the interval containing `mid`: a constant or one argument."""
    if isinstance(atom, KINKS):
        values = [(a.subs(s, mid), a) for a in atom.args]
        pick = max if isinstance(atom, sympy.Max) else min
        return pick(values, key=lambda t: t[0])[1]
    return atom.subs(s, mid)


def midpoint(a, b):
    """A rational strictly inside (a, b); b may be infinite."""
    if b is sympy.oo:
        return sympy.Rational(math.floor(sympy.N(a, 30)) + 1) if a != 0 else sympy.Integer(1)
    if a.is_Rational and b.is_Rational:
        return (a + b) / 2
    m = sympy.Rational(str(sympy.N((a + b) / 2, 40)))
    if not (sympy.N(a, 40) < m < sympy.N(b, 40)):
        raise NotPiecewise(f"breakpoints {a} and {b} are too close to separate")
    return m


def breakpoints(atom, s, lo, hi) -> list:
    """Breakpoints of an atom whose arguments are polynomials in s, inside (lo, hi)."""
    if isinstance(atom, KINKS):
        found = []
        for i, a in enumerate(atom.args):
            for b in atom.args[i + 1:]:
                found += _roots(a - b, s, lo, hi)
        return found
    arg = atom.args[0]
    poly = sympy.Poly(arg, s)
    if poly.degree() > 1:
        raise NotPiecewise(f"{atom}: rounding of a non-affine argument")
    if poly.degree() < 1:
        return []
    levels = _levels(atom, *_value_range(arg, s, lo, hi))
    slope, offset = poly.coeff_monomial(s), poly.coeff_monomial(1)
    points = [(v - offset) / slope for v in levels]
    return [p for p in points if lo < p < hi]


def _value_range(arg, s, lo, hi) -> tuple:
    if hi is sympy.oo:
        raise NotPiecewise(f"{arg} is rounded: give a finite range")
    ends = sorted([arg.subs(s, lo), arg.subs(s, hi)], key=lambda v: sympy.N(v, 30))
    return ends[0], ends[1]


def _levels(atom, low, high) -> list:
    """Values of the atom's argument at which it can jump (see the module docstring)."""
    if isinstance(atom, (sympy.floor, sympy.ceiling)):
        first, last = math.floor(low), math.ceil(high)
        _limit(last - first)
        return [sympy.Integer(n) for n in range(first, last + 1)]
    d = atom.args[1]
    m = atom.args[2] if len(atom.args) > 2 else d
    first, last = math.floor(low / d) - 1, math.ceil(high / d) + 1
    _limit(last - first)
    half = [d * (sympy.Integer(n) + sympy.Rational(1, 2)) for n in range(first, last + 1)]
    ninety = [sympy.Rational(10, 9) * v for v in [d * n for n in range(first, last + 1)] + [m]]
    return half + ninety


def _limit(count: int) -> None:
    if count > MAX_BREAKPOINTS:
        raise NotPiecewise(f"more than {MAX_BREAKPOINTS:,} breakpoints: narrow the range")


def _roots(p, s, lo, hi) -> list:
    """Real roots of a polynomial in s strictly inside (lo, hi), exact."""
    p = sympy.expand(p)
    if p == 0 or not p.has(s):
        return []
    if not p.is_polynomial(s):
        raise NotPiecewise(f"{p} is not a polynomial in {s}")
    roots = sympy.Poly(p, s).real_roots()
    return [r for r in dict.fromkeys(roots) if _inside(r, lo, hi)]


def _inside(r, lo, hi) -> bool:
    v = sympy.N(r, 30)
    return sympy.N(lo, 30) < v and (hi is sympy.oo or v < sympy.N(hi, 30))
