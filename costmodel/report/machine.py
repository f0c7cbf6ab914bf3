"""Machine-readable reports: JSON (the contract of design.md §0) and CSV, exact integers."""
from __future__ import annotations

import csv
import json

from costmodel.cost import DTYPE_BYTES
from costmodel.report.table import visible_rows
from costmodel.report.values import exact, nbytes, shape_text

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import TextIO

FIELDS = ("params", "madds", "flops", "mem_access")


def _metrics(cost, syms, flops=None) -> dict:
    """Exact metrics of a cost; `flops` (a convention's count) replaces the native flops."""
    m = {f: exact(getattr(cost, f), syms) for f in FIELDS}
    if flops is not None:
        m["flops"] = exact(flops, syms)
    return m


def _row_metrics(row, syms, counted) -> dict:
    return _metrics(row.cost, syms, counted.span(*row.span) if counted else None)


def document(analysis, depth: int | None, dtype: str, spec_path: str, counted=None) -> dict:
    """The JSON object: name, spec, symbols, dtype, totals, layers (and folded groups).
    With a convention (`counted`), "convention" names it and every "flops" is its count."""
    syms, t = analysis.symbols, analysis.totals
    totals = _metrics(t, syms, counted.total if counted else None)
    totals.update(params_without_bn=exact(analysis.params_without_bn, syms))
    if counted is None:
        totals.update(extra_flops=exact(t.extra_flops, syms))
    totals.update(params_bytes=exact(nbytes(t.params, dtype), syms),
                  mem_access_bytes=exact(nbytes(t.mem_access, dtype), syms),
                  layers=len(analysis.graph.nodes))
    rows = visible_rows(analysis, depth)
    doc = {"name": analysis.graph.network.name, "spec": spec_path}
    if counted is not None:
        c = counted.convention
        doc["convention"] = {"name": c.name, "summary": c.summary, "tool": c.tool}
    doc.update({
        "symbols": {k: exact(v) for k, v in syms.shown.items()},
        "dtype": dtype, "bytes_per_element": DTYPE_BYTES[dtype],
        "totals": totals,
        "layers": [dict(path=r.path, kind=r.kind, out_shape=shape_text(r.out_shape, syms),
                        **_row_metrics(r, syms, counted)) for r in rows if r.leaf],
        "groups": [dict(path=r.path, block=r.kind, out_shape=shape_text(r.out_shape, syms),
                        **_row_metrics(r, syms, counted)) for r in rows if not r.leaf],
    })
    return doc


def render_json(analysis, out: TextIO, depth, dtype: str, spec_path: str, counted=None) -> None:
    json.dump(document(analysis, depth, dtype, spec_path, counted), out, indent=1)
    out.write("\n")


def render_csv(analysis, out: TextIO, depth, counted=None) -> None:
    syms = analysis.symbols
    w = csv.writer(out, lineterminator="\n")
    names = FIELDS if counted is None else tuple(
        f"flops[{counted.convention.name}]" if f == "flops" else f for f in FIELDS)
    w.writerow(("path", "row", "kind", "out_shape") + names)
    for r in visible_rows(analysis, depth):
        m = _row_metrics(r, syms, counted)
        w.writerow((r.path, "layer" if r.leaf else "group", r.kind,
                    shape_text(r.out_shape, syms)) + tuple(m[f] for f in FIELDS))
