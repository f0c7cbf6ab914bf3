"""Design space (issue 6): formula, sweep, sensitivity, crossover, compare and its plots.

Expected values come from papers (MobileNets eq. 6 and Tables 1, 6, 7; MobileNetV2 Table 1's
bottleneck cost), from exact counts of reference implementations (copied from docs/reference-measurements,
source in each comment), or from hand derivations written below as arithmetic.
"""
import csv
import io
import json
import os
import sys
from fractions import Fraction as F

import pytest
import sympy

from costmodel.analysis import analyse, closed_form, load_spec
from costmodel.spec.expr import make_divisible
from tests.conftest import ROOT, run_cli, spec_path

DATA = os.path.join(ROOT, "tests", "data")
V1 = os.path.join(DATA, "mobilenet_v1.yaml")   # our MobileNetV1 test copy (Table 1, int(c*alpha))
V2 = spec_path("mobilenet_v2.yaml")
ZOO_V1 = spec_path("mobilenet_v1.yaml")       # the zoo's spec, once it exists
ALPHA, R = sympy.Symbol("alpha", positive=True), sympy.Symbol("resolution", positive=True)

# MobileNetV1 exact counts: docs/reference-measurements measured, pytorchcv get_mobilenet(width_scale=a) with
# forward hooks (conv + linear multiply-adds; trainable params). (alpha, resolution) → ...
V1_EXACT = {(1, 224): (4_231_976, 568_740_352), (1, 192): (4_231_976, 418_121_728),
            (1, 160): (4_231_976, 290_675_200), (1, 128): (4_231_976, 186_400_768),
            (F(3, 4), 224): (2_585_560, 325_400_448), (F(1, 2), 224): (1_331_592, 149_497_088),
            (F(1, 4), 224): (470_072, 41_030_272)}
# MobileNets paper Table 6 (width) and Table 7 (resolution): million Mult-Adds, million params.
V1_PAPER = {(1, 224): (569, 4.2), (F(3, 4), 224): (325, 2.6), (F(1, 2), 224): (149, 1.3),
            (F(1, 4), 224): (41, 0.5), (1, 192): (418, 4.2), (1, 160): (290, 4.2),
            (1, 128): (186, 4.2)}
# MobileNetV2 madds by resolution, torchvision exact (conv + linear hooks), alpha = 1.
V2_BY_RESOLUTION = {224: 300_774_272, 192: 221_316_608, 160: 154_083_200, 128: 99_074_048,
                    96: 56_289_152}


def v1_specs():
    return [V1] + ([ZOO_V1] if os.path.exists(ZOO_V1) else [])


def eq6_sum(alpha, resolution):
    """MobileNets paper: eq. 6 summed over Table 1's 13 depthwise separable layers,
    D_K·D_K·αM·ρD_F·ρD_F + αM·αN·ρD_F·ρD_F with ρ = resolution/224 and D_F the output size
    at 224; plus the full 3×3 stem conv (3 → 32α at 112ρ) and the fc (1024α → 1000)."""
    rho = sympy.sympify(resolution) / 224
    layers = [(32, 64, 112), (64, 128, 56), (128, 128, 56), (128, 256, 28), (256, 256, 28),
              (256, 512, 14)] + [(512, 512, 14)] * 5 + [(512, 1024, 7), (1024, 1024, 7)]
    dws = sum(3 * 3 * alpha * m * (rho * d) ** 2 + alpha * m * alpha * n * (rho * d) ** 2
              for m, n, d in layers)
    stem = 3 * 3 * 3 * (32 * alpha) * (rho * 112) ** 2
    return dws + stem + 1024 * alpha * 1000


# -- formula ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", v1_specs())
def test_mobilenet_v1_madds_is_the_paper_eq6_sum(path):
    from costmodel.design.closed import pieces
    a = analyse(load_spec(path), symbolic=["alpha", "resolution"], ideal=True)
    madds = closed_form(a.totals.madds, a.symbols)
    # one polynomial for alpha >= 1/4 (a spec with TF-slim's max(int(c·α), 8) has more pieces)
    [poly] = [p for p, cond in pieces(madds) if cond.subs({ALPHA: sympy.Rational(1, 2), R: 224})]
    assert sympy.expand(poly - eq6_sum(ALPHA, R)) == 0
    for (alpha, r), (params, exact) in V1_EXACT.items():
        assert madds.subs({ALPHA: sympy.Rational(alpha), R: r}) == exact
        assert eq6_sum(sympy.Rational(alpha), r) == exact


@pytest.mark.parametrize("point", sorted(V1_PAPER, key=str))
def test_mobilenet_v1_polynomial_gives_the_paper_tables(point):
    a = analyse(load_spec(V1), symbolic=["alpha", "resolution"], ideal=True)
    madds = closed_form(a.totals.madds, a.symbols)
    params = closed_form(a.totals.params, a.symbols)
    at = {ALPHA: sympy.Rational(point[0]), R: point[1]}
    paper_madds, paper_params = V1_PAPER[point]
    assert (params.subs(at), madds.subs(at)) == V1_EXACT[point]
    assert f"{float(params.subs(at)) / 1e6:.1f}" == f"{paper_params:.1f}"
    if point[1] == 224:             # Table 6: our count to the nearest million
        assert round(madds.subs(at) / 10**6) == paper_madds
    else:
        # Table 7 scales the 224 total by rho² (the paper's eq. 7), fc included:
        # 160: 568.74 M·(160/224)² = 290.17 M → 290, where the exact count is 290.68 M
        scaled = madds.subs({ALPHA: 1, R: 224}) * sympy.Rational(point[1], 224) ** 2
        assert round(scaled / 10**6) == paper_madds
        assert abs(madds.subs(at) - scaled) < 1024 * 1000      # the fc does not scale


def test_mobilenet_v2_madds_is_a_quadratic_in_resolution_matching_torchvision(cli):
    code, out, err = cli("formula", V2, "--symbols", "resolution", "--metric", "madds",
                         "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["exact_for"] == {"resolution": {"multiple_of": 32, "offset": 0}}
    [piece] = doc["formulas"]["madds"]["pieces"]
    assert piece["degree"] == {"resolution": 2}
    a = analyse(load_spec(V2), symbolic=["resolution"])
    quadratic = sympy.Poly(closed_form(a.totals.madds, a.symbols), R)
    assert quadratic.degree() == 2
    for r, exact in V2_BY_RESOLUTION.items():
        assert quadratic.eval(r) == exact
    printed = sympy.sympify(piece["formula"], locals={"resolution": R})
    assert sympy.expand(printed - quadratic.as_expr()) == 0


def test_formula_text_and_latex(cli):
    code, out, _ = cli("formula", V2, "--symbols", "resolution", "--metric", "madds")
    assert code == 0
    # design.md §2.3 worked example: madds(r) = 47751·r²/8 + 1,280,000 (exact at 96..224 above)
    assert "madds(resolution) = 47751*resolution**2/8 + 1280000" in out
    assert "exact for resolution a multiple of 32" in out
    code, out, _ = cli("formula", V2, "--symbols", "resolution", "--metric", "madds",
                       "--format", "latex")
    assert code == 0 and r"\frac{47751 \mathit{resolution}^{2}}{8} + 1280000" in out


def test_formula_with_max_is_piecewise(cli):
    # the last conv is 1280·max(1, alpha): two pieces, split at alpha = 1
    code, out, _ = cli("formula", V2, "--ideal", "--metric", "madds", "--format", "json")
    assert code == 0
    pieces = json.loads(out)["formulas"]["madds"]["pieces"]
    assert [p["when"] for p in pieces] == ["alpha <= 1", "alpha > 1"]
    # conv2's madds 1280·max(1, α)·320α·(r/32)² and the fc's 1000·1280·max(1, α) switch
    # from 1280 to 1280·α: the two pieces agree at alpha = 1 and differ above it
    low, high = (sympy.sympify(p["formula"], locals={"alpha": ALPHA, "resolution": R})
                 for p in pieces)
    assert sympy.expand(high - low) == sympy.expand(
        (ALPHA - 1) * (1280 * 320 * ALPHA * R**2 / 32**2 + 1000 * 1280))


@pytest.mark.parametrize("argv, says", [
    ([V2, "--metric", "madds"], ["make_divisible(32*alpha, 8)", "first at stem", "--ideal"]),
    ([V1, "--metric", "madds"], ["floor(32*alpha)", "first at stem", "--ideal"]),
    # a total stride of 32 with resolution only a multiple of 16: a floor survives
    ([V2, "--symbols", "resolution", "--multiple-of", "resolution=16"],
     ["floor(", "analysed as 16·q", "--multiple-of resolution=32", "total stride"]),
    ([V2, "--symbols", "resolution", "--multiple-of", "resolution=1"],
     ["floor(", "--multiple-of resolution=32"]),
])
def test_formula_refuses_and_explains(cli, argv, says):
    code, out, err = cli("formula", *argv)
    assert code == 2 and out == ""
    for text in says:
        assert text in err
    assert "Traceback" not in err


CAFFE_STEM = ("name: CaffeStem\nversion: 1\nsymbols: {resolution: 227}\n"
              "input: [3, resolution, resolution]\nlayers:\n"
              "  - conv: {c: 96, k: 11, s: 4, p: 0}\n  - maxpool: {k: 3, s: 2}\n  - gap\n")


def test_formula_with_an_offset_resolution_covers_227(cli, tmp_path):
    spec = tmp_path / "caffe_stem.yaml"
    spec.write_text(CAFFE_STEM)
    code, _, err = cli("formula", str(spec), "--metric", "madds")
    assert code == 2 and "--multiple-of resolution=32+3" in err      # 227 = 32·7 + 3
    code, out, err = cli("formula", str(spec), "--metric", "madds", "--format", "json",
                         "--multiple-of", "resolution=32+3")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["exact_for"] == {"resolution": {"multiple_of": 32, "offset": 3}}
    madds = sympy.sympify(doc["formulas"]["madds"]["formula"], locals={"resolution": R})
    # AlexNet (Caffe) conv1: 11·11·3·96 weights on a ((r − 11)/4 + 1)² map, exact for r ≡ 3 (mod 4)
    assert sympy.expand(madds - 11 * 11 * 3 * 96 * ((R - 11) / 4 + 1) ** 2) == 0
    assert madds.subs(R, 227) == 11 * 11 * 3 * 96 * 55 * 55


def test_ideal_drops_floor_but_keeps_repeat_counts_exact(cli, tmp_path):
    spec = tmp_path / "toy.yaml"
    spec.write_text("name: toy\nversion: 1\nsymbols: {alpha: 1}\ninput: [3, 8, 8]\nlayers:\n"
                    "  - conv: {c: 'floor(10*alpha)', k: 1}\n"
                    "  - repeat: {n: '5//2', body: [relu]}\n")
    code, out, err = cli("report", str(spec), "--symbolic", "alpha", "--ideal", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    madds = sympy.sympify(doc["totals"]["madds"], locals={"alpha": ALPHA})
    assert sympy.expand(madds - 3 * 10 * ALPHA * 8 * 8) == 0   # 1x1 conv 3 → 10α, floor dropped
    assert [r["kind"] for r in doc["layers"]] == ["conv", "relu", "relu"]   # 5//2 = 2


# -- sweep -----------------------------------------------------------------------------------

def test_grid_values_are_exact_and_inclusive():
    from costmodel.design.grid import decimal_text, parse_grid, unit
    grid = parse_grid(["alpha=0.25:1.5:0.05", "resolution=96,128:224:32"])
    assert len(grid["alpha"]) == 26 and grid["alpha"][0] == F(1, 4) and grid["alpha"][-1] == F(3, 2)
    assert F(7, 20) in grid["alpha"]                       # 0.35 exactly, not 0.35000000000000003
    assert grid["resolution"] == [96, 128, 160, 192, 224]
    assert unit(grid["alpha"]) == F(1, 20) and unit(grid["resolution"]) == 32
    shown = [decimal_text(v) for v in (F(7, 20), 224, F(1, 3), F(1, 8))]
    assert shown == ["0.35", "224", "1/3", "0.125"]


@pytest.mark.parametrize("bad", ["alpha=1:0.5:0.1", "alpha=0.1:1:0", "alpha=1:2", "alpha=",
                                 "alpha=a"])
def test_bad_grids_are_usage_errors(cli, bad):
    code, out, err = cli("sweep", V2, "--set", bad)
    assert code == 2 and "error" in err and "Traceback" not in err


def test_vectorised_make_divisible_equals_the_scalar_rule():
    import numpy as np
    from costmodel.design.vector import _make_divisible
    # Keras _make_divisible examples by hand: 0.35·24 = 8.4 → 8; 0.35·16 = 5.6 → 8 (min 8);
    # 1.4·24 = 33.6 → int(37.6)//8·8 = 32 (32 ≥ 0.9·33.6); 0.75·24 = 18 → int(22)//8·8 = 16,
    # below 0.9·18 = 16.2, so 16 + 8 = 24 (design.md §2.4: "at 0.75, 24·α = 18 rounds up to 24")
    n, e = np.array([168, 112, 672, 360]), 20            # 8.4, 5.6, 33.6, 18 as n/20
    assert list(_make_divisible(n, e, 8, 8)) == [8, 8, 32, 24]
    values = np.arange(1, 4001)
    for d, m in ((8, 8), (4, 4), (3, 3), (8, 16)):
        got = _make_divisible(values, 20, d, m)
        assert list(got) == [make_divisible(F(int(v), 20), d, m) for v in values]


def test_wide_formulas_fall_back_to_exact_python_ints():
    import numpy as np
    from costmodel.design.vector import compile_exact
    q = sympy.Symbol("q", positive=True, integer=True)
    program = compile_exact([10**30 * q**2 + 1, q / 2], [q], {q: 10})
    assert program.wide
    nums = program.numerators({q: np.array([3, 10])}, 2)
    assert list(nums[0]) == [9 * 10**30 + 1, 10**32 + 1] and program.denominators == [1, 2]


def _sweep_json(cli, path, *sets, metrics="params,madds,flops,mem_access"):
    code, out, err = cli("sweep", path, *sum((["--set", s] for s in sets), []),
                         "--metric", metrics, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    return [dict(zip(doc["columns"], row)) for row in doc["rows"]]


def test_sweep_equals_report_at_sampled_points(cli):
    rows = _sweep_json(cli, V2, "alpha=0.25:1.5:0.05,1.4,0.35", "resolution=96,100,128,160,224,227")
    assert len(rows) == 26 * 6                               # 1.4, 0.35 are already on the grid
    by_point = {(F(str(r["alpha"])), r["resolution"]): r for r in rows}
    sample = [(F(7, 20), 224), (F(3, 4), 224), (F(7, 5), 224), (F(7, 20), 227), (F(3, 4), 100),
              (F(7, 5), 96), (F(1, 4), 160), (F(3, 2), 128), (F(11, 20), 227), (1, 224)]
    for alpha, r in sample:
        code, out, _ = run_cli("report", V2, "--set", f"alpha={alpha}", "--set",
                               f"resolution={r}", "--format", "json")
        totals = json.loads(out)["totals"]
        for m in ("params", "madds", "flops", "mem_access"):
            assert by_point[(F(alpha), r)][m] == totals[m], (alpha, r, m)
    # and the reference implementation (torchvision, exact) at the published widths, 224
    assert by_point[(F(7, 5), 224)]["madds"] == 582_195_824
    assert by_point[(F(7, 5), 224)]["params"] == 6_108_776
    assert by_point[(F(3, 4), 224)]["madds"] == 209_069_792
    assert by_point[(F(7, 20), 224)]["madds"] == 59_285_808


def test_sweep_of_every_grid_point_equals_the_numeric_engine():
    from costmodel.design.grid import parse_grid
    from costmodel.design.sweep import sweep
    for path, sets in ((V1, ["alpha=0.3:1.2:0.15", "resolution=96,113,224"]),
                       (V2, ["alpha=0.35,0.75,1.4", "resolution=64:256:64"])):
        net = load_spec(path)
        result = sweep(net, parse_grid(sets), ["params", "madds", "mem_access"])
        names = [n for n, _ in result.axes]
        for j, idx in enumerate(zip(*result.index_arrays())):
            point = {n: result.axes[k][1][i] for k, (n, i) in enumerate(zip(names, idx))}
            t = analyse(net, point).totals
            assert [int(result.metrics[m][j]) for m in ("params", "madds", "mem_access")] \
                == [t.params, t.madds, t.mem_access], point


def test_sweep_enumerates_a_symbol_used_in_a_repeat_count(cli):
    rows = _sweep_json(cli, os.path.join(DATA, "depth_sweep.yaml"), "depth=1:3:1",
                       "alpha=0.5,0.75", "resolution=64,66")
    assert len(rows) == 12
    net = load_spec(os.path.join(DATA, "depth_sweep.yaml"))
    for r in rows:
        t = analyse(net, {"depth": r["depth"], "alpha": F(str(r["alpha"])),
                          "resolution": r["resolution"]}).totals
        assert (r["params"], r["madds"], r["mem_access"]) == (t.params, t.madds, t.mem_access)


def test_sweep_rejects_an_invalid_point_with_the_engine_message(cli):
    # c = 10·alpha at alpha = 0.35 is 3.5 channels
    code, out, err = cli("sweep", os.path.join(DATA, "half_channels.yaml"),
                         "--set", "alpha=0.5,0.35")
    assert code == 1 and out == ""
    assert "half_channels.yaml:8:5: error:" in err and "at alpha=0.35" in err and "7/2" in err


def test_sweep_can_skip_invalid_points(cli, capsys):
    code, out, _ = cli("sweep", os.path.join(DATA, "half_channels.yaml"), "--set",
                       "alpha=0.3:0.6:0.05", "--skip-invalid", "--metric", "params,madds")
    assert code == 0 and "left out 3 of 7 points" in capsys.readouterr().err
    rows = list(csv.reader(io.StringIO(out)))[1:]
    # 10·alpha channels are whole only at 0.3, 0.4, 0.5, 0.6; a 1x1 conv 3 → 10α on 8×8
    assert rows == [[a, str(3 * c), str(3 * c * 8 * 8)] for a, c in
                    (("0.3", 3), ("0.4", 4), ("0.5", 5), ("0.6", 6))]


def test_sweep_csv_header_and_exact_integers(cli):
    code, out, _ = cli("sweep", V2, "--set", "alpha=0.35", "--set", "resolution=96,224",
                       "--metric", "madds")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["alpha", "resolution", "madds"]
    assert rows[2] == ["0.35", "224", "59285808"]    # torchvision mobilenet_v2(width_mult=0.35)
    assert rows[1][:2] == ["0.35", "96"]
    # TF-slim README: mobilenet_v2_0.35_96, 11 million multiply-adds ("MACs", truncated)
    assert int(rows[1][2]) // 10**6 == 11
    code, out2, _ = run_cli("report", V2, "--set", "alpha=0.35", "--set", "resolution=96",
                            "--format", "json")
    assert json.loads(out2)["totals"]["madds"] == int(rows[1][2])


# -- sensitivity -----------------------------------------------------------------------------

def ir_madds(cin, t, cout, size_in, stride):
    """MobileNetV2 paper Table 1: a bottleneck costs h·w·d'·t·(d' + k² + d'') multiply-adds
    (k = 3); with stride 2 the expansion runs at the input size, the rest at the output size.
    t = 1 has no expansion conv (torchvision)."""
    out = size_in // stride
    expand = size_in ** 2 * cin * cin * t if t != 1 else 0
    return expand + out ** 2 * cin * t * (9 + cout)


def test_sensitivity_of_mobilenet_v2_in_resolution(cli):
    code, out, err = cli("sensitivity", V2, "--symbolic", "resolution", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    r = doc["symbols"]["resolution"]
    # madds = a·r² + c with a = 47751/8, c = 1,280,000 (fc): ∂/∂r = 2a·r and the
    # elasticity r·f'/f = 2a·r²/(a·r² + c)
    a, c = F(47751, 8), 1_280_000
    assert F(r["at_point"]["left"]) == 2 * a * 224
    assert F(r["elasticity"]["left"]) == 2 * a * 224**2 / (a * 224**2 + c)
    # as r → ∞ the fc's share → 0 and each stage's share → its r² coefficient / a; stage
    # coefficients from the paper's bottleneck cost at r = 224 (sizes in, from Table 2)
    rows = [(16, 6, 24, 2, 112), (24, 6, 32, 3, 56), (32, 6, 64, 4, 28), (64, 6, 96, 3, 14),
            (96, 6, 160, 3, 14), (160, 6, 320, 1, 7)]
    stages = {}
    for i, (cin, t, cout, n, size) in enumerate(rows, 1):
        stride = 1 if i in (4, 6) else 2
        total = ir_madds(cin, t, cout, size, stride) \
            + (n - 1) * ir_madds(cout, t, cout, size // stride, 1)
        stages[f"stage{i}"] = F(total, 224**2)
    assert stages["stage1"] == 1095 and stages["stage4"] == 1158
    for name, coefficient in stages.items():
        assert F(r["share_limit"][name]) == coefficient / a
    assert F(r["share_limit"]["fc"]) == 0
    best = max(stages, key=stages.get)
    code, text, _ = cli("sensitivity", V2, "--symbolic", "resolution")
    assert f"{best} dominates" in text and best == "stage4"


def test_sensitivity_kink_gives_left_and_right_derivatives(cli):
    code, out, _ = cli("sensitivity", V2, "--symbolic", "alpha", "--format", "json")
    v = json.loads(out)["symbols"]["alpha"]
    left, right = F(v["at_point"]["left"]), F(v["at_point"]["right"])
    # above alpha = 1 the last conv (320α → 1280α at 7×7) and the fc (1280α·1000) grow too:
    # right − left = d/dα [(α − 1)·(1280·320·α·49 + 1280·1000)] at α = 1
    assert right - left == 1280 * 320 * 49 + 1280 * 1000


def test_report_sensitivity_flag(cli):
    code, out, _ = cli("report", V2, "--symbolic", "resolution", "--sensitivity", "--depth", "1")
    assert code == 0 and "∂madds/∂resolution = 47751*resolution/4" in out and "totals" in out
    code, out, _ = cli("report", V2, "--symbolic", "resolution", "--sensitivity", "mem_access",
                       "--format", "json")
    assert code == 0 and json.loads(out)["sensitivity"]["metric"] == "mem_access"
    code, _, err = cli("report", V2, "--sensitivity")
    assert code == 2 and "--symbolic" in err


# -- crossover -------------------------------------------------------------------------------

def test_crossover_pointwise_overtakes_depthwise_at_ideal_widths(cli):
    # first separable layer at D_F = 112ρ: pointwise 32α·64α·D², depthwise 9·32α·D²:
    # equal where 64α = 9, α = 9/64
    code, out, err = cli("crossover", f"{V1}#dws1/conv", f"{V1}#dws1/dwconv", "--symbol",
                         "alpha", "--ideal", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    [event] = doc["events"]
    assert event["at"]["exact"] == "9/64" and event["kind"] == "crossing"
    assert (event["before"], event["after"]) == ("A cheaper", "B cheaper")


def test_crossover_with_truncated_widths_is_a_plateau(cli):
    # rounded: pointwise floor(32α)·floor(64α)·D², depthwise 9·floor(32α)·D²: equal while
    # floor(64α) = 9, i.e. 9/64 <= α < 10/64, pointwise dearer from 10/64 = 5/32 on
    code, out, _ = cli("crossover", f"{V1}#dws1/conv", f"{V1}#dws1/dwconv", "--symbol",
                       "alpha", "--range", "0.05:0.5", "--format", "json")
    doc = json.loads(out)
    assert [(r["lo"]["exact"], r["hi"]["exact"], r["cheaper"]) for r in doc["regions"]] == [
        ("1/20", "9/64", "A cheaper"), ("9/64", "5/32", "equal"), ("5/32", "1/2", "B cheaper")]
    assert [e["kind"] for e in doc["events"]] == ["jump", "jump"]


def test_crossover_needs_a_range_with_rounding(cli):
    code, _, err = cli("crossover", f"{V1}#dws1/conv", f"{V1}#dws1/dwconv", "--symbol", "alpha")
    assert code == 2 and "--range" in err


def test_crossover_of_two_quadratics_in_resolution_is_exact():
    from costmodel.design.crossover import compare
    v1 = closed_form(analyse(load_spec(V1), symbolic=["resolution"]).totals.madds,
                     analyse(load_spec(V1), symbolic=["resolution"]).symbols)
    v2 = closed_form(analyse(load_spec(V2), symbolic=["resolution"]).totals.madds,
                     analyse(load_spec(V2), symbolic=["resolution"]).symbols)
    events, _ = compare(v2 - v1, R, sympy.Integer(0), sympy.oo)
    # V1 = eq. 6 at α = 1 (a1·r² + 1,024,000); V2 = 47751/8·r² + 1,280,000: equal at
    # r² = (1,280,000 − 1,024,000) / (a1 − 47751/8)
    a1 = sympy.Poly(eq6_sum(1, R), R).coeff_monomial(R**2)
    [event] = events
    crossing_squared = sympy.Rational(1_280_000 - 1_024_000) / (a1 - sympy.Rational(47751, 8))
    assert sympy.expand(event.at**2 - crossing_squared) == 0
    assert (event.before, event.after) == (1, -1)        # V2 dearer below (its fc), cheaper above


# -- compare ---------------------------------------------------------------------------------

def test_compare_table_shows_published_figures_beside_ours(cli):
    code, out, err = cli("compare", V2, V1)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:6] == ["network", "resolution", "symbols", "params", "madds",
                                    "mem_access"]
    v1 = next(line for line in lines if line.startswith("MobileNetV1"))
    assert "568.74M" in v1 and "569M" in v1 and "MobileNets paper Tables 6-7" in v1
    assert "TF-slim mobilenet_v1.md" in out                  # the second figure at the same point
    code, out, _ = cli("compare", V2, V1, "--set", "alpha=0.75", "--format", "json")
    doc = json.loads(out)
    v1 = doc[1]
    assert v1["totals"]["madds"] == 325_400_448              # pytorchcv exact (V1_EXACT)
    assert [f["values"]["madds"] for f in v1["published"]] == [325_000_000]   # Table 6 only
    assert doc[0]["symbols"]["alpha"] == "3/4" and doc[0]["totals"]["madds"] == 209_069_792


def test_compare_applies_set_only_where_the_symbol_exists(cli, tmp_path):
    spec = tmp_path / "fixed.yaml"
    spec.write_text("name: Fixed\nversion: 1\nsymbols: {resolution: 32}\n"
                    "input: [3, resolution, resolution]\nlayers:\n  - conv: {c: 8, k: 3}\n")
    code, out, err = cli("compare", str(spec), V2, "--set", "alpha=0.5", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["symbols"] == "-" and rows[0]["madds"] == str(3 * 3 * 3 * 8 * 32 * 32)
    assert rows[1]["symbols"] == "alpha=1/2" and rows[1]["madds"] == "97131840"  # torchvision 0.5
    code, _, err = cli("compare", str(spec), "--set", "beta=2")
    assert code == 2 and "no spec has this symbol" in err


def test_plot_without_matplotlib_says_how_to_install(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)      # import matplotlib fails
    target = tmp_path / "zoo.png"
    code, out, err = cli("compare", V2, "--plot", str(target))
    assert code == 2 and "pip install 'costmodel[plot]'" in err and not target.exists()


def _svg_texts(path):
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    return root, ["".join(t.itertext()) for t in root.iter() if t.tag.endswith("text")]


def test_plot_svg_has_the_three_panels(cli, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "zoo.svg"
    code, out, err = cli("compare", V2, V1, "--plot", str(target), "--layers-of", "2")
    assert code == 0, err
    assert target.stat().st_size > 20_000
    root, texts = _svg_texts(target)
    assert float(root.get("width").rstrip("pt")) > 500
    assert float(root.get("height").rstrip("pt")) > 400
    for label in ("params", "madds (multiply-adds)", "mem_access (elements)",
                  "layer (execution order)", "MobileNetV1", "MobileNetV2", "published"):
        assert label in texts, label
    assert any("madds/element" in t for t in texts)           # arithmetic-intensity lines
    assert any("depth of MobileNetV1" in t for t in texts)     # --layers-of 2
    assert "dws13/conv" in texts                                # per-layer tick labels


def test_plot_png_is_an_image_with_content(cli, tmp_path):
    pytest.importorskip("matplotlib")
    import struct
    import matplotlib.image as mpimg
    target = tmp_path / "zoo.png"
    code, _, err = cli("compare", V2, V1, "--plot", str(target))
    assert code == 0, err
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])          # IHDR: 14×10 inches at 100 dpi
    assert (width, height) == (1400, 1000) and len(data) > 50_000
    pixels = mpimg.imread(str(target))
    colours = {tuple(p) for p in pixels[::7, ::7].reshape(-1, pixels.shape[-1])}
    assert pixels.std() > 0.05 and len(colours) > 20


def test_plot_rejects_an_unknown_extension(cli, tmp_path):
    code, _, err = cli("compare", V2, "--plot", str(tmp_path / "zoo.gif"))
    assert code == 2 and ".png" in err
