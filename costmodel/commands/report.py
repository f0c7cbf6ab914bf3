"""costmodel report SPEC: the per-layer table and the totals."""
from __future__ import annotations

from costmodel.commands import _options as opt

NAME = "report"
HELP = "per-layer params, madds, mem_access and the network totals of a spec"
ORDER = 10


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    opt.add_set(p)
    opt.add_symbolic(p)
    opt.add_dtype(p)
    p.add_argument("--format", choices=("text", "markdown", "csv", "json"), default="text")
    p.add_argument("--depth", type=int, default=None, metavar="N",
                   help="show N path levels; deeper layers fold into their block's row")
    opt.add_convention(p, "count flops the way NAME does (the flops column and total); "
                          "default: costmodel's own flops (2·madds + every other op)")
    p.add_argument("--sensitivity", nargs="?", const="madds", default=None, metavar="METRIC",
                   help="with --symbolic: append per-block formulas, derivatives and "
                        "asymptotic shares of METRIC (default madds); see `sensitivity`")


def run(args, out) -> int:
    from costmodel.analysis import analyse, load_spec
    from costmodel.errors import UsageError
    from costmodel.report import render
    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be at least 1")
    if args.sensitivity and not args.symbolic:
        raise UsageError("--sensitivity needs --symbolic NAMES (the symbols to vary)")
    net = load_spec(args.spec)
    a = analyse(net, opt.parse_sets(args.set), opt.parse_names(args.symbolic), args.ideal)
    counted = None
    if args.convention:
        from costmodel import conventions
        counted = conventions.apply(conventions.get(args.convention), a)
    if args.sensitivity:
        from costmodel.commands import sensitivity
        return sensitivity.append_to_report(a, net, args, out, counted)
    render(a, out, args.format, args.depth, args.dtype, args.spec, counted)
    return 0
