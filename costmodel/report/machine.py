"""Machine-readable reports: JSON (the contract of design.md §0) and CSV, exact integers."""
from __future__ import annotations

import csv
import json
from typing import TextIO

from costmodel.cost import DTYPE_BYTES
from costmodel.report.table import visible_rows
from costmodel.report.values import exact, nbytes, shape_text

FIELDS = ("params", "madds", "flops", "mem_access")


def _metrics(cost, syms) -> dict:
    return {f: exact(getattr(cost, f), syms) for f in FIELDS}


def document(analysis, depth: int | None, dtype: str, spec_path: str) -> dict:
    """The JSON object: name, spec, symbols, dtype, totals, layers (and folded groups)."""
    syms, t = analysis.symbols, analysis.totals
    totals = _metrics(t, syms)
    totals.update(params_without_bn=exact(analysis.params_without_bn, syms),
                  extra_flops=exact(t.extra_flops, syms),
                  params_bytes=exact(nbytes(t.params, dtype), syms),
                  mem_access_bytes=exact(nbytes(t.mem_access, dtype), syms),
                  layers=len(analysis.graph.nodes))
    rows = visible_rows(analysis, depth)
    return {
        "name": analysis.graph.network.name, "spec": spec_path,
        "symbols": {k: exact(v) for k, v in syms.shown.items()},
        "dtype": dtype, "bytes_per_element": DTYPE_BYTES[dtype],
        "totals": totals,
        "layers": [dict(path=r.path, kind=r.kind, out_shape=shape_text(r.out_shape, syms),
                        **_metrics(r.cost, syms)) for r in rows if r.leaf],
        "groups": [dict(path=r.path, block=r.kind, out_shape=shape_text(r.out_shape, syms),
                        **_metrics(r.cost, syms)) for r in rows if not r.leaf],
    }


def render_json(analysis, out: TextIO, depth, dtype: str, spec_path: str) -> None:
    json.dump(document(analysis, depth, dtype, spec_path), out, indent=1)
    out.write("\n")


def render_csv(analysis, out: TextIO, depth) -> None:
    syms = analysis.symbols
    w = csv.writer(out, lineterminator="\n")
    w.writerow(("path", "row", "kind", "out_shape") + FIELDS)
    for r in visible_rows(analysis, depth):
        m = _metrics(r.cost, syms)
        w.writerow((r.path, "layer" if r.leaf else "group", r.kind,
                    shape_text(r.out_shape, syms)) + tuple(m[f] for f in FIELDS))
