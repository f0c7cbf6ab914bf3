"""Every registered layer kind: its worked EXAMPLES (expected values written as arithmetic
from the paper formulas in the kind's own file), a docstring, and documented arguments."""
import pytest

from costmodel import layers
from costmodel.cost import layer_cost
from costmodel.graph.build import Node
from costmodel.layers.base import Cost, Shape
from costmodel.spec.model import Pos

EXAMPLES = layers.examples()
POS = Pos("<test>", 0, 0, "test")


def _shape(t):
    return Shape(*t)


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda e: f"{e['kind']}-{e['args']}-{e['x']}")
def test_example(ex):
    kind = layers.get(ex["kind"])(**ex["args"])
    x = _shape(ex["x"])
    if kind.merge:
        xs = [_shape(t) for t in ex["xs"]]
        y = kind.merge_shape(xs)
        node = Node("t", kind, (), x, tuple(xs), y, POS)
    else:
        y = kind.out_shape(x)
        node = Node("t", kind, (), x, (x,), y, POS)
    assert (y.c, y.h, y.w) == tuple(ex["out"])
    cost = layer_cost(node)
    for field, expected in ex["cost"].items():
        assert getattr(cost, field) == expected, field


@pytest.mark.parametrize("name", sorted(layers.kinds()))
def test_kind_is_documented_and_has_examples(name):
    cls = layers.kinds()[name]
    assert cls.__doc__ and cls.__doc__.strip()
    assert all(a.doc for a in cls.args), "every argument needs a doc string"
    assert any(e["kind"] == name for e in EXAMPLES), f"{name} has no worked example"


def test_every_module_of_the_package_is_discovered():
    # layers.MODULES comes from listing the folder (cheaper than pkgutil at start-up); it
    # must find exactly the modules pkgutil finds, or a kind would be unknown to specs
    import pkgutil
    found = sorted(m.name for m in pkgutil.iter_modules(layers.__path__) if m.name != "base")
    assert list(layers.MODULES) == found


def test_cost_sums_fieldwise():
    total = Cost.sum([Cost(params=1, madds=2, read_act=3), Cost(params=10, write_act=5)])
    assert (total.params, total.madds, total.mem_access) == (11, 2, 8)


def test_flops_are_two_madds_plus_other_ops():
    assert Cost(madds=7, extra_flops=3).flops == 2 * 7 + 3


def test_registering_a_duplicate_kind_fails():
    from costmodel.layers.base import LayerKind, register

    class Dup(LayerKind):
        """duplicate of conv"""
        name = "conv"

    with pytest.raises(RuntimeError):
        register(Dup)


def test_symbolic_whole_map_window_gives_an_int():
    # an avgpool whose window is the whole map (k = s = resolution // 32, Megvii's
    # nn.AvgPool2d(7) at 224): floor((r/32 − r/32)/(r/32)) + 1 = 1 for every r, a plain int
    from costmodel.analysis import analyse, load_text
    text = ("name: t\nversion: 1\nsymbols: {resolution: {default: 64, multiple_of: 32}}\n"
            "input: [4, resolution // 32, resolution // 32]\n"
            "layers:\n  - avgpool: {k: resolution // 32}\n  - fc: {c: 10}\n")
    a = analyse(load_text(text), symbolic=["resolution"])
    pool = a.graph.nodes[0]
    assert (pool.y.h, pool.y.w) == (1, 1) and type(pool.y.h) is int
    assert a.totals.params == 4 * 10 + 10 and type(a.totals.params) is int
