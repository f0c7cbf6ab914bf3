"""Totals on a grid of symbol values, from formulas compiled once and evaluated vectorised.

Each swept symbol s with values v is analysed as s = u·q, q a positive integer and
u = grid.unit(v) (1/20 for 0.25:1.5:0.05; 32 for 96,128,...,224): the multiple_of mechanism of
analysis.py, so strided floors simplify wherever the grid allows, and every formula is in
integer q's with the spec's own rounding (make_divisible, floor, max) kept symbolic. vector.py
evaluates them exactly, so each grid point equals `costmodel report --set` at that point.

The same validity checks as the numeric engine run on the whole grid: every feature-map size
must be a positive integer and every conv/shuffle group count must divide its channels; the
first failing point is re-analysed numerically to give the engine's own error message (or,
with skip_invalid, failing points are marked and left out of the output).
A symbol the engine cannot keep free (e.g. one used in a repeat count) is enumerated instead:
one compiled program per value.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from costmodel.analysis import analyse
from costmodel.design import grid as gr
from costmodel.design.closed import with_multiples
from costmodel.design.vector import compile_exact, exact_values, fraction_values
from costmodel.errors import SpecError, SpecErrors, UsageError, did_you_mean, one_of
from costmodel.symbolic import quotient_symbol

CHUNK = 1 << 18
VALID = "__valid__"        # key of the validity mask among the per-chunk arrays


@dataclass
class Sweep:
    """The result: axes in --set order, fixed symbols, and one array per metric (C order)."""
    axes: list            # [(name, [values])], every --set symbol
    fixed: dict           # symbols not --set: their spec defaults
    metrics: dict         # metric → array of ints (int64 or Python ints), one per point
    programs: int         # how many formula programs were compiled
    valid: object = None  # bool array (False: the engine rejects the point), None: all valid

    @property
    def size(self) -> int:
        return int(np.prod([len(v) for _, v in self.axes]))

    @property
    def count(self) -> int:
        """Points in the output (valid ones)."""
        return self.size if self.valid is None else int(self.valid.sum())

    def index_arrays(self, start: int = 0, stop: int | None = None) -> list:
        return self.unravel(np.arange(start, self.size if stop is None else stop))

    def unravel(self, flat) -> list:
        """Per-axis value indices of flat (C-order) point numbers."""
        shape = [len(v) for _, v in self.axes]
        return list(np.unravel_index(flat, shape)) if shape else []

    def kept(self, start: int, stop: int):
        """Flat numbers of the valid points in start..stop."""
        flat = np.arange(start, stop)
        return flat if self.valid is None else flat[self.valid[start:stop]]


def sweep(net, grid: dict, metrics: list, chunk: int = CHUNK,
          skip_invalid: bool = False) -> Sweep:
    """Evaluate `metrics` of `net` on the cartesian product of `grid` (name → values).
    An invalid point raises the engine's error, or with `skip_invalid` is marked invalid."""
    for name in grid:
        if name not in net.symbols:
            raise UsageError(f"unknown symbol '{name}'; symbols of {net.name or net.file}: "
                             f"{one_of(net.symbols)}{did_you_mean(name, net.symbols)}")
    for name, values in grid.items():
        bad = next((v for v in values if v <= 0), None)
        if bad is not None:
            raise UsageError(f"symbol '{name}' must be positive, got {gr.decimal_text(bad)}")
    axes = list(grid.items())
    swept = [n for n, v in axes if len(v) > 1]
    single = {n: v[0] for n, v in axes if len(v) == 1}
    programs: dict = {}
    result = Sweep(axes, {n: d.default.evaluate({}) for n, d in net.symbols.items()
                          if n not in grid}, {}, 0)
    try:
        programs[()] = _Compiled(net, grid, metrics, swept, single, skip_invalid)
        structural = []
    except (SpecError, SpecErrors):
        structural = _structural(net, swept, single)
        if not structural and not skip_invalid:
            raise
        if not structural:                  # every point rejected (e.g. a single bad point)
            result.metrics = {m: np.zeros(result.size, np.int64) for m in metrics}
            result.valid = np.zeros(result.size, dtype=bool)
            return result
    free = [n for n in swept if n not in structural]

    def evaluate(idx: dict) -> dict:
        return _evaluate_chunk(net, grid, metrics, free, structural, single, idx, programs,
                               skip_invalid)
    _run_chunks(result, evaluate, metrics, chunk)
    result.programs = len(programs)
    return result


def _run_chunks(result: Sweep, evaluate, metrics: list, chunk: int) -> None:
    """Evaluate the grid in chunks of `chunk` points (bounded memory); fill `result`."""
    out: dict = {m: [] for m in metrics + [VALID]}
    names = [n for n, _ in result.axes]
    for start in range(0, max(result.size, 1), chunk):
        stop = min(start + chunk, result.size)
        part = evaluate(dict(zip(names, result.index_arrays(start, stop))))
        for m in out:
            out[m].append(part[m])
    valid = np.concatenate(out.pop(VALID))
    result.metrics = {m: np.concatenate(v) for m, v in out.items()}
    result.valid = None if valid.all() else valid


def _structural(net, swept: list, single: dict) -> list:
    """Swept symbols the engine cannot keep free (used in repeat counts and the like)."""
    out = []
    for name in swept:
        try:
            analyse(net, single, [name])
        except (SpecError, SpecErrors):
            out.append(name)
    return out


def _evaluate_chunk(net, grid, metrics, free, structural, single, idx, programs,
                    skip: bool) -> dict:
    size = len(next(iter(idx.values()))) if idx else 1
    if not structural:
        return programs[()].run({n: idx[n] for n in free}, size, grid, single)
    part = {m: np.zeros(size, dtype=np.int64) for m in metrics}
    part[VALID] = np.zeros(size, dtype=bool)
    combos = itertools.product(*(range(len(grid[s])) for s in structural))
    for combo in combos:
        mask = np.ones(size, dtype=bool)
        for s, i in zip(structural, combo):
            mask &= idx[s] == i
        if not mask.any():
            continue
        values = dict(single, **{s: grid[s][i] for s, i in zip(structural, combo)})
        key = tuple(combo)
        if key not in programs:
            programs[key] = _compiled_or_none(net, grid, metrics, free, values, skip)
        if programs[key] is None:           # the engine rejects this structural value
            continue
        sub = {n: idx[n][mask] for n in free}
        got = programs[key].run(sub, int(mask.sum()), grid, values)
        for m in got:
            if got[m].dtype == object and part[m].dtype != object:
                part[m] = part[m].astype(object)
            part[m][mask] = got[m]
    return part


def _compiled_or_none(net, grid, metrics, free, values, skip: bool):
    try:
        return _Compiled(net, grid, metrics, free, values, skip)
    except (SpecError, SpecErrors):
        if skip:
            return None
        raise


class _Compiled:
    """One compiled program: the metric totals and the validity checks, in the free q's."""

    def __init__(self, net, grid, metrics, free, values, skip: bool = False):
        units = {n: gr.unit(grid[n]) for n in free}
        self.net, self.free, self.units = with_multiples(net, units), free, units
        a = analyse(self.net, values, free)
        self.qs = [quotient_symbol(n) for n in free]
        self.qvalues = [_int_array([v / units[n] for v in grid[n]]) for n in free]
        sizes, divides = _checks(a)
        self.metrics, self.n_sizes, self.skip = metrics, len(sizes), skip
        exprs = [getattr(a.totals, m) for m in metrics] + sizes + divides
        limits = {q: int(max(grid[n]) / units[n]) for q, n in zip(self.qs, free)}
        self.program = compile_exact(exprs, self.qs, limits)
        self.exprs = exprs

    def run(self, sub: dict, size: int, grid: dict, values: dict) -> dict:
        qvals = {q: values[sub[n]] for q, n, values in zip(self.qs, self.free, self.qvalues)}
        nums = self.program.numerators(qvals, size)
        dens = self.program.denominators
        k = len(self.metrics)
        bad = np.zeros(size, dtype=bool)
        for i, (n, d) in enumerate(zip(nums[k:], dens[k:])):
            bad |= (n % d != 0) | ((n < d) if i < self.n_sizes else False)
        if bad.any() and not self.skip:
            j = int(np.argmax(bad))
            _explain_invalid(self.net, dict(values, **{n: grid[n][sub[n][j]] for n in self.free}))
        out = {m: _exact(nums[i], dens[i], bad) for i, m in enumerate(self.metrics)}
        out[VALID] = ~bad
        return out


def _int_array(values: list):
    """Integer values (exact Fractions with denominator 1) as int64, or Python ints if huge."""
    ints = [int(v) for v in values]
    wide = max(abs(v) for v in ints) >= 2 ** 62
    return np.array(ints, dtype=object if wide else np.int64)


def _exact(numerators, den, bad):
    """Exact values; at invalid points (not output) 0, so a non-integer there is no bother."""
    if bad.any():
        numerators = np.where(bad, 0, numerators)
    v = exact_values(numerators, den)
    return v if v is not None else np.array(fraction_values(numerators, den), dtype=object)


def _checks(analysis) -> tuple:
    """Symbolic sizes that must be positive integers, and quotients that must be integers
    (conv and shuffle groups must divide channels): the engine's numeric checks, symbolic."""
    sizes, divides = {}, {}
    for node in analysis.graph.nodes:
        for shape in (node.x, node.y) + tuple(node.xs):
            for v in (shape.c, shape.h, shape.w):
                if hasattr(v, "free_symbols") and v.free_symbols and not _surely_size(v):
                    sizes[v] = None
        g = getattr(node.layer, "g", None)
        if g is not None and node.kind in ("conv", "shuffle"):
            for c in (node.x.c, node.y.c) if node.kind == "conv" else (node.x.c,):
                quotient = c / g
                if hasattr(quotient, "free_symbols") and quotient.free_symbols \
                        and not quotient.is_integer:
                    divides[quotient] = None
    return list(sizes), list(divides)


def _surely_size(v) -> bool:
    """sympy can prove v a positive integer (e.g. 7·q, make_divisible(...)): no check needed."""
    return bool(v.is_integer and v.is_positive)


def _explain_invalid(net, point: dict) -> None:
    """Re-analyse one failing point numerically: raise the engine's own error for it."""
    where = ", ".join(f"{k}={gr.decimal_text(v)}" for k, v in point.items())
    try:
        analyse(net, point)
    except SpecError as e:
        raise SpecError(f"at {where}: {e.message}", e.where, e.file, e.line, e.col) from None
    raise UsageError(f"sweep: at {where} a size or group quotient is not an integer "
                     f"(the numeric engine accepts the point: please report this)")
