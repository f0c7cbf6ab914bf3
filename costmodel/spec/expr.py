"""Arithmetic expressions in specs: parsed by an allow-list over Python's `ast`, never eval'd.

Grammar: numbers, names, ``+ - * / //``, unary minus, parentheses and the calls
``min(a, b, ...)``, ``max(a, b, ...)``, ``floor(x)``, ``ceil(x)`` and
``make_divisible(x, d[, min_value])`` (the channel rounding of Keras/TF-slim/timm
``_make_divisible``: round to the nearest multiple of d, at least min_value (default d), and
never more than 10% below x). Names resolve only through the spec's own scope (symbols, block
parameters, ``cin``/``hin``/``win``), never through sympy's namespace, so ``E``, ``N``, ``S``
or ``beta`` are ordinary names.

Evaluation is exact: int/Fraction for numbers, sympy for free symbols (imported lazily).
Constants are at most MAX_CONSTANT (YAML numbers included) and every intermediate value has
fewer than MAX_VALUE_BITS bits, so no expression can build a gigantic integer.
"""
from __future__ import annotations

import ast
import math
import re
import warnings
from fractions import Fraction

from costmodel import numbers as num
from costmodel.slotted import Record

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any, Callable

MAX_EXPR_CHARS = 500
MAX_EXPR_NODES = 200
MAX_CONSTANT = 10 ** 18
MAX_VALUE_BITS = 1024      # any intermediate value: |numerator|, denominator < 2**1024 (~1.8e308)
MAX_CACHE = 4096           # parsed expressions kept for reuse
FUNCTIONS = ("ceil", "floor", "make_divisible", "max", "min")
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//"}
_REJECTED = {
    ast.Pow: "'**' (powers) is not allowed", ast.Mod: "'%' is not allowed",
    ast.Attribute: "attribute access is not allowed", ast.Subscript: "indexing is not allowed",
    ast.Lambda: "lambda is not allowed", ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed", ast.IfExp: "'if' expressions are not allowed",
}


class ExprError(Exception):
    """A malformed or unsafe expression; the caller adds the spec position."""


class Expr(Record):
    """A parsed expression: its source text, its tree and the names it uses."""
    __slots__ = ("text", "tree", "names")

    def __init__(self, text: str, tree: tuple, names: frozenset):
        self.text, self.tree, self.names = text, tree, names

    def evaluate(self, env: dict, ideal: bool = False) -> Any:
        """Value in `env` (name → int | Fraction | sympy expr). `ideal` drops the rounding
        written in the spec: make_divisible(x, ...), floor(x) and ceil(x) become x, a // b
        becomes a / b (ideal, unrounded widths)."""
        return _eval(self.tree, env, ideal)


_cache: dict[str, Expr] = {}


def parse(source: Any) -> Expr:
    """Parse a spec value (int, Fraction or expression string) into an Expr."""
    if isinstance(source, bool) or source is None:
        raise ExprError(f"expected a number or an expression, got {_show(source)}")
    if isinstance(source, (int, Fraction)):
        value = _constant(source, str(source))
        return Expr(str(source), ("num", value), frozenset())
    if not isinstance(source, str):
        raise ExprError(f"expected a number or an expression, got {type(source).__name__}")
    hit = _cache.get(source)
    if hit is None:
        if len(_cache) >= MAX_CACHE:
            _cache.clear()
        hit = _cache[source] = _parse_text(source)
    return hit


def _parse_text(text: str) -> Expr:
    if len(text) > MAX_EXPR_CHARS:
        raise ExprError(f"expression longer than {MAX_EXPR_CHARS} characters")
    try:
        with warnings.catch_warnings():     # '1if x' warns on stderr before failing later
            warnings.simplefilter("ignore", SyntaxWarning)
            root = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        size = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*\d+\s*", text)
        hint = f" (write 'k: {size[1]}' for a {text.strip()} kernel)" if size else ""
        raise ExprError(f"cannot parse '{text}' as an expression{hint}") from None
    if sum(1 for _ in ast.walk(root)) > MAX_EXPR_NODES:
        raise ExprError(f"expression has more than {MAX_EXPR_NODES} parts")
    names: set[str] = set()
    tree = _build(root.body, text, names)
    return Expr(text, tree, frozenset(names))


def _build(node: ast.AST, text: str, names: set) -> tuple:
    if isinstance(node, ast.Constant):
        return ("num", _constant(node.value, text))
    if isinstance(node, ast.Name):
        names.add(node.id)
        return ("name", node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return ("bin", _BINOPS[type(node.op)], _build(node.left, text, names),
                _build(node.right, text, names))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _build(node.operand, text, names)
        return ("neg", inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Call):
        return _build_call(node, text, names)
    kind = type(node.op) if isinstance(node, (ast.BinOp, ast.UnaryOp)) else type(node)
    reason = _REJECTED.get(kind, f"'{type(node).__name__}' syntax is not allowed")
    raise ExprError(f"{reason} in '{text}'; allowed: numbers, names, + - * / //, "
                    f"{', '.join(FUNCTIONS)}")


def _build_call(node: ast.Call, text: str, names: set) -> tuple:
    fname = node.func.id if isinstance(node.func, ast.Name) else None
    if fname not in FUNCTIONS:
        shown = fname or ast.unparse(node.func)
        raise ExprError(f"unknown function '{shown}' in '{text}'; functions: "
                        f"{', '.join(FUNCTIONS)}")
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise ExprError(f"{fname}() takes positional arguments only, in '{text}'")
    arity = {"ceil": (1, 1), "floor": (1, 1), "make_divisible": (2, 3)}.get(fname, (2, 32))
    if not arity[0] <= len(node.args) <= arity[1]:
        raise ExprError(f"{fname}() takes {arity[0]}..{arity[1]} arguments, got "
                        f"{len(node.args)}, in '{text}'")
    return ("call", fname, tuple(_build(a, text, names) for a in node.args))


def _constant(value: Any, text: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise ExprError(f"only numbers may appear as constants, in '{text}'")
    if isinstance(value, float) and not math.isfinite(value):   # 1e999 parses as inf
        raise ExprError(f"constant in '{text}' is larger than {MAX_CONSTANT:.0e}")
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if abs(exact) > MAX_CONSTANT:
        raise ExprError(f"constant {value} is larger than {MAX_CONSTANT:.0e}, in '{text}'")
    return num.normalise(exact)


def _show(v: Any) -> str:
    return {True: "true", False: "false", None: "nothing (null)"}.get(v, repr(v)) \
        if v is None or isinstance(v, bool) else repr(v)


def _eval(tree: tuple, env: dict, ideal: bool) -> Any:
    tag = tree[0]
    if tag == "num":
        return tree[1]
    if tag == "name":
        try:
            return env[tree[1]]
        except KeyError:
            raise ExprError(f"unknown name '{tree[1]}'") from None
    if tag == "neg":
        return -_eval(tree[1], env, ideal)
    if tag == "bin":
        op = "/" if ideal and tree[1] == "//" else tree[1]
        return _binary(op, _eval(tree[2], env, ideal), _eval(tree[3], env, ideal))
    args = [_eval(a, env, ideal) for a in tree[2]]
    return _CALLS[tree[1]](args, ideal)


def _binary(op: str, a: Any, b: Any) -> Any:
    if op in ("/", "//") and num.is_numeric(b) and b == 0:
        raise ExprError("division by zero")
    if op == "+":
        r = a + b
    elif op == "-":
        r = a - b
    elif op == "*":
        r = a * b
    elif op == "/":
        r = num.div(a, b)
    else:
        r = a // b
    return _bounded(num.normalise(r))   # a sympy number (alpha - alpha) becomes an int


def _bounded(r: Any) -> Any:
    """Refuse gigantic intermediate values: chained products (x*x*... through block
    parameters) would otherwise build integers of millions of digits."""
    if isinstance(r, Fraction):
        big = max(r.numerator.bit_length(), r.denominator.bit_length()) > MAX_VALUE_BITS
    else:
        big = isinstance(r, int) and r.bit_length() > MAX_VALUE_BITS
    if big:
        raise ExprError(f"a value exceeds 2**{MAX_VALUE_BITS} (about 1.8e308), the limit on "
                        "intermediate values")
    return r


def _minmax(pick: Callable, sym: str) -> Callable:
    def call(args: list, ideal: bool) -> Any:
        if all(num.is_numeric(a) for a in args):
            return pick(args)
        return getattr(num._sympy(), sym)(*args)
    return call


def _floor(args: list, ideal: bool) -> Any:
    x = args[0]
    if ideal:
        return x
    return (x.__floor__() if isinstance(x, Fraction) else x) if num.is_numeric(x) \
        else num._sympy().floor(x)


def _ceil(args: list, ideal: bool) -> Any:
    x = args[0]
    if ideal:
        return x
    return (x.__ceil__() if isinstance(x, Fraction) else x) if num.is_numeric(x) \
        else num._sympy().ceiling(x)


def make_divisible(v: Any, divisor: Any, min_value: Any = None) -> Any:
    """Keras/TF-slim ``_make_divisible`` in exact arithmetic (numeric arguments only)."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + Fraction(divisor, 2)) // divisor * divisor)
    if new_v < Fraction(9, 10) * v:
        new_v += divisor
    return num.normalise(Fraction(new_v))


def _make_divisible(args: list, ideal: bool) -> Any:
    if ideal:
        return args[0]
    if all(num.is_numeric(a) for a in args):
        if not all(a > 0 for a in args):
            raise ExprError("make_divisible() needs positive arguments")
        return make_divisible(*args)
    from costmodel.symbolic import MakeDivisible
    return MakeDivisible(*args)


_CALLS = {"min": _minmax(min, "Min"), "max": _minmax(max, "Max"), "floor": _floor,
          "ceil": _ceil, "make_divisible": _make_divisible}
