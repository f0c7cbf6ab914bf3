"""Measurement files: measured timings of specs on one device, for `costmodel calibrate`.

    source: "ShuffleNet V2 (arXiv:1807.11164) Table 1, GPU column"
    device: gtx1080ti           # the profile these were measured on (informative)
    batch: 1                    # images per timed forward pass (default for every row)
    unit: batches_per_s         # batches_per_s | images_per_s | s | ms
    measurements:
      - {label: "G1 1:1 x1", spec: g1_channel_ratio.yaml, set: {c1: 128, c2: 128}, value: 1480}
      - {spec: ../../specs/mobilenet_v2.yaml, set: {alpha: 0.75}, input: [3, 480, 640],
         batch: 8, value: 235}

`spec` is relative to the measurement file. `set` gives symbol values; `input` replaces the
spec's input shape (C, H, W) for non-square inputs; `batch` overrides the file's batch.
A value converts to seconds per forward pass of the batch: batches_per_s → 1/v,
images_per_s → batch/v, s → v, ms → v/1000.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from costmodel.records import Reader, read

UNITS = ("batches_per_s", "images_per_s", "s", "ms")
TOP = ("source", "device", "batch", "unit", "measurements", "notes")
ROW = ("label", "spec", "set", "input", "batch", "value", "unit", "note")


@dataclass
class Measurement:
    label: str
    spec: str                    # path, resolved against the measurement file's folder
    values: dict                 # symbol → exact number
    input: tuple | None          # (C, H, W) override
    batch: int
    seconds: float
    raw: float                   # the value as written
    unit: str


def to_seconds(value: float, unit: str, batch: int) -> float:
    """A measured value in `unit` → seconds per forward pass of `batch` images."""
    return {"batches_per_s": lambda: 1 / value, "images_per_s": lambda: batch / value,
            "s": lambda: value, "ms": lambda: value / 1000}[unit]()


def load(path: str) -> tuple:
    """(source text, list of Measurement) from a measurement file."""
    r = Reader(path)
    top = r.mapping(read(path, "measurement file"), "measurements file", TOP,
                    ("unit", "measurements"))
    unit = r.choice(top["unit"], "unit", UNITS)
    batch = r.integer(top["batch"], "batch") if "batch" in top else 1
    base = os.path.dirname(os.path.abspath(path))
    rows = []
    for i, node in enumerate(r.seq(top["measurements"], "measurements")):
        where = f"measurements[{i}]"
        m = r.mapping(node, where, ROW, ("spec", "value"))
        b = r.integer(m["batch"], f"{where}.batch") if "batch" in m else batch
        u = r.choice(m["unit"], f"{where}.unit", UNITS) if "unit" in m else unit
        value = r.number(m["value"], f"{where}.value")
        values = {}
        if "set" in m:
            for k, v in r.mapping(m["set"], f"{where}.set", tuple(m["set"].items)).items():
                values[k] = _exact(r, v, f"{where}.set.{k}")
        shape = None
        if "input" in m:
            dims = r.seq(m["input"], f"{where}.input")
            if len(dims) != 3:
                raise r.fail(m["input"], f"{where}.input", "expected [C, H, W]")
            shape = tuple(r.integer(d, f"{where}.input") for d in dims)
        spec = os.path.normpath(os.path.join(base, r.text(m["spec"], f"{where}.spec")))
        label = r.text(m["label"], f"{where}.label") if "label" in m else \
            f"{os.path.basename(spec)} {values}"
        rows.append(Measurement(label, spec, values, shape, b, to_seconds(value, u, b), value, u))
    source = r.text(top["source"], "source") if "source" in top else ""
    return source, rows


def _exact(r: Reader, node, where: str):
    r.number(node, where)            # type check; keep the exact value
    return node.value


def analyse(m: Measurement, cache: dict | None = None):
    """The analysis of a measurement's spec at its symbol values and input shape."""
    from costmodel.analysis import analyse as run, load_spec
    cache = {} if cache is None else cache
    if m.spec not in cache:
        cache[m.spec] = load_spec(m.spec)
    net = cache[m.spec]
    if m.input is not None:
        net = with_input(net, m.input)
    return run(net, {k: v for k, v in m.values.items()})


def with_input(net, shape: tuple):
    """The network with its input shape replaced by the numbers `shape` (C, H, W)."""
    from costmodel.spec import expr as ex
    return net.replace(input=tuple(ex.parse(int(d)) for d in shape))
