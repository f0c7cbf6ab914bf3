"""Latency model, calibration and peak activation memory (issue 8).

Expected values are hand derivations written as arithmetic, or published figures with their
source. No timing assertions; everything here runs in a few seconds.
"""
import json
import os

import pytest

from costmodel import calibrate as cal
from costmodel import latency as lt
from costmodel import measurements as ms
from costmodel import memory, profile
from costmodel.analysis import analyse, load_spec, load_text
from tests.conftest import ROOT, spec_path

# A round-number device: 1e9 madds/s, 1e9 bytes/s, 1 us per operator, fp32.
HAND = profile.Profile(name="hand", peak_madds_per_s=1e9, bandwidth_bytes_per_s=1e9,
                       overhead_s=1e-6, bytes_per_element=4, batch=1,
                       efficiency={"grouped": 0.5, "depthwise": 0.25}, fused=("bn",))


def net(body: str, c: int = 128, h: int = 56) -> object:
    text = f"name: t\nversion: 1\ninput: [{c}, {h}, {h}]\nlayers:\n{body}"
    return analyse(load_text(text, "<test>"))


def only(est, kind):
    return next(l for l in est.layers if l.kind == kind)


# -- roofline arithmetic -------------------------------------------------------------------

def test_pointwise_conv_is_compute_bound_with_hand_derived_time():
    # ShuffleNet V2 G1 layer: 1x1 conv 128 -> 128 on 56x56
    a = net("  - conv: {c: 128, k: 1}\n")
    l = lt.estimate(a, HAND, 1).layers[0]
    madds = 56 * 56 * 128 * 128                      # 51,380,224
    nbytes = (56 * 56 * 128 * 2 + 128 * 128) * 4     # read + write maps, read weights, fp32
    assert (l.madds, l.bytes) == (madds, nbytes)
    assert l.compute_s == pytest.approx(madds / 1e9)
    assert l.memory_s == pytest.approx(nbytes / 1e9)
    assert l.bound == "compute"
    assert l.time_s == pytest.approx(madds / 1e9 + 1e-6)     # max(compute, memory) + overhead
    assert l.intensity == pytest.approx(51_380_224 / 3_276_800)


def test_batch_multiplies_maps_but_reads_weights_once():
    a = net("  - conv: {c: 128, k: 1}\n")
    l = lt.estimate(a, HAND, 8).layers[0]
    assert l.madds == 8 * 56 * 56 * 128 * 128
    assert l.bytes == (8 * 56 * 56 * 128 * 2 + 128 * 128) * 4


def test_relu_is_memory_bound():
    a = net("  - relu\n", c=16, h=7)
    l = lt.estimate(a, HAND, 1).layers[0]
    n = 16 * 7 * 7
    assert l.compute_s == pytest.approx(n / 1e9)              # 1 op per element at peak
    assert l.memory_s == pytest.approx(2 * n * 4 / 1e9)       # read + write, fp32
    assert l.bound == "memory"
    assert l.time_s == pytest.approx(2 * n * 4 / 1e9 + 1e-6)


def test_grouped_and_depthwise_convs_run_at_their_efficiency():
    a = net("  - conv: {c: 128, k: 1, g: 4}\n  - dwconv: {k: 3}\n  - conv: {c: 128, k: 3, g: 128}\n")
    est = lt.estimate(a, HAND, 1)
    g, dw, dw2 = est.layers
    assert [l.category for l in est.layers] == ["grouped", "depthwise", "depthwise"]
    assert g.compute_s == pytest.approx(56 * 56 * 128 * 128 / 4 / (1e9 * 0.5))
    assert dw.compute_s == pytest.approx(56 * 56 * 9 * 128 / (1e9 * 0.25))
    assert dw2.compute_s == pytest.approx(dw.compute_s)      # conv with g = c is depthwise


def test_fused_bn_and_views_take_no_time():
    a = net("  - conv: {c: 8, k: 1}\n  - bn\n  - flatten\n  - fc: {c: 10}\n", c=8, h=4)
    est = lt.estimate(a, HAND, 1)
    assert [l.category for l in est.layers] == ["dense", "fused", "free", "dense"]
    assert only(est, "bn").time_s == 0 and only(est, "flatten").time_s == 0
    assert est.latency_s == pytest.approx(sum(l.time_s for l in est.layers))


def test_time_shares_add_up_and_name_elementwise_work():
    a = net("  - conv: {c: 16, k: 1}\n  - relu\n", c=16, h=8)
    share = lt.estimate(a, HAND, 1).share()
    assert share["dense"] + share["elementwise"] == pytest.approx(1.0)
    assert share["grouped"] == share["depthwise"] == 0


def test_latency_json_carries_total_and_layer_times(cli):
    code, out, err = cli("latency", spec_path("mobilenet_v2.yaml"), "--device",
                         "snapdragon810", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["totals"]["latency_s"] == pytest.approx(sum(l["time_s"] for l in doc["layers"]))
    assert doc["batch"] == 1                        # the Snapdragon 810 profile's ARM batch
    assert {"path", "intensity", "bound", "time_s"} <= set(doc["layers"][0])


def test_latency_text_and_usage_errors(cli):
    code, out, _ = cli("latency", spec_path("mobilenet_v2.yaml"), "--device", "gtx1080ti",
                       "--depth", "1")
    assert code == 0 and "latency" in out and "stage3" in out
    code, _, err = cli("latency", spec_path("mobilenet_v2.yaml"), "--device", "tpu9000")
    assert code == 2 and "unknown device 'tpu9000'" in err and "gtx1080ti" in err


def test_every_shipped_profile_loads_and_cites_its_numbers():
    for name in ("gtx1080ti", "snapdragon810", "laptop-cpu"):
        p = profile.load(name)
        for field in profile.NUMBERS + ("efficiency.grouped", "efficiency.depthwise"):
            assert p.sources[field].strip(), (name, field)


def test_profile_without_source_is_a_located_error(tmp_path, cli):
    bad = tmp_path / "dev.yaml"
    bad.write_text("name: x\npeak_madds_per_s: 1e9\nbandwidth_bytes_per_s: 1e9\n"
                   "overhead_s: 0\nbytes_per_element: 4\nbatch: 1\n"
                   "sources: {peak_madds_per_s: a, bandwidth_bytes_per_s: b, overhead_s: c,"
                   " bytes_per_element: d}\n")
    code, _, err = cli("latency", spec_path("mobilenet_v2.yaml"), "--device", str(bad))
    assert code == 1 and f"{bad}:7:" in err and "'batch' has no source" in err


def test_profile_round_trips_through_dump(tmp_path):
    p = profile.load("snapdragon810")
    f = tmp_path / "p.yaml"
    f.write_text(profile.dump(p))
    q = profile.load(str(f))
    assert (q.peak_madds_per_s, q.bandwidth_bytes_per_s) == \
        pytest.approx((p.peak_madds_per_s, p.bandwidth_bytes_per_s), rel=1e-3)
    assert q.efficiency == pytest.approx(p.efficiency, rel=1e-3)   # a dict: compared on its own


def test_measurement_units_become_seconds_per_batch():
    assert ms.to_seconds(8.0, "images_per_s", 8) == 1.0       # 8 images at 8 images/s
    assert ms.to_seconds(4.0, "batches_per_s", 8) == 0.25
    assert ms.to_seconds(250, "ms", 1) == 0.25


# -- calibration ---------------------------------------------------------------------------

TRUE = profile.Profile(name="true", peak_madds_per_s=2e9, bandwidth_bytes_per_s=5e8,
                       overhead_s=3e-5, bytes_per_element=4, batch=1,
                       efficiency={"grouped": 0.6, "depthwise": 0.6}, fused=("bn",))
PRIOR = TRUE.with_values(peak_madds_per_s=8e9, bandwidth_bytes_per_s=25e9, overhead_s=1e-6,
                         efficiency={"grouped": 1.0, "depthwise": 1.0})


def synthetic_points(noise=None):
    """Stacked-layer benchmarks (specs/experiments) timed on TRUE: the ground truth."""
    E = os.path.join(ROOT, "specs", "experiments")
    cases = [("g1_channel_ratio.yaml", {"c1": c1, "c2": c2}) for c1, c2 in
             ((8, 8), (32, 32), (128, 128), (16, 96), (64, 384))]
    cases += [("g2_group_conv.yaml", {"c": c, "g": g}) for c, g in
              ((64, 1), (128, 2), (256, 4), (360, 8), (16, 4))]
    cases += [("g4_bottleneck_relu_shortcut.yaml", {"c": c}) for c in (32, 128)]
    cases += [("g3_parallel4.yaml", {"c": 8})]
    points = []
    for i, (spec, values) in enumerate(cases):
        a = analyse(load_spec(os.path.join(E, spec)), values)
        t = lt.estimate(a, TRUE, 1).latency_s
        if noise:
            t *= 1 + noise[i % len(noise)]
        points.append(cal.Point(spec, a, 1, t))
    return points


def test_calibration_recovers_known_parameters():
    fit = cal.fit(synthetic_points(), PRIOR)
    p = fit.profile
    assert p.peak_madds_per_s == pytest.approx(2e9, rel=1e-3)
    assert p.bandwidth_bytes_per_s == pytest.approx(5e8, rel=1e-3)
    assert p.overhead_s == pytest.approx(3e-5, rel=1e-3)
    assert p.efficiency["grouped"] == pytest.approx(0.6, rel=1e-3)
    assert fit.max_abs_rel_error < 1e-6
    assert "s_per_depthwise_madd" in fit.tied        # no depthwise conv in the data


def test_calibration_with_noise_stays_close():
    noise = [0.03, -0.02, 0.01, -0.03, 0.02, 0.0, -0.01]       # +-3 %, deterministic
    p = cal.fit(synthetic_points(noise), PRIOR).profile
    assert p.peak_madds_per_s == pytest.approx(2e9, rel=0.1)
    assert p.bandwidth_bytes_per_s == pytest.approx(5e8, rel=0.1)
    assert p.efficiency["grouped"] == pytest.approx(0.6, rel=0.1)


def test_nnls_clamps_negative_directions_to_zero():
    # min ||x - (1, -1)|| with x >= 0 is x = (1, 0)
    assert list(cal.nnls([[1, 0], [0, 1]], [1, -1])) == [1, 0]
    # a 3-point line fit through the origin: y = 2x exactly
    assert list(cal.nnls([[1], [2], [3]], [2, 4, 6])) == pytest.approx([2])


def test_madds_only_baseline_and_spearman():
    pts = synthetic_points()[:3]
    # time exactly proportional to madds: s = 1 / 1e9 recovered
    pts = [cal.Point(p.label, p.analysis, 1, float(p.analysis.totals.madds) / 1e9) for p in pts]
    s, pred = cal.fit_madds_only(pts)
    assert s == pytest.approx(1e-9)
    assert cal.spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert cal.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)   # 1 - 6*2/(4*15)


def test_calibrate_command_writes_a_loadable_profile(tmp_path, cli):
    out = tmp_path / "fitted.yaml"
    data = os.path.join(ROOT, "docs", "data", "shufflenet_v2_controlled_snapdragon810.yaml")
    code, text, err = cli("calibrate", "--device", "snapdragon810", "--measurements", data,
                          "-o", str(out))
    assert code == 0, err
    assert "fit error: median |relative error|" in text and "T2 g=8" in text
    p = profile.load(str(out))
    assert p.calibration["points"] == 51                  # 12 + 12 + 15 + 12 table cells
    assert "fitted by costmodel calibrate" in p.sources["peak_madds_per_s"]


def test_calibrate_input_errors_are_located_or_usage(tmp_path, cli):
    bad = tmp_path / "m.yaml"
    bad.write_text("unit: furlongs\nmeasurements: []\n")
    code, _, err = cli("calibrate", "--device", "gtx1080ti", "--measurements", str(bad))
    assert code == 1 and f"{bad}:1:7: error: unit: 'furlongs' is not one of" in err
    bad.write_text("unit: s\nmeasurements: []\n")
    code, _, err = cli("calibrate", "--device", "gtx1080ti", "--measurements", str(bad))
    assert code == 2 and "no measurements" in err


# -- peak activation memory ----------------------------------------------------------------

def test_chain_peak_is_a_layer_and_its_input():
    # 3x8x8 input (192) -> conv 4 (256) -> relu (256) -> conv 2 (128)
    a = net("  - conv: {c: 4, k: 1}\n  - relu\n  - conv: {c: 2, k: 1}\n", c=3, h=8)
    p = memory.peak(a, 4)
    # step 0: 192 + 256 = 448; step 1: 256 + 256 = 512 (input freed); step 2: 256 + 128 = 384
    assert p.bytes == 512 * 4 and p.path == "relu"
    assert memory.peak(a, 4, inplace=True).bytes == 448 * 4   # relu overwrites the conv output


def test_residual_input_is_held_while_the_body_runs():
    # 4x4x4 input (64), held for the add: conv 64, relu 64, add 64
    a = net("  - residual: [conv: {c: 4, k: 3}, relu]\n", c=4, h=4)
    p = memory.peak(a, 1)
    # conv: 64 + 64 = 128; relu: 64 + 64 + 64 = 192; add: 64 + 64 + 64 = 192 (first: relu)
    assert p.bytes == 192 and p.path == "residual/relu"


def test_branch_outputs_are_held_while_siblings_run():
    # 2x4x4 input (32); branch 1 conv 8 (128), branch 2 conv 4 (64); concat 12x4x4 (192)
    a = net("  - concat:\n      - [conv: {c: 8, k: 1}]\n      - [conv: {c: 4, k: 1}]\n", c=2, h=4)
    p = memory.peak(a, 1)
    # b1: 32 + 128 = 160; b2: 32 + 128 + 64 = 224; concat: 128 + 64 + 192 = 384
    assert p.bytes == 384 and p.path == "concat/join"
    assert sorted(b for _, b in p.live) == [64, 128, 192]


def test_mobilenet_v1_stem_reproduces_mobilenet_v2_table3_early_1600k():
    # MobileNetV1's first layers at 224 (paper Table 1): conv 3x3/2 32, dw 3x3, pw 64
    a = net("  - conv: {c: 32, k: 3, s: 2}\n  - bn\n  - relu\n  - dwconv: {k: 3}\n  - bn\n"
            "  - relu\n  - conv: {c: 64, k: 1}\n  - bn\n  - relu\n", c=3, h=224)
    p = memory.peak(a, 2, streamed=True)
    # MobileNetV2 paper Table 3 (early arXiv revision): MobileNetV1 max 1600K at 16 bit;
    # 64 x 112 x 112 x 2 bytes = 1,605,632: the pointwise output, the only materialised map
    assert p.largest_tensor_bytes == 64 * 112 * 112 * 2
    # all materialised: the last ReLU's input and output, 64 x 112 x 112 each
    assert memory.peak(a, 2).bytes == 2 * 64 * 112 * 112 * 2


def test_mobilenet_v2_reproduces_table3_early_400k_when_streamed():
    a = analyse(load_spec(spec_path("mobilenet_v2.yaml")))
    streamed = memory.peak(a, 2, streamed=True)
    # MobileNetV2 paper Table 3 (early revision): max 400K at 16 bit = the 16 x 112 x 112
    # bottleneck; expansions are computed in channel chunks (Sec. 5.1), never materialised
    assert streamed.largest_tensor_bytes == 16 * 112 * 112 * 2          # 401,408
    sequential = memory.peak(a, 2)
    # without streaming: the first block's 96-channel expansion and its ReLU6 at 112 x 112
    assert sequential.bytes == 2 * 96 * 112 * 112 * 2
    assert sequential.path == "stage1/ir1/relu6_1"


def test_held_out_validation_runs_and_ours_beats_madds_only_on_error():
    """The whole pipeline on the paper's data: calibrate on Tables 1-4, predict Table 8 and
    Appendix Table 1 (the MobileNetV2 rows at least; more once the zoo specs exist)."""
    import importlib.util
    path = os.path.join(ROOT, "benchmarks", "latency_validation.py")
    spec = importlib.util.spec_from_file_location("latency_validation", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for dev in ("gtx1080ti", "snapdragon810"):
        r = mod.validate(dev, [], write_profiles=False)
        assert r["cal_points"] == 51
        allrows = r["subsets"]["all"]
        assert allrows["ours"]["n"] >= 12          # 6 Table 8 + 6 Appendix MobileNetV2 rows
        assert allrows["ours"]["median"] < allrows["madds"]["median"]
