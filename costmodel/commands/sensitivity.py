"""costmodel sensitivity SPEC: per-block formulas, partial derivatives and elasticities of a
total, and each block's share as a symbol grows (which block dominates asymptotically).
`costmodel report SPEC --symbolic NAMES --sensitivity` appends the same section."""
from __future__ import annotations

from costmodel.commands import _design as dz, _options as opt

NAME = "sensitivity"
HELP = ("per-block formulas, partial derivatives and elasticities of a total, and each "
        "block's share as a symbol grows (at ideal widths)")
ORDER = 44


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    p.add_argument("--symbolic", default="", metavar="NAMES",
                   help="free symbols, comma-separated (default: every symbol not --set)")
    dz.add_metric(p, "madds", many=False)
    opt.add_set(p)
    p.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                   help="the point where derivatives and shares are evaluated (default: the "
                        "spec's defaults)")
    p.add_argument("--depth", type=int, default=1, metavar="N",
                   help="blocks at N path levels (default 1: the top-level blocks and layers)")
    dz.add_multiple_of(p)
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args, out) -> int:
    from costmodel.errors import UsageError
    metric = dz.metrics(args.metric)
    if len(metric) != 1:
        raise UsageError("sensitivity: give one --metric")
    if args.depth < 1:
        raise UsageError("--depth must be at least 1")
    net = dz.load(args.spec, dz.parse_multiples(args.multiple_of))
    result = compute(net, opt.parse_names(args.symbolic), opt.parse_sets(args.set),
                     opt.parse_sets(args.at), metric[0], args.depth)
    if args.format == "json":
        import json
        json.dump(document(result), out, indent=1)
        out.write("\n")
    else:
        out.write(f"{net.name} — {args.spec}\n")
        render_text(result, out)
    return 0


def append_to_report(analysis, net, args, out, counted=None) -> int:
    """`report --symbolic NAMES --sensitivity [METRIC]`: the report, then this section
    (text/markdown), or the report's JSON object with a "sensitivity" key."""
    import json
    from costmodel.errors import UsageError
    from costmodel.report import machine, render
    if args.format == "csv":
        raise UsageError("--sensitivity works with --format text, markdown or json")
    metric = dz.metrics(args.sensitivity)
    result = compute(net, opt.parse_names(args.symbolic), opt.parse_sets(args.set), {},
                     metric[0], args.depth or 1)
    if args.format == "json":
        doc = machine.document(analysis, args.depth, args.dtype, args.spec, counted)
        doc["sensitivity"] = document(result)
        json.dump(doc, out, indent=1)
        out.write("\n")
        return 0
    render(analysis, out, args.format, args.depth, args.dtype, args.spec, counted)
    fence = "```\n" if args.format == "markdown" else ""
    out.write("\n" + fence)
    render_text(result, out)
    out.write(fence)
    return 0


def compute(net, names, fixed, at, metric, depth):
    from costmodel.design.sensitivity import analyse_sensitivity
    return analyse_sensitivity(net, names, fixed, at, metric, depth)


def _num(v) -> str:
    """An exact value for people: integers grouped, other rationals as decimals."""
    import sympy
    v = sympy.nsimplify(v) if not getattr(v, "is_Rational", False) else v
    if v.is_Integer:
        return f"{int(v):,}"
    return f"{float(v):,.6g}" if v.is_Rational else str(v)


def _pct(v) -> str:
    return f"{float(v) * 100:.1f}%"


def _both(pair, fmt) -> str:
    left, right = pair
    if left is None or right is None or left == right:
        return fmt(right if left is None else left)
    return f"{fmt(left)} (left) / {fmt(right)} (right)"


def render_text(r, out) -> None:
    from costmodel.design.closed import show
    point = ", ".join(f"{k}={_num(v)}" for k, v in r.point.items())
    out.write(f"sensitivity of {r.metric} at ideal widths (the spec's rounding dropped)\n")
    out.write(f"free: {', '.join(r.names)}; point: {point}\n\n")
    _pieces(out, f"{r.metric}", r.total, show)
    out.write(f"  = {_num(r.value)} at the point\n\n")
    for v in r.symbols:
        _pieces(out, f"∂{r.metric}/∂{v.name}", v.derivative, show)
        out.write(f"  = {_both(v.slope, _num)} at the point; elasticity "
                  f"{_both(v.elasticity, lambda e: f'{float(e):.3f}')} "
                  f"(1% more {v.name} → that many % more {r.metric})\n\n")
    _blocks(r, out, show)


def _pieces(out, head: str, pieces: list, show) -> None:
    if len(pieces) == 1:
        out.write(f"{head} = {show(pieces[0][0])}\n")
        return
    out.write(f"{head} =\n")
    for p, c in pieces:
        out.write(f"    {show(p)}    if {show(c)}\n")


def _blocks(r, out, show) -> None:
    head = ["block", f"{r.metric} at point", "share"]
    for v in r.symbols:
        head += [f"deg {v.name}", f"share {v.name}→∞"]
    rows = [head]
    for b in r.blocks:
        row = [b.path, _num(b.value), _pct(b.share)]
        for v in r.symbols:
            row += [str(b.degrees[v.name]), _pct(v.shares[b.path])]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for row in rows:
        out.write("  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in
                                                         zip(row[1:], widths[1:])]) + "\n")
    out.write("\n")
    for v in r.symbols:
        top = max(r.blocks, key=lambda b: v.shares[b.path])
        out.write(f"as {v.name} → ∞ ({r.metric} of degree {v.degree} in {v.name}), "
                  f"{top.path} dominates with {_pct(v.shares[top.path])}\n")
    out.write(f"\nblock formulas ({r.metric})\n")
    for b in r.blocks:
        out.write(f"  {b.path}: {show(b.formula)}\n")


def document(r) -> dict:
    """The JSON form: exact values as strings ('p/q'), formulas in spec syntax."""
    from costmodel.design.closed import show

    def ex(v):
        return None if v is None else str(v)
    return {"metric": r.metric, "free": r.names, "ideal": True,
            "point": {k: ex(v) for k, v in r.point.items()}, "value": ex(r.value),
            "formula": [{"formula": show(p), "when": show(c)} for p, c in r.total],
            "symbols": {v.name: {"derivative": [{"formula": show(p), "when": show(c)}
                                                for p, c in v.derivative],
                                 "at_point": {"left": ex(v.slope[0]), "right": ex(v.slope[1])},
                                 "elasticity": {"left": ex(v.elasticity[0]),
                                                "right": ex(v.elasticity[1])},
                                 "degree": v.degree,
                                 "share_limit": {k: ex(x) for k, x in v.shares.items()}}
                        for v in r.symbols},
            "blocks": [{"path": b.path, "kind": b.kind, "formula": show(b.formula),
                        "at_point": ex(b.value), "share": ex(b.share), "degree": b.degrees}
                       for b in r.blocks]}
