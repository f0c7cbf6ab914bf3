"""The Proof record and its checker.

A proof is a statement, its assumptions, the starting expressions it takes from the engine
(`Origin`s) and a list of steps (costmodel.proofs.steps); `check` verifies every step with the
one targeted sympy operation the step names, plus seeded numeric spot checks, and requires
every free symbol to be declared positive (the proofs' standing assumption).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

SPOT_POINTS = 3


class StepFailed(Exception):
    """A step's claim could not be verified; the message says which check failed."""


@dataclass(frozen=True)
class Origin:
    """Where a starting expression comes from: `metric` of the registered layer `kind`
    (with `args`) on an input of `shape` (a merge kind: `branches` copies of it), or the
    total `metric` of a block `spec` built by the engine with symbol values `env`."""
    label: str
    expr: Any
    metric: str
    kind: str = ""
    args: tuple = ()          # sorted (name, value) pairs
    shape: tuple = ()
    branches: int = 0
    spec: str = ""
    env: tuple = ()           # spec symbol values: (name, value) pairs


@dataclass(frozen=True)
class Table:
    """A table of figures shown with a proof (rows of already formatted cells)."""
    title: str
    header: tuple
    rows: tuple
    notes: tuple = ()


@dataclass
class Proof:
    name: str
    title: str
    source: str
    statement: str
    assumptions: tuple
    origins: list
    steps: list
    tables: list = field(default_factory=list)
    notes: list = field(default_factory=list)


# -- checking -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepResult:
    ok: bool
    how: str


@dataclass(frozen=True)
class Verdict:
    results: tuple
    problems: tuple = ()

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.results)

    def first_failure(self) -> str:
        """'' when verified; else the first failing step (1-based) and why."""
        if self.problems:
            return self.problems[0]
        for i, r in enumerate(self.results, 1):
            if not r.ok:
                return f"step {i}: {r.how}"
        return ""


def check(proof: Proof) -> Verdict:
    """Verify every step of `proof` (targeted sympy operations + seeded spot checks)."""
    problems = tuple(f"symbol {s} is not declared positive" for s in _symbols(proof)
                     if not s.is_positive)
    return Verdict(tuple(check_step(step, i) for i, step in enumerate(proof.steps)), problems)


def check_step(step: Any, seed: int = 0) -> StepResult:
    """Verify one step, then spot-check it; a sympy error counts as a failed step."""
    try:
        how = step.verify()
        symbols = set().union(*(_free(e) for e in step.exprs()))
        points = sample_points(symbols, seed)
        for point in points:
            step.spot(point)
    except StepFailed as e:
        return StepResult(False, f"{step.text}: {e}")
    except (ArithmeticError, NotImplementedError, TypeError, ValueError) as e:
        return StepResult(False, f"{step.text}: sympy could not check it ({type(e).__name__}: {e})")
    spots = f"; {len(points)} spot checks" if symbols else ""
    return StepResult(True, how + spots)


def sample_points(symbols: set, seed: int) -> list:
    """SPOT_POINTS seeded points: integers for integer symbols, positive rationals otherwise."""
    if not symbols:
        return [{}]           # a closed claim: its spot check evaluates it once
    rng = random.Random(1000 + seed)
    points = []
    for _ in range(SPOT_POINTS):
        points.append({s: sp.Integer(rng.randint(1, 300)) if s.is_integer else
                       sp.Rational(rng.randint(1, 5000), rng.randint(1, 50))
                       for s in sorted(symbols, key=str)})
    return points


def ratio(a: Any, b: Any) -> Any:
    """a/b kept unevaluated for display (sympy would cancel 2·c·h·w/(c·h·w) to 2)."""
    return sp.Mul(a, sp.Pow(b, -1, evaluate=False), evaluate=False)


def _free(e: Any) -> set:
    return set(sp.sympify(e).free_symbols)


def _symbols(proof: Proof) -> list:
    out: set = set()
    for step in proof.steps:
        for e in step.exprs():
            out |= _free(e)
    return sorted(out, key=str)


