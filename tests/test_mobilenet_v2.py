"""MobileNetV2 (the engine issue's acceptance spec) against its reference implementations."""
import pytest

from costmodel.analysis import analyse, closed_form, load_spec
from tests.conftest import spec_path

from fractions import Fraction as F


@pytest.fixture(scope="module")
def net():
    return load_spec(spec_path("mobilenet_v2.yaml"))


def test_params_and_madds_at_224(net):
    a = analyse(net)
    assert a.totals.params == 3_504_872          # torchvision MobileNet_V2_Weights num_params
    assert a.params_without_bn == 3_470_760       # Keras/TF-slim "3.47M" (BN gamma/beta left out)
    assert a.totals.params - a.params_without_bn == 34_112   # BN gamma+beta (torchvision model)
    assert a.totals.madds == 300_774_272          # torchvision conv+linear multiply-adds (hooks)
    assert a.totals.madds // 10**6 == 300         # TF-slim README "300" (values truncated)


# Keras mobilenet_v2.py / TF-slim README table ("Million MACs" column = multiply-adds, truncated; params excl. BN),
# and exact torchvision counts for the same models (conv+linear hooks, torch 2.14.1).
RESOLUTIONS = [(224, 300, 300_774_272), (192, 221, 221_316_608), (160, 154, 154_083_200),
               (128, 99, 99_074_048), (96, 56, 56_289_152)]


@pytest.mark.parametrize("r, table, exact", RESOLUTIONS)
def test_resolution_rows(net, r, table, exact):
    madds = analyse(net, {"resolution": r}).totals.madds
    assert madds == exact
    assert madds // 10**6 == table


# (alpha, TF-slim multiply-adds in M truncated, TF-slim params excl. BN in M, torchvision params, madds)
WIDTHS = [(F(14, 10), 582, "6.06", 6_108_776, 582_195_824),
          (F(13, 10), 509, "5.34", 5_386_792, 509_374_560),
          (F(3, 4), 209, "2.61", 2_636_424, 209_069_792),
          (F(1, 2), 97, "1.95", 1_968_680, 97_131_840),
          (F(35, 100), 59, "1.66", 1_677_128, 59_285_808)]


@pytest.mark.parametrize("alpha, table, table_params, params, madds", WIDTHS)
def test_width_rows(net, alpha, table, table_params, params, madds):
    a = analyse(net, {"alpha": alpha})
    assert (a.totals.params, a.totals.madds) == (params, madds)
    assert a.totals.madds // 10**6 == table
    assert f"{a.params_without_bn / 1e6:.2f}" == table_params


def test_alpha_half_at_160_matches_tf_slim_table(net):
    # TF-slim README: mobilenet_v2_0.5_160: 50 M multiply-adds ("MACs", truncated)
    assert analyse(net, {"alpha": F(1, 2), "resolution": 160}).totals.madds // 10**6 == 50


def test_madds_is_a_quadratic_in_resolution(net):
    import sympy
    a = analyse(net, symbolic=["resolution"])
    r = sympy.Symbol("resolution", positive=True)
    madds = closed_form(a.totals.madds, a.symbols)
    # design.md §2.3 worked example, checked by a throwaway evaluator: 47751·r²/8 + 1,280,000
    assert sympy.expand(madds - (sympy.Rational(47751, 8) * r**2 + 1_280_000)) == 0
    assert closed_form(a.totals.params, a.symbols) == 3_504_872


def test_python_floats_are_read_as_their_decimal_text(net):
    # 0.35 as a float is 0.34999999999999997...; the API reads it as 35/100, like --set does
    assert analyse(net, {"alpha": 0.35}).totals.madds == 59_285_808   # torchvision, hooks
