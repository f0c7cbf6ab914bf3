#!/usr/bin/env python3
"""costmodel benchmarks: cold start, warm engine, symbolic, sweep and peers, side by side.

One command, from the repository root (prints the report; --write also saves it as
benchmarks/RESULTS.md):

    python3 benchmarks/run.py --write --peer-python /tmp/refenv-tv/bin/python

Without --peer-python the peers section is skipped (it needs an interpreter with torch,
torchvision and at least one of ptflops, fvcore, thop; torch's own FlopCounterMode is always
tried there). `--quick` runs fewer rounds and stops the synthetic series at 10,000 layers, to
check that the script works; its figures are not the ones to quote.

Method. These machines are noisy, so every figure is a median over several runs with its
spread (min–max), and every comparison is a ratio of runs made side by side in the same
round (the commands of one round run back to back in shuffled order; the ratio is taken per
round, then its median). Absolute times are given for information.

Sections:
 1. cold start — fresh processes: `python -m costmodel report specs/mobilenet_v2.yaml`
    against `python -c "import yaml"` (the floor) and `python -c "import sympy, yaml, numpy"`.
    Bytecode is cached for everyone (PYTHONPYCACHEPREFIX in a temporary directory, after a
    warm-up run), as after a normal install; when the inherited environment forbids bytecode
    caching (PYTHONDONTWRITEBYTECODE) a second table shows that case too. `-X importtime`
    checks that the numeric path imports neither sympy nor numpy.
 2. warm engine — in one process, imports done: parse, validate, build (expand + propagate
    shapes) and evaluate (per-layer cost + totals) for every spec in specs/; then synthetic
    specs of 100 … 100,000 layers (a repeated 10-layer block) and flat specs of 1,000 …
    50,000 layers written out one by one, each size in fresh processes so that peak RSS is
    the network's own.
 3. symbolic — MobileNetV2's madds as a closed form in (alpha, resolution) and in resolution
    alone; evaluating it exactly (subs) and as floats (lambdify), checked against the numeric
    engine at every point.
 4. sweep — `costmodel sweep` over a 1,000 × 1,000 (alpha, resolution) grid, when the command
    exists (otherwise "skipped: sweep not available"); a sample of rows is checked against
    the numeric engine.
 5. peers — cold-process time for MobileNetV2's count from ptflops, fvcore, thop and torch's
    FlopCounterMode against ours, and for 100 resolutions in one process.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)                    # the costmodel of this checkout, not an installed one
SPECS = os.path.join(ROOT, "specs")
MOBILENET = "specs/mobilenet_v2.yaml"
PY = sys.executable
SYNTH_SIZES = (100, 1_000, 10_000, 100_000)
SYNTH_BLOCK_LAYERS = 10
PEER_RESOLUTIONS = list(range(96, 296, 2))          # 100 resolutions, 96 … 294
SWEEP_ALPHAS = [Fraction(250 + i, 1000) for i in range(1000)]     # 0.250 … 1.249
SWEEP_RESOLUTIONS = [32 * (i + 1) for i in range(1000)]            # 32 … 32,000
SYMBOLIC_POINTS = [(Fraction(a), r) for a in ("0.35", "0.5", "0.75", "1", "1.3", "1.4")
                   for r in (96, 128, 160, 192, 224)]


# ---------------------------------------------------------------------------- statistics
def med(xs: list) -> float:
    return statistics.median(xs)


def spread(xs: list, scale: float = 1.0, digits: int = 1, unit: str = "") -> str:
    """'median (min–max)' of xs × scale."""
    m, lo, hi = med(xs) * scale, min(xs) * scale, max(xs) * scale
    return f"{m:,.{digits}f}{unit} ({lo:,.{digits}f}–{hi:,.{digits}f})"


def ratio_text(xs: list) -> str:
    return f"**{med(xs):.2f}×** ({min(xs):.2f}–{max(xs):.2f})"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


# ---------------------------------------------------------------------------- processes
def cached_env(pycache: str) -> dict:
    """The environment of a normal install: bytecode cached (in a private prefix)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_timed(cmd: list, env: dict, stdout=subprocess.DEVNULL) -> float:
    """Wall seconds of one fresh process; raises if it fails."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip()[-800:]
        raise RuntimeError(f"{' '.join(cmd)[:200]} exited {p.returncode}: {err}")
    return wall


def peak_rss_mib(cmd: list, env: dict) -> float | None:
    """Peak RSS of a fresh process, by GNU time (a child's getrusage high-water mark would
    include the forking parent's memory, copied before exec); None without /usr/bin/time."""
    if not os.path.exists("/usr/bin/time"):
        return None
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return int(p.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return None


def rounds(commands: dict, env: dict, n: int, seed: int = 1, warm_up: bool = True,
           rss: bool = True) -> dict:
    """Run every command once per round, in shuffled order: name → wall times; then each
    command once more under GNU time for its peak RSS."""
    rng = random.Random(seed)
    times = {k: [] for k in commands}
    for name, cmd in commands.items():          # warm-up: caches bytecode, fills page cache
        if warm_up:
            run_timed(cmd, env)
    for _ in range(n):
        order = list(commands)
        rng.shuffle(order)
        for name in order:
            times[name].append(run_timed(commands[name], env))
    peaks = {k: peak_rss_mib(c, env) if rss else None for k, c in commands.items()}
    return {"times": times, "rss": peaks}


def per_round_ratio(times: dict, a: str, b: str) -> list:
    return [x / y for x, y in zip(times[a], times[b])]


def worker(name: str, *args, env: dict) -> dict:
    """Run `run.py --worker name args` in a fresh process; its last stdout line is JSON."""
    cmd = [PY, os.path.abspath(__file__), "--worker", name, *map(str, args)]
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"worker {name} {args} failed: {p.stderr.strip()[-1500:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- machine
def machine() -> dict:
    def read(path: str) -> str:
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return ""
    cpu = next((ln.split(":", 1)[1].strip() for ln in read("/proc/cpuinfo").splitlines()
                if ln.startswith("model name")), platform.processor() or "unknown")
    mem = next((ln.split()[1] for ln in read("/proc/meminfo").splitlines()
                if ln.startswith("MemTotal")), "0")
    versions = {}
    for dist in ("PyYAML", "sympy", "numpy"):     # metadata only: this process stays small
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    libyaml = subprocess.run([PY, "-c", "import yaml; print(yaml.__with_libyaml__)"],
                             capture_output=True, text=True).stdout.strip() == "True"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cpus": cpus, "memory_gib": round(int(mem) / 2**20, 1),
        "os": platform.platform(), "python": f"{platform.python_implementation()} "
        f"{platform.python_version()} ({PY})",
        "pyyaml": f"{versions['PyYAML']} (libyaml C loader: {'yes' if libyaml else 'no'})",
        "sympy": versions["sympy"], "numpy": versions["numpy"],
        "commit": commit + (" + uncommitted changes" if dirty else ""),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "bytecode_env": "PYTHONDONTWRITEBYTECODE=1" if os.environ.get("PYTHONDONTWRITEBYTECODE")
                        else "default",
    }


# ---------------------------------------------------------------------------- 1. cold start
COLD = {
    "python -c pass": [PY, "-c", "pass"],
    'python -c "import yaml"': [PY, "-c", "import yaml"],
    'python -c "import sympy, yaml, numpy"': [PY, "-c", "import sympy, yaml, numpy"],
    "costmodel report mobilenet_v2": [PY, "-m", "costmodel", "report", MOBILENET],
    "costmodel report mobilenet_v2 --symbolic resolution":
        [PY, "-m", "costmodel", "report", MOBILENET, "--symbolic", "resolution"],
}
REPORT, FLOOR, HEAVY = "costmodel report mobilenet_v2", 'python -c "import yaml"', \
    'python -c "import sympy, yaml, numpy"'


def site_packages() -> str:
    """The site-packages directories of PY (for running it with -S)."""
    p = subprocess.run([PY, "-c", "import os, site; print(os.pathsep.join(site.getsitepackages()"
                        " + [site.getusersitepackages()]))"], capture_output=True, text=True)
    return p.stdout.strip()


def cold_table(res: dict) -> list:
    t, r = res["times"], res["rss"]
    lines = ["| command | wall ms, median (min–max) | peak RSS MiB | ratio to `import yaml` |",
             "|---|---:|---:|---:|"]
    for name in t:
        rss = f"{r[name]:.1f}" if r[name] is not None else "n/a"
        lines.append(f"| `{name}` | {spread(t[name], 1e3)} | {rss} | "
                     f"{ratio_text(per_round_ratio(t, name, FLOOR))} |")
    return lines


def import_profile(env: dict, runs: int = 5) -> dict:
    """`-X importtime` of the numeric report (per-module median of `runs` runs): module
    count, whether sympy/numpy appear, self time by package, costmodel's slowest modules."""
    self_us: dict[str, list] = {}
    for _ in range(runs):
        p = subprocess.run([PY, "-X", "importtime", "-m", "costmodel", "report", MOBILENET],
                           cwd=ROOT, env=env, capture_output=True, text=True)
        for ln in p.stderr.splitlines():
            if ln.startswith("import time:") and "imported package" not in ln:
                own, _, name = ln.split(":", 1)[1].split("|")
                self_us.setdefault(name.strip(), []).append(int(own))
    rows = {name: med(v) for name, v in self_us.items()}
    by_pkg: dict[str, float] = {}
    for name, us in rows.items():
        top = name.split(".")[0]
        key = top if top in ("costmodel", "yaml", "sympy", "numpy") else "stdlib and site"
        by_pkg[key] = by_pkg.get(key, 0) + us
    own = sorted(((us, n) for n, us in rows.items() if n.startswith("costmodel")), reverse=True)
    tops = {n.split(".")[0] for n in rows}
    return {"modules": len(rows), "sympy": "sympy" in tops, "numpy": "numpy" in tops,
            "by_pkg": by_pkg, "own": own[:6]}


def section_cold(args, pycache: str) -> tuple:
    env = cached_env(pycache)
    res = rounds(COLD, env, args.cold_rounds)
    ratio = per_round_ratio(res["times"], REPORT, FLOOR)
    heavy = per_round_ratio(res["times"], REPORT, HEAVY)
    imp = import_profile(env)
    out = ["## 1. Cold start", "",
           f"{args.cold_rounds} rounds; each round runs every command once in a fresh process, "
           "in shuffled order. Bytecode cached for all (as after `pip install`).", ""]
    out += cold_table(res)
    out += ["", f"- numeric report vs the `import yaml` floor: {ratio_text(ratio)} "
            f"(target ≤ 2×: {verdict(med(ratio) <= 2)})",
            f"- numeric report vs `import sympy, yaml, numpy`: {ratio_text(heavy)} "
            "(below 1 means faster)",
            f"- `-X importtime` of the numeric report: {imp['modules']} modules; sympy imported: "
            f"{'**yes**' if imp['sympy'] else 'no'}; numpy imported: "
            f"{'**yes**' if imp['numpy'] else 'no'}; import self-time by package: "
            + ", ".join(f"{k} {v / 1e3:.1f} ms" for k, v in sorted(imp["by_pkg"].items()))
            + "; costmodel's slowest modules: "
            + ", ".join(f"{n} {s / 1e3:.1f} ms" for s, n in imp["own"])
            + " (`-X importtime` does not see modules loaded by `importlib.import_module`: "
            "the command module and the layer kinds are missing from these figures)"]
    head = {"cold_ratio": ratio, "cold_heavy": heavy, "cold": res, "imports": imp}
    clean_env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [site_packages(),
                                                                   env.get("PYTHONPATH")])))
    clean = {k: [PY, "-S", *COLD[k][1:]] for k in ("python -c pass", FLOOR, REPORT)}
    res3 = rounds(clean, clean_env, args.cold_rounds, seed=5)
    r3 = per_round_ratio(res3["times"], REPORT, FLOOR)
    out += ["", "A clean interpreter: the same with `python -S` (site-packages put on PYTHONPATH "
            "instead), so that no `.pth` file runs at start-up. On this machine a sandbox "
            "`.pth` in site-packages imports certifi (and with it pathlib, tempfile, re, …) in "
            "every process, which inflates the floor and pre-loads modules we would otherwise "
            "pay for; this table is closer to what an installation without such a file sees:", ""]
    out += cold_table(res3)
    out += ["", f"- numeric report vs the floor, clean interpreter: {ratio_text(r3)} "
            f"(target ≤ 2×: {verdict(med(r3) <= 2)})"]
    head["cold_ratio_clean"] = r3
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        raw = {k: COLD[k] for k in (FLOOR, REPORT)}
        res2 = rounds(raw, dict(os.environ), max(3, args.cold_rounds // 2), seed=2)
        r2 = per_round_ratio(res2["times"], REPORT, FLOOR)
        out += ["", "As inherited here (PYTHONDONTWRITEBYTECODE=1: costmodel's own modules are "
                "compiled from source on every start; the libraries' bytecode was cached at "
                "install):", ""]
        out += cold_table(res2)
        out += ["", f"- numeric report vs floor without bytecode caching: {ratio_text(r2)}"]
        head["cold_ratio_nocache"] = r2
    return out, head


# ---------------------------------------------------------------------------- 2. warm engine
def synthetic_spec(layers: int) -> str:
    """A spec of exactly `layers` layers: a 10-layer block (an inverted residual, its add,
    and a ReLU) repeated; shapes are constant, so every block costs the same."""
    if layers % SYNTH_BLOCK_LAYERS:
        raise ValueError(f"layers must be a multiple of {SYNTH_BLOCK_LAYERS}")
    return f"""name: synthetic-{layers}
version: 1
input: [64, 14, 14]
blocks:
  unit:                                   # 8 layers + the residual add + relu = 10 layers
    body:
      - residual: [conv: {{c: cin, k: 1}}, bn, relu6, dwconv: {{k: 3}}, bn, relu6, conv: {{c: cin, k: 1}}, bn]
      - relu
layers:
  - repeat: {{n: {layers // SYNTH_BLOCK_LAYERS}, body: [unit]}}
"""


def flat_spec(layers: int) -> str:
    """A spec of exactly `layers` layers written out one per line (no repeat): what a long
    generated spec looks like; 1,000,000 bytes allow about 60,000 such layers."""
    if layers % 2:
        raise ValueError("layers must be even")
    body = "\n".join(["  - conv: {c: 16, k: 1}\n  - relu"] * (layers // 2))
    return f"name: flat-{layers}\nversion: 1\ninput: [16, 8, 8]\nlayers:\n{body}\n"


SERIES = {"repeat": synthetic_spec, "flat": flat_spec}


def _engine_once(text: str, file: str) -> dict:
    """Times of parse, validate, build and evaluate (and the text render) for one spec, the
    engine stages run as `load_text` and `analyse` run them (inside their GC pause)."""
    import contextlib

    from costmodel import analysis as an
    from costmodel.cost import evaluate
    from costmodel.graph.build import build
    from costmodel.report import render
    from costmodel.spec import expr, yaml_io
    from costmodel.spec.validate import validate
    pause = getattr(an, "paused_gc", contextlib.nullcontext)
    getattr(expr, "_cache", {}).clear()        # measure parsing, not the expression cache
    with pause():
        t0 = time.perf_counter()
        tree = yaml_io.load(text, file)
        t1 = time.perf_counter()
        net = validate(tree, file)
        t2 = time.perf_counter()
    with pause():
        t2b = time.perf_counter()
        graph = build(net, an.symbols(net).env)
        t3 = time.perf_counter()
        analysis = evaluate(graph)
        t4 = time.perf_counter()
    analysis.symbols = an.symbols(net)
    t4b = time.perf_counter()
    render(analysis, io.StringIO(), "text", None, "fp32", file)
    t5 = time.perf_counter()
    return {"parse": t1 - t0, "validate": t2 - t1, "build": t3 - t2b, "evaluate": t4 - t3,
            "render": t5 - t4b, "layers": len(graph.nodes), "_keep": analysis}


def worker_zoo(reps: int) -> dict:
    out = {}
    for name in sorted(os.listdir(SPECS)):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join("specs", name)
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            text = f.read()
        try:
            _engine_once(text, path)                            # warm-up: lazy imports
            runs = [_engine_once(text, path) for _ in range(reps)]
        except Exception as e:                                  # report, do not hide
            out[path] = {"error": f"{type(e).__name__}: {str(e)[:200]}"}
            continue
        out[path] = {k: [r[k] for r in runs] for k in ("parse", "validate", "build",
                                                       "evaluate", "render")}
        out[path]["layers"] = runs[0]["layers"]
    return out


def high_water_kib() -> int:
    """This process's peak RSS since exec (VmHWM), in KiB; getrusage's ru_maxrss would also
    count the parent's memory copied by fork before exec."""
    try:
        with open("/proc/self/status") as f:
            for ln in f:
                if ln.startswith("VmHWM:"):
                    return int(ln.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker_synth(series: str, layers: int) -> dict:
    _engine_once(SERIES[series](10), "<warm-up>")               # lazy imports, caches
    base = high_water_kib()
    r = _engine_once(SERIES[series](layers), f"<{series} {layers}>")
    peak = high_water_kib()
    r.pop("_keep")
    return dict(r, rss_base_kib=base, rss_peak_kib=peak)


ENGINE = ("parse", "validate", "build", "evaluate")


def section_warm(args, env: dict) -> tuple:
    zoo = worker("zoo", args.zoo_reps, env=env)
    out = ["## 2. Warm engine", "",
           f"In one process with imports done, median of {args.zoo_reps} runs per spec "
           "(expression cache cleared before each run; stages run inside the engine's GC "
           "pause, as `load_text` and `analyse` run them). parse = YAML to marked nodes; "
           "validate = schema and expressions; build = expand blocks/repeats/tables and "
           "propagate shapes; evaluate = per-layer cost, group subtotals and totals; "
           "render = the text report (not part of the engine time).", "",
           "| spec | layers | parse ms | validate ms | build ms | evaluate ms | engine ms | "
           "µs/layer | render ms |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for path, r in zoo.items():
        if "error" in r:
            out.append(f"| {path} | error: {r['error']} |||||||| ")
            continue
        eng = [sum(r[k][i] for k in ENGINE) for i in range(len(r["parse"]))]
        out.append(f"| {path} | {r['layers']} | " + " | ".join(f"{med(r[k]) * 1e3:.2f}"
                   for k in ENGINE) + f" | {spread(eng, 1e3, 2)} | "
                   f"{med(eng) / r['layers'] * 1e6:.1f} | {med(r['render']) * 1e3:.2f} |")
    head = {"zoo": zoo}
    out += [""] + SERIES_TEXT["repeat"] + [""]
    lines, h = synthetic_series(args, env, "repeat",
                                [s for s in SYNTH_SIZES if not (args.quick and s > 10_000)])
    out += lines
    head.update(linear=h["linear"], per_layer=h["per_layer"], rss_layer=h["rss_layer"],
                synth=h["runs"])
    out += [""] + SERIES_TEXT["flat"] + [""]
    lines, h = synthetic_series(args, env, "flat",
                                [s for s in FLAT_SIZES if not (args.quick and s > 10_000)])
    out += lines
    head.update(flat_linear=h["linear"], flat_per_layer=h["per_layer"], flat=h["runs"])
    return out, head


SERIES_TEXT = {
    "repeat": ["Synthetic specs, repeated block (the issue's series): a 10-layer block (inverted "
               "residual + add + ReLU at 64×14×14) in a `repeat`; the spec text stays tiny, the "
               "graph grows. Each run in a fresh process, sizes interleaved. Peak RSS growth = "
               "high-water RSS after the run minus after a warm-up (page granularity makes it "
               "meaningless for small sizes)."],
    "flat": ["Synthetic specs, flat list: `- conv: {c: 16, k: 1}` / `- relu` written out "
             "layer by layer (no repeat), so YAML parsing and validation grow too; 50,000 "
             "layers is about 800 KB, near the 1 MiB spec limit."],
}
FLAT_SIZES = (1_000, 10_000, 50_000)


def synthetic_series(args, env: dict, series: str, sizes: list) -> tuple:
    """Run a synthetic series in fresh processes, interleaving sizes round by round."""
    runs: dict[int, list] = {s: [] for s in sizes}
    for i in range(args.synth_rounds):
        for s in sizes:
            if s >= 50_000 and i >= max(1, args.synth_rounds - 2):
                continue                         # the largest sizes: fewer rounds (slow)
            runs[s].append(worker("synth", series, s, env=env))
    per_layer = {s: [sum(r[k] for k in ENGINE) / r["layers"] for r in rs] for s, rs in runs.items()}
    rss_layer = {s: [(r["rss_peak_kib"] - r["rss_base_kib"]) * 1024 / r["layers"] for r in rs]
                 for s, rs in runs.items()}
    out = ["| layers | engine s | µs/layer, median (min–max) | parse / validate / build / evaluate "
           "µs/layer | render s | peak RSS growth MiB | bytes/layer |",
           "|---:|---:|---:|---|---:|---:|---:|"]
    for s, rs in runs.items():
        eng = [sum(r[k] for k in ENGINE) for r in rs]
        growth = [(r["rss_peak_kib"] - r["rss_base_kib"]) / 1024 for r in rs]
        stages = " / ".join(f"{med([r[k] for r in rs]) / s * 1e6:.1f}" for k in ENGINE)
        out.append(f"| {s:,} | {med(eng):.3f} | {spread(per_layer[s], 1e6)} | {stages} | "
                   f"{med([r['render'] for r in rs]):.3f} | {med(growth):.1f} | "
                   f"{med(rss_layer[s]):,.0f} |")
    top, small = max(sizes), min(s for s in sizes if s >= 1_000)
    rounds_both = min(len(per_layer[top]), len(per_layer[small]))
    lin = [per_layer[top][i] / per_layer[small][i] for i in range(rounds_both)]
    worst = max(med(per_layer[s]) for s in sizes if s >= 1_000)
    out += ["", f"- time per layer at {top:,} ÷ at {small:,} (same round): {ratio_text(lin)} "
            f"(target ≤ 1.5×: {verdict(med(lin) <= 1.5)})",
            f"- slowest median per layer at ≥ 1,000 layers: {worst * 1e6:.1f} µs "
            f"(target < 50 µs: {verdict(worst < 50e-6)})"]
    if 10_000 in rss_layer and top > 10_000:
        rl = med(rss_layer[top]) / med(rss_layer[10_000])
        out.append(f"- peak RSS per layer at {top:,} ÷ at 10,000: **{rl:.2f}×** "
                   "(constant memory per layer ≈ 1)")
    return out, {"runs": runs, "linear": lin, "per_layer": per_layer, "rss_layer": rss_layer}


# ---------------------------------------------------------------------------- 3. symbolic
def worker_symbolic() -> dict:
    t0 = time.perf_counter()
    import sympy
    t1 = time.perf_counter()
    from costmodel.analysis import analyse, closed_form, load_spec
    from costmodel.spec.expr import make_divisible
    net = load_spec(os.path.join(ROOT, MOBILENET))
    t2 = time.perf_counter()
    a = analyse(net, symbolic=["alpha", "resolution"])
    t3 = time.perf_counter()
    madds = closed_form(a.totals.madds, a.symbols)
    t4 = time.perf_counter()
    r_only = analyse(net, symbolic=["resolution"])
    quad = closed_form(r_only.totals.madds, r_only.symbols)
    t5 = time.perf_counter()
    alpha, res = sorted(madds.free_symbols, key=str)
    exact, subs_t, numeric_t, agree = [], [], [], 0
    for al, r in SYMBOLIC_POINTS:
        s = time.perf_counter()
        v = madds.subs({alpha: sympy.Rational(al.numerator, al.denominator), res: r})
        subs_t.append(time.perf_counter() - s)
        s = time.perf_counter()
        n = analyse(net, {"alpha": al, "resolution": r}).totals.madds
        numeric_t.append(time.perf_counter() - s)
        exact.append(int(v))
        agree += int(v) == n
    s = time.perf_counter()
    f = sympy.lambdify((alpha, res), madds, modules=[{"MakeDivisible": make_divisible}, "math"])
    compile_t = time.perf_counter() - s
    reps = 200
    s = time.perf_counter()
    for _ in range(reps):
        floats = [f(float(al), r) for al, r in SYMBOLIC_POINTS]
    lam_t = (time.perf_counter() - s) / (reps * len(SYMBOLIC_POINTS))
    rel = max(abs(float(x) - e) / e for x, e in zip(floats, exact))
    return {"import_sympy": t1 - t0, "load": t2 - t1, "analyse": t3 - t2,
            "closed_form": t4 - t3, "resolution_only": t5 - t4, "terms": len(madds.args),
            "chars": len(str(madds)), "quadratic": str(quad), "subs": subs_t,
            "numeric_point": numeric_t, "points": len(SYMBOLIC_POINTS), "agree": agree,
            "lambdify_compile": compile_t, "lambdify_point": lam_t, "lambdify_rel_err": rel}


def section_symbolic(args, env: dict) -> tuple:
    runs = [worker("symbolic", env=env) for _ in range(args.symbolic_rounds)]
    col = lambda k: [r[k] for r in runs]      # noqa: E731
    flat = lambda k: [x for r in runs for x in r[k]]      # noqa: E731
    r0 = runs[0]
    out = ["## 3. Symbolic", "",
           f"Fresh process per run, {len(runs)} runs (sympy caches results within a process, "
           "so only first-time costs are timed).", "",
           "| step | ms, median (min–max) |", "|---|---:|",
           f"| `import sympy` | {spread(col('import_sympy'), 1e3)} |",
           f"| load + validate the spec (imports costmodel) | {spread(col('load'), 1e3)} |",
           f"| `analyse(net, symbolic=['alpha', 'resolution'])` | {spread(col('analyse'), 1e3)} |",
           f"| `closed_form(madds)` (expand, substitute resolution = 32q back) | "
           f"{spread(col('closed_form'), 1e3)} |",
           f"| analyse + closed_form in resolution only | {spread(col('resolution_only'), 1e3)} |",
           f"| evaluate the (alpha, resolution) form exactly at a point (`subs`) | "
           f"{spread(flat('subs'), 1e3, 2)} |",
           f"| numeric engine at the same point (`analyse(net, {{alpha, resolution}})`) | "
           f"{spread(flat('numeric_point'), 1e3, 2)} |",
           f"| `lambdify` the form (MakeDivisible → exact Python rounding) | "
           f"{spread(col('lambdify_compile'), 1e3)} |",
           f"| evaluate the lambdified form at a point (floats) | "
           f"{spread(col('lambdify_point'), 1e6, 1, ' µs')} |", "",
           f"- the (alpha, resolution) closed form has {r0['terms']} terms "
           f"({r0['chars']:,} characters); in resolution alone it is `{r0['quadratic']}`",
           f"- exact evaluation equals the numeric engine at {r0['agree']}/{r0['points']} "
           "points (alpha 0.35 … 1.4 × resolution 96 … 224); lambdify's floats are off by at "
           f"most {max(col('lambdify_rel_err')):.1e} relative"]
    return out, {"symbolic": runs}


# ---------------------------------------------------------------------------- 4. sweep
def sweep_args() -> list:
    return ["sweep", MOBILENET, "--set", "alpha=" + ",".join(str(float(a)) for a in SWEEP_ALPHAS),
            "--set", "resolution=" + ",".join(map(str, SWEEP_RESOLUTIONS)), "--format", "csv"]


def worker_sweep_eval() -> dict:
    """Best effort: the sweep's evaluation alone, without CSV formatting, through the design
    package's internal API (`costmodel.design.sweep.sweep`); None if that API is not there."""
    try:
        from costmodel.analysis import load_spec
        from costmodel.commands._design import metrics as metric_names
        from costmodel.design.grid import parse_grid
        from costmodel.design.sweep import sweep
    except ImportError as e:
        return {"seconds": None, "note": f"internal API not found ({e})"}
    sets = [a for a in sweep_args() if "=" in a]
    t0 = time.perf_counter()
    net = load_spec(os.path.join(ROOT, MOBILENET))
    result = sweep(net, parse_grid(sets), metric_names(None))
    return {"seconds": time.perf_counter() - t0, "points": int(result.size), "note": ""}


def check_sweep_rows(path: str, samples: int = 5) -> str:
    """Compare a few rows of the sweep's CSV with the numeric engine at the same point."""
    import csv
    from costmodel.analysis import analyse, load_spec
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    if not {"alpha", "resolution", "madds"} <= set(head):
        return f"not checked (columns are {head})"
    net = load_spec(os.path.join(ROOT, MOBILENET))
    ia, ir, im = head.index("alpha"), head.index("resolution"), head.index("madds")
    picks = [body[i * (len(body) - 1) // max(1, samples - 1)] for i in range(samples)]
    bad = []
    for row in picks:
        point = {"alpha": Fraction(row[ia]), "resolution": int(row[ir])}
        want = analyse(net, point).totals.madds
        if str(want) != row[im]:
            bad.append(f"{row[ia]}, {row[ir]}: sweep {row[im]} vs report {want}")
    return "all equal to `report --set`" if not bad else "**differ**: " + "; ".join(bad)


def section_sweep(args, env: dict) -> tuple:
    out = ["## 4. Sweep", ""]
    if importlib.util.find_spec("costmodel.commands.sweep") is None:
        out.append("skipped: sweep not available (costmodel/commands/sweep.py is not in this "
                   "tree; rerun after merging the branch that adds it)")
        return out, {"sweep": None}
    grid = len(SWEEP_ALPHAS) * len(SWEEP_RESOLUTIONS)
    command = [PY, "-m", "costmodel", *sweep_args()]
    probe = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if probe.returncode != 0:
        out.append(f"skipped: `costmodel sweep` failed (exit {probe.returncode}): "
                   f"{probe.stderr.strip()[-500:]}")
        return out, {"sweep": None}
    rows = probe.stdout.count("\n") - 1
    del probe
    cold = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "sweep.csv")
        for _ in range(args.sweep_rounds):
            with open(csv_path, "w") as f:
                cold.append(run_timed(command, env, stdout=f))
        rss = peak_rss_mib(command, env)
        check = check_sweep_rows(csv_path)
    evals = [worker("sweep_eval", env=env) for _ in range(args.sweep_rounds)]
    pps = [rows / c for c in cold]
    out += [f"`costmodel sweep {MOBILENET} --set alpha=0.250,0.251,…,1.249 --set "
            f"resolution=32,64,…,32000 --format csv`: {len(SWEEP_ALPHAS):,} × "
            f"{len(SWEEP_RESOLUTIONS):,} = {grid:,} points; {rows:,} rows written. "
            f"{args.sweep_rounds} runs each.", "",
            "| run | seconds, median (min–max) | points per second | peak RSS MiB |",
            "|---|---:|---:|---:|",
            f"| end to end: fresh process (start-up, sympy + numpy imports, compiling the "
            f"formulas, evaluating, CSV to a file) | {spread(cold, 1, 2)} | {med(pps):,.0f} | "
            f"{'n/a' if rss is None else f'{rss:.0f}'} |"]
    eval_pps = None
    if all(e["seconds"] for e in evals):
        secs = [e["seconds"] for e in evals]
        eval_pps = [e["points"] / x for e, x in zip(evals, secs)]
        out.append(f"| evaluation only (`costmodel.design.sweep.sweep` after imports: load, "
                   f"compile, evaluate; no CSV) | {spread(secs, 1, 2)} | {med(eval_pps):,.0f} | |")
    else:
        out.append(f"| evaluation only | {evals[0]['note']} | | |")
    out += ["", f"- points per second, end to end: **{med(pps):,.0f}** (target ≥ 1,000,000: "
            f"{verdict(med(pps) >= 1e6)})"
            + (f"; evaluation only: **{med(eval_pps):,.0f}**" if eval_pps else ""),
            f"- sampled rows vs the numeric engine: {check}"]
    return out, {"sweep": {"cold": cold, "pps": pps, "eval_pps": eval_pps, "rows": rows}}


# ---------------------------------------------------------------------------- 5. peers
PEER_SCRIPT = r'''
import sys, io, contextlib, warnings
warnings.filterwarnings("ignore")
tool, resolutions = sys.argv[1], [int(r) for r in sys.argv[2].split(",")]
import torch, torchvision
model = torchvision.models.mobilenet_v2(weights=None).eval()
def x(r): return torch.randn(1, 3, r, r)
if tool == "ptflops":
    from ptflops import get_model_complexity_info
    def count(r):
        with contextlib.redirect_stdout(io.StringIO()):
            return get_model_complexity_info(model, (3, r, r), as_strings=False,
                                             print_per_layer_stat=False)[0]
elif tool == "fvcore":
    from fvcore.nn import FlopCountAnalysis
    def count(r):
        a = FlopCountAnalysis(model, x(r))
        a.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
        return a.total()
elif tool == "thop":
    import thop
    def count(r):
        with contextlib.redirect_stdout(io.StringIO()):
            return thop.profile(model, inputs=(x(r),), verbose=False)[0]
elif tool == "torch.utils.flop_counter":
    from torch.utils.flop_counter import FlopCounterMode
    def count(r):
        mode = FlopCounterMode(display=False)
        with mode:
            model(x(r))
        return mode.get_total_flops()
with torch.no_grad():
    counts = [int(count(r)) for r in resolutions]
print(counts[0], counts[-1], len(counts))
'''

OURS_SCRIPT = r'''
import sys
sys.path.insert(0, ".")
from costmodel.analysis import analyse, load_spec
net = load_spec("specs/mobilenet_v2.yaml")
counts = [analyse(net, {"resolution": int(r)}).totals.madds for r in sys.argv[1].split(",")]
print(counts[0], counts[-1], len(counts))
'''

PEER_IMPORTS = {"ptflops": "ptflops", "fvcore": "fvcore.nn", "thop": "thop",
                "torch.utils.flop_counter": "torch.utils.flop_counter"}
PEER_MEANING = {"ptflops": "multiply-adds of conv + linear (with bias), plus BN, ReLU6 and pooling elements",
                "fvcore": "conv + linear + BN + pool multiply-adds",
                "thop": "multiply-adds of conv + linear, plus 2 per BN element",
                "torch.utils.flop_counter": "FLOPs = 2 × conv/linear multiply-adds"}


def section_peers(args, pycache: str) -> tuple:
    out = ["## 5. Peers", ""]
    if not args.peer_python:
        out.append("skipped: no `--peer-python` given (an interpreter with torch, torchvision and "
                   "ptflops/fvcore/thop, e.g. /tmp/refenv-tv/bin/python)")
        return out, {"peers": None}
    env = cached_env(pycache)
    probe = subprocess.run([args.peer_python, "-c", "import torch, torchvision; "
                            "print(f'{torch.__version__}, torchvision {torchvision.__version__}, "
                            "{torch.get_num_threads()} threads')"],
                           capture_output=True, text=True, env=env)
    if probe.returncode != 0:
        out.append(f"skipped: `{args.peer_python}` cannot import torch and torchvision")
        return out, {"peers": None}
    tools = [t for t, mod in PEER_IMPORTS.items()
             if subprocess.run([args.peer_python, "-c", f"import {mod}"], env=env,
                               capture_output=True).returncode == 0]
    with tempfile.TemporaryDirectory() as tmp:
        peer_py, ours_py = os.path.join(tmp, "peer.py"), os.path.join(tmp, "ours.py")
        with open(peer_py, "w") as f:
            f.write(PEER_SCRIPT)
        with open(ours_py, "w") as f:
            f.write(OURS_SCRIPT)
        one = ",".join(["224"])
        many = ",".join(map(str, PEER_RESOLUTIONS))
        counts = {t: subprocess.run([args.peer_python, peer_py, t, one], env=env, cwd=tmp,
                                    capture_output=True, text=True).stdout.split()[:1]
                  for t in tools}
        counts["costmodel"] = subprocess.run([PY, ours_py, one], env=env, cwd=ROOT,
                                             capture_output=True, text=True).stdout.split()[:1]
        cold_cmds = {t: [args.peer_python, peer_py, t, one] for t in tools}
        cold_cmds["costmodel"] = [PY, "-m", "costmodel", "report", MOBILENET]
        cold = rounds(cold_cmds, env, args.peer_rounds, seed=3)     # its warm-up: the probes
        many_cmds = {t: [args.peer_python, peer_py, t, many] for t in tools}
        many_cmds["costmodel"] = [PY, ours_py, many]
        if importlib.util.find_spec("costmodel.commands.sweep") is not None:
            many_cmds["costmodel sweep"] = [PY, "-m", "costmodel", "sweep", MOBILENET, "--set",
                                            f"resolution={many}", "--format", "csv"]
        sweep = rounds(many_cmds, env, args.peer_sweep_rounds, seed=4, warm_up=False, rss=False)
    ours = ["costmodel"] + (["costmodel sweep"] if "costmodel sweep" in many_cmds else [])
    out += [f"Peers run in `{args.peer_python}` (torch {probe.stdout.strip()}), on the CPU; "
            "ours in this interpreter. Cold: a fresh process that imports the tool, builds "
            "torchvision's `mobilenet_v2()` and prints its count at 224 (ours: `python -m "
            f"costmodel report {MOBILENET}`, the whole table). 100 resolutions: one process "
            "counting at 96, 98, …, 294 (ours: `analyse(net, {'resolution': r})` 100 times in "
            "one process; `costmodel sweep` too when present). "
            f"{args.peer_rounds} cold rounds and {args.peer_sweep_rounds} "
            "100-resolution rounds, interleaved; ratio = peer time ÷ ours in the same round. "
            "Per extra resolution = (100-resolution time − cold time) ÷ 99, from the medians.",
            "", "| tool | count at 224 | what it counts | cold s | cold ÷ ours | 100 resolutions "
            "s | ÷ ours | per extra resolution ms |", "|---|---:|---|---:|---:|---:|---:|---:|"]
    ours_cold = cold["times"]["costmodel"]
    fastest_ours = min(ours, key=lambda t: med(sweep["times"][t]))
    best = {}
    for t in tools + ours:
        c = f"{int(counts[t][0]):,}" if counts.get(t) else ("" if t == "costmodel sweep"
                                                             else "failed")
        meaning = PEER_MEANING.get(t, "madds: conv + fc multiply-adds (exact)")
        cold_t = cold["times"].get(t)
        rc = per_round_ratio(cold["times"], t, "costmodel") if cold_t else None
        rm = per_round_ratio(sweep["times"], t, fastest_ours)
        extra = (med(sweep["times"][t]) - med(cold_t)) / 99 * 1e3 if cold_t else None
        out.append(f"| {t} | {c} | {meaning} | {spread(cold_t, 1, 2) if cold_t else ''} | "
                   f"{ratio_text(rc) if rc and t not in ours else ''} | "
                   f"{spread(sweep['times'][t], 1, 2)} | "
                   f"{ratio_text(rm) if t not in ours else ''} | "
                   f"{'' if extra is None else f'{extra:.1f}'} |")
        if t not in ours:
            best[t] = (med(cold["times"][t]), rc, rm)
    fastest = min(best, key=lambda t: best[t][0])
    fastest_many = min(best, key=lambda t: med(sweep["times"][t]))
    rc = best[fastest][1]
    rm = per_round_ratio(sweep["times"], fastest_many, fastest_ours)
    out += ["", f"- fastest peer cold: {fastest}, {ratio_text(rc)} our time "
            f"(target ≥ 5×: {verdict(med(rc) >= 5)}); ours {spread(ours_cold, 1e3)} ms",
            f"- fastest peer over 100 resolutions: {fastest_many}, {ratio_text(rm)} the time of "
            f"our fastest ({fastest_ours}, {spread(sweep['times'][fastest_ours], 1e3)} ms) "
            f"(target ≥ 100×: {verdict(med(rm) >= 100)})"]
    margin = {t: (med(sweep["times"][t]) - med(cold["times"][t])) / 99 for t in tools + ["costmodel"]}
    out.append("- per extra resolution once started (the difference of the medians ÷ 99): "
               + ", ".join(f"{t} {margin[t] * 1e3:.1f} ms ({margin[t] / margin['costmodel']:.0f}× ours)"
                           for t in tools) + f"; ours {margin['costmodel'] * 1e3:.2f} ms")
    return out, {"peers": {"cold": cold, "many": sweep, "counts": counts, "fastest": fastest,
                           "fastest_many": fastest_many, "cold_ratio": rc, "many_ratio": rm}}


# ---------------------------------------------------------------------------- report
def headline(h: dict) -> list:
    lines = ["## Headline", "", "| figure | target | measured (median, min–max) | |",
             "|---|---|---|---|"]
    r = h["cold_ratio"]
    lines.append(f"| numeric report cold ÷ `python -c \"import yaml\"` | ≤ 2× | {ratio_text(r)} | "
                 f"{verdict(med(r) <= 2)} |")
    if "cold_ratio_clean" in h:
        r = h["cold_ratio_clean"]
        lines.append(f"| same, clean interpreter (`python -S`, no sandbox `.pth`) | ≤ 2× | "
                     f"{ratio_text(r)} | {verdict(med(r) <= 2)} |")
    lines.append(f"| numeric report cold ÷ `import sympy, yaml, numpy` | < 1× | "
                 f"{ratio_text(h['cold_heavy'])} | {verdict(med(h['cold_heavy']) < 1)} |")
    imp = h["imports"]
    lines.append(f"| sympy / numpy imported by the numeric report | neither | "
                 f"{'sympy ' if imp['sympy'] else ''}{'numpy' if imp['numpy'] else ''}"
                 f"{'neither' if not (imp['sympy'] or imp['numpy']) else ''} | "
                 f"{verdict(not (imp['sympy'] or imp['numpy']))} |")
    if "linear" in h:
        top = max(h["per_layer"])
        lines.append(f"| repeated block: time per layer at {top:,} ÷ at 1,000 layers | ≤ 1.5× | "
                     f"{ratio_text(h['linear'])} | {verdict(med(h['linear']) <= 1.5)} |")
        worst = max(med(v) for s, v in h["per_layer"].items() if s >= 1_000)
        lines.append(f"| engine time per layer (repeated block, worst size ≥ 1,000) | < 50 µs | "
                     f"{worst * 1e6:.1f} µs | {verdict(worst < 50e-6)} |")
    if "flat_linear" in h:
        top = max(h["flat_per_layer"])
        lines.append(f"| flat spec (extra series): time per layer at {top:,} ÷ at 1,000 | ≤ 1.5× | "
                     f"{ratio_text(h['flat_linear'])} | {verdict(med(h['flat_linear']) <= 1.5)} |")
        worst = max(med(v) for v in h["flat_per_layer"].values())
        lines.append(f"| flat spec (extra series): engine time per layer (worst size) | < 50 µs | "
                     f"{worst * 1e6:.1f} µs | {verdict(worst < 50e-6)} |")
    if h.get("sweep"):
        pps, ev = h["sweep"]["pps"], h["sweep"]["eval_pps"]
        lines.append(f"| sweep points per second (1M grid, end to end) | ≥ 1,000,000 | "
                     f"{med(pps):,.0f} ({min(pps):,.0f}–{max(pps):,.0f})"
                     + (f"; evaluation only {med(ev):,.0f}" if ev else "") + " | "
                     f"{verdict(med(pps) >= 1e6)} |")
    elif "sweep" in h:
        lines.append("| sweep points per second | ≥ 1,000,000 | skipped: sweep not available | |")
    p = h.get("peers")
    if p:
        lines.append(f"| fastest peer cold ({p['fastest']}) ÷ ours | ≥ 5× | "
                     f"{ratio_text(p['cold_ratio'])} | {verdict(med(p['cold_ratio']) >= 5)} |")
        lines.append(f"| fastest peer, 100 resolutions ({p['fastest_many']}) ÷ ours | ≥ 100× | "
                     f"{ratio_text(p['many_ratio'])} | {verdict(med(p['many_ratio']) >= 100)} |")
    return lines


SECTIONS = ("cold", "warm", "symbolic", "sweep", "peers")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", nargs="?", const=os.path.join(ROOT, "benchmarks", "RESULTS.md"),
                    metavar="FILE", help="also write the report (default benchmarks/RESULTS.md)")
    ap.add_argument("--json", metavar="FILE", help="also dump the raw measurements as JSON")
    ap.add_argument("--peer-python", metavar="PYTHON",
                    help="interpreter with torch + ptflops/fvcore/thop for section 5")
    ap.add_argument("--sections", default=",".join(SECTIONS),
                    help="comma-separated subset to run")
    ap.add_argument("--quick", action="store_true", help="few rounds, synthetic up to 10,000")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        name, rest = args.worker[0], [int(a) if a.isdigit() else a for a in args.worker[1:]]
        fn = {"zoo": worker_zoo, "synth": worker_synth, "symbolic": worker_symbolic,
              "sweep_eval": worker_sweep_eval}[name]
        print(json.dumps(fn(*rest), default=lambda o: None))
        return 0
    q = args.quick
    args.cold_rounds, args.zoo_reps, args.synth_rounds = (5, 5, 2) if q else (21, 15, 5)
    args.symbolic_rounds, args.sweep_rounds = (2, 1) if q else (5, 3)
    args.peer_rounds, args.peer_sweep_rounds = (2, 1) if q else (5, 3)
    wanted = set(args.sections.split(","))
    pycache = tempfile.mkdtemp(prefix="costmodel-bench-pyc-")
    env = cached_env(pycache)
    m = machine()
    started = time.perf_counter()
    body, head = [], {}
    try:
        for name, fn, arg in (("cold", section_cold, pycache), ("warm", section_warm, env),
                              ("symbolic", section_symbolic, env), ("sweep", section_sweep, env),
                              ("peers", section_peers, pycache)):
            if name not in wanted:
                continue
            print(f"[bench] {name} …", file=sys.stderr, flush=True)
            lines, h = fn(args, arg)
            body += lines + [""]
            head.update(h)
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
    command = " ".join(["python3 benchmarks/run.py", "--write"]
                       + (["--peer-python", args.peer_python] if args.peer_python else [])
                       + (["--sections", args.sections] if wanted != set(SECTIONS) else [])
                       + (["--quick"] if q else []))
    doc = ["# Benchmarks", "",
           "Generated by `benchmarks/run.py` — do not edit by hand (profile findings live in "
           "[PROFILE.md](PROFILE.md)). Regenerate from the repository root with:", "",
           f"    {command.strip()}", "",
           f"Machine: {m['cpu']}, {m['cpus']} CPUs available, {m['memory_gib']} GiB; {m['os']}; "
           f"{m['python']}; PyYAML {m['pyyaml']}, sympy {m['sympy']}, numpy {m['numpy']}; "
           f"commit {m['commit']}; {m['date']}; load average at start {m['load']}; "
           f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other jobs "
           f"share this machine; torch's threads suffer most from them); "
           f"inherited bytecode setting: {m['bytecode_env']}. Whole run: "
           f"{time.perf_counter() - started:.0f} s." + (" **--quick run: not for quoting.**"
                                                         if q else ""), ""]
    if "cold" in wanted:
        doc += headline(head) + [""]
    text = "\n".join(doc + body).rstrip() + "\n"
    sys.stdout.write(text)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": m, **head}, f, default=lambda o: None, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
