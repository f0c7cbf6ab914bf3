"""Depthwise separable vs standard convolution (MobileNets, Howard et al. 2017, Sec. 3).

A standard k×k conv from M to N channels on a D_F×D_F map (stride 1, 'same' padding) costs
k²·M·N·D_F² multiply-adds (eq. 2); a depthwise k×k conv plus a 1×1 pointwise conv costs
k²·M·D_F² + M·N·D_F² (eq. 4), so the ratio is 1/N + 1/k² (eq. 5) — for params too, where our
notes write it (C_in·k² + C_in·C_out)/(C_in·k²·C_out). With width multiplier α and resolution
multiplier ρ the separable cost is k²·αM·ρD_F² + αM·αN·ρD_F² (eq. 6): quadratic in α and in ρ,
and the params do not depend on ρ.
"""
from __future__ import annotations

import sympy as sp

from costmodel.layers.base import Shape
from costmodel.proofs import engine as en
from costmodel.proofs.core import Proof
from costmodel.proofs.steps import Degree, Equal, NonNeg, Slope, Solve

NAME = "dwsep"
ORDER = 10
TITLE = "Depthwise separable convolution costs 1/N + 1/k² of a standard one"
SOURCE = ("MobileNets (Howard et al., 2017), Sec. 3.1 eqs. 2-5, Sec. 3.2-3.3 eq. 6; "
          "study notes: (C_in·k² + C_in·C_out)/(C_in·k²·C_out)")


def build(ctx) -> Proof:
    M, N, alpha, rho = en.sym("M N alpha rho")
    k, D, H = en.sym("k D_F H", integer=True)
    o = _origins(M, N, k, D, H, alpha)
    e = {key: org.expr for key, org in o.items()}
    steps = (_ratio_steps(e, M, N, k, D) + _eight_to_nine(e, N, k)
             + _width_resolution(e, M, N, k, D, H, alpha, rho))
    return Proof(NAME, TITLE, SOURCE,
                 "Replacing a standard k×k conv (M → N channels) by a depthwise k×k conv and a "
                 "1×1 conv multiplies madds and params by 1/N + 1/k²; with width α and "
                 "resolution ρ the separable madds are k²·αM·(ρD_F)² + αM·αN·(ρD_F)² (eq. 6).",
                 ("M, N, α, ρ > 0; k, D_F, H positive integers",
                  "stride 1 and 'same' padding: the output map is D_F×D_F", "no bias"),
                 list(o.values()), steps)


def _origins(M, N, k, D, H, alpha) -> dict:
    x, xa = Shape(M, D, D), Shape(alpha * M, H, H)
    std = dict(kind="conv", x=x, c=N, k=k, p="same")
    dw = dict(kind="dwconv", x=x, k=k, p="same")
    pw = dict(kind="conv", x=x, c=N, k=1)
    dwa = dict(kind="dwconv", x=xa, k=k, p="same")
    pwa = dict(kind="conv", x=xa, c=alpha * N, k=1)
    out = {}
    for key, spec, what in (("std", std, "conv(c=N, k=k, p='same') on M×D_F×D_F"),
                            ("dw", dw, "dwconv(k=k, p='same') on M×D_F×D_F"),
                            ("pw", pw, "conv(c=N, k=1) on M×D_F×D_F"),
                            ("dwa", dwa, "dwconv(k=k, p='same') on αM×H×H"),
                            ("pwa", pwa, "conv(c=αN, k=1) on αM×H×H")):
        for metric in ("madds", "params"):
            out[f"{key}_{metric}"] = en.layer_origin(f"{metric} of {what}", metric, **spec)
    return out


def _ratio_steps(e: dict, M, N, k, D) -> list:
    sep_m, sep_p = e["dw_madds"] + e["pw_madds"], e["dw_params"] + e["pw_params"]
    return [
        Equal("standard conv madds (eq. 2: D_K·D_K·M·N·D_F·D_F)", e["std_madds"], k**2 * M * N * D**2),
        Equal("depthwise conv madds (eq. 3)", e["dw_madds"], k**2 * M * D**2),
        Equal("pointwise 1×1 conv madds (eq. 4, second term)", e["pw_madds"], M * N * D**2),
        Equal("separable / standard madds (eq. 5)", sep_m / e["std_madds"], 1 / N + 1 / k**2),
        Equal("standard conv params", e["std_params"], k**2 * M * N),
        Equal("depthwise + pointwise params", sep_p, k**2 * M + M * N),
        Equal("separable / standard params, as the notes write it", sep_p / e["std_params"],
              (M * k**2 + M * N) / (M * k**2 * N)),
        Equal("... which is the same 1/N + 1/k²", sep_p / e["std_params"], 1 / N + 1 / k**2),
    ]


def _eight_to_nine(e: dict, N, k) -> list:
    """MobileNets: 3×3 separable convs use "between 8 to 9 times less computation"."""
    saving = (e["std_madds"] / (e["dw_madds"] + e["pw_madds"])).subs(k, 3)
    return [
        Equal("at k = 3 the saving factor standard / separable", saving, 9 * N / (N + 9)),
        NonNeg("it stays below 9 = k²", 9, 81 / (N + 9), strict=True, rhs=saving),
        Slope("it grows with N", saving, N, 81 / (N + 9) ** 2, +1),
        Solve("it reaches 8 at N = 72: between 8 and 9 for every N ≥ 72", saving - 8, N, (72,)),
    ]


def _width_resolution(e: dict, M, N, k, D, H, alpha, rho) -> list:
    madds = (e["dwa_madds"] + e["pwa_madds"]).subs(H, rho * D)
    params = e["dwa_params"] + e["pwa_params"]
    return [
        Equal("width α and resolution ρ: input αM×ρD_F×ρD_F, output αN channels (eq. 6)", madds,
              k**2 * alpha * M * (rho * D)**2 + alpha * M * alpha * N * (rho * D)**2),
        Degree("madds are quadratic in α", madds, alpha, 2),
        Degree("madds are quadratic in ρ", madds, rho, 2),
        Equal("params at width α", params, k**2 * alpha * M + alpha**2 * M * N),
        Degree("params are quadratic in α", params, alpha, 2),
        Degree("params do not depend on ρ", params, rho, 0),
        Equal("cost relative to α = ρ = 1", madds / madds.subs({alpha: 1, rho: 1}),
              alpha * rho**2 * (k**2 + alpha * N) / (k**2 + N)),
    ]
