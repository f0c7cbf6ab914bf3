"""The fast numeric path and the symbolic path give the same numbers, on every spec in specs/.

A numeric analysis runs on Python ints and Fractions; a symbolic one keeps symbols free and
runs on sympy, where floors of strided sizes are simplified through `multiple_of`
(resolution = 32·q), channel rounding stays a `MakeDivisible` function and min/max become
`Min`/`Max`. Any simplification that changed a value would show here: the symbolic result,
evaluated at a point, must equal the numeric result at that point, exactly.

Points: the spec's symbol defaults; each published point (`published[].at`); for a symbol
declared `multiple_of: m`, its default ± m (the neighbouring sizes the formula claims to
cover); for any other symbol, its default × 1/2, 3/4 and 5/4 (for a width multiplier these
exercise the channel rounding and the max(1, alpha) of last layers). A varied point the
numeric path rejects (e.g. groups that no longer divide the channels) is not a point of that
network and is left out; the defaults always count.
Free-symbol sets: all symbols together (checked layer by layer: shapes and every cost field)
and each symbol alone (checked on the totals). Expected values are not computed here: the two
pipelines are the two sides of each assertion, which is the property this file guards
(benchmarks/ time the fast path; this proves it is still right).
"""
import glob
import os
from fractions import Fraction

import pytest

from costmodel import numbers as num
from costmodel.analysis import analyse, load_spec
from costmodel.errors import CostModelError
from costmodel.cost import METRICS
from tests.conftest import SPECS

SPEC_FILES = sorted(glob.glob(os.path.join(SPECS, "*.yaml")))
FIELDS = ("params", "madds", "extra_flops", "read_act", "write_act", "read_weight")


def points(net) -> list:
    """Symbol values to compare at (see the module docstring), without duplicates."""
    base = {name: sd.default.evaluate({}) for name, sd in net.symbols.items()}
    out = [base]
    for pub in net.published:
        out.append(dict(base, **{k: e.evaluate({}) for k, e in pub.at.items()}))
    for name, sd in net.symbols.items():
        if sd.multiple_of:
            steps = [base[name] - sd.multiple_of, base[name] + sd.multiple_of]
            out += [dict(base, **{name: v}) for v in steps if v > 0]
        else:
            out += [dict(base, **{name: num.normalise(base[name] * Fraction(f, 4))})
                    for f in (2, 3, 5)]
    unique = []
    for p in out:
        if p not in unique:
            unique.append(p)
    return unique


def numeric_points(net) -> list:
    """(point, numeric analysis) for every point the numeric path accepts (defaults: must)."""
    out = []
    for i, point in enumerate(points(net)):
        try:
            out.append((point, analyse(net, point)))
        except CostModelError:
            if i == 0:
                raise
    return out


def substitution(analysis, point: dict) -> dict:
    """sympy symbol → value for the free symbols of a symbolic analysis (name = m·q is
    analysed as q, so q gets value/m)."""
    import sympy
    subs = {}
    for name, env_value in analysis.symbols.env.items():
        if num.is_numeric(env_value):
            continue
        value = sympy.Rational(point[name].numerator, point[name].denominator) \
            if hasattr(point[name], "denominator") else sympy.Integer(point[name])
        if env_value.is_Symbol:
            subs[env_value] = value
        else:                                   # m·q
            (q,) = env_value.free_symbols
            subs[q] = value / (env_value / q)
    return subs


def at(value, subs: dict):
    """A symbolic value evaluated at the point, as int/Fraction (unchanged if numeric)."""
    if num.is_numeric(value):
        return value
    return num.normalise(value.subs(subs))


def spec_ids(path: str) -> str:
    return os.path.basename(path)


def test_there_are_specs_with_symbols():
    # the comparison below is only meaningful where a spec declares symbols
    assert any(load_spec(p).symbols for p in SPEC_FILES)


@pytest.mark.parametrize("path", SPEC_FILES, ids=spec_ids)
def test_every_layer_agrees_with_all_symbols_free(path):
    net = load_spec(path)
    if not net.symbols:
        pytest.skip("declares no symbols: there is no symbolic path to compare")
    free = list(net.symbols)
    symbolic = analyse(net, symbolic=free)
    compared = numeric_points(net)
    for point, numeric in compared:
        subs = substitution(symbolic, point)
        assert len(symbolic.graph.nodes) == len(numeric.graph.nodes)
        for s_node, n_node, s_cost, n_cost in zip(symbolic.graph.nodes, numeric.graph.nodes,
                                                  symbolic.costs, numeric.costs):
            where = f"{path} at {point}, layer {n_node.path}"
            assert s_node.path == n_node.path, where
            for dim in ("c", "h", "w"):
                assert at(getattr(s_node.y, dim), subs) == getattr(n_node.y, dim), \
                    f"{where}: out_shape.{dim}"
            for field in FIELDS:
                assert at(getattr(s_cost, field), subs) == getattr(n_cost, field), \
                    f"{where}: {field}"


@pytest.mark.parametrize("path", SPEC_FILES, ids=spec_ids)
def test_totals_agree_with_each_symbol_free(path):
    net = load_spec(path)
    if not net.symbols:
        pytest.skip("declares no symbols: there is no symbolic path to compare")
    sets = [[name] for name in net.symbols] + ([list(net.symbols)] if len(net.symbols) > 1 else [])
    for free in sets:
        for point, numeric in numeric_points(net):
            fixed = {k: v for k, v in point.items() if k not in free}
            symbolic = analyse(net, fixed, symbolic=free)
            subs = substitution(symbolic, point)
            for metric in METRICS:
                assert at(getattr(symbolic.totals, metric), subs) == \
                    getattr(numeric.totals, metric), f"{path} {metric}, {free} free, at {point}"
            assert at(symbolic.params_without_bn, subs) == numeric.params_without_bn
