"""costmodel calibrate --device NAME|FILE --measurements FILE.yaml: fit a device profile."""
from __future__ import annotations

NAME = "calibrate"
HELP = ("fit a device profile's rates (peak, bandwidth, overhead, grouped efficiency) to "
        "measured timings by non-negative least squares; report the fit error")
ORDER = 45


def add_arguments(p) -> None:
    p.add_argument("--device", required=True, metavar="NAME|FILE",
                   help="the prior profile: shipped name or profile file")
    p.add_argument("--measurements", required=True, action="append", metavar="FILE",
                   help="measurement file (YAML, see costmodel/measurements.py); repeatable")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write the fitted profile here (default: print it)")
    p.add_argument("--name", help="name of the fitted profile (default: the prior's)")


def run(args, out) -> int:
    from costmodel import calibrate as cal, measurements as ms, profile
    prior = profile.load(args.device)
    points, sources = [], []
    cache: dict = {}
    for path in args.measurements:
        source, rows = ms.load(path)
        sources.append(source or path)
        points += [cal.Point(m.label, ms.analyse(m, cache), m.batch, m.seconds) for m in rows]
    if not points:
        from costmodel.errors import UsageError
        raise UsageError("the measurement files hold no measurements to fit")
    fit = cal.fit(points, prior)
    fitted = annotate(fit, prior, args.measurements, args.name)
    write_report(fit, prior, points, out)
    text = profile.dump(fitted)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        out.write(f"\nwrote {args.output}\n")
    else:
        out.write("\n" + text)
    return 0


def annotate(fit, prior, files: list, name: str | None):
    """The fitted profile with its sources and a calibration record (prior values kept)."""
    from costmodel.profile import _g
    p = fit.profile
    where = ", ".join(files)
    note = (f"fitted by costmodel calibrate on {where} ({len(fit.errors)} points, median "
            f"|relative error| {fit.median_abs_rel_error:.1%})")
    sources = dict(prior.sources)
    names = {"s_per_madd": ["peak_madds_per_s"], "s_per_byte": ["bandwidth_bytes_per_s"],
             "s_per_op": ["overhead_s"], "s_per_grouped_madd": ["efficiency.grouped"],
             "s_per_depthwise_madd": ["efficiency.depthwise"],
             "s_per_cache_byte": ["cache_bandwidth_bytes_per_s"]}
    for param in fit.fitted:
        for field in names[param]:
            sources[field] = f"{note}; prior: {prior.sources.get(field, '-')}"
    for param in fit.tied:
        for field in names[param]:
            if field == "efficiency.depthwise" and "s_per_grouped_madd" in fit.fitted:
                sources[field] = ("no depthwise conv in the measurements: set equal to the "
                                  "fitted grouped efficiency (depthwise = group conv, g = c)")
    prior_values = {k: _g(getattr(prior, k)) for k in
                    ("peak_madds_per_s", "bandwidth_bytes_per_s", "overhead_s")}
    prior_values["efficiency"] = {k: _g(v) for k, v in prior.efficiency.items()}
    calibration = {"measurements": list(files), "points": len(fit.errors),
                   "median_abs_rel_error": _g(fit.median_abs_rel_error),
                   "max_abs_rel_error": _g(fit.max_abs_rel_error),
                   "fitted": list(fit.fitted), "tied": list(fit.tied),
                   "rounds": fit.rounds, "prior": prior_values}
    return p.with_values(name=name or p.name, sources=sources, calibration=calibration)


def write_report(fit, prior, points, out) -> None:
    p = fit.profile
    out.write(f"calibrated {prior.name} on {len(points)} measurements "
              f"(relative least squares, v >= 0; {fit.rounds} bound-assignment rounds)\n")
    out.write(f"  fitted: {', '.join(fit.fitted)}; tied: {', '.join(fit.tied) or '-'}\n\n")
    rows = [("parameter", "prior", "fitted")]
    for k, unit in (("peak_madds_per_s", "madds/s"), ("bandwidth_bytes_per_s", "B/s"),
                    ("overhead_s", "s")):
        rows.append((k, f"{getattr(prior, k):.4g}", f"{getattr(p, k):.4g}"))
    for k in ("grouped", "depthwise"):
        rows.append((f"efficiency.{k}", f"{prior.efficiency[k]:.3g}", f"{p.efficiency[k]:.3g}"))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        out.write("  " + r[0].ljust(w[0]) + "  " + r[1].rjust(w[1]) + "  " + r[2].rjust(w[2]) + "\n")
    out.write(f"\nfit error: median |relative error| {fit.median_abs_rel_error:.1%}, "
              f"max {fit.max_abs_rel_error:.1%}\n")
    lw = max(len(pt.label) for pt in points)
    out.write(f"  {'measurement'.ljust(lw)}  {'measured_s':>11}  {'predicted_s':>11}  rel_err\n")
    for pt, pred, e in zip(points, fit.predicted, fit.errors):
        out.write(f"  {pt.label.ljust(lw)}  {pt.seconds:11.4g}  {pred:11.4g}  {e:+7.1%}\n")
