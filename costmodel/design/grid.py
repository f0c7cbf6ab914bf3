"""Grids of symbol values for `sweep`: `--set alpha=0.25:1.5:0.05 --set resolution=96,128,160`.

Each --set value is a comma-separated list of items; an item is a value or an inclusive range
START:STOP:STEP. Every value is exact (0.05 is 1/20, never a float), so a grid point is the
same number `report --set` would use.
"""
from __future__ import annotations

import math
from fractions import Fraction

from costmodel.errors import UsageError

MAX_VALUES = 10_000_000        # per symbol
MAX_POINTS = 100_000_000       # whole grid


def parse_axis(name: str, text: str) -> list:
    """'0.25:1.5:0.05' or '96,128,160' (or a mix) → exact values, in order, without repeats."""
    from costmodel.analysis import parse_value
    values: list = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            raise UsageError(f"--set {name}={text}: empty item")
        parts = item.split(":")
        if len(parts) == 1:
            values.append(parse_value(item, name))
        elif len(parts) == 3:
            values.extend(_range(name, *(parse_value(p.strip(), name) for p in parts)))
        else:
            raise UsageError(f"--set {name}={item}: a range is START:STOP:STEP")
        if len(values) > MAX_VALUES:
            raise UsageError(f"--set {name}: more than {MAX_VALUES:,} values")
    return list(dict.fromkeys(values))


def _range(name: str, start, stop, step) -> list:
    if step <= 0:
        raise UsageError(f"--set {name}: the step of a range must be positive, got {step}")
    if stop < start:
        raise UsageError(f"--set {name}: range stop {stop} is below its start {start}")
    count = int((Fraction(stop) - Fraction(start)) // Fraction(step)) + 1
    if count > MAX_VALUES:
        raise UsageError(f"--set {name}: the range has {count:,} values (limit {MAX_VALUES:,})")
    return [_normal(Fraction(start) + i * Fraction(step)) for i in range(count)]


def _normal(v: Fraction):
    return v.numerator if v.denominator == 1 else v


def parse_grid(items: list) -> dict:
    """['alpha=0.25:1.5:0.05', ...] → {'alpha': [values...]} in the order given."""
    grid: dict = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise UsageError(f"--set expects NAME=VALUES, got '{item}'")
        if name in grid:
            raise UsageError(f"--set {name} given twice")
        grid[name] = parse_axis(name, text)
    points = math.prod(len(v) for v in grid.values())
    if points > MAX_POINTS:
        raise UsageError(f"the grid has {points:,} points (limit {MAX_POINTS:,})")
    return grid


def unit(values: list) -> Fraction:
    """The largest u with every value an integer multiple of u: gcd of numerators over the
    lcm of denominators (0.25:1.5:0.05 → 1/20; 96,128,160 → 32)."""
    fr = [Fraction(v) for v in values]
    den = math.lcm(*(f.denominator for f in fr))
    return Fraction(math.gcd(*(int(f * den) for f in fr)), den)


def decimal_text(v) -> str:
    """An exact value as the user would write it: 224, 0.35, or 1/3 when not a finite decimal."""
    f = Fraction(v)
    if f.denominator == 1:
        return str(f.numerator)
    d = f.denominator
    twos = fives = 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return f"{f.numerator}/{f.denominator}"
    places = max(twos, fives)
    digits = str(abs(f.numerator) * 10 ** places // f.denominator).rjust(places + 1, "0")
    sign = "-" if f < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
