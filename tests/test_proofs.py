"""`costmodel prove`: every proof verifies, every step fails when its claim is broken, the
starting expressions are exactly the registered layer kinds' own, a wrong formula in the
registry makes the proofs fail, and the recomputed tables and zoo figures match hand counts.

Expected values are the papers' formulas and hand arithmetic written out here; the ShuffleNet V2
table figures are also copied from /work/shared/references.md (shufflenet_v2_G1 / _G2).
"""
import os
import re

import pytest
import sympy as sp

from conftest import ROOT, run_cli, spec_path
from costmodel import layers, proofs
from costmodel.analysis import analyse, load_spec, load_text
from costmodel.cost import evaluate
from costmodel.graph.build import build
from costmodel.layers.base import Cost, Shape
from costmodel.proofs import g1_equal_channels as g1, g2_group_conv as g2
from costmodel.proofs import g3_fragmentation as g3, g4_elementwise as g4
from costmodel.proofs.core import Proof, StepFailed, check, check_step
from costmodel.proofs.steps import Compare, Equal, NonNeg, Slope, Solve, visibly_signed

TINY = os.path.join(ROOT, "tests", "data", "proofs_tiny_shufflenet.yaml")
MBV2 = spec_path("mobilenet_v2.yaml")
NAMES = proofs.names()


def _build(name: str, specs=(TINY, MBV2)) -> Proof:
    return proofs.get(name).build(proofs.Context(list(specs)))


@pytest.fixture(scope="module")
def built():
    ctx = proofs.Context([TINY, MBV2])
    return {m.NAME: m.build(ctx) for m in proofs.modules()}


# -- every proof verifies, and every step can fail ------------------------------------------
def test_the_issue_proofs_are_registered():
    assert {"dwsep", "g1", "g2", "g3", "g4", "units"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_proof_verifies(built, name):
    verdict = check(built[name])
    assert verdict.ok, verdict.first_failure()
    assert len(verdict.results) == len(built[name].steps) > 0


@pytest.mark.parametrize("name", NAMES)
def test_every_step_fails_when_its_claim_is_broken(built, name):
    for i, step in enumerate(built[name].steps):
        result = check_step(step.broken(), i)
        assert not result.ok, f"{name} step {i + 1} still passes when broken: {step.text}"


def test_a_flipped_inequality_fails_the_proof_and_names_the_step(built):
    proof = built["g1"]
    i = next(i for i, s in enumerate(proof.steps) if isinstance(s, NonNeg))
    flipped = list(proof.steps)
    flipped[i] = proof.steps[i].broken()      # bound ≥ mem_access instead of mem_access ≥ bound
    verdict = check(Proof(**{**proof.__dict__, "steps": flipped}))
    assert not verdict.ok
    assert verdict.first_failure().startswith(f"step {i + 1}: ")


def _drop_weight_reads(self, x, y):
    """A wrong conv formula: forgets that the weights are read (mem_access too small)."""
    from costmodel.layers.conv import conv_cost
    c = conv_cost(x, y, self.k, self.g, self.bias)
    return Cost(c.params, c.madds, c.extra_flops, c.read_act, c.write_act, 0)


def _double_madds(self, x, y):
    """A wrong conv formula: counts each multiply-add twice."""
    from costmodel.layers.conv import conv_cost
    c = conv_cost(x, y, self.k, self.g, self.bias)
    return Cost(c.params, 2 * c.madds, c.extra_flops, c.read_act, c.write_act, c.read_weight)


@pytest.mark.parametrize("wrong, name, step", [
    (_drop_weight_reads, "g1", 1),    # mem_access = h·w·(c1 + c2) + c1·c2 no longer holds
    (_drop_weight_reads, "g2", 1),
    (_double_madds, "dwsep", 1),      # standard conv madds = k²·M·N·D_F²
    (_double_madds, "units", 1),      # ResNet bottleneck hw(2cm + 9m²)
    (_double_madds, "g3", 1),
])
def test_a_wrong_formula_in_the_registry_fails_the_proof(monkeypatch, wrong, name, step):
    monkeypatch.setattr(layers.get("conv"), "cost", wrong)
    verdict = check(_build(name))
    assert not verdict.ok
    assert verdict.first_failure().startswith(f"step {step}: ")


def test_cli_exits_1_and_names_the_failing_step(monkeypatch):
    monkeypatch.setattr(layers.get("conv"), "cost", _drop_weight_reads)
    code, out, err = run_cli("prove", "g1")
    assert code == 1
    assert "FAILED at step 1: mem_access of the 1×1 conv" in out


# -- the checker itself ---------------------------------------------------------------------
def test_sign_is_read_off_the_structure_only():
    a, b = sp.symbols("a b", positive=True)
    assert visibly_signed(a * (sp.sqrt(a) - sp.sqrt(b)) ** 2)
    assert visibly_signed(2 * sp.sqrt(2) - 2, strict=True)
    assert visibly_signed(1 + 1 / (a * b) - 1, strict=True)   # via cancel: 1/(a·b)
    assert not visibly_signed(a - b)
    assert not visibly_signed((a - b) ** 2, strict=True)      # zero at a = b
    x = sp.Symbol("x", real=True)                              # not known positive
    assert not visibly_signed(x)


def test_steps_reject_false_claims():
    a, b = sp.symbols("a b", positive=True)
    assert check_step(Equal("t", a * (a + 1), a**2 + a)).ok
    assert not check_step(Equal("t", a * (a + 1), a**2 + 1)).ok
    assert not check_step(Equal("t", sp.sin(a) ** 2 + sp.cos(a) ** 2, 1)).ok  # no simplify()
    assert not check_step(Solve("t", (a - b) * (a - 2 * b), a, (b,))).ok      # a root is missing
    assert not check_step(Slope("t", a**2 * b, a, 2 * a * b, -1)).ok
    assert not check_step(NonNeg("t", a, rhs=b)).ok
    # AM-GM flipped, with its (correct) witness: 2·√(ab) − (a + b) = −(√a − √b)² is not ≥ 0
    assert not check_step(NonNeg("t", 2 * sp.sqrt(a * b), -(sp.sqrt(a) - sp.sqrt(b)) ** 2,
                                 rhs=a + b)).ok
    assert not check_step(Compare("t", sp.Rational(1, 3), ">", sp.Rational(1, 2))).ok
    assert not check_step(Compare("t", 0.5, "<", 1)).ok                     # floats are not exact


def test_spot_checks_catch_false_claims_on_their_own():
    a = sp.Symbol("a", positive=True)
    point = {a: sp.Rational(3, 2)}
    for step in (Equal("t", a**2, a), NonNeg("t", a, rhs=2 * a), Slope("t", a**2, a, 2 * a, -1),
                 Solve("t", a - 1, a, (2,))):
        with pytest.raises(StepFailed):
            step.spot(point)


def test_a_symbol_without_the_positive_assumption_fails_the_proof():
    x = sp.Symbol("x")
    verdict = check(Proof("t", "t", "t", "t", (), [], [Equal("t", x + x, 2 * x)]))
    assert not verdict.ok and "not declared positive" in verdict.first_failure()


def test_no_proof_calls_simplify():
    folder = os.path.join(ROOT, "costmodel", "proofs")
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                code = f.read()
            assert not re.search(r"(sp|sympy)\.\w*simplify\(|import[^\n]*simplify", code), name


# -- the starting expressions are the registered kinds' own ---------------------------------
def _recompute(origin):
    """The origin's metric, recomputed from the layer registry or the spec engine."""
    if origin.spec:
        totals = evaluate(build(load_text(origin.spec), dict(origin.env))).totals
        return getattr(totals, origin.metric)
    cls = layers.get(origin.kind)
    kind, x = cls(**dict(origin.args)), Shape(*origin.shape)
    if cls.merge:
        cost = kind.merge_cost(x, [x] * origin.branches, x)
    else:
        cost = kind.cost(x, kind.out_shape(x))
    return getattr(cost, origin.metric)


@pytest.mark.parametrize("name", NAMES)
def test_starting_expressions_are_exactly_the_registered_kinds(built, name):
    assert built[name].origins
    for origin in built[name].origins:
        assert origin.kind or origin.spec, origin.label
        assert _recompute(origin) == origin.expr, origin.label


def _origin(proof, label_start):
    return next(o.expr for o in proof.origins if o.label.startswith(label_start))


def test_the_registry_agrees_with_the_papers(built):
    c1, c2, g, c, m, M, N = sp.symbols("c1 c2 g c m M N", positive=True)
    h, w, k, D = sp.symbols("h w k D_F", positive=True, integer=True)
    cases = [
        # ShuffleNet V2 eq. 1: mem_access = hw(c1 + c2) + c1·c2
        (_origin(built["g1"], "mem_access of conv"), h * w * (c1 + c2) + c1 * c2),
        # ShuffleNet V2 G2: mem_access = hw(c1 + c2) + c1·c2/g
        (_origin(built["g2"], "mem_access of conv"), h * w * (c1 + c2) + c1 * c2 / g),
        # MobileNets eq. 2: D_K·D_K·M·N·D_F·D_F
        (_origin(built["dwsep"], "madds of conv(c=N, k=k"), k * k * M * N * D * D),
        # ShuffleNet Sec. 3.2: ResNet hw(2cm + 9m²), ResNeXt hw(2cm + 9m²/g), unit hw(2cm/g + 9m)
        (_origin(built["units"], "madds of the ResNet"), h * w * (2 * c * m + 9 * m**2)),
        (_origin(built["units"], "madds of the ResNeXt"), h * w * (2 * c * m + 9 * m**2 / g)),
        (_origin(built["units"], "madds of the ShuffleNet"), h * w * (2 * c * m / g + 9 * m)),
        # G3 4-fragment-parallel: 4 × (read c·h·w, write c·h·w/4, c²/4 weights) + concat
        # (read 4 × c·h·w/4, write c·h·w)
        (_origin(built["g3"], "mem_access of the 4-fragment-parallel"),
         4 * (c * h * w + c * h * w / 4 + c * c / 4) + (c * h * w + c * h * w)),
    ]
    for got, paper in cases:
        assert sp.expand(got - paper) == 0, (got, paper)


def test_mobilenet_v2_block_formula(built):
    d1, d2, t = sp.symbols("d1 d2 t", positive=True)
    h, w, k = sp.symbols("h w k", positive=True, integer=True)
    # MobileNetV2 paper Sec. 3.3: h·w·d′·t·(d′ + k² + d″)
    got = _origin(built["units"], "madds of the MobileNetV2")
    assert sp.expand(got - h * w * d1 * t * (d1 + k**2 + d2)) == 0


def test_block_specs_are_valid_numeric_specs(built):
    for proof in built.values():
        for text in {o.spec for o in proof.origins if o.spec}:
            assert analyse(load_text(text)).totals.madds > 0


# -- ShuffleNet V2 Tables 1 and 2, recomputed -----------------------------------------------
def test_table1_per_conv_at_128_128():
    ratio, c1, c2, conv, net = g1.table_rows()[0]
    assert (ratio, c1, c2) == ("1:1", 128, 128)
    assert conv.madds == 51_380_224 == 56 * 56 * 128 * 128          # B = h·w·c1·c2
    assert conv.mem_access == 819_200 == 56 * 56 * (128 + 128) + 128 * 128


def test_table1_every_configuration():
    # ShuffleNet V2 Table 1 channel pairs (c1:c2 = 1:1, 1:2, 1:6, 1:12, two settings)
    pairs = [(128, 128), (90, 180), (52, 312), (36, 432), (32, 32), (22, 44), (13, 78), (9, 108)]
    rows = g1.table_rows()
    assert [(r[1], r[2]) for r in rows] == pairs
    for _, c1, c2, conv, net in rows:
        assert conv.madds == 56 * 56 * c1 * c2
        assert conv.mem_access == 56 * 56 * (c1 + c2) + c1 * c2
        assert net.madds == 10 * (56 * 56 * c1 * c2 + 56 * 56 * c2 * c1)      # 10 blocks
        assert net.mem_access == 10 * 2 * (56 * 56 * (c1 + c2) + c1 * c2)
    # /work/shared/references.md shufflenet_v2_G1, (c1, c2) = (36, 432): B 48,771,072, mem_access 1,483,200
    assert (rows[3][3].madds, rows[3][3].mem_access) == (48_771_072, 1_483_200)


def test_table2_every_configuration():
    # ShuffleNet V2 Table 2: g = 1, 2, 4, 8 with c = 128, 180, 256, 360 and 64, 90, 128, 180
    configs = [(1, 128), (2, 180), (4, 256), (8, 360), (1, 64), (2, 90), (4, 128), (8, 180)]
    rows = g2.table_rows()
    assert [(r[0], r[1]) for r in rows] == configs
    for g, c, conv, net, note in rows:
        assert conv.madds == 56 * 56 * c * c // g
        assert conv.mem_access == 56 * 56 * (c + c) + c * c // g
        assert net.mem_access == 10 * conv.mem_access
        assert bool(note) == (c % g != 0)      # only 180 channels in 8 groups
    # /work/shared/references.md shufflenet_v2_G2, g = 8, c = 360: B 50,803,200, mem_access 2,274,120
    assert (rows[3][2].madds, rows[3][2].mem_access) == (50_803_200, 2_274_120)


# -- g3 and g4 on specs counted by hand ------------------------------------------------------
def test_fragments_of_the_tiny_spec():
    a = analyse(load_spec(TINY))
    found = {name: rest for name, *rest in g3.block_fragments(a)}
    assert found["down"] == [1, 4, 4, 2]    # avgpool ‖ (gconv, dwconv, gconv): 4, 2 paths
    assert found["unit"] == [1, 3, 3, 1]    # gconv, dwconv, gconv
    assert g3.fragments(a) == 1 + 4 + 3 + 1 + 1   # stem conv, down, unit, gap, fc


def test_fragments_of_mobilenet_v2():
    found = {name: rest for name, *rest in g3.block_fragments(analyse(load_spec(MBV2)))}
    # 16 inverted residual calls (n = 2+3+4+3+3+1), each 1x1 expand, 3x3 depthwise, 1x1 project
    assert found["ir"] == [16, 3, 3, 1]


def test_operator_shares_of_the_tiny_spec():
    s = g4.shares(analyse(load_spec(TINY)))
    # hand count, batch 1 (stem 3→12 k3 on 8×8; down 12→24 g3; unit 24 g3 on 4×4; gap; fc 24→10)
    assert s["conv + fc"] == (9*3*12*64 + 4*6*64 + 2*12*16 + 8*6*16 + 2*24*16 + 24*10,
                              (3*64 + 12*64 + 324) + (12*64 + 6*64 + 24) + (6*16 + 12*16 + 24)
                              + (24*16 + 6*16 + 48) + (6*16 + 24*16 + 48) + (24 + 10 + 250))
    assert s["depthwise conv"] == (9*6*16 + 9*6*16, (6*64 + 6*16 + 54) + (6*16 + 6*16 + 54))
    assert s["element-wise"] == (0, (2*6*64 + 12) + 2*6*64 + (2*6*16 + 12) + (2*12*16 + 24)
                                 + 2*24*16                                  # down: bn relu bn bn relu
                                 + (2*6*16 + 12) + 2*6*16 + (2*6*16 + 12) + (2*24*16 + 48)
                                 + 3*24*16 + 2*24*16)                       # unit: ... add, relu
    assert s["pooling"] == (0, (12*64 + 12*16) + (24*16 + 24))              # avgpool, gap
    assert s["data movement"] == (0, 2*6*64 + (2*12*16 + 24*16) + 2*6*16)  # shuffle, concat, shuffle


def test_mobilenet_v2_depthwise_madds():
    s = g4.shares(analyse(load_spec(MBV2)))
    # 3x3 depthwise on the expanded maps, torchvision mobilenet_v2 at 224
    assert s["depthwise conv"][0] == 9 * (
        32*112**2 + 96*56**2 + 144*56**2 + 144*28**2 + 2*192*28**2 + 192*14**2 + 3*384*14**2
        + 384*14**2 + 2*576*14**2 + 576*7**2 + 2*960*7**2 + 960*7**2)
    assert s["element-wise"][0] == 0


def test_g3_and_g4_take_whatever_specs_exist(built):
    names = [row[0] for row in built["g3"].tables[0].rows]
    assert "TinyShuffle" in names and "MobileNetV2" in names
    assert any(s.text.startswith("TinyShuffle:") for s in built["g4"].steps)


def test_a_spec_that_fails_is_reported_not_fatal(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nversion: 1\ninput: [3, 8, 8]\nlayers:\n  - conv: {c: 4, kk: 3}\n")
    proof = _build("g3", [str(bad)])
    assert check(proof).ok
    assert proof.tables[0].rows[0][1] == "(not analysed)"


# -- the command -----------------------------------------------------------------------------
def test_cli_list():
    code, out, _ = run_cli("prove", "--list")
    assert code == 0 and [ln.split()[0] for ln in out.splitlines()] == NAMES


def test_cli_unknown_proof_is_a_usage_error():
    code, out, err = run_cli("prove", "g5")
    assert code == 2 and out == ""
    assert "unknown proof 'g5'" in err and "Traceback" not in err


def test_cli_usage_errors():
    code, _, err = run_cli("prove", "dwsep", "--table")
    assert code == 2 and "no tables to print" in err
    code, _, err = run_cli("prove", "g3", "--spec", "no/such/spec.yaml")
    assert code == 2 and "no such file: no/such/spec.yaml" in err


def test_cli_table_prints_only_the_table():
    code, out, _ = run_cli("prove", "g1", "--table")
    assert code == 0
    assert "ShuffleNet V2 Table 1" in out and "51,380,224" in out and "819,200" in out
    assert "derivation" not in out


@pytest.mark.parametrize("fmt, marker", [("text", "verified ("), ("markdown", "**Verified"),
                                         ("latex", "\\section*{dwsep")])
def test_cli_formats(fmt, marker):
    code, out, _ = run_cli("prove", "dwsep", "--format", fmt)
    assert code == 0 and marker in out


def test_cli_all_verifies():
    code, out, _ = run_cli("prove", "all", "--spec", TINY)
    assert code == 0
    assert out.rstrip().endswith(f"{len(NAMES)} of {len(NAMES)} proofs verified")


def test_docs_guidelines_is_the_generated_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run_cli("prove", "all", "--format", "markdown")
    with open(os.path.join(ROOT, "docs", "guidelines.md"), encoding="utf-8") as f:
        assert f.read() == out, ("docs/guidelines.md is stale; regenerate it with "
                                 "python3 -m costmodel prove all --format markdown > docs/guidelines.md")
