"""The expression language: an allow-list parser, exact arithmetic, no eval."""
from fractions import Fraction

import pytest

from costmodel.spec.expr import ExprError, make_divisible, parse


@pytest.mark.parametrize("text, env, expected", [
    ("32*alpha", {"alpha": Fraction(3, 4)}, 24),
    ("0.75*32", {}, 24),                        # floats become exact rationals: 3/4 · 32
    ("cin/2", {"cin": 116}, 58),
    ("cin/2", {"cin": 117}, Fraction(117, 2)),  # exact; the builder rejects non-integer sizes
    ("(224 + 2 - 3)//2 + 1", {}, 112),
    ("1280*max(1, alpha)", {"alpha": Fraction(7, 5)}, 1792),
    ("min(8, 3, 5)", {}, 3),
    ("floor(1024*alpha)", {"alpha": Fraction(1, 4)}, 256),
    ("ceil(7/2)", {}, 4),
    ("-3 + 5", {}, 2),
    ("E*2", {"E": 5}, 10),                      # E is an ordinary name, not Euler's number
    ("N + S + Q + beta", {"N": 1, "S": 2, "Q": 3, "beta": 4}, 10),
])
def test_evaluates_exactly(text, env, expected):
    assert parse(text).evaluate(env) == expected


# Keras mobilenet_v2 _make_divisible: max(d, int(v + d/2) // d * d), +d if below 0.9·v
@pytest.mark.parametrize("v, expected", [
    (Fraction(18), 24),            # 24·0.75 = 18: int(22)//8*8 = 16 < 0.9·18 = 16.2 → 24
    (Fraction(32 * 35, 100), 16),  # 32·0.35 = 11.2: int(15.2)//8*8 = 8 < 10.08 → 16
    (Fraction(1280 * 14, 10), 1792),
    (Fraction(12), 16),            # int(16)//8*8 = 16
    (Fraction(3), 8),              # at least the divisor
])
def test_make_divisible_matches_keras_rule(v, expected):
    assert make_divisible(v, 8) == expected


@pytest.mark.parametrize("text, message", [
    ("__import__('os')", "unknown function '__import__'"),
    ("alpha.real", "attribute access is not allowed"),
    ("(lambda: 1)()", "unknown function"),
    ("lambda x: 1", "lambda is not allowed"),
    ("10**10**10", "'**' (powers) is not allowed"),
    ("a[0]", "indexing is not allowed"),
    ("3x3", "cannot parse '3x3'"),
    ("1 if 2 else 3", "'if' expressions are not allowed"),
    ("min(a=1)", "positional arguments only"),
    ("floor(1, 2)", "floor() takes 1..1 arguments"),
    ("'text'", "only numbers"),
    ("9" * 30, "larger than"),
    ("1" + "+1" * 150, "more than 200 parts"),
    ("x" * 600, "longer than 500"),
])
def test_rejects_unsafe_or_unknown_syntax(text, message):
    with pytest.raises(ExprError) as e:
        parse(text)
    assert message in str(e.value)


def test_division_by_zero_is_an_error():
    with pytest.raises(ExprError, match="division by zero"):
        parse("4/(2-2)").evaluate({})


def test_names_are_collected_for_scope_checks():
    assert parse("make_divisible(c*alpha, 8) + cin").names == {"c", "alpha", "cin"}


def test_symbolic_evaluation_keeps_rounding_until_a_number_arrives():
    import sympy
    a = sympy.Symbol("alpha", positive=True)
    e = parse("make_divisible(24*alpha, 8)")
    symbolic = e.evaluate({"alpha": a})
    assert symbolic.subs(a, sympy.Rational(3, 4)) == 24
    assert e.evaluate({"alpha": a}, ideal=True) == 24 * a
