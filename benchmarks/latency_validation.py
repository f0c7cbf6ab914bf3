"""Validate the roofline latency model against the ShuffleNet V2 paper's measured speeds.

    python3 benchmarks/latency_validation.py                 # regenerate docs/latency.md
    python3 benchmarks/latency_validation.py --write-profiles   # also refit the shipped
                                                             # costmodel/devices/*.yaml
    python3 benchmarks/latency_validation.py --spec-dir ../zoo/specs   # look for more specs

For each platform (GTX 1080Ti, Snapdragon 810):
  1. calibrate the datasheet prior (docs/data/device_priors/) on the controlled experiments
     only (Tables 1-4: docs/data/shufflenet_v2_controlled_*.yaml), for our model and for a
     madds-only model (time = s · madds · batch) fitted the same way;
  2. predict the held-out whole-network speeds (Table 8 and Appendix Table 1:
     docs/data/shufflenet_v2_networks_*.yaml) of every network we have a spec for; rows
     whose spec file or symbol is missing are listed as skipped;
  3. report Spearman rank correlation and median |relative error| of time per forward pass.
The generated part of docs/latency.md (between the `generated` markers) is rewritten;
docs/latency_validation.png is drawn when matplotlib is installed (pip install '.[plot]').
"""
from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from costmodel import calibrate as cal, measurements as ms, memory, profile  # noqa: E402
from costmodel.analysis import analyse, load_spec  # noqa: E402
from costmodel.commands.calibrate import annotate  # noqa: E402
from costmodel.errors import CostModelError  # noqa: E402

DEVICES = (("gtx1080ti", "GPU: GTX 1080Ti"), ("snapdragon810", "ARM: Snapdragon 810"))
DATA = os.path.join(ROOT, "docs", "data")
DOC = os.path.join(ROOT, "docs", "latency.md")
PLOT = os.path.join(ROOT, "docs", "latency_validation.png")
START, END = "<!-- generated:start -->", "<!-- generated:end -->"


def rel(path: str) -> str:
    return os.path.relpath(path, ROOT)


def points(path: str, spec_dirs: list) -> tuple:
    """(points, skipped) of a measurement file; a missing spec is looked up in spec_dirs."""
    _, rows = ms.load(path)
    cache, pts, skipped = {}, [], []
    for m in rows:
        if not os.path.exists(m.spec):
            alt = [os.path.join(d, os.path.basename(m.spec)) for d in spec_dirs]
            found = [a for a in alt if os.path.exists(a)]
            if not found:
                skipped.append((m.label, f"no spec {rel(m.spec)}"))
                continue
            m.spec = found[0]
        try:
            pts.append(cal.Point(m.label, ms.analyse(m, cache), m.batch, m.seconds))
        except CostModelError as e:
            skipped.append((m.label, str(e).split(": error: ")[-1]))
    return pts, skipped


def metrics(pred: list, pts: list) -> dict:
    if len(pts) < 2:
        return {"n": len(pts), "spearman": float("nan"), "median": float("nan")}
    errs = cal.rel_errors(pred, pts)
    return {"n": len(pts), "spearman": cal.spearman(pred, [p.seconds for p in pts]),
            "median": cal.median([abs(e) for e in errs])}


def validate(dev: str, spec_dirs: list, write_profiles: bool) -> dict:
    prior = profile.load(os.path.join(DATA, "device_priors", f"{dev}.yaml"))
    controlled = os.path.join(DATA, f"shufflenet_v2_controlled_{dev}.yaml")
    cpts, _ = points(controlled, spec_dirs)
    fit = cal.fit(cpts, prior)
    fitted = annotate(fit, prior, [rel(controlled)], None)
    if write_profiles:
        with open(os.path.join(ROOT, "costmodel", "devices", f"{dev}.yaml"), "w") as f:
            f.write(profile.dump(fitted))
    s_madd, pred_m_cal = cal.fit_madds_only(cpts)
    hpts, skipped = points(os.path.join(DATA, f"shufflenet_v2_networks_{dev}.yaml"), spec_dirs)
    ours = cal.predict(hpts, fitted)
    madds = [s_madd * float(p.analysis.totals.madds) * p.batch for p in hpts]
    subsets = {}
    for name, prefix in (("all", ""), ("Table 8", "T8"), ("Appendix Table 1", "A1")):
        idx = [i for i, p in enumerate(hpts) if p.label.startswith(prefix)]
        sub = [hpts[i] for i in idx]
        subsets[name] = ({"ours": metrics([ours[i] for i in idx], sub),
                          "madds": metrics([madds[i] for i in idx], sub)})
    cal_m = [abs(e) for e in cal.rel_errors(pred_m_cal, cpts)]
    return {"dev": dev, "prior": prior, "fit": fit, "profile": fitted, "s_madd": s_madd,
            "held": hpts, "ours": ours, "madds": madds, "skipped": skipped,
            "subsets": subsets, "cal_madds_median": cal.median(cal_m), "cal_points": len(cpts)}


def fmt(x: float, spec: str = ".3f") -> str:
    return "–" if x != x else format(x, spec)


def validation_table(results: list) -> list:
    out = ["| platform | test rows | n | Spearman, ours | Spearman, madds-only | median rel. "
           "error, ours | median rel. error, madds-only |", "|---|---|---|---|---|---|---|"]
    for r, (_, title) in zip(results, DEVICES):
        for name, m in r["subsets"].items():
            o, b = m["ours"], m["madds"]
            out.append(f"| {title} | {name} | {o['n']} | {fmt(o['spearman'])} | "
                       f"{fmt(b['spearman'])} | {fmt(o['median'], '.1%')} | "
                       f"{fmt(b['median'], '.1%')} |")
    return out


def profile_table(results: list) -> list:
    out = ["| parameter | " + " | ".join(f"{d} prior | {d} fitted" for d, _ in DEVICES) + " |",
           "|---|" + "---|---|" * len(DEVICES)]
    rows = [("peak_madds_per_s", "{:.3g}"), ("bandwidth_bytes_per_s", "{:.3g}"),
            ("overhead_s", "{:.3g}")]
    for k, f in rows:
        cells = []
        for r in results:
            cells += [f.format(getattr(r["prior"], k)), f.format(getattr(r["profile"], k))]
        out.append(f"| {k} | " + " | ".join(cells) + " |")
    for k in ("grouped", "depthwise"):
        cells = []
        for r in results:
            cells += [f"{r['prior'].efficiency[k]:.3g}", f"{r['profile'].efficiency[k]:.3g}"]
        out.append(f"| efficiency.{k} | " + " | ".join(cells) + " |")
    cells = []
    for r in results:
        cells += ["", f"{r['fit'].median_abs_rel_error:.1%} (max {r['fit'].max_abs_rel_error:.0%})"]
    out.append("| calibration fit, median rel. error (51 points) | " + " | ".join(cells) + " |")
    cells = []
    for r in results:
        cells += ["", f"{r['cal_madds_median']:.1%}"]
    out.append("| madds-only on the same 51 points | " + " | ".join(cells) + " |")
    return out


def rows_table(r: dict) -> list:
    out = ["| network (paper label) | measured ms | ours ms | error | madds-only ms | error |",
           "|---|---|---|---|---|---|"]
    for p, o, m in zip(r["held"], r["ours"], r["madds"]):
        out.append(f"| {p.label} (batch {p.batch}) | {p.seconds * 1e3:.3g} | {o * 1e3:.3g} | "
                   f"{(o - p.seconds) / p.seconds:+.0%} | {m * 1e3:.3g} | "
                   f"{(m - p.seconds) / p.seconds:+.0%} |")
    return out


def memory_table(spec_dirs: list) -> list:
    """MobileNetV2 paper Table 3 (16-bit activations) against our memory walks."""
    cases = [("MobileNetV1 1.0", "mobilenet_v1.yaml", {}, "1600K", "800K"),
             ("MobileNetV2 1.0", "mobilenet_v2.yaml", {}, "400K", "200K"),
             ("ShuffleNet 2x g=3", "shufflenet_v1_g3.yaml", {"alpha": 2}, "600K", "600K")]
    out = ["| network | paper, early revision | paper, later revision | largest materialised "
           "tensor, channel-streamed | peak live, channel-streamed | peak live, sequential |",
           "|---|---|---|---|---|---|"]
    for name, spec, values, early, late in cases:
        path = next((p for p in [os.path.join(ROOT, "specs", spec)] +
                     [os.path.join(d, spec) for d in spec_dirs] if os.path.exists(p)), None)
        if path is None:
            out.append(f"| {name} | {early} | {late} | no spec yet (specs/{spec}) | | |")
            continue
        try:
            a = analyse(load_spec(path), values)
        except CostModelError as e:
            out.append(f"| {name} | {early} | {late} | {str(e).split(': error: ')[-1]} | | |")
            continue
        st = memory.peak(a, 2, streamed=True)
        sq = memory.peak(a, 2)
        out.append(f"| {name} | {early} | {late} | {st.largest_tensor_bytes:,} B "
                   f"({st.largest_tensor_path}) | {st.bytes:,} B ({st.path}) | "
                   f"{sq.bytes:,} B ({sq.path}) |")
    return out


def plot(results: list) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(1, len(results), figsize=(11, 4.8))
    for ax, r, (_, title) in zip(axes, results, DEVICES):
        meas = [p.seconds * 1e3 for p in r["held"]]
        if not meas:
            continue
        ax.scatter(meas, [o * 1e3 for o in r["ours"]], label="roofline (ours)", marker="o")
        ax.scatter(meas, [m * 1e3 for m in r["madds"]], label="madds-only", marker="x")
        lo = min(meas + [o * 1e3 for o in r["ours"]] + [m * 1e3 for m in r["madds"]]) / 1.5
        hi = max(meas + [o * 1e3 for o in r["ours"]] + [m * 1e3 for m in r["madds"]]) * 1.5
        ax.plot([lo, hi], [lo, hi], color="gray", lw=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("measured ms per forward pass (ShuffleNet V2 paper)")
        ax.set_ylabel("predicted ms")
        ax.set_title(f"{title}: held-out networks (n={len(meas)})")
        ax.legend()
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)
    return True


def generated(results: list, spec_dirs: list, plotted: bool) -> str:
    lines = ["", "_Generated by `python3 benchmarks/latency_validation.py`; do not edit between "
             "the markers._", "", "### Held-out validation", ""]
    lines += validation_table(results)
    lines += ["", "Spearman: rank correlation of predicted and measured time per forward pass. "
              "Median rel. error: median of |predicted − measured| / measured.", ""]
    if plotted:
        lines += [f"![predicted vs measured]({os.path.basename(PLOT)})", ""]
    else:
        lines += ["(No plot: matplotlib is not installed; `pip install '.[plot]'` and rerun.)", ""]
    lines += ["### Fitted profiles (calibrated on Tables 1-4 only)", ""]
    lines += profile_table(results)
    for r, (_, title) in zip(results, DEVICES):
        lines += ["", f"### {title}: every held-out row", ""]
        lines += rows_table(r)
        if r["skipped"]:
            lines += ["", f"Skipped ({len(r['skipped'])} rows: spec not in specs/ yet, or symbol "
                      "names differ from our guess in the data file):", ""]
            reasons: dict = {}
            for label, why in r["skipped"]:
                reasons.setdefault(why, []).append(label)
            for why, labels in reasons.items():
                lines.append(f"- {why}: {len(labels)} rows ({labels[0]}, ...)")
    lines += ["", "### Peak activation memory against MobileNetV2 Table 3 (16-bit)", ""]
    lines += memory_table(spec_dirs)
    return "\n".join(lines) + "\n"


def write_doc(text: str) -> None:
    with open(DOC, encoding="utf-8") as f:
        doc = f.read()
    if START not in doc or END not in doc:
        raise SystemExit(f"{rel(DOC)} has no {START} ... {END} section")
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(head + START + "\n" + text + END + tail)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec-dir", action="append", default=[],
                    help="another folder to look for held-out specs (repeatable)")
    ap.add_argument("--write-profiles", action="store_true",
                    help="write the fitted profiles to costmodel/devices/")
    ap.add_argument("--no-doc", action="store_true", help="print only; leave docs/ alone")
    args = ap.parse_args(argv)
    results = [validate(dev, args.spec_dir, args.write_profiles) for dev, _ in DEVICES]
    for line in validation_table(results):
        print(line)
    if not args.no_doc:
        plotted = plot(results)
        write_doc(generated(results, args.spec_dir, plotted))
        print(f"wrote {rel(DOC)}" + (f" and {rel(PLOT)}" if plotted else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
