"""adaptive_avgpool (nn.AdaptiveAvgPool2d((size, size))): the window total against PyTorch's
own window bounds, numerically and symbolically, and the symbolic AlexNet / VGG-16 formulas
against their numeric analyses. The worked examples are in costmodel/layers/adaptive_pool.py
(run by tests/test_layers.py); the tools' counts are in tests/test_conventions.py."""
from fractions import Fraction

import pytest

from costmodel.analysis import analyse, closed_form, load_spec, load_text
from costmodel.errors import SpecError
from costmodel.layers.adaptive_pool import window_total
from tests.conftest import ROOT


def pytorch_window_total(n: int, s: int) -> int:
    """Σ (end − start) over the s outputs, with PyTorch's integer index functions as written in
    ATen/native/AdaptivePooling.h (torch 2.14.1):
        start_index(a, b, c) = (a / b) * c + ((a % b) * c) / b      (a = i, b = s, c = n)
        end_index(a, b, c)   = 1 + ((a + 1) * c - 1) / b
    (C++ integer division of non-negative values = Python //)."""
    total = 0
    for i in range(s):
        start = (i // s) * n + ((i % s) * n) // s
        end = 1 + ((i + 1) * n - 1) // s
        total += end - start
    return total


def test_window_total_is_pytorchs_for_every_small_size():
    for n in range(1, 65):
        for s in range(1, 25):
            assert window_total(n, s) == pytorch_window_total(n, s), (n, s)


@pytest.mark.parametrize("n, s, windows", [
    (13, 6, [3, 3, 3, 3, 3, 3]),      # AlexNet features at 227-ish sizes: 13x13 -> 6x6
    (7, 6, [2, 2, 2, 2, 2, 2]),       # AlexNet at 256
    (5, 6, [1, 2, 2, 2, 2, 1]),       # AlexNet at 193: more outputs than inputs
    (10, 6, [2, 3, 2, 2, 3, 2]),
    (6, 6, [1] * 6),                  # identity
    (49, 1, [49]),                    # global
])
def test_window_lengths_by_hand(n, s, windows):
    # window i = [floor(i·n/s), ceil((i+1)·n/s)), worked out by hand
    assert window_total(n, s) == sum(windows)


def test_symbolic_window_total_keeps_exact_floors():
    import sympy
    n = sympy.Symbol("n", positive=True, integer=True)
    for s in (1, 2, 6, 7, 12):
        expr = window_total(n, s)
        for v in range(1, 3 * s + 2):
            assert expr.subs(n, v) == pytorch_window_total(v, s), (s, v)
    # a multiple of s: the floors cancel, n + s − s = n
    q = sympy.Symbol("q", positive=True, integer=True)
    assert sympy.simplify(window_total(6 * q, 6) - 6 * q) == 0


@pytest.mark.parametrize("spec, resolutions", [
    ("specs/alexnet.yaml", [64, 96, 160, 224, 256, 288, 320, 416]),   # pool input q − 1
    ("specs/vgg16.yaml", [32, 96, 160, 224, 256, 288, 320, 448]),     # pool input q
])
def test_symbolic_network_equals_numeric_at_every_multiple_of_32(spec, resolutions):
    net = load_spec(f"{ROOT}/{spec}")
    a = analyse(net, symbolic=["resolution"])
    import sympy
    r = sympy.Symbol("resolution", positive=True)
    formula = {f: closed_form(getattr(a.totals, f), a.symbols)
               for f in ("params", "madds", "flops", "mem_access")}
    for res in resolutions:
        num = analyse(net, {"resolution": res}).totals
        for field, expr in formula.items():
            value = expr.subs(r, res) if hasattr(expr, "subs") else expr
            assert value == getattr(num, field), (res, field)


def test_alexnet_pool_input_and_window_total_at_320():
    # torchvision AlexNet at 320: 320 -> 79 -> 39 -> 19 -> 9 (conv1 11/4 p2, maxpools 3/2);
    # 9 -> 6 windows [0,2) [1,3) [3,5) [4,6) [6,8) [7,9): 12 per axis
    a = analyse(load_spec(f"{ROOT}/specs/alexnet.yaml"), {"resolution": Fraction(320)})
    i = next(k for k, n in enumerate(a.graph.nodes) if n.kind == "adaptive_avgpool")
    node, cost = a.graph.nodes[i], a.costs[i]
    assert (node.x.c, node.x.h, node.x.w) == (256, 9, 9)
    assert (node.y.c, node.y.h, node.y.w) == (256, 6, 6)
    assert cost.extra_flops == 256 * (6 * 2) * (6 * 2)
    assert cost.mem_access == 256 * 9 * 9 + 256 * 6 * 6


def test_symbolic_size_is_refused_with_a_position():
    text = ("name: t\nversion: 1\nsymbols: {resolution: {default: 224, multiple_of: 32}}\n"
            "input: [8, resolution, resolution]\n"
            "layers:\n  - adaptive_avgpool: {size: resolution // 32}\n")
    net = load_text(text, "t.yaml")
    assert analyse(net).totals.flops == 8 * 224 * 224          # numeric: size 7, windows of 32
    with pytest.raises(SpecError) as e:
        analyse(net, symbolic=["resolution"])
    assert "t.yaml:6:5: error:" in str(e.value)
    assert "size must not depend on a free symbol" in str(e.value)
