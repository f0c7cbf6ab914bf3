"""Property tests (hypothesis) over generated layers, blocks and whole random valid networks
(tests/netgen.py). Each test states its property in the first sentence of its docstring.

Expected values are never computed by the code under test alone: each property compares
two independent routes through costmodel (a block call and its inlined body, a repeat and
its copies, a symbolic formula and the numeric pipeline, two resolutions, two widths), or
costmodel against arithmetic written here (MobileNet eq. 5, ShuffleNet V2 eq. 1).
"""
import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from costmodel.analysis import analyse, closed_form, load_text
from costmodel.errors import CostModelError
from costmodel.report.machine import document
from tests import netgen
from tests.conftest import spec_path
from tests.netgen import Shape, spec_text

METRICS = ("params", "madds", "flops", "mem_access")
SCALE = int(os.environ.get("COSTMODEL_PROPERTY_SCALE", "1"))   # more examples: set to 10


def examples(n: int):
    return settings(max_examples=n * SCALE, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def run(text: str, values: dict | None = None, symbolic=()):
    return analyse(load_text(text), values, symbolic)


def totals(a) -> tuple:
    return tuple(getattr(a.totals, m) for m in METRICS) + (a.params_without_bn,)


def one_conv(c_in: int, h: int, w: int, args: dict):
    """(node, cost) of a single conv with `args` on c_in×h×w."""
    a = run(spec_text([{"conv": args}], Shape(c_in, h, w)))
    return a.graph.nodes[0], a.costs[0]


# -- single layers ------------------------------------------------------------------------------
@st.composite
def conv_args(draw):
    g = draw(st.sampled_from((1, 2, 4)))
    c_in, c_out = g * draw(st.integers(1, 8)), g * draw(st.integers(1, 8))
    args = {"c": c_out, "k": draw(st.integers(1, 5)), "s": draw(st.integers(1, 3)), "g": g,
            "d": draw(st.integers(1, 2)), "bias": draw(st.booleans())}
    return c_in, args


@examples(200)
@given(conv_args(), st.integers(4, 20), st.integers(4, 20), st.integers(4, 20), st.integers(4, 20))
def test_conv_madds_scale_with_output_positions(cfg, h1, w1, h2, w2):
    """A conv's madds divided by h_out·w_out is the same at every input size, and equals its
    weight count (params without the c_out biases)."""
    c_in, args = cfg
    assume(args["d"] * (args["k"] - 1) < 4)               # the window fits every input drawn
    n1, cost1 = one_conv(c_in, h1, w1, args)
    n2, cost2 = one_conv(c_in, h2, w2, args)
    assert cost1.madds * (n2.y.h * n2.y.w) == cost2.madds * (n1.y.h * n1.y.w)
    weights = cost1.params - (args["c"] if args["bias"] else 0)
    assert cost1.madds == weights * n1.y.h * n1.y.w
    assert cost2.params == cost1.params                   # params do not see the input size


@examples(200)
@given(st.sampled_from((2, 3, 4, 8)), st.integers(1, 6), st.integers(1, 6), st.integers(1, 5),
       st.integers(1, 2), st.integers(3, 12), st.booleans())
def test_group_conv_is_one_gth_of_dense(g, a, b, k, s, size, bias):
    """A g-group conv has exactly 1/g of the dense conv's weights and madds (its c_out biases
    are the same as the dense conv's)."""
    c_in, c_out = g * a, g * b
    args = {"c": c_out, "k": k, "s": s, "bias": bias}
    _, dense = one_conv(c_in, size, size, args)
    _, grouped = one_conv(c_in, size, size, dict(args, g=g))
    biases = c_out if bias else 0
    assert g * (grouped.params - biases) == dense.params - biases == k * k * c_in * c_out
    assert g * grouped.madds == dense.madds


@examples(200)
@given(st.integers(1, 32), st.integers(1, 32), st.sampled_from((3, 5, 7)), st.integers(1, 2),
       st.integers(7, 20), st.integers(7, 20))
def test_depthwise_separable_over_standard_is_1_over_n_plus_1_over_k2(m, n, k, s, h, w):
    """Depthwise separable (k×k depthwise + 1×1 pointwise to N channels) over a standard k×k
    conv to N channels is 1/N + 1/k², in madds and in params (MobileNets, Howard et al.
    2017, eq. 5: (D_K²·M·D_F² + M·N·D_F²) / (D_K²·M·N·D_F²))."""
    x = Shape(m, h, w)
    sep = run(spec_text([{"dwconv": {"k": k, "s": s}}, {"conv": {"c": n, "k": 1}}], x))
    std = run(spec_text([{"conv": {"c": n, "k": k, "s": s}}], x))
    ratio = Fraction(1, n) + Fraction(1, k * k)
    assert Fraction(sep.totals.madds, std.totals.madds) == ratio
    assert Fraction(sep.totals.params, std.totals.params) == ratio


@examples(200)
@given(st.integers(1, 64), st.integers(1, 64), st.integers(1, 16), st.integers(1, 16))
def test_pointwise_conv_memory_access_lower_bound(c1, c2, h, w):
    """For every 1×1 conv, mem_access ≥ 2·√(hw·B) + B/(hw) with B = madds, with equality iff
    c_in = c_out (ShuffleNet V2, Ma et al. 2018, eq. 1, guideline G1); squared here to stay
    in exact integers: (mem_access − B/hw)² ≥ 4·hw·B."""
    _, cost = one_conv(c1, h, w, {"c": c2, "k": 1})
    hw, b = h * w, cost.madds
    slack = cost.mem_access - Fraction(b, hw)
    assert slack >= 0
    assert (slack * slack >= 4 * hw * b)
    assert (slack * slack == 4 * hw * b) == (c1 == c2)


@examples(200)
@given(st.lists(st.tuples(st.sampled_from(("conv", "maxpool", "avgpool")), st.integers(1, 7),
                          st.integers(1, 4), st.sampled_from((0, 1, 2, 3, "valid", "same"))),
                min_size=1, max_size=5),
       st.integers(1, 12), st.integers(1, 12))
def test_strides_never_give_non_positive_sizes_silently(chain, h, w):
    """Any chain of convs and pools with arbitrary kernel, stride and padding either gives
    every layer an output of positive integer size or is rejected as a spec error that says
    sizes must be positive."""
    entries = []
    for kind, k, s, p in chain:
        if kind != "conv" and isinstance(p, str):
            p = 0                                          # pools take numeric padding only
        args = {"k": k, "s": s, "p": p}
        entries.append({kind: dict(args, c=4) if kind == "conv" else args})
    try:
        a = run(spec_text(entries, Shape(4, h, w)))
    except CostModelError as e:
        assert "sizes must be positive" in str(e), str(e)
        return
    for node in a.graph.nodes:
        assert all(isinstance(v, int) and v >= 1 for v in (node.y.c, node.y.h, node.y.w))


# -- whole networks -------------------------------------------------------------------------------
@examples(200)
@given(netgen.networks())
def test_random_network_shapes_follow_the_layer_definitions(net):
    """A random valid network is accepted and its output shape is the one tracked from the
    layer definitions (PyTorch output sizes, concat/split channel sums)."""
    x, entries, shapes = net
    a = run(spec_text(entries, x))
    y = a.graph.nodes[-1].y
    assert (y.c, y.h, y.w) == (shapes[-1].c, shapes[-1].h, shapes[-1].w)


@examples(200)
@given(netgen.networks())
def test_totals_equal_the_sum_of_the_layers(net):
    """The totals equal the sum of the per-layer rows of the JSON report, and every block or
    merge row equals the sum of the layer rows under its path."""
    x, entries, _ = net
    doc = document(run(spec_text(entries, x)), None, "fp32", "")
    for m in METRICS:
        assert doc["totals"][m] == sum(row[m] for row in doc["layers"])
        for group in doc["groups"]:
            inside = [r[m] for r in doc["layers"] if r["path"].startswith(group["path"] + "/")]
            assert group[m] == sum(inside), (group["path"], m)
    assert doc["totals"]["layers"] == len(doc["layers"])


@examples(120)
@given(netgen.networks(), st.data())
def test_two_halves_add_up_to_the_whole(net, data):
    """Splitting a network into two specs at any layer (the second taking the first's output
    shape as its input) and adding their totals gives the totals of the whole."""
    x, entries, shapes = net
    i = data.draw(st.integers(0, len(entries)))
    middle = x if i == 0 else shapes[i - 1]
    whole = run(spec_text(entries, x))
    first, second = run(spec_text(entries[:i], x)), run(spec_text(entries[i:], middle))
    assert tuple(p + q for p, q in zip(totals(first), totals(second))) == totals(whole)
    assert len(first.graph.nodes) + len(second.graph.nodes) == len(whole.graph.nodes)


@examples(120)
@given(netgen.networks(max_len=4), st.integers(0, 4), st.data())
def test_repeat_equals_written_out_copies(net, n, data):
    """`repeat: {n, body}` has the totals and layer count of the body written out n times."""
    x, entries, shapes = net
    y = shapes[-1]
    repeated = data.draw(netgen.preserving_body(y))
    looped = run(spec_text(entries + [{"repeat": {"n": n, "body": repeated}}], x))
    copied = run(spec_text(entries + repeated * n, x))
    assert totals(looped) == totals(copied)
    assert len(looped.graph.nodes) == len(copied.graph.nodes)


@st.composite
def block_and_call(draw, x: Shape):
    """A block with parameter c and default k, its call on `x`, and the same body inlined with
    the values the call gives (c, k, and cin = the channels entering the call)."""
    c, k_default = draw(st.integers(1, 12)), 3
    k = draw(st.sampled_from((None, 1, 3)))                # None: use the default
    k_value = k_default if k is None else k
    cin, channels = x.c, x.c
    body, inline = [], []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(("conv", "dwconv", "bn", "act")))
        if kind == "conv":
            expr, value = draw(st.sampled_from((("c", c), ("cin", cin), ("c + cin", c + cin),
                                                ("2*c", 2 * c))))
            body.append({"conv": {"c": expr, "k": "k"}})
            inline.append({"conv": {"c": value, "k": k_value}})
            channels = value
        elif kind == "dwconv":
            body.append({"dwconv": {"k": 3}})
            inline.append({"dwconv": {"k": 3}})
        else:
            name = "bn" if kind == "bn" else draw(st.sampled_from(netgen.ACTIVATIONS))
            body.append(name)
            inline.append(name)
    block = {"params": ["c"], "defaults": {"k": k_default}, "body": body}
    call = {"blk": {"c": c} if k is None else {"c": c, "k": k}}
    return block, call, inline


@examples(150)
@given(netgen.networks(max_len=4), st.data())
def test_block_call_equals_its_inlined_body(net, data):
    """A block call has the totals and layer count of its body written inline with the
    call's arguments, the block's defaults and cin substituted."""
    x, entries, shapes = net
    block, call, inline = data.draw(block_and_call(shapes[-1]))
    called = run(spec_text(entries + [call, "relu"], x, blocks={"blk": block}))
    inlined = run(spec_text(entries + inline + ["relu"], x))
    assert totals(called) == totals(inlined)
    assert len(called.graph.nodes) == len(inlined.graph.nodes)


@examples(120)
@given(netgen.input_shapes(min_size=4, max_size=12), st.data(), st.integers(1, 5))
def test_params_do_not_depend_on_the_input_resolution(x, data, grow):
    """A network whose fc layers follow global pooling has the same params at every input
    resolution (numerically at two resolutions, and symbolically: no resolution in params)."""
    square = Shape(x.c, x.h, x.h)
    entries, shapes = data.draw(netgen.body(square, max_len=6))
    assume(not any(isinstance(e, dict) and "fc" in e for e in entries))
    entries = entries + ["gap", {"fc": {"c": 10}}]
    text = spec_text(entries, square, symbols={"resolution": {"default": x.h, "multiple_of": 1}},
                     input_=[x.c, "resolution", "resolution"])
    net = load_text(text)
    small, large = analyse(net), analyse(net, {"resolution": x.h * grow + 1})
    assert small.totals.params == large.totals.params
    free = analyse(net, symbolic=["resolution"])
    assert closed_form(free.totals.params, free.symbols) == small.totals.params


@st.composite
def scalable_networks(draw):
    """A random network and the same network with every channel count times alpha."""
    x = draw(netgen.input_shapes(min_size=2, max_size=10))
    entries, _ = draw(netgen.body(x, max_len=6))
    return x, entries, draw(st.sampled_from((2, 3)))


def scale_channels(entry, alpha: int):
    """`entry` with every channel count (conv/fc/select c, the whole tree) times alpha."""
    if isinstance(entry, list):
        return [scale_channels(e, alpha) for e in entry]
    if isinstance(entry, dict):
        out = {}
        for key, value in entry.items():
            if key == "c" and isinstance(value, int):
                out[key] = value * alpha
            else:
                out[key] = scale_channels(value, alpha)
        return out
    return entry


@examples(150)
@given(scalable_networks())
def test_width_multiplier_scales_madds_by_alpha_squared(net):
    """Multiplying every channel count (input included) by an integer α multiplies the
    madds and weights of dense and grouped convs and fc layers by α², and the depthwise
    convs' madds and weights, the biases and the BN parameters by α — exactly."""
    x, entries, alpha = net
    base = run(spec_text(entries, x))
    wide = run(spec_text(scale_channels(entries, alpha), Shape(x.c * alpha, x.h, x.w)))
    linear_madds = quadratic_madds = linear_params = quadratic_params = 0
    for node, cost in zip(base.graph.nodes, base.costs):
        if node.kind in ("conv", "fc"):
            biases = node.y.c if node.layer.bias else 0
            quadratic_params += cost.params - biases
            linear_params += biases
            quadratic_madds += cost.madds
        else:                                   # dwconv, bn: linear in the channel count
            linear_params += cost.params
            linear_madds += cost.madds
    assert wide.totals.madds == alpha ** 2 * quadratic_madds + alpha * linear_madds
    assert wide.totals.params == alpha ** 2 * quadratic_params + alpha * linear_params


# -- symbolic against numeric ------------------------------------------------------------------------
@st.composite
def symbolic_networks(draw):
    """A network whose widths are make_divisible(c·alpha, 8) and whose input is resolution²
    (resolution = 32·q: at most five halvings keep every size a positive integer)."""
    entries = [{"conv": {"c": "make_divisible(16*alpha, 8)", "k": 3, "s": 2}}]
    halvings = 1

    def stride():
        nonlocal halvings
        s = draw(st.sampled_from((1, 2))) if halvings < 5 else 1
        halvings += s == 2
        return s

    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(("conv", "dwconv", "bn", "act", "pool", "residual",
                                     "concat", "split")))
        c = draw(st.sampled_from((8, 16, 24, 40)))
        if kind == "conv":
            entries.append({"conv": {"c": f"make_divisible({c}*alpha, 8)",
                                     "k": draw(st.sampled_from((1, 3))), "s": stride()}})
        elif kind == "dwconv":
            entries.append({"dwconv": {"k": 3, "s": stride()}})
        elif kind == "pool" and stride() == 2:
            entries.append({draw(st.sampled_from(("maxpool", "avgpool"))): {"k": 2}})
        elif kind == "residual":                # cin: the channels entering the block call
            entries.append("res")
        elif kind == "concat":
            entries.append({"concat": [[], [{"conv": {"c": f"make_divisible({c}*alpha, 8)", "k": 1}}]]})
        elif kind == "split":                   # widths are multiples of 8: even
            entries.append("half")
        else:
            entries.append(draw(st.sampled_from(("bn",) + netgen.ACTIVATIONS)))
    entries += ["gap", {"fc": {"c": 10}}]
    symbols = {"alpha": 1, "resolution": {"default": 224, "multiple_of": 32}}
    blocks = {"res": {"body": [{"residual": [{"conv": {"c": "cin", "k": 3}}, "bn"]}]},
              "half": {"body": [{"split": [[], [{"conv": {"c": "cin/2", "k": 1}}, "relu"]]}]}}
    return spec_text(entries, Shape(3, 0, 0), symbols=symbols, blocks=blocks,
                     input_=[3, "resolution", "resolution"])


POINTS = st.lists(st.tuples(st.sampled_from((Fraction(1, 4), Fraction(35, 100), Fraction(1, 2),
                                             Fraction(3, 4), Fraction(1), Fraction(13, 10),
                                             Fraction(7, 5), Fraction(2))),
                            st.integers(1, 10)), min_size=1, max_size=4)


def assert_formula_matches_numbers(net, free, points) -> None:
    import sympy
    for alpha, q in points:
        values = {"alpha": alpha, "resolution": 32 * q}
        numeric = analyse(net, values)
        for m in METRICS:
            formula = closed_form(getattr(free.totals, m), free.symbols)
            at = {s: sympy.Rational(values[s.name].numerator, values[s.name].denominator)
                  if isinstance(values[s.name], Fraction) else values[s.name]
                  for s in formula.free_symbols}
            assert formula.subs(at) == getattr(numeric.totals, m), (m, alpha, q)


@examples(30)
@given(symbolic_networks(), POINTS)
def test_symbolic_totals_equal_numeric_totals_at_any_point(text, points):
    """The symbolic totals in alpha and resolution, evaluated at random (alpha, 32·q), equal
    the numeric pipeline's totals at those values, for random networks."""
    net = load_text(text)
    free = analyse(net, symbolic=["alpha", "resolution"])
    assert_formula_matches_numbers(net, free, points)


@pytest.fixture(scope="module")
def mobilenet_v2_symbolic():
    net = load_text(open(spec_path("mobilenet_v2.yaml"), encoding="utf-8").read())
    return net, analyse(net, symbolic=["alpha", "resolution"])


@examples(30)
@given(POINTS)
def test_mobilenet_v2_formula_equals_numbers(mobilenet_v2_symbolic, points):
    """MobileNetV2's symbolic totals evaluated at random (alpha, 32·q) equal the numeric
    pipeline's totals there."""
    net, free = mobilenet_v2_symbolic
    assert_formula_matches_numbers(net, free, points)


# -- shapes of merges ------------------------------------------------------------------------------
@examples(150)
@given(netgen.input_shapes(), st.data())
def test_split_then_concat_preserves_channels(x, data):
    """A split into two halves whose branches keep their shape, concatenated, gives back the
    input shape (and a split of an odd channel count is a spec error)."""
    if x.c % 2:
        with pytest.raises(CostModelError, match="not divisible by the number of branches"):
            run(spec_text([{"split": [[], []]}], x))
        return
    half = Shape(x.c // 2, x.h, x.w)
    branches = [data.draw(netgen.preserving_body(half)) for _ in range(2)]
    y = run(spec_text([{"split": branches}], x)).graph.nodes[-1].y
    assert (y.c, y.h, y.w) == (x.c, x.h, x.w)


@examples(150)
@given(netgen.input_shapes(min_size=2), st.data())
def test_residual_add_requires_equal_shapes(x, data):
    """A residual whose body changes the channel count or the spatial size is a spec error
    naming both shapes; one whose body keeps the shape is accepted."""
    body = data.draw(netgen.preserving_body(x))
    change = data.draw(st.sampled_from(("channels", "stride", "none")))
    if change == "channels":
        body = body + [{"conv": {"c": x.c + data.draw(st.integers(1, 4)), "k": 1}}]
    elif change == "stride":
        body = body + [{"conv": {"c": x.c, "k": 3, "s": 2}}]
    text = spec_text([{"residual": body}], x)
    if change == "none":
        run(text)
        return
    with pytest.raises(CostModelError, match="add needs equal shapes"):
        run(text)
