"""Throughput of `costmodel sweep`: MobileNetV2 over 1,000,000 (alpha, resolution) points.

    python3 benchmarks/sweep.py            # prints a table; --repeat N, --spec PATH

Three grids of 1000 × 1000 points, all four metrics (params, madds, flops, mem_access):
  multiples   alpha = 0.25 .. 1.49875 step 0.00125, resolution = 32 .. 32000 step 32
              (resolution a multiple of the total stride: the floors simplify away)
  integers    the same alphas, resolution = 100 .. 1099 step 1 (floors evaluated exactly)
  coarse      alpha = 0.05 .. 50 step 0.05, resolution = 32 .. 32000 step 32
Phases: `compile` (symbolic analysis, integerisation, lambdify), `evaluate` (numpy), `csv`
(formatting every row as `sweep --format csv` does, written to an in-memory sink). Each phase
is the best of --repeat runs. 200 random points of each grid are checked against the numeric
engine (`report --set`), so a fast wrong answer cannot pass unnoticed.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from costmodel.analysis import analyse, load_spec  # noqa: E402
from costmodel.commands.sweep import write_csv  # noqa: E402
from costmodel.design import sweep as sw  # noqa: E402
from costmodel.design.grid import parse_grid  # noqa: E402

GRIDS = {
    "multiples": ["alpha=0.25:1.49875:0.00125", "resolution=32:32000:32"],
    "integers": ["alpha=0.25:1.49875:0.00125", "resolution=100:1099:1"],
    "coarse": ["alpha=0.05:50:0.05", "resolution=32:32000:32"],
}
METRICS = ["params", "madds", "flops", "mem_access"]


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def check(net, result, samples: int = 200) -> int:
    """Compare random grid points with the numeric engine; returns the number checked."""
    rng = random.Random(6)
    names = [n for n, _ in result.axes]
    idx = result.index_arrays()
    for j in rng.sample(range(result.size), samples):
        point = {n: result.axes[k][1][idx[k][j]] for k, n in enumerate(names)}
        totals = analyse(net, point).totals
        for m in METRICS:
            if int(result.metrics[m][j]) != getattr(totals, m):
                raise SystemExit(f"MISMATCH at {point}: {m} {result.metrics[m][j]} "
                                 f"!= {getattr(totals, m)}")
    return samples


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--spec", default=os.path.join(ROOT, "specs", "mobilenet_v2.yaml"))
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    net = load_spec(args.spec)
    print(f"{net.name}: {args.spec}; python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    print(f"{'grid':<10} {'points':>10} {'compile s':>10} {'sweep s':>9} {'points/s':>12} "
          f"{'csv s':>7} {'csv rows/s':>11}  checked")
    for name, sets in GRIDS.items():
        grid = parse_grid(sets)
        t_compile, _ = best(lambda: sw._Compiled(net, grid, METRICS, list(grid), {}), args.repeat)
        t_sweep, result = best(lambda: sw.sweep(net, grid, METRICS), args.repeat)
        t_csv, _ = best(lambda: write_csv(result, io.StringIO(), net, args.spec), args.repeat)
        checked = check(net, result)
        print(f"{name:<10} {result.size:>10,} {t_compile:>10.3f} {t_sweep:>9.3f} "
              f"{result.size / t_sweep:>12,.0f} {t_csv:>7.2f} "
              f"{result.size / t_csv:>11,.0f}  {checked} ok")
    print("sweep s includes compile; points/s = points / sweep s (all four metrics, exact ints)")


if __name__ == "__main__":
    main()
