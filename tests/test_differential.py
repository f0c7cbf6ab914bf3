"""Differential tests: params, multiply-adds, output shape and memory traffic of small random
conv / dwconv / pool / fc layers, counted by brute force with numpy (the weight tensor is
materialised, the layer is computed output position by output position, and every multiply
is counted) against what `costmodel` reports for a one-layer spec.

The brute force is written from the frameworks' documented semantics, not from costmodel's
formulas:
- PyTorch Conv2d: a window of k taps spaced d apart, moved by s over the input padded by p
  on each side, is kept when it fits in the padded input; groups split the input and
  output channels into g independent convolutions.
- TensorFlow 'SAME': out = ceil(h / s); total padding max((out - 1)·s + d(k - 1) + 1 - h, 0),
  the smaller half on the top/left. 'VALID': no padding.
- PyTorch MaxPool2d/AvgPool2d: windows that fit in the padded input; with ceil_mode one more
  window covers the leftover elements, unless it would start in the right padding
  ("sliding windows that would start in the right padded region are ignored").
- PyTorch Linear: every output feature is a dot product with all c·h·w input features.
"""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costmodel.analysis import analyse, load_text
from costmodel.errors import CostModelError

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def one_layer(c: int, h: int, w: int, entry: str):
    """Analyse a spec with input c×h×w and one layer; (node, cost) of that layer."""
    text = f"name: t\nversion: 1\ninput: [{c}, {h}, {w}]\nlayers:\n  - {entry}\n"
    a = analyse(load_text(text))
    assert len(a.graph.nodes) == 1
    return a.graph.nodes[0], a.costs[0]


def shape_of(node) -> tuple:
    return (node.y.c, node.y.h, node.y.w)


# -- brute force ----------------------------------------------------------------------------
def window_starts(size: int, k_span: int, s: int, pad_before: int, pad_after: int) -> list:
    """Starts (in padded coordinates) of the windows of extent k_span that fit."""
    padded = size + pad_before + pad_after
    return [i for i in range(0, padded, s) if i + k_span <= padded]


def same_padding(size: int, k: int, s: int, d: int) -> tuple:
    """TensorFlow SAME: (before, after) padding and the output length ceil(size / s)."""
    out = -(-size // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def brute_conv(rng, c_in, h, w, c_out, k, s, p, g, d, bias):
    """Compute a grouped, dilated, strided conv with materialised weights; count everything."""
    if p == "same":
        (pt, pb), (pl, pr) = same_padding(h, k, s, d), same_padding(w, k, s, d)
    else:
        pad = 0 if p == "valid" else (d * (k - 1) // 2 if p is None else p)
        pt = pb = pl = pr = pad
    x = rng.standard_normal((c_in, h, w))
    xp = np.zeros((c_in, h + pt + pb, w + pl + pr))
    xp[:, pt:pt + h, pl:pl + w] = x
    weight = rng.standard_normal((c_out, c_in // g, k, k))
    b = rng.standard_normal(c_out) if bias else np.zeros(0)
    span = d * (k - 1) + 1
    rows, cols = window_starts(h, span, s, pt, pb), window_starts(w, span, s, pl, pr)
    y = np.zeros((c_out, len(rows), len(cols)))
    multiplies = bias_adds = 0
    per_group_out = c_out // g
    for o in range(c_out):
        grp = o // per_group_out
        channels = slice(grp * (c_in // g), (grp + 1) * (c_in // g))
        for oi, r in enumerate(rows):
            for oj, q in enumerate(cols):
                patch = xp[channels, r:r + span:d, q:q + span:d]
                products = patch * weight[o]
                multiplies += products.size
                y[o, oi, oj] = products.sum() + (b[o] if bias else 0)
                bias_adds += 1 if bias else 0
    params = weight.size + b.size
    return {"shape": y.shape, "params": params, "madds": multiplies,
            "flops": 2 * multiplies + bias_adds, "mem_access": x.size + y.size + params}


def brute_pool(rng, c, h, w, k, s, p, ceil):
    """Pooling windows of a PyTorch MaxPool2d/AvgPool2d, enumerated one by one: a window
    starts every s elements of the padded input; it must fit, except that ceil mode lets it
    run past the end by less than one stride (the ceil of the window count) provided it
    starts inside the input or the left padding."""
    s = k if s is None else s

    def starts(size):
        overhang = s - 1 if ceil else 0
        return [i for i in range(0, size + 2 * p, s)
                if i + k <= size + 2 * p + overhang and (not ceil or i < size + p)]

    x = rng.standard_normal((c, h, w))
    rows, cols = starts(h), starts(w)
    y = np.zeros((c, len(rows), len(cols)))
    return {"shape": y.shape, "params": 0, "madds": 0, "mem_access": x.size + y.size}


def brute_fc(rng, c_in, h, w, c_out, bias):
    x = rng.standard_normal((c_in, h, w)).reshape(-1)
    weight = rng.standard_normal((c_out, x.size))
    b = rng.standard_normal(c_out) if bias else np.zeros(0)
    multiplies = 0
    y = np.zeros(c_out)
    for o in range(c_out):
        products = x * weight[o]
        multiplies += products.size
        y[o] = products.sum() + (b[o] if bias else 0)
    params = weight.size + b.size
    return {"shape": (c_out, 1, 1), "params": params, "madds": multiplies,
            "flops": 2 * multiplies + (c_out if bias else 0),
            "mem_access": x.size + y.size + params}


def assert_rejected(c: int, h: int, w: int, entry: str) -> None:
    """A layer with no output position is a spec error, never a 0- or negative-sized map."""
    try:
        one_layer(c, h, w, entry)
    except CostModelError as e:
        assert "sizes must be positive" in str(e), str(e)
        return
    raise AssertionError(f"{entry} on {c}x{h}x{w} has no output position but was accepted")


def assert_counts_as_brute_force(c: int, h: int, w: int, entry: str, expected: dict) -> None:
    """The layer is rejected when the brute force finds no output position, else matches it."""
    if 0 in expected["shape"]:
        assert_rejected(c, h, w, entry)
        return
    node, cost = one_layer(c, h, w, entry)
    assert_matches(node, cost, expected)


def assert_matches(node, cost, expected: dict) -> None:
    assert shape_of(node) == tuple(expected["shape"])
    for field in ("params", "madds", "flops", "mem_access"):
        if field in expected:
            assert getattr(cost, field) == expected[field], field


# -- strategies -----------------------------------------------------------------------------
@st.composite
def conv_configs(draw):
    g = draw(st.sampled_from((1, 1, 2, 3)))
    c_in, c_out = g * draw(st.integers(1, 3)), g * draw(st.integers(1, 3))
    k, s, d = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    p = draw(st.one_of(st.none(), st.integers(0, 3), st.sampled_from(("same", "valid"))))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    return dict(c_in=c_in, h=h, w=w, c_out=c_out, k=k, s=s, p=p, g=g, d=d,
                bias=draw(st.booleans()))


def conv_entry(cfg: dict) -> str:
    args = {k: cfg[k] for k in ("k", "s", "g", "d")}
    args["c"], args["bias"] = cfg["c_out"], str(cfg["bias"]).lower()
    if cfg["p"] is not None:
        args["p"] = cfg["p"]
    return "conv: {" + ", ".join(f"{k}: {v}" for k, v in args.items()) + "}"


# -- tests ----------------------------------------------------------------------------------
@SETTINGS
@given(conv_configs(), st.integers(0, 2 ** 32 - 1))
def test_conv_matches_brute_force(cfg, seed):
    """A conv's output shape, params, multiply-adds, flops and mem_access equal the counts of a
    numpy computation with materialised weights; a conv whose window does not fit is an error."""
    expected = brute_conv(np.random.default_rng(seed), **cfg)
    assert_counts_as_brute_force(cfg["c_in"], cfg["h"], cfg["w"], conv_entry(cfg), expected)


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 9), st.integers(1, 9), st.integers(1, 4),
       st.integers(1, 3), st.integers(1, 2), st.booleans(), st.integers(0, 2 ** 32 - 1))
def test_dwconv_matches_brute_force(c, h, w, k, s, d, bias, seed):
    """A depthwise conv counts exactly as a numpy conv with g = c_in = c_out."""
    expected = brute_conv(np.random.default_rng(seed), c, h, w, c, k, s, None, c, d, bias)
    entry = f"dwconv: {{k: {k}, s: {s}, d: {d}, bias: {str(bias).lower()}}}"
    assert_counts_as_brute_force(c, h, w, entry, expected)


@SETTINGS
@given(st.sampled_from(("maxpool", "avgpool")), st.integers(1, 3), st.integers(1, 11),
       st.integers(1, 11), st.integers(1, 4), st.one_of(st.none(), st.integers(1, 3)),
       st.integers(0, 2), st.booleans(), st.integers(0, 2 ** 32 - 1))
def test_pool_matches_brute_force(kind, c, h, w, k, s, p, ceil, seed):
    """A pooling layer has the output shape of PyTorch's window enumeration (ceil mode
    included), no params, no multiply-adds, and reads its input and writes its output once."""
    expected = brute_pool(np.random.default_rng(seed), c, h, w, k, s, p, ceil)
    args = f"k: {k}, p: {p}, ceil: {str(ceil).lower()}" + (f", s: {s}" if s else "")
    entry = f"{kind}: {{{args}}}"
    assert_counts_as_brute_force(c, h, w, entry, expected)


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 6),
       st.booleans(), st.integers(0, 2 ** 32 - 1))
def test_fc_matches_brute_force(c_in, h, w, c_out, bias, seed):
    """An fc layer on a c×h×w map is c·h·w multiply-adds per output feature, as computed."""
    expected = brute_fc(np.random.default_rng(seed), c_in, h, w, c_out, bias)
    node, cost = one_layer(c_in, h, w, f"fc: {{c: {c_out}, bias: {str(bias).lower()}}}")
    assert_matches(node, cost, expected)


def test_brute_force_conv_agrees_with_a_hand_count():
    """The brute force itself, on a case counted by hand: 3x3 conv, 2 -> 4 channels, on 5x5
    with stride 2 and padding 1: 3x3 outputs, 9·2 multiplies each per output channel."""
    r = brute_conv(np.random.default_rng(0), 2, 5, 5, 4, 3, 2, 1, 1, 1, True)
    assert r["shape"] == (4, 3, 3)          # floor((5 + 2 - 3)/2) + 1 = 3
    assert r["madds"] == 4 * 3 * 3 * (3 * 3 * 2)
    assert r["params"] == 3 * 3 * 2 * 4 + 4


def test_brute_force_pool_ceil_mode_by_hand():
    """The brute-force ceil mode, on cases counted by hand (PyTorch semantics): k=2, s=2,
    p=1 on 5: windows at padded 0, 2, 4 fit (7 wide), the next would start at 6 = 5 + 1,
    in the right padding, so 3; k=3, s=2 on 6 without padding: 0, 2 fit, 4 covers the
    leftover element and starts inside, so 3; k=2, s=2 on 1: one window hanging over the
    end by 1 < s (PyTorch gives 1); k=2, s=1 on 1: none (PyTorch: output size too small)."""
    rng = np.random.default_rng(0)
    assert brute_pool(rng, 1, 5, 5, 2, 2, 1, True)["shape"] == (1, 3, 3)
    assert brute_pool(rng, 1, 6, 6, 3, 2, 0, True)["shape"] == (1, 3, 3)
    assert brute_pool(rng, 1, 6, 6, 3, 2, 0, False)["shape"] == (1, 2, 2)
    assert brute_pool(rng, 1, 1, 1, 2, 2, 0, True)["shape"] == (1, 1, 1)
    assert brute_pool(rng, 1, 1, 1, 2, 1, 0, True)["shape"] == (1, 0, 0)
