"""costmodel latency SPEC --device NAME|FILE: a roofline estimate of one forward pass."""
from __future__ import annotations

import json

from costmodel.commands import _options as opt

NAME = "latency"
HELP = ("estimated latency on a device (roofline: max(compute, memory) + overhead per layer), "
        "per layer, per block and total, with peak activation memory")
ORDER = 40


def add_arguments(p) -> None:
    p.add_argument("spec", help="network spec (YAML)")
    p.add_argument("--device", required=True, metavar="NAME|FILE",
                   help="shipped device profile name (gtx1080ti, snapdragon810, laptop-cpu) "
                        "or a profile YAML file")
    p.add_argument("--batch", type=int, default=None, metavar="N",
                   help="images per forward pass (default: the profile's batch)")
    opt.add_set(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--depth", type=int, default=None, metavar="N",
                   help="text: show N path levels (deeper layers fold into their block)")


def run(args, out) -> int:
    from costmodel import memory, profile
    from costmodel.analysis import analyse, load_spec
    from costmodel.errors import UsageError
    from costmodel.latency import estimate
    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be at least 1")
    prof = profile.load(args.device)
    a = analyse(load_spec(args.spec), opt.parse_sets(args.set))
    est = estimate(a, prof, args.batch)
    mem = memory.peak(a, int(prof.bytes_per_element), est.batch, prof.fused)
    if args.format == "json":
        json.dump(document(a, est, mem, args.spec), out, indent=1)
        out.write("\n")
    else:
        render_text(a, est, mem, args.spec, args.depth, out)
    return 0


def document(a, est, mem, spec_path: str) -> dict:
    """The JSON object: device, batch, totals (latency_s, shares, peak memory), layers, groups."""
    p = est.profile
    return {
        "name": a.graph.network.name, "spec": spec_path,
        "symbols": {k: _plain(v) for k, v in a.symbols.shown.items()},
        "device": {"name": p.name, "file": p.file, "peak_madds_per_s": p.peak_madds_per_s,
                   "bandwidth_bytes_per_s": p.bandwidth_bytes_per_s, "overhead_s": p.overhead_s,
                   "bytes_per_element": p.bytes_per_element, "efficiency": p.efficiency,
                   "fused": list(p.fused)},
        "batch": est.batch,
        "totals": {"latency_s": est.latency_s,
                   "images_per_s": est.batch / est.latency_s if est.latency_s else None,
                   "share": est.share(),
                   "operators": sum(1 for l in est.layers if l.category not in ("fused", "free")),
                   "compute_bound": sum(1 for l in est.layers if l.bound == "compute"),
                   "memory_bound": sum(1 for l in est.layers if l.bound == "memory"),
                   "peak_activation_bytes": mem.bytes, "peak_at": mem.path},
        "layers": [{"path": l.path, "kind": l.kind, "category": l.category, "madds": l.madds,
                    "bytes": l.bytes, "intensity": l.intensity, "bound": l.bound,
                    "compute_s": l.compute_s, "memory_s": l.memory_s,
                    "overhead_s": l.overhead_s, "time_s": l.time_s} for l in est.layers],
        "groups": [{"path": path, "block": label, "time_s": t}
                   for path, label, _, t in est.groups],
    }


def _plain(v):
    from costmodel.report.values import exact
    return exact(v)


def _us(s: float) -> str:
    return f"{s * 1e6:,.1f}"


def render_text(a, est, mem, spec_path: str, depth, out) -> None:
    p, total = est.profile, est.latency_s or 1.0
    values = ", ".join(f"{k}={v}" for k, v in a.symbols.shown.items()) or "(none)"
    out.write(f"{a.graph.network.name} — {spec_path}\nsymbols: {values}\n")
    out.write(f"device: {p.name} ({p.description or p.file}); batch {est.batch}\n\n")
    rows = [("path", "kind", "madds", "bytes", "madds/B", "bound", "time_us", "share")]
    starts = {}
    for g, (path, label, level, t) in zip(a.graph.groups, est.groups):
        starts.setdefault(g.start, []).append((path, label, level, t, g))
    from costmodel.report.values import human
    for i, l in enumerate(est.layers):
        for path, label, level, t, g in starts.get(i, ()):
            if depth is None or level < depth:
                rows.append((path, f"[{label}]", "", "", "", "", _us(t), f"{t / total:.1%}"))
        if depth is not None and l.path.count("/") >= depth:
            continue
        rows.append((l.path, l.kind, human(int(l.madds)), human(int(l.bytes)),
                     f"{l.intensity:.2f}" if l.intensity is not None and l.category not in
                     ("fused", "free") else "-", l.bound,
                     _us(l.time_s), f"{l.time_s / total:.1%}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        left = [r[i].ljust(widths[i]) for i in range(2)]
        right = [r[i].rjust(widths[i]) for i in range(2, len(r))]
        out.write("  ".join(left + right).rstrip() + "\n")
    share = est.share()
    ridge = p.peak_madds_per_s / p.bandwidth_bytes_per_s
    out.write("\ntotals\n")
    out.write(f"  latency          {est.latency_s * 1e3:,.3f} ms per batch of {est.batch} "
              f"({est.batch / total:,.1f} images/s)\n")
    out.write("  time share       " + ", ".join(f"{k} {v:.1%}" for k, v in share.items()) + "\n")
    out.write(f"  bound            {sum(1 for l in est.layers if l.bound == 'compute')} compute, "
              f"{sum(1 for l in est.layers if l.bound == 'memory')} memory "
              f"(ridge point {ridge:.2f} madds/byte for dense conv)\n")
    out.write(f"  peak activations {mem.bytes:,} bytes at {mem.path} "
              f"({int(p.bytes_per_element)} bytes/element, batch {est.batch})\n")
