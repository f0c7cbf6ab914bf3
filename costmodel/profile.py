"""Device profiles: the handful of numbers a roofline latency model needs.

A profile is a small YAML file. Shipped ones live in costmodel/devices/NAME.yaml and are
named on the command line (`--device gtx1080ti`); any other path is read as a user profile.
Every numeric field must carry a `sources:` entry saying where its value came from (a
datasheet, a paper, or `costmodel calibrate` with the measurements it was fitted to).

Fields (seconds, bytes, multiply-adds):
  peak_madds_per_s       multiply-adds per second a dense conv/fc reaches on this device
  bandwidth_bytes_per_s  bytes per second of feature-map and weight traffic (mem_access)
  overhead_s             fixed time per executed operator (launch, synchronisation, dispatch)
  bytes_per_element      element size of activations and weights (4 = fp32)
  batch                  default batch size (images per forward pass)
  efficiency             fraction of peak_madds_per_s reached by `grouped` and `depthwise`
                         convolutions (dense conv and fc are 1 by definition of the peak)
  cache_bytes, cache_bandwidth_bytes_per_s   optional: a layer whose traffic fits in
                         cache_bytes moves it at the cache's bandwidth instead
  fused                  layer kinds folded into their producer at inference (cost no time;
                         BN folds into the preceding conv's weights)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from costmodel import layers
from costmodel.errors import UsageError, one_of
from costmodel.records import Reader, read

DEVICES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "devices")
NUMBERS = ("peak_madds_per_s", "bandwidth_bytes_per_s", "overhead_s", "bytes_per_element",
           "batch")
OPTIONAL_NUMBERS = ("cache_bytes", "cache_bandwidth_bytes_per_s")
EFFICIENCIES = ("grouped", "depthwise")
KEYS = ("name", "description") + NUMBERS + OPTIONAL_NUMBERS + (
    "efficiency", "fused", "sources", "calibration")


@dataclass(frozen=True)
class Profile:
    name: str
    peak_madds_per_s: float
    bandwidth_bytes_per_s: float
    overhead_s: float
    bytes_per_element: float = 4
    batch: int = 1
    efficiency: dict = field(default_factory=lambda: {"grouped": 1.0, "depthwise": 1.0})
    cache_bytes: float | None = None
    cache_bandwidth_bytes_per_s: float | None = None
    fused: tuple = ("bn",)
    description: str = ""
    sources: dict = field(default_factory=dict)
    calibration: dict = field(default_factory=dict)
    file: str = ""

    def with_values(self, **changes) -> "Profile":
        return replace(self, **changes)


def shipped() -> list:
    """Names of the profiles shipped in costmodel/devices/."""
    return sorted(f[:-5] for f in os.listdir(DEVICES_DIR) if f.endswith(".yaml"))


def resolve(name_or_path: str) -> str:
    """A shipped profile's name → its file; anything that looks like a path stays a path."""
    if os.sep in name_or_path or name_or_path.endswith((".yaml", ".yml")):
        return name_or_path
    path = os.path.join(DEVICES_DIR, name_or_path + ".yaml")
    if not os.path.exists(path):
        raise UsageError(f"unknown device '{name_or_path}'; shipped devices: {one_of(shipped())}"
                         " (or give a profile file path)")
    return path


def load(name_or_path: str) -> Profile:
    """Read and check a device profile by shipped name or path."""
    path = resolve(name_or_path)
    return parse(read(path, "device profile"), path)


def parse(root, path: str) -> Profile:
    r = Reader(path)
    top = r.mapping(root, "profile", KEYS, ("name",) + NUMBERS + ("sources",))
    values = {k: r.number(top[k], k, allow_zero=(k == "overhead_s")) for k in NUMBERS}
    values["batch"] = r.integer(top["batch"], "batch")
    for k in OPTIONAL_NUMBERS:
        if k in top and top[k].value is not None:
            values[k] = r.number(top[k], k)
    if ("cache_bytes" in values) != ("cache_bandwidth_bytes_per_s" in values):
        raise r.fail(root, "profile", "cache_bytes and cache_bandwidth_bytes_per_s go together")
    eff = {"grouped": 1.0, "depthwise": 1.0}
    if "efficiency" in top:
        node = r.mapping(top["efficiency"], "efficiency", EFFICIENCIES)
        for k, v in node.items():
            eff[k] = r.number(v, f"efficiency.{k}")
            if eff[k] > 1:
                raise r.fail(v, f"efficiency.{k}", f"is a fraction of peak, at most 1; got {eff[k]}")
    fused = tuple(r.choice(n, "fused", tuple(layers.kinds())) for n in
                  r.seq(top["fused"], "fused")) if "fused" in top else ()
    sources = {k: r.text(v, f"sources.{k}") for k, v in
               r.mapping(top["sources"], "sources", KEYS + tuple(
                   f"efficiency.{e}" for e in EFFICIENCIES)).items()}
    for k in list(NUMBERS) + [k for k in OPTIONAL_NUMBERS if k in values] + (
            [f"efficiency.{e}" for e in r.mapping(top["efficiency"], "efficiency", EFFICIENCIES)]
            if "efficiency" in top else []):
        if k not in sources:
            raise r.fail(top["sources"], "sources", f"'{k}' has no source: say where its value "
                         "came from (datasheet, paper, or costmodel calibrate)")
    calibration = r.plain(top["calibration"]) if "calibration" in top else {}
    return Profile(name=r.text(top["name"], "name"), efficiency=eff, fused=fused,
                   description=r.text(top["description"], "description") if "description" in top
                   else "", sources=sources, calibration=calibration, file=path, **values)


def dump(p: Profile) -> str:
    """The profile as YAML text that `load` reads back (values, sources, calibration)."""
    import yaml
    doc = {"name": p.name, "description": p.description}
    for k in NUMBERS:
        doc[k] = int(getattr(p, k)) if k == "batch" else _g(getattr(p, k))
    for k in OPTIONAL_NUMBERS:
        if getattr(p, k) is not None:
            doc[k] = _g(getattr(p, k))
    doc["efficiency"] = {k: _g(v) for k, v in p.efficiency.items()}
    doc["fused"] = list(p.fused)
    doc["sources"] = dict(p.sources)
    if p.calibration:
        doc["calibration"] = _yaml_safe(p.calibration)
    return yaml.safe_dump(doc, sort_keys=False, width=100, allow_unicode=True)


def _yaml_safe(data):
    """Exact numbers read back from a profile (Fraction) become plain floats for YAML."""
    from fractions import Fraction
    if isinstance(data, dict):
        return {k: _yaml_safe(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_yaml_safe(v) for v in data]
    return _g(float(data)) if isinstance(data, Fraction) else data


def _g(v: float):
    """A float as a short YAML number (4 significant digits; ints stay ints)."""
    if float(v).is_integer() and abs(v) < 1e15:
        return int(v)
    return float(f"{v:.4g}")
