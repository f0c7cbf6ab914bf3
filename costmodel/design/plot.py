"""The pictures of `compare --plot` (matplotlib, an optional extra: `pip install costmodel[plot]`).

Three panels in one figure:
1. madds vs params, one point per network (hollow markers: published figures, where a source
   gives both);
2. madds vs mem_access, the "FLOPs are not speed" view (ShuffleNet V2, Sec. 2): dashed lines
   of constant arithmetic intensity madds / mem_access = I (multiply-adds per element moved);
   networks below a line move more memory per multiply-add;
3. per-layer bars of madds and mem_access along the depth of one network, in execution order.
SVG keeps its text as text (svg.fonttype none), so labels are searchable and testable.
"""
from __future__ import annotations

import math

AXIS_PARAMS = "params"
AXIS_MADDS = "madds (multiply-adds)"
AXIS_MEM = "mem_access (elements)"
AXIS_LAYER = "layer (execution order)"
AXIS_PER_LAYER = "madds, mem_access per layer"


def matplotlib_missing() -> str:
    """'' when matplotlib imports, else how to install it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return ("--plot needs matplotlib, an optional extra: pip install 'costmodel[plot]' "
                "(or: pip install matplotlib)")
    return ""


def draw(rows: list, path: str, layers_of) -> None:
    """Write the three-panel figure for `rows` to `path` (format from the extension)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["svg.hashsalt"] = "costmodel"       # stable ids: same input, same file
    fig = plt.figure(figsize=(14, 10), layout="constrained")
    grid = fig.add_gridspec(2, 2)
    _params_panel(fig.add_subplot(grid[0, 0]), rows)
    _memory_panel(fig.add_subplot(grid[0, 1]), rows)
    _layers_panel(fig.add_subplot(grid[1, :]), layers_of)
    fig.savefig(path, dpi=100, metadata=_metadata(path))
    plt.close(fig)


def _metadata(path: str) -> dict:
    if path.lower().endswith(".svg"):
        return {"Date": None, "Creator": "costmodel compare --plot"}
    if path.lower().endswith(".png"):
        return {"Software": "costmodel compare --plot"}
    return {"Creator": "costmodel compare --plot", "CreationDate": None}


def _scatter(ax, xs, ys, names) -> None:
    ax.scatter(xs, ys, s=40, zorder=3, label="costmodel (exact)")
    for x, y, n in zip(xs, ys, names):
        ax.annotate(n, (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
    for values, axis in ((xs, "x"), (ys, "y")):
        if len(values) > 1 and max(values) > 10 * min(values):
            getattr(ax, f"set_{axis}scale")("log")
            getattr(ax, f"set_{axis}lim")(min(values) / 2, max(values) * 2)
        else:
            getattr(ax, f"set_{axis}lim")(0, max(values) * 1.25)


def _params_panel(ax, rows) -> None:
    _scatter(ax, [float(r.totals["params"]) for r in rows],
             [float(r.totals["madds"]) for r in rows], [r.name for r in rows])
    pub = [(float(f.values["params"]), float(f.values["madds"])) for r in rows
           for f in r.published if "params" in f.values and "madds" in f.values]
    if pub:
        ax.scatter(*zip(*pub), s=60, facecolors="none", edgecolors="C3", zorder=2,
                   label="published")
    ax.set_xlabel(AXIS_PARAMS)
    ax.set_ylabel(AXIS_MADDS)
    ax.set_title("madds vs params")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)


def _memory_panel(ax, rows) -> None:
    xs = [float(r.totals["mem_access"]) for r in rows]
    ys = [float(r.totals["madds"]) for r in rows]
    _scatter(ax, xs, ys, [r.name for r in rows])
    ax.set_xscale("log")
    ax.set_yscale("log")
    lo, hi = min(xs) / 3, max(xs) * 3
    bottom, top = min(ys) / 3, max(ys) * 3
    ratios = [y / x for x, y in zip(xs, ys) if x]
    first = math.floor(math.log10(min(ratios))) if ratios else 0
    last = math.ceil(math.log10(max(ratios))) if ratios else 1
    for e in range(first, last + 1):
        intensity = 10 ** e
        ax.plot([lo, hi], [lo * intensity, hi * intensity], "--", color="grey", lw=0.8, zorder=1)
        x = min(hi, top / intensity) / 1.15         # just inside where the line leaves the box
        ax.annotate(f"{intensity:g} madds/element", (x, x * intensity), fontsize=7,
                    color="grey", ha="right", va="top", rotation=30)
    ax.set_xlim(lo, hi)
    ax.set_ylim(bottom, top)
    ax.set_xlabel(AXIS_MEM)
    ax.set_ylabel(AXIS_MADDS)
    ax.set_title("madds vs mem_access (dashed: arithmetic intensity)")
    ax.grid(True, which="both", alpha=0.3)


def _layers_panel(ax, row) -> None:
    layers = [(r.path, float(r.cost.madds), float(r.cost.mem_access))
              for r in row.analysis.rows if r.leaf and (r.cost.madds or r.cost.mem_access)]
    xs = range(len(layers))
    ax.bar([x - 0.2 for x in xs], [m for _, m, _ in layers], width=0.4, label="madds")
    ax.bar([x + 0.2 for x in xs], [a for _, _, a in layers], width=0.4, label="mem_access")
    ax.set_yscale("log")
    step = max(1, len(layers) // 60)
    ax.set_xticks(list(xs)[::step])
    ax.set_xticklabels([p for p, _, _ in layers][::step], rotation=90, fontsize=6)
    ax.set_xlim(-1, len(layers))
    ax.set_xlabel(AXIS_LAYER)
    ax.set_ylabel(AXIS_PER_LAYER)
    ax.set_title(f"per-layer madds and mem_access along the depth of {row.name} ({row.spec})")
    ax.legend(fontsize=8)
