"""sympy-side helpers, imported only by symbolic analyses.

`MakeDivisible` keeps channel rounding symbolic (it evaluates itself as soon as its argument
is a number), so a symbolic total evaluated at a point equals the numeric report there.
"""
from __future__ import annotations

from fractions import Fraction

import sympy

from costmodel.spec.expr import make_divisible


class MakeDivisible(sympy.Function):
    """make_divisible(x, d[, min_value]): Keras/TF-slim channel rounding, exact."""
    is_integer = True
    is_positive = True

    @classmethod
    def eval(cls, *args):
        if all(a.is_Rational for a in args):
            vals = [Fraction(int(a.p), int(a.q)) for a in args]
            return sympy.Integer(int(make_divisible(*vals)))
        return None


def to_sympy(x):
    """int/Fraction → sympy Integer/Rational; sympy values unchanged."""
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    if isinstance(x, int):
        return sympy.Integer(x)
    return x


def symbol(name: str, integer: bool = False) -> sympy.Symbol:
    """The positive symbol a spec's free symbol stands for."""
    return sympy.Symbol(name, positive=True, integer=integer or None)


def quotient_symbol(name: str) -> sympy.Symbol:
    """q in `name = m·q`, for a symbol declared `multiple_of: m` (makes floors exact)."""
    return sympy.Symbol(f"{name}__q", positive=True, integer=True)


def ideal(expr):
    """Drop channel rounding: make_divisible(x, d) → x (ideal, unrounded widths)."""
    return expr.replace(MakeDivisible, lambda *a: a[0]) if hasattr(expr, "replace") else expr
