"""Stage 6: an Analysis → text, markdown, csv or json. Renderers write to a stream."""
from __future__ import annotations


from costmodel.report import table

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import TextIO

FORMATS = ("text", "markdown", "csv", "json")


def render(analysis, out: TextIO, fmt: str = "text", depth: int | None = None,
           dtype: str = "fp32", spec_path: str = "", counted=None) -> None:
    """Write the report of `analysis` in format `fmt` to `out`. `counted` (a
    conventions.Counted) makes the flops column and total that convention's counts."""
    if fmt in ("text", "markdown"):
        table.render(analysis, out, fmt == "markdown", depth, dtype, spec_path, counted)
        return
    from costmodel.report import machine      # json and csv: imported only when asked for
    if fmt == "csv":
        machine.render_csv(analysis, out, depth, counted)
    else:
        machine.render_json(analysis, out, depth, dtype, spec_path, counted)
