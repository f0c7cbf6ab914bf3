"""Proof steps. Each states one claim and knows the one targeted sympy operation that
verifies it (design §1.7; sympy best practice "avoid simplify()"):

  Equal     lhs = rhs             expand(lhs − rhs) = 0, else cancel(lhs − rhs) = 0
  NonNeg    e ≥ r (or e > r)      e − r = witness (expand/cancel); the witness is built only
                                  from positive symbols, positive numbers, sums, products,
                                  quotients and even powers (so its sign is visible)
  Solve     e = 0 ⇔ x ∈ {...}     solve(e, x), compared solution by solution with expand
  Slope     ∂f/∂x = d, sign(d)    diff, then d = witness and the witness's visible sign
  Limit     lim_{x→∞} f = v       limit(f, x, ∞)
  Degree    deg_x(e) = n          degree(e, x) of the polynomial e
  Compare   a < b (exact numbers) integer / rational comparison

Every symbolic step is also spot-checked numerically at seeded random points (exact
rationals, evaluated to 40 digits), so a checker bug cannot silently pass a false claim.
`broken()` returns the step with a wrong claim (rhs + 1, flipped inequality or sign, ...):
tests/test_proofs.py uses it to show that no check passes vacuously.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from costmodel.proofs.core import StepFailed

_TOL = sp.Rational(1, 10 ** 25)


# -- steps ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Equal:
    text: str
    lhs: Any
    rhs: Any

    def verify(self) -> str:
        return _equal(self.lhs, self.rhs)

    def spot(self, point: dict) -> None:
        _spot_equal(self.lhs, self.rhs, point)

    def broken(self) -> "Equal":
        return replace(self, rhs=self.rhs + 1)

    def claim(self) -> tuple:
        return (self.lhs, "=", self.rhs)

    def exprs(self) -> tuple:
        return (self.lhs, self.rhs)


@dataclass(frozen=True)
class NonNeg:
    """expr ≥ rhs (> if strict): expr − rhs = witness (when given), whose sign is visible."""
    text: str
    expr: Any
    witness: Any = None
    strict: bool = False
    rhs: Any = 0

    def verify(self) -> str:
        gap, how = self.expr - self.rhs, ""
        if self.witness is not None:
            how = f"witness {_show(self.witness)}: " + _equal(gap, self.witness, "(lhs − rhs)",
                                                               "witness") + "; "
            gap = self.witness
        if not visibly_signed(gap, self.strict):
            raise StepFailed(f"cannot see that {_show(gap)} is "
                             f"{'positive' if self.strict else 'non-negative'}")
        return how + ("its sign is visible term by term" if self.witness is not None
                      else "the sign of lhs − rhs is visible term by term")

    def spot(self, point: dict) -> None:
        v = _num(self.expr - self.rhs, point)
        if v < 0 or (self.strict and v == 0):
            raise StepFailed(f"spot check at {_point(point)} gives lhs − rhs = {sp.N(v, 8)}")

    def broken(self) -> "NonNeg":
        return replace(self, expr=self.rhs, rhs=self.expr)      # the flipped inequality

    def claim(self) -> tuple:
        return (self.expr, ">" if self.strict else "≥", self.rhs)

    def exprs(self) -> tuple:
        return (self.expr, self.rhs)


@dataclass(frozen=True)
class Solve:
    text: str
    expr: Any
    var: Any
    solutions: tuple

    def verify(self) -> str:
        found = sp.solve(self.expr, self.var)
        if len(found) != len(self.solutions) or not all(
                any(_is_zero(f - s) for f in found) for s in self.solutions):
            raise StepFailed(f"solve gives {self.var} ∈ {found}, not {list(self.solutions)}")
        return f"solve(·, {self.var}) = {list(self.solutions)}"

    def spot(self, point: dict) -> None:
        for s in self.solutions:
            if abs(_num(self.expr.subs(self.var, s), point)) > _TOL * (1 + abs(_num(s, point))):
                raise StepFailed(f"{self.var} = {s} is not a root at {_point(point)}")

    def broken(self) -> "Solve":
        return replace(self, solutions=(self.solutions[0] + 1,) + self.solutions[1:])

    def claim(self) -> tuple:
        sols = sum(((s, "or") for s in self.solutions), ())[:-1]
        return (self.expr, "= 0 ⇔", self.var, "=") + sols

    def exprs(self) -> tuple:
        return (self.expr,) + tuple(self.solutions)


@dataclass(frozen=True)
class Slope:
    """f is strictly increasing (sign +1) or decreasing (sign −1) in var: ∂f/∂var = witness."""
    text: str
    f: Any
    var: Any
    witness: Any
    sign: int = 1

    def verify(self) -> str:
        how = _equal(sp.diff(self.f, self.var), self.witness, f"diff(f, {self.var})", "rhs")
        if not visibly_signed(self.sign * self.witness, strict=True):
            raise StepFailed(f"cannot see that {_show(self.witness)} is "
                             f"{'positive' if self.sign > 0 else 'negative'}")
        return f"{how}; the sign of rhs is visible term by term"

    def spot(self, point: dict) -> None:
        x0 = point.get(self.var, sp.Integer(7))
        dx = x0 / 10 ** 6
        step = _num(self.f, {**point, self.var: x0 + dx}) - _num(self.f, {**point, self.var: x0})
        if self.sign * step <= 0:
            raise StepFailed(f"f does not move with sign {self.sign} at {_point(point)}")

    def broken(self) -> "Slope":
        return replace(self, sign=-self.sign)

    def claim(self) -> tuple:
        return (sp.Derivative(self.f, self.var), "=", self.witness,
                ">" if self.sign > 0 else "<", 0)

    def exprs(self) -> tuple:
        return (self.f, self.witness)


@dataclass(frozen=True)
class Limit:
    text: str
    f: Any
    var: Any
    value: Any

    def verify(self) -> str:
        found = sp.limit(self.f, self.var, sp.oo)
        if not _is_zero(found - self.value):
            raise StepFailed(f"the limit is {found}, not {self.value}")
        return f"limit(·, {self.var}, ∞)"

    def spot(self, point: dict) -> None:
        far = _num(self.f, {**point, self.var: sp.Integer(10) ** 15})
        if abs(far - _num(self.value, point)) > sp.Rational(1, 10 ** 6) * (1 + abs(far)):
            raise StepFailed(f"at {self.var} = 1e15 the value is {sp.N(far, 8)}")

    def broken(self) -> "Limit":
        return replace(self, value=self.value + 1)

    def claim(self) -> tuple:
        return (sp.Limit(self.f, self.var, sp.oo), "=", self.value)

    def exprs(self) -> tuple:
        return (self.f, self.value)


@dataclass(frozen=True)
class Degree:
    text: str
    expr: Any
    var: Any
    n: int

    def verify(self) -> str:
        found = sp.degree(sp.expand(self.expr), self.var)
        if found != self.n:
            raise StepFailed(f"degree in {self.var} is {found}, not {self.n}")
        return f"degree(expand(·), {self.var})"

    def spot(self, point: dict) -> None:
        """Finite differences with step 1 (exact): the n-th is not 0, the (n+1)-th is 0."""
        x0 = point.get(self.var, sp.Integer(3))
        values = [sp.sympify(self.expr).subs({**point, self.var: x0 + i}) for i in range(self.n + 2)]
        for _ in range(self.n):
            values = [b - a for a, b in zip(values, values[1:])]
        if _is_zero(values[0]) or not _is_zero(values[1] - values[0]):
            raise StepFailed(f"finite differences in {self.var} disagree with degree {self.n}")

    def broken(self) -> "Degree":
        return replace(self, n=self.n + 1)

    def claim(self) -> tuple:
        return (f"deg_{self.var}", self.expr, "=", self.n)

    def exprs(self) -> tuple:
        return (self.expr,)


_OPS = {"<": operator.lt, "≤": operator.le, ">": operator.gt, "≥": operator.ge, "=": operator.eq}
_FLIP = {"<": "≥", "≤": ">", ">": "≤", "≥": "<", "=": "<"}


@dataclass(frozen=True)
class Compare:
    """An exact comparison of two numbers (e.g. two shares measured on a network)."""
    text: str
    lhs: Any
    op: str
    rhs: Any

    def verify(self) -> str:
        a, b = sp.sympify(self.lhs), sp.sympify(self.rhs)
        if not (a.is_Rational and b.is_Rational):
            raise StepFailed("both sides must be exact rational numbers")
        if not _OPS[self.op](a, b):
            raise StepFailed(f"{a} {self.op} {b} is false")
        return "exact rational comparison"

    def spot(self, point: dict) -> None:
        return None           # already exact; nothing to sample

    def broken(self) -> "Compare":
        return replace(self, op=_FLIP[self.op])

    def claim(self) -> tuple:
        return (self.lhs, self.op, self.rhs)

    def exprs(self) -> tuple:
        return ()


# -- helpers -------------------------------------------------------------------------------
def visibly_signed(e: Any, strict: bool = False) -> bool:
    """True when e ≥ 0 (> 0 if strict) can be read off its structure for positive symbols:
    tried on e, on factor(e), and on the expanded numerator and denominator of cancel(e)."""
    e = sp.sympify(e)
    if _signed(e, strict) or _signed(sp.factor(e), strict):
        return True
    n, d = sp.fraction(sp.cancel(sp.together(e)))
    return _signed(sp.expand(n), strict) and _signed(sp.expand(d), True)


def _signed(e: Any, strict: bool) -> bool:
    if e.is_number:
        return bool(e.is_positive) if strict else bool(e.is_nonnegative)
    if e.is_Symbol:
        return bool(e.is_positive)
    if e.is_Add:
        return all(_signed(a, False) for a in e.args) and (
            not strict or any(_signed(a, True) for a in e.args))
    if e.is_Mul:
        return all(_signed(a, strict) for a in e.args)
    if e.is_Pow:
        b, x = e.args
        if x.is_integer and x.is_even:
            return not strict or _signed(b, True) or _signed(-b, True)
        return _signed(b, True) if x.is_negative or strict else _signed(b, False)
    return False


def _equal(lhs: Any, rhs: Any, a: str = "lhs", b: str = "rhs") -> str:
    """'expand(a − b) = 0' (or cancel) when lhs = rhs; StepFailed otherwise."""
    d = sp.sympify(lhs - rhs)
    for name, reduce in (("expand", sp.expand), ("cancel", lambda e: sp.cancel(sp.together(e)))):
        if reduce(d) == 0:
            return f"{name}({a} − {b}) = 0"
    raise StepFailed(f"{a} − {b} = {_show(sp.factor(d))}, not 0")


def _is_zero(e: Any) -> bool:
    return sp.expand(e) == 0 or sp.cancel(sp.together(e)) == 0


def _spot_equal(lhs: Any, rhs: Any, point: dict) -> None:
    a, b = _num(lhs, point), _num(rhs, point)
    if abs(a - b) > _TOL * (1 + abs(a)):
        raise StepFailed(f"spot check at {_point(point)}: {sp.N(a, 10)} ≠ {sp.N(b, 10)}")


def _num(e: Any, point: dict) -> Any:
    return sp.N(sp.sympify(e).subs(point), 40)


def _point(point: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in point.items())


def _show(e: Any) -> str:
    return sp.sstr(e)
