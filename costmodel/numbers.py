"""Exact arithmetic shared by the numeric and the symbolic pipelines.

A value is either *numeric* (a Python ``int`` or ``fractions.Fraction``: exact, and cheap to
import) or *symbolic* (a sympy expression). Layer formulas are written once with ordinary
operators plus the helpers below, so the same formula serves both pipelines. sympy is imported
only when a symbolic value actually appears, which keeps a numeric ``costmodel report`` at the
interpreter's start-up floor (see benchmarks/).
"""
from __future__ import annotations

from fractions import Fraction

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any, Iterable

    Value = Any  # int | Fraction | sympy.Expr (annotations only)


def is_numeric(x: Value) -> bool:
    """True for exact numbers (int, Fraction); False for sympy expressions."""
    return isinstance(x, (int, Fraction)) and not isinstance(x, bool)


def normalise(x: Value) -> Value:
    """Fractions with denominator 1 become ints; sympy Integers become ints."""
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else x
    if not isinstance(x, int) and getattr(x, "is_Integer", False):
        return int(x)
    if not isinstance(x, int) and getattr(x, "is_Rational", False):
        return Fraction(int(x.p), int(x.q))
    return x


def div(a: Value, b: Value) -> Value:
    """Exact division: int when it divides, Fraction otherwise, sympy for symbols."""
    if is_numeric(a) and is_numeric(b):
        if isinstance(a, int) and isinstance(b, int) and a % b == 0:
            return a // b
        return normalise(Fraction(a) / Fraction(b))
    return _sympy().Mul(a, _sympy().Pow(b, -1))


def ceil_div(a: Value, b: Value) -> Value:
    """ceil(a / b), exact in both pipelines (``-(-a // b)``)."""
    return -((-a) // b)


def total(values: Iterable[Value]) -> Value:
    """Sum without quadratic growth: one sympy.Add for symbolic terms, sum() otherwise."""
    numeric, symbolic = 0, []
    for v in values:
        if type(v) is int or is_numeric(v):     # the common case first: no call (hot loop)
            numeric += v
        else:
            symbolic.append(v)
    if not symbolic:
        return normalise(numeric) if isinstance(numeric, Fraction) else numeric
    return _sympy().Add(numeric, *symbolic)


def is_integer(x: Value) -> bool | None:
    """True/False when decidable, None for a symbolic value of unknown integrality."""
    if isinstance(x, int):
        return True
    if isinstance(x, Fraction):
        return x.denominator == 1
    return x.is_integer


def as_number(x: Value) -> Value:
    """A sympy number becomes int/Fraction; anything else is returned unchanged."""
    return normalise(x)


def _sympy():
    import sympy  # deferred: the numeric pipeline never pays for it
    return sympy
