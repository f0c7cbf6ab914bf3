"""Fitting a device profile to measured timings: non-negative least squares on roofline terms.

Each measured network i gives a time t_i. The latency model is linear in the profile's
inverse rates v (seconds per madd, per grouped/depthwise madd, per byte, per operator) once
every layer is assigned to its bound (compute or memory):  t̂_i = Σ_p A[i, p] · v[p]
(`latency.terms`). We minimise the relative error Σ_i ((t̂_i − t_i)/t_i)² subject to v >= 0:
weighted NNLS (Lawson & Hanson, "Solving Least Squares Problems", 1974, ch. 23), solved
exactly by trying every support set (there are at most 6 parameters: 64 small lstsq
solves). Because the bound of a layer depends on v, we alternate: assign bounds with the
current v, fit, reassign, until the assignment stops changing; the best true (max-model)
error seen is kept.

Parameters with no data (a column of zeros, e.g. depthwise madds when the measurements have
no depthwise conv) are not fitted: they stay tied to the fitted peak by the prior profile's
efficiency factor, and the report says so.

numpy is imported inside the functions (the numeric `report` path never imports it).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from costmodel import latency as lt
from costmodel.profile import Profile

# a parameter without data follows an anchor that has data, at the prior's ratio: depthwise
# conv is group conv with g = c, so it follows the grouped fit, else the dense peak
TIES = {"s_per_grouped_madd": ("s_per_madd",),
        "s_per_depthwise_madd": ("s_per_grouped_madd", "s_per_madd"),
        "s_per_cache_byte": ("s_per_byte",)}
MAX_ROUNDS = 30


@dataclass
class Point:
    """One measurement: an analysed network, its batch, the measured seconds per batch."""
    label: str
    analysis: object
    batch: int
    seconds: float


@dataclass
class Fit:
    profile: Profile
    predicted: list                  # seconds, one per point
    fitted: list                     # parameter names fitted from data
    tied: list                       # parameter names kept tied to the prior
    rounds: int
    errors: list = field(default_factory=list)   # relative errors (pred − meas)/meas

    @property
    def median_abs_rel_error(self) -> float:
        return median([abs(e) for e in self.errors])

    @property
    def max_abs_rel_error(self) -> float:
        return max(abs(e) for e in self.errors)


def median(xs: list) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def nnls(a, b):
    """argmin ||a x − b|| subject to x >= 0, exactly, by enumerating support sets.

    For p columns this solves 2^p unconstrained least-squares problems on subsets and keeps
    the best feasible one (the KKT solution is the unconstrained optimum on its support), so
    it is meant for the few roofline parameters (p <= 10), not for large problems."""
    import numpy as np
    a, b = np.asarray(a, float), np.asarray(b, float)
    p = a.shape[1]
    best, best_res = np.zeros(p), float(np.sum(b * b))
    for k in range(1, p + 1):
        for support in itertools.combinations(range(p), k):
            cols = list(support)
            x_s, *_ = np.linalg.lstsq(a[:, cols], b, rcond=None)
            if np.any(x_s < 0):
                continue
            x = np.zeros(p)
            x[cols] = x_s
            res = float(np.sum((a @ x - b) ** 2))
            if res < best_res - 1e-15 * max(1.0, best_res):
                best, best_res = x, res
    return best


def predict(points: list, profile: Profile) -> list:
    return [lt.estimate(p.analysis, profile, p.batch).latency_s for p in points]


def rel_errors(pred: list, points: list) -> list:
    return [(q - p.seconds) / p.seconds for q, p in zip(pred, points)]


def _objective(errors: list) -> float:
    return sum(e * e for e in errors)


def fit(points: list, prior: Profile, params: tuple = lt.PARAMS) -> Fit:
    """Fit `params` of `prior` to `points` (relative least squares, v >= 0)."""
    if not points:
        raise ValueError("no measurements to fit")
    profile, bounds = prior, None
    best = None
    for rounds in range(1, MAX_ROUNDS + 1):
        rows, chosen = [], []
        for p in points:
            coef, b = lt.terms(p.analysis, profile, p.batch, None)
            rows.append(coef)
            chosen.append(b)
        free, tied = _free_params(rows, params, prior)
        values = _solve(rows, points, free, lt.inverse_rates(prior), tied)
        profile = lt.from_inverse_rates(prior, values)
        pred = predict(points, profile)
        errs = rel_errors(pred, points)
        if best is None or _objective(errs) < _objective(best.errors):
            best = Fit(profile, pred, free, tied, rounds, errs)
        if chosen == bounds:
            break
        bounds = chosen
    return best


def _free_params(rows: list, params: tuple, prior: Profile) -> tuple:
    """Parameters with data are fitted; the rest stay tied to the prior (see module doc)."""
    free, tied = [], []
    for name in lt.PARAMS:
        has_data = any(r[name] for r in rows)
        if name == "s_per_cache_byte" and prior.cache_bytes is None:
            continue
        (free if has_data and name in params else tied).append(name)
    return free, tied


def _solve(rows: list, points: list, free: list, prior_values: dict, tied: list) -> dict:
    """Weighted NNLS for the free parameters; a tied one rides on its anchor's column."""
    import numpy as np
    anchors = {name: _anchor(name, free) for name in tied}
    a = np.zeros((len(rows), len(free)))
    rhs = np.zeros(len(rows))
    for i, (r, p) in enumerate(zip(rows, points)):
        w = 1.0 / p.seconds                       # relative error weighting
        fixed = 0.0
        for name in tied:
            anchor = anchors[name]
            if anchor:
                ratio = prior_values[name] / prior_values[anchor]
                a[i, free.index(anchor)] += r[name] * ratio * w
            else:
                fixed += r[name] * prior_values[name]
        for j, name in enumerate(free):
            a[i, j] += r[name] * w
        rhs[i] = (p.seconds - fixed) * w
    x = nnls(a, rhs)
    values = dict(prior_values)
    for j, name in enumerate(free):
        values[name] = float(x[j])
    for name in tied:
        if anchors[name]:
            values[name] = values[anchors[name]] * prior_values[name] / prior_values[anchors[name]]
    return _floor_rates(values, prior_values)


def _anchor(name: str, free: list) -> str | None:
    """The fitted parameter a data-less one follows (TIES), or None: keep the prior."""
    return next((a for a in TIES.get(name, ()) if a in free), None)


def _floor_rates(values: dict, prior_values: dict) -> dict:
    """A rate fitted to 0 s/unit would mean infinite speed: keep it at the smallest positive
    value the data allows (1e-6 of the prior), so the profile stays a valid, finite file."""
    out = dict(values)
    for name, v in values.items():
        if name != "s_per_op" and v <= 0:
            out[name] = prior_values[name] * 1e-6
    for name in ("s_per_grouped_madd", "s_per_depthwise_madd"):
        out[name] = max(out[name], out["s_per_madd"])       # efficiency <= 1
    return out


def fit_madds_only(points: list) -> tuple:
    """The baseline: time = madds · B · s, one parameter, fitted the same way (relative LS).

    Returns (seconds per madd, predictions)."""
    xs = [float(p.analysis.totals.madds) * p.batch for p in points]
    # minimise Σ((s·x − t)/t)² → s = Σ(x/t) / Σ(x/t)²
    num_ = sum(x / p.seconds for x, p in zip(xs, points))
    den = sum((x / p.seconds) ** 2 for x, p in zip(xs, points))
    s = num_ / den
    return s, [s * x for x in xs]


def spearman(a: list, b: list) -> float:
    """Spearman rank correlation (average ranks for ties; Pearson of the ranks)."""
    ra, rb = _ranks(a), _ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = math.sqrt(sum((x - ma) ** 2 for x in ra))
    vb = math.sqrt(sum((y - mb) ** 2 for y in rb))
    return cov / (va * vb) if va and vb else float("nan")


def _ranks(xs: list) -> list:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    ranks = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks
