"""costmodel compare SPEC...: one row per network (the zoo table), the published figures
beside ours, and with --plot the pictures: madds vs params, madds vs mem_access with
arithmetic-intensity lines, per-layer bars along the depth of one network."""
from __future__ import annotations

from costmodel.commands import _options as opt

NAME = "compare"
HELP = ("one row per network: resolution, params, madds, mem_access and the published "
        "figures beside ours; --plot FILE.png|svg draws them (needs matplotlib)")
ORDER = 48
PLOT_FORMATS = (".png", ".svg", ".pdf")


def add_arguments(p) -> None:
    p.add_argument("specs", nargs="+", metavar="SPEC")
    opt.add_set(p)
    p.add_argument("--format", choices=("text", "markdown", "csv", "json"), default="text")
    p.add_argument("--plot", default=None, metavar="FILE",
                   help="also draw the comparison to FILE (.png, .svg or .pdf); needs "
                        "matplotlib: pip install 'costmodel[plot]'")
    p.add_argument("--layers-of", type=int, default=1, metavar="N",
                   help="per-layer bars of the N-th spec in the plot (default 1)")


def run(args, out) -> int:
    import sys
    from costmodel.design.compare import compare_rows
    if args.plot:
        _check_plot(args)
    rows = compare_rows(args.specs, opt.parse_sets(args.set))
    {"text": _text, "markdown": _markdown, "csv": _csv, "json": _json}[args.format](rows, out)
    if args.plot:
        from costmodel.design.plot import draw
        draw(rows, args.plot, rows[args.layers_of - 1])
        sys.stderr.write(f"costmodel: wrote {args.plot}\n")
    return 0


def _check_plot(args) -> None:
    import os
    from costmodel.errors import UsageError
    from costmodel.design.plot import matplotlib_missing
    if os.path.splitext(args.plot)[1].lower() not in PLOT_FORMATS:
        raise UsageError(f"--plot {args.plot}: the file must end in {', '.join(PLOT_FORMATS)}")
    if not 1 <= args.layers_of <= len(args.specs):
        raise UsageError(f"--layers-of {args.layers_of}: give 1..{len(args.specs)}")
    missing = matplotlib_missing()
    if missing:
        raise UsageError(missing)


def _point_text(row) -> str:
    from costmodel.report.values import exact
    return ", ".join(f"{k}={exact(v)}" for k, v in row.point.items() if k != "resolution") or "-"


def _published_cells(fig, row, metrics) -> list:
    """Published values as written, each with Δ = ours / published − 1."""
    cells = []
    for m in metrics:
        if m not in fig.values:
            cells.append("")
            continue
        ours, pub = row.totals[m], fig.values[m]
        delta = f" (Δ {float(ours / pub - 1) * 100:+.2f}%)" if pub else ""
        cells.append(_short(pub) + delta)
    return cells + [f"{fig.source} [{fig.convention}]"]


def _short(v) -> str:
    """A published number in K/M/G with its own digits: 3.4e6 → 3.4M, 300e6 → 300M; an exact
    count (more than 4 significant digits, e.g. torchvision's num_params) in full."""
    digits = str(v).rstrip("0") if isinstance(v, int) else ""
    if len(digits.lstrip("-")) > 4:
        return f"{v:,}"
    for scale, unit in ((10 ** 9, "G"), (10 ** 6, "M"), (10 ** 3, "K")):
        if abs(v) >= scale:
            return f"{float(v) / scale:.6g}{unit}"
    return f"{float(v):.6g}"


def _table(rows) -> tuple:
    from costmodel.design.compare import intensity, published_metrics
    from costmodel.report.values import human
    pub = published_metrics(rows)
    head = ["network", "resolution", "symbols", "params", "madds", "mem_access",
            "madds/elem"] + [f"published {m}" for m in pub] + (["source"] if pub else [])
    body = []
    for r in rows:
        ours = [r.name, r.resolution, _point_text(r)] + [human(r.totals[m]) for m in
                                                       ("params", "madds", "mem_access")]
        ours.append(f"{float(intensity(r)):.2f}" if intensity(r) is not None else "-")
        figs = [_published_cells(f, r, pub) for f in r.published] or [[""] * (len(pub) + 1)]
        body.append(ours + (figs[0] if pub else []))
        body += [[""] * len(ours) + f for f in figs[1:]]
    return head, body, bool(pub)


def _text(rows, out) -> None:
    head, body, pub = _table(rows)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    for r in [head] + body:
        cells = [c.ljust(w) if i < 3 or i == len(head) - 1 and pub else c.rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        out.write("  ".join(cells).rstrip() + "\n")
    if pub:
        out.write("\nΔ: ours relative to the published figure; [convention] of the source\n")


def _markdown(rows, out) -> None:
    head, body, pub = _table(rows)
    out.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
    for r in body:
        out.write("| " + " | ".join(r) + " |\n")
    if pub:
        out.write("\nΔ: ours relative to the published figure; [convention] of the source\n")


def _csv(rows, out) -> None:
    import csv
    from costmodel.report.values import exact
    w = csv.writer(out, lineterminator="\n")
    metrics = ("params", "madds", "flops", "mem_access")
    w.writerow(("row", "network", "spec", "resolution", "symbols") + metrics
               + ("source", "convention"))
    for r in rows:
        w.writerow(("ours", r.name, r.spec, r.resolution, _point_text(r))
                   + tuple(exact(r.totals[m]) for m in metrics)
                   + ("costmodel", "madds = conv + fc"))
        for f in r.published:
            w.writerow(("published", r.name, r.spec, r.resolution, _point_text(r))
                       + tuple(exact(f.values[m]) if m in f.values else "" for m in metrics)
                       + (f.source, f.convention))


def _json(rows, out) -> None:
    import json
    from costmodel.report.values import exact
    doc = [{"network": r.name, "spec": r.spec, "resolution": r.resolution,
            "symbols": {k: exact(v) for k, v in r.point.items()},
            "totals": {k: exact(v) for k, v in r.totals.items()},
            "published": [{"values": {m: exact(v) for m, v in f.values.items()},
                           "source": f.source, "convention": f.convention}
                          for f in r.published]} for r in rows]
    json.dump(doc, out, indent=1)
    out.write("\n")
