"""Stage 6: an Analysis → text, markdown, csv or json. Renderers write to a stream."""
from __future__ import annotations

from typing import TextIO

from costmodel.report import machine, table

FORMATS = ("text", "markdown", "csv", "json")


def render(analysis, out: TextIO, fmt: str = "text", depth: int | None = None,
           dtype: str = "fp32", spec_path: str = "") -> None:
    """Write the report of `analysis` in format `fmt` to `out`."""
    if fmt in ("text", "markdown"):
        table.render(analysis, out, fmt == "markdown", depth, dtype, spec_path)
    elif fmt == "csv":
        machine.render_csv(analysis, out, depth)
    else:
        machine.render_json(analysis, out, depth, dtype, spec_path)
