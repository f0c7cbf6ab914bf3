"""Where two counts part: per op kind, between two conventions and optionally two specs.

`compare(a, b, analysis_a, analysis_b)` splits

    A(spec A) − B(spec B) = [A(spec A) − B(spec A)]  +  [B(spec A) − B(spec B)]
                             counting: same graph,      architecture: same rules,
                             two rule tables            two graphs

and each bracket op kind by op kind (kind plus `impl:` where a kind has choices). With one
spec the architecture part is zero. `check_published` says which conventions reproduce a
published figure after rounding it to the figure's own precision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from costmodel import numbers as num
from costmodel.conventions.base import Convention, ConventionError, Counted, apply, terms_text
from costmodel.conventions.impl import choices, effective
from costmodel.errors import UsageError


@dataclass
class KindLine:
    """One op kind: layer counts in each spec, the two rules, and the three counts."""
    kind: str
    impl: str
    layers_a: int = 0
    layers_b: int = 0
    a: Any = 0            # convention A on spec A
    b_on_a: Any = 0       # convention B on spec A
    b: Any = 0            # convention B on spec B

    @property
    def label(self) -> str:
        return f"{self.kind} ({self.impl})" if choices(self.kind) else self.kind

    @property
    def counting(self) -> Any:
        return self.a - self.b_on_a

    @property
    def architecture(self) -> Any:
        return self.b_on_a - self.b


@dataclass
class Comparison:
    a: Convention
    b: Convention
    total_a: Any
    total_b_on_a: Any
    total_b: Any
    lines: list                              # KindLine, in order of first appearance
    path_diffs: list = field(default_factory=list)   # (path, B on A − B on B), largest first
    two_specs: bool = False

    def rule_difference(self, line: KindLine, prefix: str = "Σ") -> str:
        """A's rule minus B's rule for a kind, e.g. '4·Σin' (thop − paper for bn)."""
        ra = dict(self.a.rule(line.kind, line.impl).terms)
        rb = dict(self.b.rule(line.kind, line.impl).terms)
        diff = {q: ra.get(q, 0) - rb.get(q, 0) for q in set(ra) | set(rb)}
        return terms_text(diff, prefix)


def _by_kind(counted: Counted, analysis) -> dict:
    """(kind, impl) → (layers, total count), in graph order."""
    out: dict = {}
    for node, value in zip(analysis.graph.nodes, counted.values):
        key = (node.kind, effective(node.kind, node.impl))
        n, v = out.get(key, (0, 0))
        out[key] = (n + 1, num.total([v, value]))
    return out


def compare(a: Convention, b: Convention, analysis_a, analysis_b=None) -> Comparison:
    """Convention `a` on spec A against `b` on spec B (B defaults to A), op kind by op kind."""
    count_a, count_b_on_a = apply(a, analysis_a), apply(b, analysis_a)
    count_b = apply(b, analysis_b) if analysis_b is not None else count_b_on_a
    kinds_a, kinds_b_on_a = _by_kind(count_a, analysis_a), _by_kind(count_b_on_a, analysis_a)
    kinds_b = _by_kind(count_b, analysis_b) if analysis_b is not None else kinds_b_on_a
    lines = []
    for key in list(kinds_a) + [k for k in kinds_b if k not in kinds_a]:
        line = KindLine(*key)
        line.layers_a, line.a = kinds_a.get(key, (0, 0))
        line.b_on_a = kinds_b_on_a.get(key, (0, 0))[1]
        line.layers_b, line.b = kinds_b.get(key, (0, 0))
        lines.append(line)
    result = Comparison(a, b, count_a.total, count_b_on_a.total, count_b.total, lines,
                        two_specs=analysis_b is not None)
    if analysis_b is not None:
        result.path_diffs = _path_diffs(count_b_on_a, analysis_a, count_b, analysis_b)
    return result


def _path_diffs(ca: Counted, analysis_a, cb: Counted, analysis_b) -> list:
    """Layers present in both specs (same path) whose counts differ, largest first."""
    in_b = {n.path: v for n, v in zip(analysis_b.graph.nodes, cb.values)}
    diffs = [(n.path, v - in_b[n.path]) for n, v in zip(analysis_a.graph.nodes, ca.values)
             if n.path in in_b and num.is_numeric(v) and v != in_b[n.path]]
    return sorted(diffs, key=lambda d: -abs(d[1]))


# -- published figures ---------------------------------------------------------------------
_FIGURE = re.compile(r"^([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?([kKMGT]?)$")
_SUFFIX = {"": 0, "k": 3, "K": 3, "M": 6, "G": 9, "T": 12}


@dataclass(frozen=True)
class Figure:
    """A published number and the precision it was printed with (its rounding unit)."""
    text: str
    value: Any            # int or Fraction
    unit: Any             # 10**e, the last printed digit's place

    def rounded(self, x: Any) -> Any:
        """x rounded half up to the figure's unit."""
        return (Fraction(x) / self.unit + Fraction(1, 2)).__floor__() * self.unit

    def truncated(self, x: Any) -> Any:
        """x truncated to the figure's unit (TF-slim's tables truncate)."""
        return (Fraction(x) / self.unit).__floor__() * self.unit


def parse_figure(text: str) -> Figure:
    """'146e6', '146M', '145.8e6', '0.3G', '3504872' → Figure. The unit is the place of the
    last printed digit; trailing zeros of a plain integer count as rounding ('1000' → 1000)."""
    m = _FIGURE.match(text.strip().replace("_", ""))
    if not m:
        raise UsageError(f"--published expects a number such as 146e6, 146M or 3504872, got '{text}'")
    whole, frac, exp, suffix = m.group(1), m.group(2) or "", int(m.group(3) or 0), m.group(4)
    power = exp + _SUFFIX[suffix] - len(frac)
    digits = int(whole + frac)
    if not frac and not m.group(3) and not suffix:
        zeros = len(whole) - len(whole.rstrip("0")) if digits else 0
        power += zeros
        digits //= 10 ** zeros
    unit = num.normalise(Fraction(10) ** power)
    return Figure(text, num.normalise(digits * Fraction(unit)), unit)


@dataclass
class FigureCheck:
    convention: Convention
    total: Any = None     # None when the convention cannot count the network
    error: str = ""
    rounds: bool = False
    truncates: bool = False


def check_published(figure: Figure, conventions: list, analysis) -> list:
    """Every convention's total on `analysis` and whether it reproduces `figure`."""
    out = []
    for conv in conventions:
        try:
            total = apply(conv, analysis).total
        except ConventionError as e:
            out.append(FigureCheck(conv, error=str(e)))
            continue
        if not num.is_numeric(total):
            raise UsageError("--published needs numbers: give every symbol a value")
        out.append(FigureCheck(conv, total, rounds=figure.rounded(total) == figure.value,
                               truncates=figure.truncated(total) == figure.value))
    return out
