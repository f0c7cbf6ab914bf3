"""The validated spec: plain immutable records, free of YAML. Produced by `validate`,
consumed by `graph.build`. Expressions are parsed `Expr`s; nothing here is evaluated yet.
(Plain `Record`s rather than dataclasses: see costmodel/slotted.py.)"""
from __future__ import annotations

from costmodel.slotted import Record

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any


class Pos(Record):
    """Where an entry came from: file, line, column and the spec path (e.g. layers[3].conv)."""
    __slots__ = ("file", "line", "col", "where")

    def __init__(self, file: str, line: int, col: int, where: str):
        self.file, self.line, self.col, self.where = file, line, col, where


class Layer(Record):
    __slots__ = ("kind", "args", "pos", "name")

    def __init__(self, kind: str, args: dict, pos: Pos, name: str | None = None):
        self.kind = kind
        self.args = args          # arg name → Expr | bool | str | tuple[Expr, ...]
        self.pos, self.name = pos, name


class Call(Record):
    __slots__ = ("block", "args", "pos", "name")

    def __init__(self, block: str, args: dict, pos: Pos, name: str | None = None):
        self.block = block
        self.args = args          # param name → Expr
        self.pos, self.name = pos, name


class Merge(Record):
    __slots__ = ("kind", "branches", "args", "pos", "name", "residual")

    def __init__(self, kind: str, branches: tuple, args: dict, pos: Pos,
                 name: str | None = None, residual: bool = False):
        self.kind = kind          # a merge layer kind: add, concat, mul, split
        self.branches = branches  # tuple of bodies (tuple of entries); () is identity
        self.args, self.pos, self.name, self.residual = args, pos, name, residual


class Repeat(Record):
    __slots__ = ("n", "body", "pos", "name")

    def __init__(self, n: Any, body: tuple, pos: Pos, name: str | None = None):
        self.n = n                # Expr, must evaluate to a non-negative integer
        self.body, self.pos, self.name = body, pos, name


class Table(Record):
    __slots__ = ("block", "columns", "rows", "pos", "name")

    def __init__(self, block: str, columns: tuple, rows: tuple, pos: Pos,
                 name: str | None = None):
        self.block, self.columns = block, columns
        self.rows = rows          # tuple of (tuple of Expr, Pos)
        self.pos, self.name = pos, name


# A body entry is a Layer, Call, Merge, Repeat or Table.


class Block(Record):
    __slots__ = ("name", "params", "defaults", "body", "pos")

    def __init__(self, name: str, params: tuple, defaults: dict, body: tuple, pos: Pos):
        self.name, self.params = name, params
        self.defaults = defaults  # param → Expr
        self.body, self.pos = body, pos


class SymbolDef(Record):
    __slots__ = ("name", "default", "multiple_of", "pos", "offset")

    def __init__(self, name: str, default: Any, multiple_of: int | None, pos: Pos,
                 offset: int = 0):
        self.name = name
        self.default = default    # Expr of numbers only
        self.multiple_of, self.pos = multiple_of, pos
        self.offset = offset      # analysed as multiple_of·q + offset (`formula --multiple-of`)


class Published(Record):
    """A published figure to show beside ours: metric → value, at some symbol values."""
    __slots__ = ("values", "at", "source", "convention", "pos")

    def __init__(self, values: dict, at: dict, source: str, convention: str, pos: Pos):
        self.values = values      # metric → Expr (number)
        self.at = at              # symbol → Expr (number)
        self.source, self.convention, self.pos = source, convention, pos


class Network(Record):
    __slots__ = ("name", "file", "symbols", "input", "defaults", "blocks", "layers", "pos",
                 "published", "input_pos")

    def __init__(self, name: str, file: str, symbols: dict, input: tuple, defaults: dict,
                 blocks: dict, layers: tuple, pos: Pos, published: tuple = (),
                 input_pos: Pos | None = None):
        self.name, self.file = name, file
        self.symbols = symbols    # name → SymbolDef
        self.input = input        # (Expr, Expr, Expr): C, H, W
        self.defaults = defaults  # kind → {arg: value}
        self.blocks = blocks      # name → Block
        self.layers, self.pos, self.published = layers, pos, published
        self.input_pos = input_pos    # where `input` is written (shape errors of the input)