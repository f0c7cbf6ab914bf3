"""Counting conventions (issue 7): each convention's total equals the tool's own total, to the
unit, on the zoo specs of torchvision's mobilenet_v2, shufflenet_v2_x1_0, resnext50_32x4d,
squeezenet1_0 and mobilenet_v3_large (and of the other zoo networks whose code we ran the
tools on); per-op attributions equal the tools' per-op breakdowns; `explain` splits
ShuffleNetV2's gap to the paper's 146M into counting and architecture.

Expected values were measured by running the tools (not by this code): torch 2.14.1+cu130 on
CPU, torchvision 0.29.1, fvcore 0.1.5.post20221221, thop 0.1.1.post2209072238, ptflops 0.7.5,
batch 1, 3x224x224, eval mode (recorded in docs/conventions.md, "Measured totals"). The specs
record how each reference implementation writes its ops (`impl:`, their header comments).
"""
import json
from fractions import Fraction

import pytest

from costmodel import conventions
from costmodel.analysis import analyse, load_spec, load_text
from costmodel.conventions.base import ConventionError, parse_count
from costmodel.conventions.compare import compare, parse_figure
from costmodel.conventions.impl import IMPLS, choices
from costmodel import layers
from costmodel.errors import SpecErrors, UsageError
from tests.conftest import ROOT, run_cli

# torchvision model -> the zoo spec of its graph
SPECS = {
    "mobilenet_v2": "specs/mobilenet_v2.yaml",
    "shufflenet_v2_x1_0": "specs/variants/shufflenet_v2_x1_0_torchvision.yaml",
    "resnext50_32x4d": "specs/resnext50_32x4d.yaml",
    "squeezenet1_0": "specs/squeezenet1_0.yaml",
    "mobilenet_v3_large": "specs/mobilenet_v3_large.yaml",
}
MEGVII = "specs/shufflenet_v2_x1_0.yaml"          # the Megvii code behind the paper's 146M

# Tool totals, measured (see module docstring): fvcore FlopCountAnalysis(...).total(),
# thop.profile(...)[0], ptflops get_model_complexity_info(...)[0] with backend 'pytorch'
# (the default) and 'aten'; "paper" is torchvision's conv + linear multiply-adds from forward
# hooks (torchvision's documented "GFLOPS").
MEASURED = {
    "mobilenet_v2": dict(paper=300_774_272, fvcore=314_193_216, thop=327_486_720,
                         ptflops=320_300_008, ptflops_aten=300_775_272),
    "shufflenet_v2_x1_0": dict(paper=144_907_992, fvcore=148_808_392, thop=152_708_792,
                               ptflops=152_387_568, ptflops_aten=144_908_992),
    "resnext50_32x4d": dict(paper=4_230_479_872, fvcore=4_259_381_248, thop=4_288_184_320,
                            ptflops=4_286_878_696, ptflops_aten=4_230_480_872),
    "squeezenet1_0": dict(paper=818_924_576, fvcore=819_093_576, thop=819_094_576,
                          ptflops=836_821_960, ptflops_aten=823_270_824),
    "mobilenet_v3_large": dict(paper=216_589_760, fvcore=226_033_824, thop=234_838_456,
                               ptflops=231_316_416, ptflops_aten=216_597_120),
}
# sum(p.numel() for p in model.parameters()) of the torchvision models (= torchvision docs)
PARAMS = {"mobilenet_v2": 3_504_872, "shufflenet_v2_x1_0": 2_278_604,
          "resnext50_32x4d": 25_028_904, "squeezenet1_0": 1_248_424,
          "mobilenet_v3_large": 5_483_032}


@pytest.fixture(scope="module")
def analyses():
    return {name: analyse(load_spec(f"{ROOT}/{path}")) for name, path in SPECS.items()}


def count(name, analysis):
    return conventions.apply(conventions.get(name), analysis).total


def cells(out: str, first: str) -> list:
    """The other cells of the output line whose first cell is `first`."""
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == first:
            return parts[1:]
    raise AssertionError(f"no line starting with {first!r}")


def signed(v: int) -> str:
    return f"{v:+,}".replace("-", "−")


def by_kind(name, analysis) -> dict:
    """label ('bn', 'relu (module)', ...) → the convention's count summed over those layers."""
    c = compare(conventions.get(name), conventions.get(name), analysis)
    return {ln.label: ln.a for ln in c.lines}


# -- the acceptance criterion: every convention equals its tool, for all five models --------
@pytest.mark.parametrize("model", sorted(MEASURED))
def test_specs_are_torchvisions_networks(analyses, model):
    a = analyses[model]
    assert a.totals.params == PARAMS[model]
    assert a.totals.madds == MEASURED[model]["paper"]


@pytest.mark.parametrize("model, convention",
                         [(m, c) for m in sorted(MEASURED) for c in sorted(MEASURED[m])])
def test_convention_total_equals_the_tool(analyses, model, convention):
    assert count(convention, analyses[model]) == MEASURED[model][convention]


# -- the other zoo specs whose reference code the tools were run on -------------------------
# Measured like MEASURED (same versions; /tmp throw-away venv, not a project dependency):
# torchvision models as shipped; Megvii's ShuffleNetV2/ShuffleNetV1 (network.py + blocks.py
# @ a96672f; V1 g = 1, 2, 4 with paper Table 1 widths) and CondenseNet-74 converted
# (condensenet_converted.py @ 011b71d4 + layers.py) as local restatements of the official code.
# (spec, symbol values, sum of parameter numels, tool totals)
ZOO_MEASURED = [
    ("specs/squeezenet1_1.yaml", {}, 1_235_496,
     dict(paper=349_151_936, fvcore=349_320_936, thop=349_321_936, ptflops=359_982_728,
          ptflops_aten=351_741_288)),
    ("specs/mobilenet_v3_small.yaml", {}, 2_542_856,
     dict(paper=56_510_400, fvcore=59_649_536, thop=62_477_944, ptflops=60_910_032,
          ptflops_aten=56_515_312)),
    ("specs/resnext101_32x8d.yaml", {}, 88_791_336,
     dict(paper=16_414_015_488, fvcore=16_476_534_784, thop=16_538_955_776,
          ptflops=16_537_650_152, ptflops_aten=16_414_016_488)),
    ("specs/variants/shufflenet_v2_x0_5_torchvision.yaml", {}, 1_366_792,
     dict(paper=40_476_448, fvcore=42_524_256, thop=44_572_064, ptflops=44_770_632,
          ptflops_aten=40_477_448)),
    ("specs/variants/shufflenet_v2_x1_5_torchvision.yaml", {}, 3_503_624,
     dict(paper=295_759_392, fvcore=301_294_432, thop=306_829_472, ptflops=306_049_608,
          ptflops_aten=295_760_392)),
    ("specs/variants/shufflenet_v2_x2_0_torchvision.yaml", {}, 7_393_996,
     dict(paper=583_253_464, fvcore=590_741_448, thop=598_229_432, ptflops=596_929_776,
          ptflops_aten=583_254_464)),
    # Megvii ShuffleNetV2: nn.AvgPool2d(7) global pool (thop 1 per output, fvcore 0), no FC bias
    ("specs/shufflenet_v2_x0_5.yaml", {}, 1_365_792,
     dict(paper=40_476_448, fvcore=42_524_256, thop=44_573_088, ptflops=44_869_984,
          ptflops_aten=40_476_448)),
    ("specs/shufflenet_v2_x1_0.yaml", {}, 2_278_760,
     dict(paper=145_814_296, fvcore=149_714_696, thop=153_616_120, ptflops=153_393_224,
          ptflops_aten=145_814_296)),
    ("specs/shufflenet_v2_x1_5.yaml", {}, 3_506_720,
     dict(paper=298_970_656, fvcore=304_505_696, thop=310_041_760, ptflops=309_360_224,
          ptflops_aten=298_970_656)),
    ("specs/shufflenet_v2_x2_0.yaml", {}, 7_402_600,
     dict(paper=590_783_000, fvcore=598_270_984, thop=605_761_016, ptflops=604_659_016,
          ptflops_aten=590_783_000)),
    # Megvii ShuffleNetV1: F.relu after the add / on the main branch (ptflops once, thop 0)
    ("specs/shufflenet_v1_g1.yaml", {}, 1_530_936,
     dict(paper=143_078_976, fvcore=146_903_328, thop=150_789_408, ptflops=150_412_512,
          ptflops_aten=143_078_976)),
    ("specs/shufflenet_v1_g2.yaml", {}, 1_732_848,
     dict(paper=140_836_512, fvcore=145_928_592, thop=151_099_088, ptflops=150_282_928,
          ptflops_aten=140_836_512)),
    ("specs/shufflenet_v1_g3.yaml", {}, 1_864_728,
     dict(paper=137_460_672, fvcore=143_458_272, thop=149_546_208, ptflops=148_416_288,
          ptflops_aten=137_460_672)),
    ("specs/shufflenet_v1_g3.yaml", {"alpha": "0.5"}, 717_324,
     dict(paper=37_589_856, fvcore=40_588_656, thop=43_632_624, ptflops=43_067_664,
          ptflops_aten=37_589_856)),
    ("specs/shufflenet_v1_g3.yaml", {"alpha": "1.5"}, 3_441_168,
     dict(paper=292_443_552, fvcore=301_157_712, thop=309_997_968, ptflops=307_926_768,
          ptflops_aten=292_443_552)),
    ("specs/shufflenet_v1_g3.yaml", {"alpha": "2"}, 5_449_776,
     dict(paper=524_045_184, fvcore=536_040_384, thop=548_216_256, ptflops=545_956_416,
          ptflops_aten=524_045_184)),
    ("specs/shufflenet_v1_g4.yaml", {}, 1_967_344,
     dict(paper=134_339_776, fvcore=141_061_792, thop=147_883_680, ptflops=146_502_752,
          ptflops_aten=134_339_776)),
    ("specs/shufflenet_v1_g8.yaml", {}, 2_433_768,
     dict(paper=138_365_952, fvcore=147_623_424, thop=157_014_144, ptflops=154_754_688,
          ptflops_aten=138_365_952)),
    # CondenseNet-74 converted: nn.AvgPool2d transitions and head (thop 1 per output, fvcore 0)
    ("specs/condensenet74_c4_g4.yaml", {}, 4_773_944,
     dict(paper=516_640_576, fvcore=538_669_408, thop=561_093_088, ptflops=564_043_784,
          ptflops_aten=516_641_576)),
    ("specs/condensenet74_c8_g8.yaml", {}, 2_935_416,
     dict(paper=261_545_792, fvcore=283_574_624, thop=305_998_304, ptflops=308_949_000,
          ptflops_aten=261_546_792)),
    # torchvision alexnet / vgg16, their AdaptiveAvgPool2d((6, 6)) / ((7, 7)) an
    # `adaptive_avgpool`: at 224 (identity pool) and at other resolutions (the pool averages
    # down, or up at 193). Measured like MEASURED (torch 2.14.1+cu130, torchvision 0.29.1 models
    # with weights=None, fvcore 0.1.5.post20221221, thop 0.1.1.post2209072238, ptflops 0.7.5;
    # batch 1, 3xRxR zeros, eval); "paper" = Conv2d + Linear multiply-adds from forward hooks.
    ("specs/alexnet.yaml", {}, 61_100_840,
     dict(paper=714_188_480, fvcore=714_197_696, thop=714_206_912, ptflops=716_441_128,
          ptflops_aten=714_682_664)),
    ("specs/alexnet.yaml", {"resolution": 256}, 61_100_840,          # pool 7x7 -> 6x6
     dict(paper=927_124_160, fvcore=927_136_704, thop=927_145_920, ptflops=930_087_464,
          ptflops_aten=927_773_480)),
    ("specs/alexnet.yaml", {"resolution": 320}, 61_100_840,          # pool 9x9 -> 6x6
     dict(paper=1_442_722_496, fvcore=1_442_743_232, thop=1_442_752_448,
          ptflops=1_447_402_024, ptflops_aten=1_443_746_600)),
    ("specs/alexnet.yaml", {"resolution": 193}, 61_100_840,          # pool 5x5 -> 6x6
     dict(paper=531_161_792, fvcore=531_168_192, thop=531_177_408, ptflops=532_802_088,
          ptflops_aten=531_522_344)),
    ("specs/vgg16.yaml", {}, 138_357_544,
     dict(paper=15_470_264_320, fvcore=15_470_289_408, thop=15_470_314_496,
          ptflops=15_523_225_576, ptflops_aten=15_483_821_032)),
    ("specs/vgg16.yaml", {"resolution": 256}, 138_357_544,           # pool 8x8 -> 7x7
     dict(paper=20_168_212_480, fvcore=20_168_245_248, ptflops=20_237_378_536,
          ptflops_aten=20_185_916_392)),                 # thop: see the float64 test below
    ("specs/vgg16.yaml", {"resolution": 320}, 138_357_544,           # pool 10x10 -> 7x7
     dict(paper=31_443_288_064, fvcore=31_443_339_264, thop=31_443_364_352,
          ptflops=31_551_345_640, ptflops_aten=31_470_945_256)),
]


@pytest.mark.parametrize("spec, values, params, measured", ZOO_MEASURED,
                         ids=[s.split("/")[-1][:-5] + "".join(f"-{k}{v}" for k, v in v.items())
                              for s, v, _, _ in ZOO_MEASURED])
def test_zoo_spec_totals_equal_the_tools(spec, values, params, measured):
    a = analyse(load_spec(f"{ROOT}/{spec}"), {k: Fraction(v) for k, v in values.items()})
    assert a.totals.params == params
    assert {name: count(name, a) for name in measured} == measured


def test_thop_adaptive_pool_float64_truncation_on_vgg16_at_256():
    """thop's AdaptiveAvgPool2d count is int(((h/s)·(w/s) + 1)·out) in float64 (thop
    calc_func.py:69-72); for VGG-16 at 256 (512x8x8 -> 7x7) that product rounds down and
    int() drops one. Our rule is the exact value, in + out."""
    a = analyse(load_spec(f"{ROOT}/specs/vgg16.yaml"), {"resolution": 256})
    pool_in, pool_out = 512 * 8 * 8, 512 * 7 * 7
    assert by_kind("thop", a)["adaptive_avgpool (module)"] == pool_in + pool_out
    # thop's own arithmetic, restated in Python floats (IEEE double, as torch.DoubleTensor)
    assert int(((8 / 7) * (8 / 7) + 1) * pool_out) == pool_in + pool_out - 1
    assert count("thop", a) == 20_168_270_335 + 1       # thop.profile, measured (see above)


# -- attribution: our per-op counts equal the tools' own per-op breakdowns --------------------
def test_thop_batch_norm_and_adaptive_pool_per_op(analyses):
    # thop per-module-type totals (measured): BatchNorm2d and AdaptiveAvgPool2d
    assert by_kind("thop", analyses["shufflenet_v2_x1_0"])["bn"] == 7_800_800
    assert by_kind("thop", analyses["resnext50_32x4d"])["bn"] == 57_602_048
    assert by_kind("thop", analyses["resnext50_32x4d"])["gap (module)"] == 102_400
    assert by_kind("thop", analyses["squeezenet1_0"])["gap (module)"] == 170_000
    mv3 = by_kind("thop", analyses["mobilenet_v3_large"])
    assert (mv3["bn"], mv3["gap (module)"]) == (17_599_232, 649_464)
    # torchvision's MobileNetV2 pools with F.adaptive_avg_pool2d: invisible to thop
    assert by_kind("thop", analyses["mobilenet_v2"])["gap (functional)"] == 0


def test_fvcore_by_operator(analyses):
    # fvcore .by_operator() (measured): batch_norm and adaptive_avg_pool2d
    mv2 = by_kind("fvcore", analyses["mobilenet_v2"])
    assert (mv2["bn"], mv2["gap (functional)"]) == (13_356_224, 62_720)
    assert by_kind("fvcore", analyses["resnext50_32x4d"])["gap (module)"] == 100_352
    assert by_kind("fvcore", analyses["mobilenet_v3_large"])["gap (module)"] == 644_448
    # ShuffleNetV2's x.mean([2, 3]) is aten::mean, listed as unsupported
    assert by_kind("fvcore", analyses["shufflenet_v2_x1_0"])["gap (mean)"] == 0


@pytest.mark.parametrize("spec, resolution, pool_in", [
    # fvcore .by_operator()["adaptive_avg_pool2d"] (measured, versions as ZOO_MEASURED):
    # 1 per input element of torchvision's AdaptiveAvgPool2d, whatever its output size
    ("specs/alexnet.yaml", 256, 12_544),        # 256x7x7
    ("specs/alexnet.yaml", 193, 6_400),         # 256x5x5 (spread up to 6x6)
    ("specs/vgg16.yaml", 320, 51_200),          # 512x10x10
])
def test_fvcore_adaptive_pool_by_operator(spec, resolution, pool_in):
    a = analyse(load_spec(f"{ROOT}/{spec}"), {"resolution": resolution})
    assert by_kind("fvcore", a)["adaptive_avgpool (module)"] == pool_in
    # ptflops: the nn.AdaptiveAvgPool2d hook and the patched F.adaptive_avg_pool2d, in each
    assert by_kind("ptflops", a)["adaptive_avgpool (module)"] == 2 * pool_in


def test_ptflops_double_counts_modules_that_call_a_patched_function(analyses):
    # ptflops per-module hooks + patched functionals (measured): each nn.ReLU / nn.MaxPool2d /
    # nn.AdaptiveAvgPool2d call shows up in both lists
    rx = by_kind("ptflops", analyses["resnext50_32x4d"])
    assert rx["relu (module)"] == 12_895_232 + 12_895_232      # ReLU hooks + F.relu x49
    assert rx["maxpool (module)"] == 802_816 + 802_816          # MaxPool2d + F.max_pool2d
    assert rx["gap (module)"] == 100_352 + 100_352              # + F.adaptive_avg_pool2d
    mv2 = by_kind("ptflops", analyses["mobilenet_v2"])
    assert mv2["relu6 (module)"] == 6_105_792                   # ReLU6 → F.hardtanh: once
    assert mv2["gap (functional)"] == 62_720                    # F.adaptive_avg_pool2d x1
    assert mv2["fc"] == 1_281_000                                # Linear hook, with bias
    sq = by_kind("ptflops", analyses["squeezenet1_0"])
    assert sq["conv"] == 823_270_824                             # Conv2d hooks, with bias


def test_flops2x_from_measured_quantities(analyses):
    # 2·madds + bias adds + one op per element of ReLU, max-pool input and adaptive-pool input
    # (all torchvision quantities measured with forward hooks)
    assert count("flops2x", analyses["squeezenet1_0"]) == (
        2 * 818_924_576 + 4_346_248 + 4_346_248 + 2_260_320 + 169_000)
    # MobileNetV2: + BN elements, ReLU6 elements, residual-add outputs (torch.fx), pool input
    assert count("flops2x", analyses["mobilenet_v2"]) == (
        2 * 300_774_272 + 1_000 + 6_678_112 + 6_105_792 + 216_384 + 62_720)


@pytest.mark.parametrize("spec, params, madds, measured", [
    # CondenseNet README "529M"/"274M" and 4.8M/2.9M params; exact values: the authors'
    # utils.measure_model on the converted network (docs/reference-measurements zoo measurement, torch 2.13)
    ("specs/condensenet74_c4_g4.yaml", 4_773_944, 516_640_576, 529_328_264),
    ("specs/condensenet74_c8_g8.yaml", 2_935_416, 261_545_792, 274_233_480),
])
def test_condensenet_measure_model(spec, params, madds, measured):
    a = analyse(load_spec(f"{ROOT}/{spec}"))
    assert (a.totals.params, a.totals.madds) == (params, madds)
    assert count("condensenet", a) == measured


def test_condensenet_refuses_what_measure_model_raises_on(analyses, cli):
    with pytest.raises(ConventionError, match="maxpool.*unknown layer type"):
        count("condensenet", analyses["resnext50_32x4d"])
    code, out, err = cli("report", f"{ROOT}/{SPECS['squeezenet1_0']}", "--convention", "condensenet")
    assert code == 2 and out == ""
    assert "cannot count layer 'maxpool1' (maxpool)" in err and "utils.py:119-120" in err


# -- explain: the ShuffleNetV2 acceptance case -----------------------------------------------
def test_explain_thop_vs_paper_on_torchvisions_shufflenet(cli):
    code, out, err = cli("explain", f"{ROOT}/{SPECS['shufflenet_v2_x1_0']}", "--convention",
                         "thop", "--vs", "paper")
    assert code == 0, err
    assert "152,708,792" in out and "144,907,992" in out
    # 152,708,792 − 144,907,992 = 7,800,800 = 4 × 1,950,200 BN input elements (measured)
    assert "thop − paper = +7,800,800 = bn 4·Σin (+7.80M)" in out


def test_explain_thop_vs_paper_on_the_megvii_zoo_spec(cli):
    # issue 7's acceptance command, on the zoo spec of the paper's network (Megvii code)
    code, out, err = cli("explain", f"{ROOT}/{MEGVII}", "--convention", "thop", "--vs", "paper")
    assert code == 0, err
    assert "thop       153,616,120" in out             # thop.profile on Megvii's code, measured
    # 153,616,120 − 145,814,296 = 4 × 1,950,200 BN input elements + 1,024 nn.AvgPool2d(7) outputs
    assert "thop − paper = +7,801,824 = bn 4·Σin (+7.80M) + avgpool (module) Σout (+1.02K)" in out


def test_explain_splits_the_gap_to_the_papers_146m(cli):
    code, out, err = cli("explain", f"{ROOT}/{SPECS['shufflenet_v2_x1_0']}", "--convention",
                         "thop", "--vs", "paper", "--vs-spec", f"{ROOT}/{MEGVII}")
    assert code == 0, err
    assert "paper on B      145,814,296" in out          # Megvii code, README "146M"
    # architecture: torchvision 144,907,992 − Megvii 145,814,296, all of it in the first
    # table row's (the paper's stage 2) stride-2 unit at 28x28, where cin = 24 differs from
    # c/2 = 58 (later stages: cin = c/2):
    assert "architecture: paper on A − paper on B = −906,304 = conv (−906.30K)" in out
    assert cells(out, "stage1/down/concat/b2/conv2") == [signed(58 * (58 - 92) * 28 * 28)]
    assert cells(out, "stage1/down/concat/b1/conv") == [signed(24 * (58 - 24) * 28 * 28)]
    assert "total:        thop on A − paper on B = +6,894,496" in out   # 152,708,792 − 145,814,296


def test_explain_architecture_only(cli):
    code, out, _ = cli("explain", f"{ROOT}/{SPECS['shufflenet_v2_x1_0']}", "--vs-spec",
                       f"{ROOT}/{MEGVII}")
    assert code == 0 and "counting:" not in out
    # torchvision 144,907,992 − Megvii 145,814,296 multiply-adds (both measured)
    assert "architecture: paper on A − paper on B = −906,304 = conv (−906.30K)" in out


def test_published_146m_is_the_megvii_network_in_the_papers_convention(cli):
    code, out, _ = cli("explain", f"{ROOT}/{MEGVII}", "--published", "146e6")
    assert code == 0
    assert "reproduced by: paper, ptflops_aten" in out     # 145,814,296 → 146M; no FC bias
    code, out, _ = cli("explain", f"{ROOT}/{SPECS['shufflenet_v2_x1_0']}", "--published", "146M")
    assert "reproduced by: none" in out                     # 144.9M rounds to 145M


def test_published_truncation_tf_slim_style(cli):
    # TF-slim's MobileNetV2 table says "300" (millions, truncated) for 300,774,272
    code, out, _ = cli("explain", f"{ROOT}/{SPECS['mobilenet_v2']}", "--published", "300e6")
    assert "reproduced by: paper, ptflops_aten" in out
    # 300,774,272 rounds to 301M but truncates to 300M
    assert cells(out, "paper") == ["300,774,272", "301,000,000", "300,000,000", "+774,272",
                                   "yes", "(truncated)"]


@pytest.mark.parametrize("text, value, unit", [
    ("146e6", 146 * 10**6, 10**6), ("146M", 146 * 10**6, 10**6), ("145.81e6", 14_581 * 10**4, 10**4),
    ("0.30G", 300 * 10**6, 10**7), ("3504872", 3_504_872, 1), ("1000", 1000, 1000),
])
def test_figures_carry_their_printed_precision(text, value, unit):
    f = parse_figure(text)
    assert (f.value, f.unit) == (value, unit)


def test_bad_figure_and_empty_explain_are_usage_errors(cli):
    with pytest.raises(UsageError):
        parse_figure("146 million")
    code, _, err = cli("explain", f"{ROOT}/{MEGVII}")
    assert code == 2 and "nothing to explain" in err
    code, _, err = cli("explain", f"{ROOT}/{MEGVII}", "--convention", "thopp")
    assert code == 2 and "did you mean 'thop'" in err
    code, _, err = cli("explain", f"{ROOT}/{SPECS['mobilenet_v2']}", "--convention", "thop",
                       "--set", "alpah=1")
    assert code == 2 and "did you mean 'alpha'" in err


# -- report --convention ---------------------------------------------------------------------
def test_report_json_flops_follow_the_convention(cli):
    code, out, err = cli("report", f"{ROOT}/{SPECS['shufflenet_v2_x1_0']}", "--convention",
                         "thop", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["convention"]["name"] == "thop"
    assert doc["totals"]["flops"] == 152_708_792          # thop.profile, measured
    assert sum(layer["flops"] for layer in doc["layers"]) == 152_708_792
    assert "extra_flops" not in doc["totals"]             # native-only field, left out


def test_report_text_and_csv_name_the_convention(cli):
    path = f"{ROOT}/{SPECS['mobilenet_v2']}"
    code, out, _ = cli("report", path, "--convention", "fvcore", "--depth", "1")
    assert code == 0 and "flops[fvcore]" in out
    assert "flops             314,193,216   convention fvcore (fvcore 0.1.5.post20221221)" in out
    code, out, _ = cli("report", path, "--convention", "ptflops", "--format", "csv")
    assert out.splitlines()[0] == "path,row,kind,out_shape,params,madds,flops[ptflops],mem_access"


def test_report_without_convention_is_unchanged(cli):
    code, out, _ = cli("report", f"{ROOT}/{SPECS['mobilenet_v2']}", "--format", "json")
    doc = json.loads(out)
    assert "convention" not in doc
    assert doc["totals"]["flops"] == 2 * doc["totals"]["madds"] + doc["totals"]["extra_flops"]


def test_symbolic_convention_total_is_a_formula_in_resolution(analyses):
    import sympy
    net = load_spec(f"{ROOT}/{SPECS['mobilenet_v2']}")
    from costmodel.analysis import closed_form
    a = analyse(net, symbolic=["resolution"])
    thop = closed_form(count("thop", a), a.symbols)
    r = sympy.Symbol("resolution", positive=True)
    assert thop.subs(r, 224) == 327_486_720               # thop.profile, measured at 224
    assert thop.subs(r, 160) == count("thop", analyse(net, {"resolution": 160}))


# -- impl: how the reference code writes an op ----------------------------------------------
def _tiny(layers_yaml: str, defaults: str = "") -> str:
    return (f"name: t\nversion: 1\ninput: [8, 8, 8]\n{defaults}layers:\n" + layers_yaml)


def test_impl_changes_what_hook_counters_see():
    n = 8 * 8 * 8
    module = analyse(load_text(_tiny("  - relu\n  - gap\n")))
    functional = analyse(load_text(_tiny("  - relu: {impl: functional}\n  - gap: {impl: mean}\n")))
    # ptflops: nn.ReLU hook + patched F.relu (2n), nn.AdaptiveAvgPool2d hook + F.adaptive_avg_pool2d
    assert count("ptflops", module) == 2 * n + 2 * n
    assert count("ptflops", functional) == n + 0          # F.relu once; x.mean unseen
    # thop: AdaptiveAvgPool2d (in/out + 1)·out = n + 8 outputs; nothing for x.mean
    assert count("thop", module) == n + 8
    assert count("thop", functional) == 0


def test_impl_from_spec_defaults_and_on_merges():
    n = 8 * 8 * 8
    text = _tiny("  - relu\n  - add: {impl: functional, branches: [[], []]}\n",
                 "defaults: {relu: {impl: functional}}\n")
    a = analyse(load_text(text))
    assert count("ptflops", a) == n + n                   # F.relu + torch.add(x, x)


def test_impl_is_validated():
    bad = _tiny("  - relu: {impl: functionl}\n  - conv: {c: 8, k: 1, impl: module}\n")
    with pytest.raises(SpecErrors) as e:
        load_text(bad, "t.yaml")
    text = str(e.value)
    assert "t.yaml:5:18: error: layers[0].relu.impl: 'impl' of relu must be one of module, " \
           "functional; got 'functionl' (did you mean 'functional'?)" in text
    assert "t.yaml:6:24: error: layers[1].conv: 'impl' does not apply to conv" in text


# -- the rule tables ---------------------------------------------------------------------------
KINDS = sorted(layers.kinds())


@pytest.mark.parametrize("name", conventions.NAMES)
def test_every_kind_and_impl_has_a_sourced_rule(name):
    conv = conventions.get(name)
    for kind in KINDS:
        for impl in choices(kind) or ("*",):
            rule = conv.rule(kind, None if impl == "*" else impl)
            assert rule.source, (kind, impl)
            assert not rule.unsupported or rule.note, (kind, impl)


@pytest.mark.parametrize("name", conventions.NAMES)
def test_rules_use_quantities_their_kinds_have(name):
    allowed = {"madds": {"conv", "dwconv", "fc"}, "bias": {"conv", "dwconv", "fc"},
               "window": {"maxpool", "avgpool"}, "pairs": {"add", "mul"}}
    for (kind, _), rule in conventions.get(name).rules.items():
        assert kind in layers.kinds(), kind
        for q, _ in rule.terms:
            assert kind in allowed.get(q, {kind}), (kind, q)


def test_impl_allow_list_names_real_kinds():
    assert set(IMPLS) <= set(layers.kinds())


def test_count_language():
    assert parse_count("4*in + out") == (("in", 4), ("out", 1))
    assert parse_count("0") == ()
    with pytest.raises(ValueError):
        parse_count("4*inputs")


def test_docs_list_the_rules_as_the_code_has_them():
    code, out, _ = run_cli("conventions", "--markdown")
    assert code == 0
    with open(f"{ROOT}/docs/conventions.md", encoding="utf-8") as f:
        docs = f.read()
    assert out in docs, "regenerate the rule tables: costmodel conventions --markdown"
