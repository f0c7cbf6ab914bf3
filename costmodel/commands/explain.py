"""costmodel explain SPEC: why two counts of one network differ, op kind by op kind.

    costmodel explain SPEC --convention thop --vs paper        counting rules
    costmodel explain SPEC --convention paper --vs-spec OTHER  architecture
    costmodel explain SPEC --published 146e6                   which convention gives it

With --vs-spec the difference is split into counting (A − B on SPEC) and architecture
(B on SPEC − B on OTHER). Conventions and their rules: docs/conventions.md.
"""
from __future__ import annotations

from costmodel.commands import _options as opt

NAME = "explain"
HELP = ("explain the difference between two counting conventions (or two specs) op kind by "
        "op kind, and which conventions reproduce a published figure")
ORDER = 15


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    opt.add_convention(p, "the convention to explain (default: paper)")
    opt.add_convention(p, "the convention to compare with (default: paper)", flag="--vs")
    p.add_argument("--vs-spec", metavar="SPEC", default=None,
                   help="compare with another spec of the same network (architecture gap)")
    p.add_argument("--published", metavar="VALUE", default=None,
                   help="a published figure, e.g. 146e6 or 146M: which conventions reproduce "
                        "it after rounding to its printed precision")
    opt.add_set(p)


def run(args, out) -> int:
    from costmodel import conventions
    from costmodel.conventions import compare as cmp
    from costmodel.errors import UsageError
    wants_comparison = args.convention or args.vs or args.vs_spec
    if not wants_comparison and not args.published:
        raise UsageError("explain: nothing to explain; give --convention NAME [--vs NAME], "
                         "--vs-spec SPEC or --published VALUE")
    figure = cmp.parse_figure(args.published) if args.published else None
    a_conv = conventions.get(args.convention or conventions.DEFAULT)
    b_conv = conventions.get(args.vs or conventions.DEFAULT)
    analysis, other = _analyses(args)
    _header(analysis, args.spec, out)
    if wants_comparison:
        _comparison(cmp.compare(a_conv, b_conv, analysis, other), args.spec, args.vs_spec, out)
    if figure is not None:
        checks = cmp.check_published(figure, conventions.all_conventions(), analysis)
        _published(figure, checks, out)
    return 0


def _analyses(args) -> tuple:
    """The analysis of SPEC and of --vs-spec (or None), with the --set values each knows;
    a --set name unknown to every spec is an error."""
    from costmodel.analysis import analyse, load_spec
    from costmodel.errors import UsageError
    values = opt.parse_sets(args.set)
    net = load_spec(args.spec)
    if not args.vs_spec:
        return analyse(net, values), None
    net_b = load_spec(args.vs_spec)
    unknown = sorted(set(values) - set(net.symbols) - set(net_b.symbols))
    if unknown:
        raise UsageError(f"unknown symbol '{unknown[0]}' in both specs")
    return tuple(analyse(n, {k: v for k, v in values.items() if k in n.symbols})
                 for n in (net, net_b))


# -- text ----------------------------------------------------------------------------------
def _n(v) -> str:
    from costmodel.report.values import grouped
    return grouped(v)


def _signed(v) -> str:
    if v == 0:
        return "0"
    return ("+" if v > 0 else "−") + (f"{abs(v):,}" if isinstance(v, int) else str(abs(v)))


def _short(v) -> str:
    from costmodel.report.values import human
    return ("+" if v > 0 else "−" if v < 0 else "") + human(abs(v))


def _header(analysis, spec: str, out) -> None:
    values = ", ".join(f"{k}={v}" for k, v in analysis.symbols.shown.items()) or "(none)"
    out.write(f"{analysis.graph.network.name} — {spec}\nsymbols: {values}\n\n")


def _describe(conv) -> str:
    return (f"{conv.tool}: " if conv.tool else "") + conv.summary


def _table(rows: list, out, right_from: int, right_to: int | None = None) -> None:
    """Rows of cells; columns right_from..right_to (exclusive) are right-aligned numbers."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = range(right_from, len(widths) if right_to is None else right_to)
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        out.write("  ".join(cells).rstrip() + "\n")


def _comparison(c, spec_a: str, spec_b: str | None, out) -> None:
    a, b = c.a.name, c.b.name
    if c.two_specs:
        out.write(f"A = {spec_a}\nB = {spec_b}\n\n")
        totals = [(f"{a} on A", c.total_a, _describe(c.a)), (f"{b} on A", c.total_b_on_a,
                  _describe(c.b)), (f"{b} on B", c.total_b, "")]
        if a == b:
            totals.pop(1)
    else:
        totals = [(a, c.total_a, _describe(c.a)), (b, c.total_b_on_a, _describe(c.b))]
    width = max(len(t[0]) for t in totals)
    for label, value, text in totals:
        out.write(f"{label:<{width}}  {_n(value):>15}  {text}".rstrip() + "\n")
    counting = " + ".join(f"{ln.label} {c.rule_difference(ln)} ({_short(ln.counting)})"
                          for ln in _largest_first(c.lines, "counting"))
    gap = _signed(c.total_a - c.total_b_on_a)
    if c.two_specs:
        arch = " + ".join(f"{ln.label} ({_short(ln.architecture)})"
                          for ln in _largest_first(c.lines, "architecture"))
        if a != b:
            out.write(f"\ncounting:     {a} − {b} on A = {gap}"
                      + (f" = {counting}" if counting else ""))
        out.write(f"\narchitecture: {b} on A − {b} on B = {_signed(c.total_b_on_a - c.total_b)}"
                  + (f" = {arch}" if arch else "")
                  + f"\ntotal:        {a} on A − {b} on B = {_signed(c.total_a - c.total_b)}\n\n")
    else:
        out.write(f"\n{a} − {b} = {gap}" + (f" = {counting}" if counting else ": the same count")
                  + "\n\n")
    _kind_table(c, out)
    if c.two_specs and c.path_diffs:
        out.write(f"\nlayers that differ ({b} on A − {b} on B; paths in both specs):\n")
        for path, d in c.path_diffs[:8]:
            out.write(f"  {path:<40} {_signed(d)}\n")
        if len(c.path_diffs) > 8:
            out.write(f"  ... {len(c.path_diffs) - 8} more\n")


def _largest_first(lines: list, part: str) -> list:
    """The kinds with a nonzero `part` ('counting' or 'architecture'), largest first."""
    nonzero = [ln for ln in lines if getattr(ln, part) != 0]
    return sorted(nonzero, key=lambda ln: -abs(getattr(ln, part)))


def _kind_table(c, out) -> None:
    a, b = c.a.name, c.b.name
    shown = [ln for ln in c.lines if ln.a != 0 or ln.b_on_a != 0 or ln.b != 0]
    zero = [ln for ln in c.lines if ln not in shown]
    if c.two_specs:
        rows = [["op kind", "layers A/B", f"{a} rule", f"{b} rule", f"{a} on A", f"{b} on A",
                 f"{b} on B", "counting", "architecture"]]
    else:
        rows = [["op kind", "layers", f"{a} rule", f"{b} rule", a, b, f"{a} − {b}"]]
    same = c.two_specs and a == b          # architecture only: one rule, one count per spec
    if same:
        rows = [["op kind", "layers A/B", f"{a} rule", "A", "B", "A − B"]]
    for ln in shown:
        ra, rb = c.a.rule(ln.kind, ln.impl).text(), c.b.rule(ln.kind, ln.impl).text()
        if same:
            rows.append([ln.label, f"{ln.layers_a}/{ln.layers_b}", ra, _n(ln.a), _n(ln.b),
                         _signed(ln.architecture)])
        elif c.two_specs:
            rows.append([ln.label, f"{ln.layers_a}/{ln.layers_b}", ra, rb, _n(ln.a),
                         _n(ln.b_on_a), _n(ln.b), _signed(ln.counting), _signed(ln.architecture)])
        else:
            rows.append([ln.label, str(ln.layers_a), ra, rb, _n(ln.a), _n(ln.b_on_a),
                         _signed(ln.counting)])
    _table(rows, out, 3 if same else 4)
    if zero:
        out.write("counted as 0 by both: " + ", ".join(
            f"{ln.label} ×{ln.layers_a or ln.layers_b}" for ln in zero) + "\n")


def _published(figure, checks: list, out) -> None:
    digits = f"{figure.unit:,}" if isinstance(figure.unit, int) else str(figure.unit)
    out.write(f"\npublished {figure.text} = {_n(figure.value)}, printed to the nearest {digits}\n")
    rows = [["convention", "total", "rounded", "truncated", "total − published", "reproduces"]]
    for ch in checks:
        if ch.total is None:
            rows.append([ch.convention.name, "n/a", "", "", "", "cannot count this network"])
            continue
        verdict = "yes (rounded)" if ch.rounds else "yes (truncated)" if ch.truncates else "no"
        rows.append([ch.convention.name, _n(ch.total), _n(figure.rounded(ch.total)),
                     _n(figure.truncated(ch.total)), _signed(ch.total - figure.value), verdict])
    _table(rows, out, 1, 5)
    hits = [ch.convention.name for ch in checks if ch.rounds or ch.truncates]
    if hits:
        out.write(f"reproduced by: {', '.join(hits)}\n")
    else:
        out.write("reproduced by: none. No counting convention closes the gap on this graph: "
                  "the figure is of another architecture or counted another way (compare "
                  "specs with --vs-spec)\n")
    for ch in checks:
        if ch.error:
            out.write(f"  {ch.convention.name}: {ch.error}\n")
