"""Text and markdown tables in the fvcore/torchinfo genre: one row per layer or folded
block, K/M/G units, then a totals block with exact integers and the symbol values used."""
from __future__ import annotations


from costmodel.cost import DTYPE_BYTES
from costmodel.report.values import grouped, human, human_bytes, nbytes, shape_text

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import TextIO

COLUMNS = ("path", "kind", "out_shape", "params", "madds", "mem_access")


def visible_rows(analysis, depth: int | None) -> list:
    """Rows down to `depth` path levels (groups at the last level fold their children)."""
    if depth is None:
        return analysis.rows
    return [r for r in analysis.rows if r.depth < depth]


def _columns(counted) -> tuple:
    """The table's columns; a convention adds its flops column after madds."""
    if counted is None:
        return COLUMNS
    return COLUMNS[:5] + (f"flops[{counted.convention.name}]",) + COLUMNS[5:]


def _cells(row, syms, counted=None) -> list:
    c = row.cost
    cells = [row.path, row.kind if row.leaf else f"[{row.kind}]", shape_text(row.out_shape, syms),
             human(c.params, syms), human(c.madds, syms), human(c.mem_access, syms)]
    if counted is not None:
        cells.insert(5, human(counted.span(*row.span), syms))
    return cells


def render(analysis, out: TextIO, markdown: bool, depth: int | None, dtype: str,
           spec_path: str, counted=None) -> None:
    syms = analysis.symbols
    net = analysis.graph.network
    values = ", ".join(f"{k}={v}" for k, v in syms.shown.items()) or "(none)"
    columns = _columns(counted)
    rows = [list(columns)] + [_cells(r, syms, counted) for r in visible_rows(analysis, depth)]
    if markdown:
        out.write(f"## {net.name}\n\n`{spec_path}` — symbols: {values}\n\n")
        out.write("| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(columns) + "\n")
        for r in rows[1:]:
            out.write("| " + " | ".join(r) + " |\n")
        out.write("\n")
    else:
        out.write(f"{net.name} — {spec_path}\nsymbols: {values}\n\n")
        widths = [max(len(r[i]) for r in rows) for i in range(len(columns))]
        for r in rows:
            left = [r[i].ljust(widths[i]) for i in range(3)]
            right = [r[i].rjust(widths[i]) for i in range(3, len(columns))]
            out.write("  ".join(left + right).rstrip() + "\n")
        out.write("\n")
    _totals(analysis, out, markdown, dtype, counted)


def _flops_line(analysis, counted) -> tuple:
    t, syms = analysis.totals, analysis.symbols
    if counted is None:
        return ("flops", grouped(t.flops, syms), f"2·madds + {human(t.extra_flops, syms)} other ops")
    c = counted.convention
    return ("flops", grouped(counted.total, syms),
            f"convention {c.name}{' (' + c.tool + ')' if c.tool else ''}: {c.summary}")


def _totals(analysis, out: TextIO, markdown: bool, dtype: str, counted=None) -> None:
    t, syms, size = analysis.totals, analysis.symbols, DTYPE_BYTES[dtype]
    lines = [
        ("params", grouped(t.params, syms),
         f"{human(t.params, syms)}; {human_bytes(nbytes(t.params, dtype), syms)} at {dtype}"),
        ("params_without_bn", grouped(analysis.params_without_bn, syms), "BN gamma/beta left out"),
        ("madds", grouped(t.madds, syms), f"{human(t.madds, syms)} multiply-adds, conv + fc"),
        _flops_line(analysis, counted),
        ("mem_access", grouped(t.mem_access, syms),
         f"{human(t.mem_access, syms)} elements; {human_bytes(nbytes(t.mem_access, dtype), syms)} "
         f"at {dtype} ({size} bytes/element)"),
        ("layers", str(len(analysis.graph.nodes)), ""),
    ]
    if markdown:
        out.write("| total | exact | note |\n|---|---|---|\n")
        for name, value, note in lines:
            out.write(f"| {name} | {value} | {note} |\n")
        return
    out.write("totals\n")
    w = max(len(v) for _, v, _ in lines)
    for name, value, note in lines:
        out.write(f"  {name:<18}{value.rjust(w)}" + (f"   {note}" if note else "") + "\n")
