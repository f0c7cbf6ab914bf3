"""costmodel sweep SPEC --set alpha=0.25:1.5:0.05 --set resolution=96,128,160: totals on a grid."""
from __future__ import annotations

from costmodel.commands import _design as dz

NAME = "sweep"
HELP = ("totals on a grid of symbol values (--set NAME=START:STOP:STEP or a,b,c), from formulas "
        "compiled once and evaluated vectorised; exact: each point equals report --set there")
ORDER = 42


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUES",
                   help="values of a symbol: 0.5, 96,128,160 or an inclusive range "
                        "START:STOP:STEP, or a mix (repeatable); others stay at their defaults")
    dz.add_metric(p, None)
    p.add_argument("--skip-invalid", action="store_true",
                   help="leave out grid points the engine rejects (e.g. channels not divisible "
                        "by the groups) instead of stopping at the first; their count goes to "
                        "stderr")
    p.add_argument("--format", choices=("csv", "json", "text"), default="csv")


def run(args, out) -> int:
    from costmodel.design.grid import parse_grid
    from costmodel.design.sweep import sweep
    import sys
    net = dz.load(args.spec)
    result = sweep(net, parse_grid(args.set), dz.metrics(args.metric),
                   skip_invalid=args.skip_invalid)
    write = {"csv": write_csv, "json": write_json, "text": write_text}[args.format]
    write(result, out, net, args.spec)
    if result.count < result.size:
        sys.stderr.write(f"costmodel: sweep: left out {result.size - result.count:,} of "
                         f"{result.size:,} points that the engine rejects\n")
    return 0


def _columns(result, start: int, stop: int) -> list:
    """Text columns of rows start..stop: symbol values as written, then exact metric values."""
    import numpy as np
    from costmodel.design.grid import decimal_text
    flat = result.kept(start, stop)
    cols = [np.array([decimal_text(v) for v in values], dtype=object)[i].tolist()
            for (_, values), i in zip(result.axes, result.unravel(flat))]
    for arr in result.metrics.values():
        cols.append(list(map(str, arr[flat].tolist())))
    return cols


def _blocks(result, size: int = 1 << 16):
    """Column blocks of at most `size` points; blocks with no valid point are skipped."""
    for start in range(0, result.size, size):
        cols = _columns(result, start, min(start + size, result.size))
        if cols and cols[0]:
            yield cols


def write_csv(result, out, net, spec) -> None:
    out.write(",".join([n for n, _ in result.axes] + list(result.metrics)) + "\n")
    for cols in _blocks(result):
        out.write("\n".join(map(",".join, zip(*cols))) + "\n")


def write_text(result, out, net, spec) -> None:
    fixed = ", ".join(f"{k}={v}" for k, v in result.fixed.items()) or "(none)"
    out.write(f"{net.name} — {spec}\nfixed: {fixed}\npoints: {result.count:,}\n\n")
    header = [n for n, _ in result.axes] + list(result.metrics)
    rows = [r for cols in _blocks(result) for r in zip(*cols)]
    rows = [[c if i < len(result.axes) else f"{int(c):,}" if c.lstrip("-").isdigit() else c
             for i, c in enumerate(r)] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    out.write("  ".join(h.rjust(w) for h, w in zip(header, widths)) + "\n")
    for r in rows:
        out.write("  ".join(c.rjust(w) for c, w in zip(r, widths)) + "\n")


def write_json(result, out, net, spec) -> None:
    """One object; points as rows [symbol values..., metric values...] in `columns` order.
    Symbol values are JSON numbers when they are finite decimals, else 'p/q' strings."""
    import json
    out.write(json.dumps({"name": net.name, "spec": spec,
                          "fixed": {k: _json_value(v) for k, v in result.fixed.items()},
                          "columns": [n for n, _ in result.axes] + list(result.metrics),
                          "points": result.count})[:-1] + ', "rows": [\n')
    first = True
    for cols in _blocks(result):
        lines = ",\n".join("[" + ",".join(_json_cell(c) for c in row) + "]" for row in zip(*cols))
        out.write(("" if first else ",\n") + lines)
        first = False
    out.write("\n]}\n")


def _json_value(v):
    from fractions import Fraction
    return v if isinstance(v, int) else str(v) if isinstance(v, Fraction) else v


def _json_cell(text: str) -> str:
    return f'"{text}"' if "/" in text else text
