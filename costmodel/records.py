"""Small YAML record files that are not specs (device profiles, measurement files), read with
the same safe, position-keeping loader as specs (`spec/yaml_io.py`), so a bad value is reported
as ``file:line:col: error: <where>: <what>`` and never as a traceback."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from costmodel.errors import SpecError, UsageError, did_you_mean, one_of
from costmodel.spec.yaml_io import MAX_SPEC_BYTES, YMap, YNode, YScalar, YSeq, load


def read(path: str, what: str) -> YNode:
    """Load a YAML record file (`what` names it in messages: 'device profile', ...)."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_SPEC_BYTES + 1)
    except OSError as e:
        raise UsageError(f"cannot read {what} '{path}': {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SpecError(f"{what} is not UTF-8 text ({e.reason})", "", path, 1, 1) from None
    return load(text, path)


class Reader:
    """Typed access to marked YAML nodes with compiler-style errors."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, node: YNode | tuple, where: str, msg: str) -> SpecError:
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        return SpecError(msg, where, self.file, line, col)

    def mapping(self, node: YNode, where: str, keys: tuple, required: tuple = ()) -> dict:
        """The items of a mapping: unknown keys and missing required keys are errors."""
        if not isinstance(node, YMap):
            raise self.fail(node, where, f"expected a mapping with keys {one_of(keys)}")
        for key, mark in node.key_marks.items():
            if key not in keys:
                raise self.fail(mark, where, f"unknown key '{key}'; keys: {one_of(keys)}"
                                f"{did_you_mean(key, keys)}")
        for key in required:
            if key not in node.items:
                raise self.fail(node, where, f"missing required key '{key}'")
        return dict(node.items)

    def number(self, node: YNode, where: str, positive: bool = True,
               allow_zero: bool = False) -> float:
        """A plain number (int or decimal, e.g. 484e9); positive unless told otherwise."""
        if not isinstance(node, YScalar) or isinstance(node.value, bool) \
                or not isinstance(node.value, (int, Fraction)):
            raise self.fail(node, where, f"expected a number, got {_show(node)}")
        v = float(node.value)
        if positive and (v < 0 or (v == 0 and not allow_zero)):
            raise self.fail(node, where, f"must be {'non-negative' if allow_zero else 'positive'}"
                            f", got {node.value}")
        return v

    def integer(self, node: YNode, where: str) -> int:
        if not isinstance(node, YScalar) or isinstance(node.value, bool) \
                or not isinstance(node.value, int) or node.value < 1:
            raise self.fail(node, where, f"expected a positive integer, got {_show(node)}")
        return node.value

    def text(self, node: YNode, where: str) -> str:
        if not isinstance(node, YScalar) or isinstance(node.value, bool) or node.value is None:
            raise self.fail(node, where, f"expected text, got {_show(node)}")
        return str(node.value)

    def choice(self, node: YNode, where: str, choices: tuple) -> str:
        value = self.text(node, where)
        if value not in choices:
            raise self.fail(node, where, f"'{value}' is not one of {one_of(choices)}"
                            f"{did_you_mean(value, choices)}")
        return value

    def seq(self, node: YNode, where: str) -> list:
        if not isinstance(node, YSeq):
            raise self.fail(node, where, f"expected a list, got {_show(node)}")
        return node.items

    def plain(self, node: YNode) -> Any:
        """A YAML subtree as plain Python data (numbers stay exact)."""
        if isinstance(node, YMap):
            return {k: self.plain(v) for k, v in node.items.items()}
        if isinstance(node, YSeq):
            return [self.plain(v) for v in node.items]
        return node.value


def _show(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return repr(node.value)
