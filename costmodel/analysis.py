"""The public pipeline: spec file → Network → Graph → Analysis.

    net = load_spec("specs/mobilenet_v2.yaml")
    a = analyse(net, {"alpha": Fraction(1, 2)})            # numbers: exact ints
    a = analyse(net, symbolic=["resolution"])               # a formula in `resolution`

A symbol declared with ``multiple_of: m`` is analysed as m·q with q a positive integer, so the
floors of strided sizes simplify exactly; `closed_form` substitutes q = name/m back. A symbol's
`offset` o (not in the spec language; `formula --multiple-of resolution=32+11` sets it, for
299 = 32·9 + 11) makes that m·q + o and q = (name − o)/m.
"""
from __future__ import annotations

import contextlib
import functools
import gc

from costmodel import numbers as num
from costmodel.cost import Analysis, evaluate
from costmodel.errors import SpecError, UsageError, did_you_mean, one_of
from costmodel.graph.build import build
from costmodel.spec import expr as ex
from costmodel.spec.model import Network
from costmodel.spec.validate import validate
from costmodel.spec.yaml_io import MAX_SPEC_BYTES, load

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any, Iterable


def load_spec(path: str) -> Network:
    """Read, parse and validate a spec file (errors: SpecError/SpecErrors)."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_SPEC_BYTES + 1)
    except OSError as e:
        raise UsageError(f"cannot read spec '{path}': {e.strerror}") from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError(f"spec is larger than the limit of {MAX_SPEC_BYTES} bytes", "", path, 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise SpecError(f"spec is not UTF-8 text: byte 0x{raw[e.start]:02x} ({e.reason})", "",
                        path, line, col) from None
    return load_text(text, path)


def load_text(text: str, file: str = "<spec>") -> Network:
    """Parse and validate spec text."""
    with paused_gc():
        return validate(load(text, file), file)


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while the engine builds its trees.

    Parsing, validating, expanding and costing allocate many objects and free almost none
    until the end, which is the worst case for CPython's collector: each full collection
    walks everything alive, and one runs each time that grows by a quarter, so a spec of n
    layers cost O(n log n) with a large constant (a 40,000-layer spec spent most of its time
    collecting; benchmarks/PROFILE.md). The trees are acyclic; nothing is lost by waiting.
    The previous state is restored, so callers that disabled the collector keep it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Symbols:
    """Symbol values for one analysis: env for evaluation, and the back-substitution."""
    __slots__ = ("env", "shown", "back")

    def __init__(self, env: dict, shown: dict, back: dict | None = None):
        self.env = env
        self.shown = shown                           # name → value as the user sees it
        self.back = {} if back is None else back     # sympy q → name/m


def parse_value(text: str, name: str) -> Any:
    """A --set value: a number or an arithmetic expression of numbers."""
    try:
        e = ex.parse(text)
        if e.names:
            raise ex.ExprError(f"names are not allowed in a value: {', '.join(sorted(e.names))}")
        return e.evaluate({})
    except ex.ExprError as err:
        raise UsageError(f"--set {name}={text}: {err}") from None


def symbols(net: Network, values: dict | None = None, symbolic: Iterable[str] = ()) -> Symbols:
    """Resolve symbol values: --set values, free (symbolic) names, else spec defaults."""
    values, symbolic = {k: _exact(k, v) for k, v in (values or {}).items()}, list(symbolic)
    both = sorted(set(values) & set(symbolic))
    if both:
        raise UsageError(f"symbol '{both[0]}' is given a value (--set) and kept free (--symbolic)")
    for name in list(values) + symbolic:
        if name not in net.symbols:
            raise UsageError(f"unknown symbol '{name}'; symbols of {net.name or net.file}: "
                             f"{one_of(net.symbols)}{did_you_mean(name, net.symbols)}")
    env, shown, back = {}, {}, {}
    for name, sd in net.symbols.items():
        if name in symbolic:
            from costmodel import symbolic as sy
            sym = sy.symbol(name)
            if sd.multiple_of:
                q = sy.quotient_symbol(name)
                env[name] = sd.multiple_of * q + sd.offset
                back[q] = (sym - sd.offset) / sd.multiple_of
            else:
                env[name] = sym
            shown[name] = name
        else:
            v = values[name] if name in values else sd.default.evaluate({})
            env[name] = shown[name] = v
    return Symbols(env, shown, back)


def _exact(name: str, v: Any) -> Any:
    """A symbol value from Python: floats by their decimal text (0.35 → 7/20), strings parsed."""
    if isinstance(v, bool):
        raise UsageError(f"symbol '{name}' must be a number, got {v}")
    if isinstance(v, float):
        return parse_value(repr(v), name)
    if isinstance(v, str):
        return parse_value(v, name)
    return num.normalise(v)


def analyse(net: Network, values: dict | None = None, symbolic: Iterable[str] = (),
            ideal: bool = False) -> Analysis:
    """Build the graph and cost it. `values`: symbol → number; `symbolic`: names kept free."""
    syms = symbols(net, values, symbolic)
    if any(num.is_numeric(v) and v <= 0 for v in syms.env.values()):
        bad = next(k for k, v in syms.env.items() if num.is_numeric(v) and v <= 0)
        raise UsageError(f"symbol '{bad}' must be positive, got {syms.env[bad]}")
    with paused_gc():
        if symbolic:
            # Shape checks (integer sizes, groups dividing channels, limits) decide only on
            # numbers, so first build at the symbols' defaults: a spec that is invalid there is
            # invalid, and its symbolic analysis is not attempted.
            build(net, symbols(net, values).env)
        analysis = evaluate(build(net, syms.env, ideal))
    analysis.symbols = syms
    return analysis


def closed_form(value: Any, syms: Symbols) -> Any:
    """Substitute name = m·q back (q = name/m) and expand: an exact formula in the names."""
    if num.is_numeric(value):
        return value
    return _closed_form(value, tuple(syms.back.items()))


@functools.lru_cache(maxsize=4096)
def _closed_form(value: Any, back: tuple) -> Any:
    """Memoised: a report asks for the same value several times (a cell, its bytes, the
    totals block; identical blocks at identical shapes share values), and expanding is the
    costly part of a symbolic report."""
    import sympy
    return sympy.expand(value.subs(dict(back))) if back else sympy.expand(value)
