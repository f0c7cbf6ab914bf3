"""Counting conventions (issue 7): each convention's total equals the tool's own total, to the
unit, for torchvision's mobilenet_v2, shufflenet_v2_x1_0, resnext50_32x4d, squeezenet1_0 and
mobilenet_v3_large; per-op attributions equal the tools' per-op breakdowns; `explain` splits
ShuffleNetV2's gap to the paper's 146M into counting and architecture.

Expected values were measured by running the tools (not by this code): torch 2.14.1+cu130 on
CPU, torchvision 0.29.1, fvcore 0.1.5.post20221221, thop 0.1.1.post2209072238, ptflops 0.7.5,
batch 1, 3x224x224, eval mode (recorded in docs/conventions.md, "Measured totals").
"""
import json

import pytest

from costmodel import conventions
from costmodel.analysis import analyse, load_spec, load_text
from costmodel.conventions.base import ConventionError, parse_count
from costmodel.conventions.compare import compare, parse_figure
from costmodel.conventions.impl import IMPLS, choices
from costmodel import layers
from costmodel.errors import SpecErrors, UsageError
from tests.conftest import ROOT, run_cli

TV = "tests/data/torchvision/"
SPECS = {
    "mobilenet_v2": "specs/mobilenet_v2.yaml",
    "shufflenet_v2_x1_0": TV + "shufflenet_v2_x1_0.yaml",
    "resnext50_32x4d": TV + "resnext50_32x4d.yaml",
    "squeezenet1_0": TV + "squeezenet1_0.yaml",
    "mobilenet_v3_large": TV + "mobilenet_v3_large.yaml",
}
MEGVII = "tests/data/shufflenet_v2_x1_0_megvii.yaml"
CONDENSENET = "tests/data/condensenet74.yaml"

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


@pytest.mark.parametrize("groups, params, madds, measured", [
    # CondenseNet README "529M"/"274M" and 4.8M/2.9M params; exact values: the authors'
    # utils.measure_model on the converted network (/work/refs zoo measurement, torch 2.13)
    (4, 4_773_944, 516_640_576, 529_328_264),
    (8, 2_935_416, 261_545_792, 274_233_480),
])
def test_condensenet_measure_model(groups, params, madds, measured):
    a = analyse(load_spec(f"{ROOT}/{CONDENSENET}"), {"G": groups})
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


def test_explain_splits_the_gap_to_the_papers_146m(cli):
    code, out, err = cli("explain", f"{ROOT}/{SPECS['shufflenet_v2_x1_0']}", "--convention",
                         "thop", "--vs", "paper", "--vs-spec", f"{ROOT}/{MEGVII}")
    assert code == 0, err
    assert "paper on B      145,814,296" in out          # Megvii code, README "146M"
    # architecture: torchvision 144,907,992 − Megvii 145,814,296, all of it in stage 2's
    # stride-2 unit at 28x28, where cin = 24 differs from c/2 = 58 (later stages: cin = c/2):
    assert "architecture: paper on A − paper on B = −906,304 = conv (−906.30K)" in out
    assert cells(out, "stage2/down/concat/b2/conv2") == [signed(58 * (58 - 92) * 28 * 28)]
    assert cells(out, "stage2/down/concat/b1/conv") == [signed(24 * (58 - 24) * 28 * 28)]
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


def test_megvii_spec_is_the_papers_network():
    a = analyse(load_spec(f"{ROOT}/{MEGVII}"))
    # local re-implementation of megvii ShuffleNetV2/network.py + blocks.py (/work/refs zoo)
    assert (a.totals.params, a.totals.madds) == (2_278_760, 145_814_296)
