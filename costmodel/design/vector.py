"""Exact vectorised evaluation of the engine's formulas on many points at once.

A formula from the symbolic engine is a polynomial with rational coefficients in integer
symbols (each swept symbol is analysed as unit·q, q a positive integer: see sweep.py) and in
rounding atoms: make_divisible, floor, ceiling, max, min. To evaluate it exactly on a million
points:
1. `integerise` rewrites it as P / L: P has integer coefficients, every atom of P is an integer
   function of integer arguments (make_divisible(N/E, d, m) becomes IMakeDivisible(N, E, d, m),
   floor(N/E) becomes IFloorDiv(N, E), max(a/A, b/B) becomes IMax(a·L/A, b·L/B) / L), and L is
   a positive integer;
2. all the P's are compiled together, once, by `sympy.lambdify` to numpy code, sharing common
   subexpressions (cse), with the integer implementations below;
3. they run on int64 arrays when a bound on every intermediate value fits in 62 bits, else on
   object arrays of Python ints (exact, slower); P // L is then exact (the remainder is checked).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

from costmodel.symbolic import MakeDivisible

INT64_SAFE = 2 ** 62


class IFloorDiv(sympy.Function):
    """floor(N / E) for integers N and E > 0."""


class IMakeDivisible(sympy.Function):
    """make_divisible(N / E, d, m) for integers N, E > 0, d > 0, m > 0 (Keras/TF-slim rule)."""


class IMax(sympy.Function):
    """max of integer arguments."""


class IMin(sympy.Function):
    """min of integer arguments."""


def _floor_div(n, e):
    return n // e


def _make_divisible(n, e, d, m):
    """max(m, int(v + d/2) // d · d), plus d when that is below 0.9·v; v = n/e > 0.

    int(v + d/2) = (2n + d·e) // (2e) for v > 0; `new < 0.9·v` is `10·e·new < 9·n`."""
    new = np.maximum(m, (2 * n + d * e) // (2 * e) // d * d)
    return np.where(10 * e * new < 9 * n, new + d, new)


def _max(*args):
    out = args[0]
    for a in args[1:]:
        out = np.maximum(out, a)
    return out


def _min(*args):
    out = args[0]
    for a in args[1:]:
        out = np.minimum(out, a)
    return out


IMPLEMENTATIONS = {"IFloorDiv": _floor_div, "IMakeDivisible": _make_divisible,
                   "IMax": _max, "IMin": _min}


class NotExact(Exception):
    """A formula this evaluator cannot evaluate exactly (the caller says what to do)."""


def integerise(expr) -> tuple:
    """expr → (P, L) with expr = P / L, P over integers only, L a positive int (see module doc)."""
    if expr.is_Rational:
        return sympy.Integer(expr.p), int(expr.q)
    if expr.is_Symbol:
        if not expr.is_integer:
            raise NotExact(f"symbol {expr} is not integer-valued")
        return expr, 1
    if expr.is_Add or isinstance(expr, (sympy.Max, sympy.Min)):
        parts = [integerise(a) for a in expr.args]
        lcm = math.lcm(*(d for _, d in parts))
        scaled = [p * (lcm // d) for p, d in parts]
        if expr.is_Add:
            return sympy.Add(*scaled), lcm
        return (IMax if isinstance(expr, sympy.Max) else IMin)(*scaled), lcm
    if expr.is_Mul:
        parts = [integerise(a) for a in expr.args]
        return sympy.Mul(*(p for p, _ in parts)), math.prod(d for _, d in parts)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        p, d = integerise(expr.base)
        return p ** expr.exp, d ** int(expr.exp)
    return _integerise_rounding(expr)


def _integerise_rounding(expr) -> tuple:
    if isinstance(expr, (sympy.floor, sympy.ceiling)):
        n, e = integerise(expr.args[0])
        return (IFloorDiv(n, e), 1) if isinstance(expr, sympy.floor) else (-IFloorDiv(-n, e), 1)
    if isinstance(expr, MakeDivisible):
        d, m = expr.args[1], expr.args[2] if len(expr.args) > 2 else expr.args[1]
        if not (d.is_Integer and m.is_Integer and d > 0 and m > 0):
            raise NotExact(f"make_divisible with a non-integer divisor: {expr}")
        n, e = integerise(expr.args[0])
        return IMakeDivisible(n, e, d, m), 1
    raise NotExact(f"cannot evaluate {type(expr).__name__} exactly on a grid: {expr}")


def bound(expr, limits: dict) -> int:
    """An upper bound on |value| of every subexpression of an integerised `expr`, given
    |symbol| <= limits[symbol]; used to choose int64 (no overflow) or Python ints."""
    worst = [0]

    def walk(e) -> int:
        if e.is_Integer:
            b = abs(int(e))
        elif e.is_Symbol:
            b = limits[e]
        elif e.is_Add or e.is_Mul or isinstance(e, (IMax, IMin)):
            bs = [walk(a) for a in e.args]
            b = sum(bs) if e.is_Add else math.prod(bs) if e.is_Mul else max(bs)
        elif e.is_Pow:
            b = walk(e.base) ** int(e.exp)
        elif isinstance(e, IFloorDiv):
            b = walk(e.args[0]) + 1
            walk(e.args[1])
        else:   # IMakeDivisible(n, e, d, m): intermediates 2n + d·e and 10·e·new
            n, den, d, m = (walk(a) for a in e.args)
            b = max(m, n + d) + d
            worst[0] = max(worst[0], 2 * n + d * den, 10 * den * b, 9 * n)
        worst[0] = max(worst[0], b)
        return b

    walk(expr)
    return worst[0]


@dataclass
class Program:
    """Integerised formulas compiled together: evaluate(values) → exact numerators; the
    value of formula i is numerators[i] / denominators[i]."""
    symbols: list
    denominators: list
    function: object
    wide: bool                # True: Python ints in object arrays (a bound exceeds int64)

    def numerators(self, values: dict, size: int) -> list:
        dtype = object if self.wide else np.int64
        args = [np.asarray(values[s]).astype(dtype) for s in self.symbols]
        out = self.function(*args)
        return [np.broadcast_to(np.asarray(v, dtype=dtype), (size,)) for v in out]


def compile_exact(exprs: list, symbols: list, limits: dict) -> Program:
    """Compile `exprs` (sympy, in integer `symbols` bounded by `limits`) into one Program."""
    parts = [integerise(sympy.sympify(e)) for e in exprs]
    worst = max([bound(p, limits) for p, _ in parts] + [1])
    wide = worst >= INT64_SAFE or any(d >= INT64_SAFE for _, d in parts)
    fn = sympy.lambdify(symbols, [p for p, _ in parts], modules=[IMPLEMENTATIONS, "numpy"],
                        cse=True)
    return Program(list(symbols), [d for _, d in parts], fn, wide)


def exact_values(numerators, denominator: int):
    """numerators / denominator as an integer array, or None when some value is not an integer."""
    if denominator == 1:
        return numerators
    q, r = np.divmod(numerators, denominator)
    return q if not np.any(r) else None


def fraction_values(numerators, denominator: int) -> list:
    """Exact values as ints or Fractions (for the rare non-integer total)."""
    return [Fraction(int(n), denominator) for n in numerators]
