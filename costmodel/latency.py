"""A roofline latency estimate from exact counts and a device profile.

For every layer, with batch B, element size e, and the profile's rates:

  madds_B   = madds · B                                  (weights are shared by the batch)
  bytes_B   = ((read_act + write_act) · B + read_weight) · e        (mem_access in bytes)
  intensity = madds_B / bytes_B                          (madds per byte)
  compute   = madds_B / (peak · efficiency[kind]) + extra_flops · B / peak
  memory    = bytes_B / bandwidth      (cache bandwidth when bytes_B <= cache_bytes)
  time      = max(compute, memory) + overhead            (Williams et al., "Roofline", CACM
                                                           2009, plus a per-operator cost)

A layer is compute-bound when compute >= memory, i.e. when its intensity is above the
device's ridge point peak·efficiency/bandwidth. Fused kinds (BN, folded into the conv) and
views (flatten, dropout: no memory traffic, no arithmetic) take no time and no overhead.

Kinds of work (`category`), for efficiency factors and the time shares:
  dense      conv with g = 1, and fc                     (efficiency 1 by definition of peak)
  grouped    conv with 1 < g < c_in                      (ShuffleNet V2 G2)
  depthwise  dwconv, or conv with g = c_in = c_out       (G4 counts it as element-wise)
  elementwise  everything else that moves memory: activations, add, mul, concat, split,
             shuffle, pooling                             (ShuffleNet V2 G4)

`terms` gives the same model as a linear function of the profile's inverse rates, which is
what `costmodel calibrate` fits (see calibrate.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from costmodel import numbers as num
from costmodel.errors import UsageError
from costmodel.profile import Profile
from costmodel.layers.conv import grouping

CATEGORIES = ("dense", "grouped", "depthwise", "elementwise")
# the linear parameters: seconds per unit of each term
PARAMS = ("s_per_madd", "s_per_grouped_madd", "s_per_depthwise_madd", "s_per_byte",
          "s_per_cache_byte", "s_per_op")


@dataclass
class LayerTime:
    path: str
    kind: str
    category: str         # dense | grouped | depthwise | elementwise | fused | free
    madds: float          # for the whole batch
    bytes: float          # mem_access bytes for the whole batch
    compute_s: float
    memory_s: float
    overhead_s: float
    cached: bool = False

    @property
    def time_s(self) -> float:
        return max(self.compute_s, self.memory_s) + self.overhead_s

    @property
    def bound(self) -> str:
        if self.category in ("fused", "free"):
            return self.category
        return "compute" if self.compute_s >= self.memory_s else "memory"

    @property
    def intensity(self) -> float | None:
        return self.madds / self.bytes if self.bytes else None


@dataclass
class Estimate:
    profile: Profile
    batch: int
    layers: list
    groups: list = field(default_factory=list)   # (path, label, depth, time_s)

    @property
    def latency_s(self) -> float:
        return sum(l.time_s for l in self.layers)

    def share(self) -> dict:
        """Fraction of the total time per category (dense, grouped, depthwise, elementwise)."""
        total = self.latency_s or 1.0
        out = {c: 0.0 for c in CATEGORIES}
        for l in self.layers:
            if l.category in out:
                out[l.category] += l.time_s / total
        return out


def category(node) -> str:
    """The kind of work a node does (see the module docstring)."""
    return grouping(node) or "elementwise"


def _numeric(v) -> float:
    if not num.is_numeric(v):
        raise UsageError("latency needs numbers: give every symbol a value (no --symbolic)")
    return float(v)


def layer_time(node, cost, profile: Profile, batch: int) -> LayerTime:
    """Roofline time of one node for `batch` images on `profile`."""
    madds = _numeric(cost.madds) * batch
    ops = _numeric(cost.extra_flops) * batch
    nbytes = ((_numeric(cost.read_act) + _numeric(cost.write_act)) * batch
              + _numeric(cost.read_weight)) * profile.bytes_per_element
    kind = node.layer.name
    if kind in profile.fused:
        return LayerTime(node.path, kind, "fused", madds, nbytes, 0.0, 0.0, 0.0)
    if madds == 0 and nbytes == 0 and ops == 0:
        return LayerTime(node.path, kind, "free", 0.0, 0.0, 0.0, 0.0, 0.0)
    cat = category(node)
    rate = profile.peak_madds_per_s * profile.efficiency.get(cat, 1.0)
    compute = madds / rate + ops / profile.peak_madds_per_s
    cached = profile.cache_bytes is not None and nbytes <= profile.cache_bytes
    bandwidth = profile.cache_bandwidth_bytes_per_s if cached else profile.bandwidth_bytes_per_s
    return LayerTime(node.path, kind, cat, madds, nbytes, compute, nbytes / bandwidth,
                     profile.overhead_s, cached)


def estimate(analysis, profile: Profile, batch: int | None = None) -> Estimate:
    """Latency of one forward pass of `batch` images (profile's default batch if None).

    `analysis` is a numeric `costmodel.analyse(...)` result. This is the library entry point
    for other commands (e.g. `compare --device`): `estimate(a, load("gtx1080ti")).latency_s`.
    """
    batch = profile.batch if batch is None else batch
    if batch < 1:
        raise UsageError(f"batch must be a positive integer, got {batch}")
    nodes = analysis.graph.nodes
    times = [layer_time(n, c, profile, batch) for n, c in zip(nodes, analysis.costs)]
    groups = [(g.path, g.label, g.path.count("/"), sum(t.time_s for t in times[g.start:g.end]))
              for g in analysis.graph.groups]
    return Estimate(profile, batch, times, groups)


def terms(analysis, profile: Profile, batch: int, bounds: list | None = None) -> tuple:
    """The model as a linear form: (coefficients per PARAMS entry, bound per layer).

    time = Σ coefficient[p] · value[p] over PARAMS, where value = inverse_rates(profile).
    Each layer contributes its compute terms if it is compute-bound, its memory term if
    memory-bound (by `bounds` when given, else by `profile`), and one operator overhead.
    """
    est = estimate(analysis, profile, batch)
    coef = dict.fromkeys(PARAMS, 0.0)
    chosen = []
    for i, (lt, cost) in enumerate(zip(est.layers, analysis.costs)):
        if lt.category in ("fused", "free"):
            chosen.append("-")
            continue
        bound = bounds[i] if bounds else lt.bound
        chosen.append(bound)
        coef["s_per_op"] += 1
        if bound == "compute":
            key = {"dense": "s_per_madd", "grouped": "s_per_grouped_madd",
                   "depthwise": "s_per_depthwise_madd"}.get(lt.category, "s_per_madd")
            coef[key] += lt.madds
            coef["s_per_madd"] += float(cost.extra_flops) * batch
        else:
            coef["s_per_cache_byte" if lt.cached else "s_per_byte"] += lt.bytes
    return coef, chosen


def inverse_rates(p: Profile) -> dict:
    """The profile as the values of PARAMS (seconds per madd, per byte, per operator)."""
    cache_bw = p.cache_bandwidth_bytes_per_s or p.bandwidth_bytes_per_s
    return {"s_per_madd": 1 / p.peak_madds_per_s,
            "s_per_grouped_madd": 1 / (p.peak_madds_per_s * p.efficiency["grouped"]),
            "s_per_depthwise_madd": 1 / (p.peak_madds_per_s * p.efficiency["depthwise"]),
            "s_per_byte": 1 / p.bandwidth_bytes_per_s, "s_per_cache_byte": 1 / cache_bw,
            "s_per_op": p.overhead_s}


def from_inverse_rates(p: Profile, v: dict) -> Profile:
    """A profile with the rates of `v` (the inverse of `inverse_rates`)."""
    peak = 1 / v["s_per_madd"]
    changes = dict(peak_madds_per_s=peak, bandwidth_bytes_per_s=1 / v["s_per_byte"],
                   overhead_s=v["s_per_op"],
                   efficiency={"grouped": min(1.0, v["s_per_madd"] / v["s_per_grouped_madd"]),
                               "depthwise": min(1.0, v["s_per_madd"] / v["s_per_depthwise_madd"])})
    if p.cache_bytes is not None:
        changes["cache_bandwidth_bytes_per_s"] = 1 / v["s_per_cache_byte"]
    return p.with_values(**changes)
