"""Rows of `costmodel compare`: one per network, our exact totals and the published figures
that apply at the same symbol values.

A spec's `published:` entry applies at the spec's defaults overridden by its `at:`; it is shown
beside our row when that point equals the point analysed (so `--set alpha=0.5` shows the
figures published for 0.5, and none of those for 1.0).
"""
from __future__ import annotations

from dataclasses import dataclass

from costmodel.analysis import analyse, load_spec
from costmodel.errors import UsageError, did_you_mean, one_of

METRICS = ("params", "madds", "flops", "mem_access")


@dataclass
class Figure:
    """One published figure set: metric → exact value, where it comes from."""
    values: dict
    source: str
    convention: str


@dataclass
class Row:
    spec: str
    name: str
    point: dict           # symbol → exact value used
    resolution: str
    totals: dict          # metric → exact value, plus params_without_bn
    published: list       # [Figure]
    analysis: object


def compare_rows(paths: list, values: dict) -> list:
    """Analyse every spec at `values` (each symbol applied where the spec has it)."""
    nets = [load_spec(p) for p in paths]
    known = set().union(*(n.symbols for n in nets)) if nets else set()
    for name in values:
        if name not in known:
            raise UsageError(f"--set {name}: no spec has this symbol; symbols: "
                             f"{one_of(known)}{did_you_mean(name, known)}")
    rows = []
    for path, net in zip(paths, nets):
        a = analyse(net, {k: v for k, v in values.items() if k in net.symbols})
        point = dict(a.symbols.shown)
        totals = {m: getattr(a.totals, m) for m in METRICS}
        totals["params_without_bn"] = a.params_without_bn
        rows.append(Row(path, net.name, point, _resolution(a), totals,
                        published_at(net, point), a))
    return rows


def _resolution(analysis) -> str:
    if "resolution" in analysis.symbols.shown:
        return str(analysis.symbols.shown["resolution"])
    x = analysis.graph.input
    return str(x.h) if x.h == x.w else f"{x.h}×{x.w}"


def published_at(net, point: dict) -> list:
    """The spec's published figures whose point (defaults + at) equals `point`."""
    out = []
    for fig in net.published:
        at = {k: d.default.evaluate({}) for k, d in net.symbols.items()}
        at.update({k: e.evaluate({}) for k, e in fig.at.items()})
        if all(point.get(k) == v for k, v in at.items()):
            out.append(Figure({m: e.evaluate({}) for m, e in fig.values.items()},
                              fig.source, fig.convention))
    return out


def intensity(row: Row):
    """Arithmetic intensity: madds per element of memory access (exact Fraction)."""
    from fractions import Fraction
    madds, moved = row.totals["madds"], row.totals["mem_access"]
    return Fraction(madds, moved) if moved else None


def published_metrics(rows: list) -> list:
    """Metrics that some shown published figure gives, in METRICS order."""
    seen = {m for r in rows for f in r.published for m in f.values}
    return [m for m in METRICS if m in seen]
