"""What a counting convention is: a per-op rule table, keyed by layer kind and `impl:`.

A rule counts an op as a sum of per-layer quantities times small integers, e.g. thop's
BatchNorm is ``"4*in"`` and ptflops' convolution ``"madds + bias"``. The quantities:

  madds   multiply-adds of the layer (conv, dwconv, fc; 0 elsewhere)
  bias    bias adds: output elements of a conv/dwconv/fc that has a bias
  in      input elements (c·h·w of the layer's input)
  out     output elements
  window  k²·output elements (the window reads of a pooling layer)
  pairs   (branches − 1)·output elements: the binary element-wise ops of an add or mul

A table must say something about every (kind, impl) pair (tests check it): a count, a
``"0"`` with the reason, or `unsupported` where the tool itself refuses the op (CondenseNet's
measure_model raises on a module it does not know). Every rule carries the source file and
lines it was read from. Values are exact, so a symbolic analysis yields a formula.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from costmodel import numbers as num
from costmodel.conventions.impl import effective
from costmodel.errors import UsageError

QUANTITIES = {
    "madds": "multiply-adds (conv, dwconv, fc)",
    "bias": "bias adds: output elements of a conv/dwconv/fc with a bias",
    "in": "input elements",
    "out": "output elements",
    "window": "k²·output elements of a pooling window",
    "pairs": "(branches − 1)·output elements of an add or mul",
}
_TERM = re.compile(r"^(?:(\d+)\*)?([a-z]+)$")


class ConventionError(UsageError):
    """The convention cannot count this network (the tool itself would refuse it)."""


@dataclass(frozen=True)
class Rule:
    """One op's count under a convention: Σ factor·quantity, with where it was read."""
    terms: tuple          # ((quantity, factor), ...) in a fixed order
    source: str
    note: str = ""
    unsupported: bool = False

    def text(self) -> str:
        return "unsupported" if self.unsupported else terms_text(dict(self.terms))


def parse_count(text: str) -> tuple:
    """'4*in + out' → (('in', 4), ('out', 1)); '0' → (). Malformed text is a bug (ValueError)."""
    if text.strip() == "0":
        return ()
    terms: dict[str, int] = {}
    for part in text.split("+"):
        m = _TERM.match(part.strip())
        if not m or m.group(2) not in QUANTITIES:
            raise ValueError(f"bad count term {part!r} in {text!r}; quantities: {', '.join(QUANTITIES)}")
        terms[m.group(2)] = terms.get(m.group(2), 0) + int(m.group(1) or 1)
    return tuple((q, terms[q]) for q in QUANTITIES if q in terms)


def terms_text(terms: dict, prefix: str = "") -> str:
    """{'in': 4, 'madds': -1} → '−madds + 4·in' (quantity order); {} → '0'.
    `prefix` goes before each quantity, e.g. 'Σ' for a sum over layers: '4·Σin'."""
    parts = []
    for q in QUANTITIES:
        f = terms.get(q, 0)
        if f:
            mag = prefix + q if abs(f) == 1 else f"{abs(f)}·{prefix}{q}"
            parts.append(("− " if f < 0 else "+ ") + mag)
    if not parts:
        return "0"
    text = " ".join(parts)
    return text[2:] if text.startswith("+ ") else "−" + text[2:]


@dataclass(frozen=True)
class Convention:
    """A named way of counting: its tool (with version), what its total is, and its rules."""
    name: str
    summary: str          # one line: what the number is
    tool: str             # tool and version the rules were read from ('' for a definition)
    call: str             # how the tool's total was obtained
    rules: dict = field(repr=False)   # (kind, impl or '*') → Rule

    def rule(self, kind: str, impl: str | None) -> Rule:
        """The rule for a layer of `kind` written as `impl` (None: the kind's default)."""
        eff = effective(kind, impl)
        found = self.rules.get((kind, eff)) or self.rules.get((kind, "*"))
        if found is None:
            raise KeyError(f"convention {self.name} has no rule for {kind} ({eff})")
        return found


def table(*entries: tuple) -> dict:
    """Rows (kinds, impls, count, source[, note]) → {(kind, impl): Rule}.

    kinds and impls are space-separated ('*' = every impl); count is a parse_count text or
    'unsupported'. A (kind, impl) listed twice is a bug."""
    out: dict = {}
    for kinds, impls, count, source, *note in entries:
        unsupported = count == "unsupported"
        rule = Rule(() if unsupported else parse_count(count), source, note[0] if note else "",
                    unsupported)
        for kind in kinds.split():
            for impl in impls.split():
                if (kind, impl) in out:
                    raise ValueError(f"rule for ({kind}, {impl}) given twice")
                out[(kind, impl)] = rule
    return out


def quantity(name: str, node, cost) -> Any:
    """One quantity of a graph node (see the module docstring)."""
    if name == "madds":
        return cost.madds
    if name == "bias":
        return node.y.numel if getattr(node.layer, "bias", False) else 0
    if name == "in":
        return node.x.numel
    if name == "out":
        return node.y.numel
    if name == "window":
        return node.layer.k * node.layer.k * node.y.numel
    if name == "pairs":
        return (len(node.xs) - 1) * node.y.numel
    raise KeyError(name)


def count(rule: Rule, node, cost) -> Any:
    """A node's count under a rule (exact; sympy when the shapes are symbolic)."""
    return num.total(f * quantity(q, node, cost) for q, f in rule.terms)


@dataclass
class Counted:
    """A convention applied to an analysis: per-node counts (graph order) and their total."""
    convention: Convention
    values: list
    total: Any

    def span(self, start: int, end: int) -> Any:
        return num.total(self.values[start:end])


def apply(convention: Convention, analysis) -> Counted:
    """Count every node of `analysis` under `convention`; raise ConventionError when the
    tool itself could not count one of them."""
    values = []
    for node, cost in zip(analysis.graph.nodes, analysis.costs):
        rule = convention.rule(node.kind, node.impl)
        if rule.unsupported:
            raise ConventionError(
                f"convention {convention.name} cannot count layer '{node.path}' ({node.kind}"
                f"{', impl ' + node.impl if node.impl else ''}): {rule.note or 'unsupported'} "
                f"[{rule.source}]")
        values.append(count(rule, node, cost))
    return Counted(convention, values, num.total(values))
