"""Stage 1: YAML text → a tree of `YMap` / `YSeq` / `YScalar`, each with its source position.

Specs are untrusted. We compose (never construct) with PyYAML's safe composer, so no Python
object is ever built, then convert nodes ourselves:

* explicit tags (``!!python/...``, ``!foo``), anchors and aliases are rejected (use `blocks`);
* duplicate keys are an error naming both positions;
* plain scalars resolve to int / Fraction / bool / None / str (an expression); YAML 1.1
  surprises are errors, not silent conversions: ``no``/``on``/``yes``/``off`` and leading-zero
  integers such as ``010`` (octal 8 in YAML 1.1);
* line breaks other than LF and CRLF are refused, so that positions are editor lines;
* size is bounded before PyYAML sees the text, and nesting (from the flat event stream)
  before it composes nodes.
"""
from __future__ import annotations

import re
from fractions import Fraction

import yaml

from costmodel.errors import SpecError

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any

MAX_SPEC_BYTES = 1 << 20     # 1 MiB: the largest zoo spec is under 10 KiB
MAX_NUMBER_CHARS = 100      # a plain number longer than this is an error (int() stops at 4300)
MAX_NESTING = 64             # nested lists/mappings (MobileNetV2's spec needs 11)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}
_YAML11_BOOLS = {"yes", "no", "on", "off"}   # what PyYAML resolves as bool besides true/false
_NO_ALIASES = "YAML aliases (*name) are not allowed: use blocks to reuse layers"
_ODD_BREAK = re.compile("[\x85\u2028\u2029]|\r(?!\n)")
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+$")
_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]{1,2})?$|[-+]?[0-9]+[eE][-+]?[0-9]{1,2}$")


class YNode:
    """A node of the marked tree: its 1-based line and column. (Plain classes rather than
    dataclasses: see costmodel/slotted.py.)"""
    __slots__ = ("line", "col")

    def __init__(self, line: int, col: int):
        self.line, self.col = line, col


class YScalar(YNode):
    __slots__ = ("value", "quoted")

    def __init__(self, line: int, col: int, value: Any, quoted: bool = False):
        self.line, self.col = line, col
        self.value = value        # int | Fraction | bool | None | str
        self.quoted = quoted


class YSeq(YNode):
    __slots__ = ("items",)

    def __init__(self, line: int, col: int, items: list | None = None):
        self.line, self.col = line, col
        self.items = [] if items is None else items


class YMap(YNode):
    __slots__ = ("items", "key_marks")

    def __init__(self, line: int, col: int, items: dict | None = None,
                 key_marks: dict | None = None):
        self.line, self.col = line, col
        self.items = {} if items is None else items              # key str -> YNode
        self.key_marks = {} if key_marks is None else key_marks  # key str -> (line, col)


def load(text: str, file: str = "<spec>") -> YNode:
    """Parse spec text into marked nodes; raise SpecError on anything unsafe or malformed."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError(f"spec is {len(text)} bytes; the limit is {MAX_SPEC_BYTES}", "", file, 1, 1)
    _check_line_breaks(text, file)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_nesting(text, file, loader)
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        tab = " (a tab: indent with spaces)" if mark and text[mark.index:mark.index + 1] == "\t" else ""
        if "nesting depth" in str(e.problem):   # libyaml >= 0.2.5 stops at its own limit first
            raise SpecError(_TOO_DEEP, "", file, line, col) from None
        raise SpecError(f"YAML syntax: {e.problem or e.context}{tab}", "", file, line, col) from None
    except yaml.reader.ReaderError as e:      # a control character: not a MarkedYAMLError
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        raise SpecError(f"YAML syntax: character #x{e.character:04x} is not allowed "
                        f"({e.reason})", "", file, line, col) from None
    except yaml.YAMLError as e:
        raise SpecError(f"YAML syntax: {e}", "", file, 1, 1) from None
    if node is None:
        raise SpecError("the file is empty", "", file, 1, 1)
    return _convert(node, file, set())


def _check_line_breaks(text: str, file: str) -> None:
    """Refuse the line breaks YAML 1.1 counts but editors do not (U+0085, U+2028, U+2029,
    a lone CR): with them, PyYAML's line numbers would not match the lines people see."""
    m = _ODD_BREAK.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise SpecError(f"character U+{ord(m.group()):04X} is not allowed: YAML reads it as a "
                        "line break; use a newline", "", file, line, col)


_TOO_DEEP = f"nesting deeper than {MAX_NESTING} levels of lists and mappings"


def _check_nesting(text: str, file: str, loader) -> None:
    """Bound the nesting of mappings and sequences before composing: PyYAML's composer and
    our converter recurse once per level (deep nesting would crash libyaml's composer with a
    segmentation fault, or raise RecursionError). The event stream itself is flat. Aliases
    are refused here too, at the alias (the composed node only knows the anchor's place)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                m = event.start_mark
                raise SpecError(_TOO_DEEP, "", file, m.line + 1, m.column + 1)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            m = event.start_mark
            raise SpecError(_NO_ALIASES, "", file, m.line + 1, m.column + 1)


def _convert(node: yaml.Node, file: str, seen: set) -> YNode:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if id(node) in seen:
        raise SpecError(_NO_ALIASES, "", file, line, col)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, file, line, col)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, _CORE + "seq", file, line, col)
        return YSeq(line, col, [_convert(n, file, seen) for n in node.value])
    _check_tag(node, _CORE + "map", file, line, col)
    out = YMap(line, col)
    for k, v in node.value:
        kline, kcol = k.start_mark.line + 1, k.start_mark.column + 1
        if not isinstance(k, yaml.ScalarNode):
            raise SpecError("mapping keys must be plain names", "", file, kline, kcol)
        key = k.value
        if key in out.items:
            first = out.key_marks[key]
            raise SpecError(f"duplicate key '{key}' (first at line {first[0]}, column {first[1]})",
                            "", file, kline, kcol)
        out.key_marks[key] = (kline, kcol)
        out.items[key] = _convert(v, file, seen)
    return out


def _check_tag(node: yaml.Node, expected: str, file: str, line: int, col: int) -> None:
    if node.tag != expected:
        raise SpecError(f"YAML tag '{node.tag}' is not allowed in specs", "", file, line, col)


def _scalar(node: yaml.ScalarNode, file: str, line: int, col: int) -> YScalar:
    if node.tag not in _SCALAR_TAGS:
        raise SpecError(f"YAML tag '{node.tag}' is not allowed in specs", "", file, line, col)
    if node.style:                      # quoted or block scalar: always a string
        return YScalar(line, col, node.value, quoted=True)
    return YScalar(line, col, _resolve_plain(node.value, file, line, col))


def _resolve_plain(text: str, file: str, line: int, col: int) -> Any:
    low = text.lower()
    if low in ("", "~", "null"):
        return None
    if low in ("true", "false"):
        return low == "true"
    if low in _YAML11_BOOLS:
        raise SpecError(f"'{text}' is a YAML 1.1 boolean; write true/false, or quote it", "",
                        file, line, col)
    if _LEADING_ZERO.match(text):
        raise SpecError(f"'{text}' has a leading zero (YAML 1.1 reads it as octal); write "
                        f"{text.lstrip('+-0') or '0'}", "", file, line, col)
    if len(text) > MAX_NUMBER_CHARS and (_INT.match(text) or _FLOAT.match(text)):
        raise SpecError(f"number '{text[:20]}...' has {len(text)} characters; the limit is "
                        f"{MAX_NUMBER_CHARS}", "", file, line, col)
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _FLOAT.match(text):
        return Fraction(text.replace("_", ""))
    return text
