"""costmodel crossover SPEC_A SPEC_B --symbol alpha: where two costs cross, solved exactly.

An operand is a spec, or SPEC#PATH for one layer or block of it (a path of `report`), so
"at which width does the pointwise conv overtake the depthwise?" is
`crossover x.yaml#stage1/ir1/conv2 x.yaml#stage1/ir1/dwconv --symbol alpha`.
"""
from __future__ import annotations

from costmodel.commands import _design as dz, _options as opt

NAME = "crossover"
HELP = ("where the costs of two specs (or SPEC#PATH layers/blocks) cross as one symbol varies, "
        "solved exactly (roots of the pieces; jumps where channel rounding steps)")
ORDER = 46


def add_arguments(p) -> None:
    p.add_argument("a", metavar="SPEC_A", help="spec, or SPEC#PATH for one layer or block")
    p.add_argument("b", metavar="SPEC_B", help="spec, or SPEC#PATH")
    p.add_argument("--symbol", required=True, help="the symbol that varies, e.g. alpha")
    dz.add_metric(p, "madds", many=False)
    opt.add_set(p)
    p.add_argument("--range", default=None, metavar="LO:HI",
                   help="look only in LO < symbol < HI (needed when channel rounding makes the "
                        "costs step functions; default: all positive values)")
    p.add_argument("--ideal", action="store_true",
                   help="ideal widths: drop the spec's rounding (make_divisible, floor, ceil, //)")
    dz.add_multiple_of(p)
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args, out) -> int:
    import sympy
    from costmodel.design.crossover import compare
    from costmodel.design.pieces import NotPiecewise
    from costmodel.errors import UsageError
    metric = dz.metrics(args.metric)
    if len(metric) != 1:
        raise UsageError("crossover: give one --metric")
    ops = [_operand(t, args, metric[0]) for t in (args.a, args.b)]
    if not any(o["has_symbol"] for o in ops):
        raise UsageError(f"crossover: neither spec has the symbol '{args.symbol}'")
    s = _symbol(args.symbol)
    lo, hi = _range(args.range)
    diff = sympy.expand(ops[0]["cost"] - ops[1]["cost"])
    if hi is sympy.oo and _has_steps(diff):
        raise UsageError("crossover: rounding (of channels, or of strided sizes) makes the "
                         f"costs step functions of {args.symbol}; give --range LO:HI (e.g. "
                         "0.25:1.5), or use --ideal for widths / --multiple-of for resolution")
    try:
        events, regions = compare(diff, s, lo, hi)
    except NotPiecewise as e:
        raise UsageError(f"crossover: {e}") from None
    render = _json if args.format == "json" else _text
    render(out, args, ops, events, regions, (lo, hi), metric[0])
    return 0


def _symbol(name: str):
    from costmodel.symbolic import symbol
    return symbol(name)


def _has_steps(expr) -> bool:
    from costmodel.design.closed import STEPS
    return bool(getattr(expr, "atoms", lambda *a: set())(*STEPS))


def _range(text: str | None) -> tuple:
    import sympy
    from costmodel.analysis import parse_value
    from costmodel.errors import UsageError
    if not text:
        return sympy.Integer(0), sympy.oo
    lo_text, sep, hi_text = text.partition(":")
    if not sep:
        raise UsageError(f"--range expects LO:HI, got '{text}'")
    lo, hi = (sympy.Rational(str(parse_value(t.strip(), "range"))) for t in (lo_text, hi_text))
    if not 0 <= lo < hi:
        raise UsageError(f"--range needs 0 <= LO < HI, got {text}")
    return lo, hi


def _operand(text: str, args, metric: str) -> dict:
    """{'label', 'cost' (closed form in the symbol), 'has_symbol', 'multiple_of'} of SPEC[#PATH]."""
    from costmodel.analysis import analyse, closed_form
    from costmodel.errors import UsageError, did_you_mean
    spec, _, path = text.partition("#")
    net = dz.load(spec, dz.parse_multiples(args.multiple_of))
    values = {k: v for k, v in opt.parse_sets(args.set).items() if k in net.symbols}
    has = args.symbol in net.symbols
    a = analyse(net, values, [args.symbol] if has else [], args.ideal)
    cost = a.totals
    if path:
        rows = {r.path: r for r in a.rows}
        if path not in rows:
            raise UsageError(f"crossover: {spec} has no layer or block '{path}'"
                             f"{did_you_mean(path, rows)}; see `costmodel report {spec}`")
        cost = rows[path].cost
    label = f"{net.name} ({text})"
    sd = net.symbols[args.symbol] if has else None
    grid = (sd.multiple_of, sd.offset) if sd and sd.multiple_of else None
    return {"label": label, "cost": closed_form(getattr(cost, metric), a.symbols),
            "has_symbol": has, "multiple_of": grid}


def _number(v) -> str:
    import sympy
    if v is sympy.oo:
        return "∞"
    from costmodel.design.closed import show
    exact = show(v)
    approx = f"{float(sympy.N(v, 20)):.6g}"
    return exact if exact == approx or v.is_Integer else f"{exact} (≈ {approx})"


def _who(sign: int) -> str:
    return {-1: "A cheaper", 1: "B cheaper", 0: "equal"}[sign]


def _text(out, args, ops, events, regions, rng, metric) -> None:
    out.write(f"{metric} of A = {ops[0]['label']}\n       and B = {ops[1]['label']}\n")
    out.write(f"as {args.symbol} varies over {_number(rng[0])} < {args.symbol} < "
              f"{_number(rng[1])}; widths "
              f"{'ideal' if args.ideal else 'as the specs round them'}\n\n")
    if not events:
        out.write(f"no crossing: {_who(regions[0].sign)} over the whole range\n")
    for e in events:
        how = "the costs cross" if e.kind == "crossing" else "a rounding step changes the order"
        out.write(f"{args.symbol} = {_number(e.at)}: {how} "
                  f"({_who(e.before)} below, {_who(e.after)} above)\n")
    note = _multiple_note(args, ops, events)
    if note:
        out.write("\n" + note)
    out.write("\nregions\n")
    for r in regions:
        out.write(f"  {_number(r.lo)} < {args.symbol} < {_number(r.hi)}: {_who(r.sign)}\n")


def _multiple_note(args, ops, events) -> str:
    import math
    import sympy
    grids = {o["multiple_of"] for o in ops if o["multiple_of"]}
    if len(grids) != 1 or not events:
        return ""
    from costmodel.design.closed import exact_text
    [(m, off)] = grids
    lines = [f"the formulas hold only for {exact_text(args.symbol, m, off)}; around each "
             "crossing:"]
    for e in events:
        below = math.floor((sympy.N(e.at, 30) - off) / m) * m + off
        for v in (below, below + m):
            if v > 0:
                a, b = (o["cost"].subs(_symbol(args.symbol), v) for o in ops)
                lines.append(f"  {args.symbol} = {v}: A {int(a):,}  B {int(b):,}")
    return "\n".join(lines) + "\n"


def _json(out, args, ops, events, regions, rng, metric) -> None:
    import json
    import sympy
    from costmodel.design.closed import show

    def num(v):
        return None if v is sympy.oo else {"exact": show(v), "approx": float(sympy.N(v, 20))}
    json.dump({"metric": metric, "symbol": args.symbol, "ideal": args.ideal,
               "a": {"label": ops[0]["label"], "formula": show(ops[0]["cost"])},
               "b": {"label": ops[1]["label"], "formula": show(ops[1]["cost"])},
               "range": [num(rng[0]), num(rng[1])],
               "events": [{"at": num(e.at), "kind": e.kind, "before": _who(e.before),
                           "after": _who(e.after)} for e in events],
               "regions": [{"lo": num(r.lo), "hi": num(r.hi), "cheaper": _who(r.sign)}
                           for r in regions]}, out, indent=1)
    out.write("\n")
