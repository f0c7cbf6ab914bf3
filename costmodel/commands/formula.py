"""costmodel formula SPEC: a network's total as a closed-form polynomial in chosen symbols."""
from __future__ import annotations

from costmodel.commands import _design as dz, _options as opt

NAME = "formula"
HELP = ("closed-form total as a polynomial in chosen symbols (piecewise where the spec uses "
        "max/min); refuses, with the reason, when rounding or strided floors survive")
ORDER = 40


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    p.add_argument("--symbols", default="", metavar="NAMES",
                   help="symbols kept free, comma-separated (default: every symbol not --set)")
    dz.add_metric(p, None)
    opt.add_set(p)
    p.add_argument("--ideal", action="store_true",
                   help="ideal widths: drop the spec's rounding (make_divisible, floor, ceil, //)")
    dz.add_multiple_of(p)
    p.add_argument("--format", choices=("text", "latex", "json"), default="text")


def run(args, out) -> int:
    from costmodel.design import closed
    from costmodel.errors import UsageError
    net = dz.load(args.spec, dz.parse_multiples(args.multiple_of))
    metrics = dz.metrics(args.metric)
    a, names = closed.free_analysis(net, opt.parse_names(args.symbols),
                                    opt.parse_sets(args.set), args.ideal)
    problems = [(m, o) for m in metrics for o in closed.obstacles(a, getattr(a.totals, m))]
    if problems:
        metric, first = problems[0]
        raise UsageError(f"formula: {closed.explain(first, metric, net)}")
    forms = {m: closed.pieces(closed.closed_form(getattr(a.totals, m), a.symbols)) for m in metrics}
    render = {"text": _text, "latex": _latex, "json": _json}[args.format]
    render(out, net, a, names, forms, args)
    return 0


def _header(net, a, names, args) -> list:
    from costmodel.design.closed import exact_for, exact_text
    exact = exact_for(net, names)
    free = ", ".join(f"{n} (exact for {exact_text(n, *exact[n])})" if n in exact else n
                     for n in names)
    fixed = ", ".join(f"{k}={v}" for k, v in a.symbols.shown.items() if k not in names)
    widths = ("ideal: the spec's rounding (make_divisible, floor, ceil, //) dropped" if args.ideal
              else "as the spec rounds them")
    return [f"{net.name} — {args.spec}", f"free: {free}", f"fixed: {fixed or '(none)'}",
            f"widths: {widths}"]


def _text(out, net, a, names, forms, args) -> None:
    from costmodel.design.closed import show
    out.write("\n".join(_header(net, a, names, args)) + "\n\n")
    for metric, pieces in forms.items():
        head = f"{metric}({', '.join(names)}) ="
        if len(pieces) == 1:
            out.write(f"{head} {show(pieces[0][0])}\n")
            continue
        out.write(head + "\n")
        for poly, cond in pieces:
            out.write(f"    {show(poly)}    if {show(cond)}\n")


def _latex(out, net, a, names, forms, args) -> None:
    from costmodel.design.closed import name_symbols
    syms = name_symbols(names)
    args_tex = ", ".join(_tex(s, syms) for s in syms)
    for metric, pieces in forms.items():
        tex = _tex(_as_piecewise(pieces), syms)
        name = metric.replace("_", "\\_")
        out.write(rf"\operatorname{{{name}}}({args_tex}) = {tex}" + "\n")


def _tex(expr, syms) -> str:
    """LaTeX with multi-letter symbol names upright-italic as one word (\\mathit{resolution})."""
    import sympy
    names = {s: rf"\mathit{{{s.name}}}" for s in syms if len(s.name) > 1
             and sympy.latex(s) == s.name}
    return sympy.latex(expr, symbol_names=names)


def _as_piecewise(pieces):
    import sympy
    if len(pieces) == 1:
        return pieces[0][0]
    return sympy.Piecewise(*pieces[:-1], (pieces[-1][0], True))


def _json(out, net, a, names, forms, args) -> None:
    import json
    from costmodel.design.closed import degrees, exact_for, name_symbols, show
    from costmodel.report.values import exact
    syms = name_symbols(names)
    doc = {"name": net.name, "spec": args.spec, "free": names,
           "fixed": {k: exact(v) for k, v in a.symbols.shown.items() if k not in names},
           "exact_for": {n: {"multiple_of": m, "offset": o}
                         for n, (m, o) in exact_for(net, names).items()},
           "ideal": args.ideal,
           "formulas": {m: {"formula": show(_as_piecewise(p)),
                            "latex": _tex(_as_piecewise(p), syms),
                            "pieces": [{"formula": show(poly), "when": show(cond),
                                        "degree": degrees(poly, syms)} for poly, cond in p]}
                        for m, p in forms.items()}}
    json.dump(doc, out, indent=1)
    out.write("\n")
