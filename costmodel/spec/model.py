"""The validated spec: plain frozen records, free of YAML. Produced by `validate`, consumed
by `graph.build`. Expressions are parsed `Expr`s; nothing here is evaluated yet."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class Pos:
    """Where an entry came from: file, line, column and the spec path (e.g. layers[3].conv)."""
    file: str
    line: int
    col: int
    where: str


@dataclass(frozen=True)
class Layer:
    kind: str
    args: dict            # arg name → Expr | bool | str | tuple[Expr, ...]
    pos: Pos
    name: str | None = None


@dataclass(frozen=True)
class Call:
    block: str
    args: dict            # param name → Expr
    pos: Pos
    name: str | None = None


@dataclass(frozen=True)
class Merge:
    kind: str             # a merge layer kind: add, concat, mul, split
    branches: tuple       # tuple of bodies (tuple of entries); () is identity
    args: dict
    pos: Pos
    name: str | None = None
    residual: bool = False


@dataclass(frozen=True)
class Repeat:
    n: Any                # Expr, must evaluate to a non-negative integer
    body: tuple
    pos: Pos
    name: str | None = None


@dataclass(frozen=True)
class Table:
    block: str
    columns: tuple
    rows: tuple           # tuple of (tuple of Expr, Pos)
    pos: Pos
    name: str | None = None


Entry = Union[Layer, Call, Merge, Repeat, Table]


@dataclass(frozen=True)
class Block:
    name: str
    params: tuple
    defaults: dict        # param → Expr
    body: tuple
    pos: Pos


@dataclass(frozen=True)
class SymbolDef:
    name: str
    default: Any          # Expr of numbers only
    multiple_of: int | None
    pos: Pos
    offset: int = 0       # analysed as multiple_of·q + offset (set by `formula --multiple-of`)


@dataclass(frozen=True)
class Published:
    """A published figure to show beside ours: metric → value, at some symbol values."""
    values: dict          # metric → Expr (number)
    at: dict              # symbol → Expr (number)
    source: str
    convention: str
    pos: Pos


@dataclass(frozen=True)
class Network:
    name: str
    file: str
    symbols: dict         # name → SymbolDef
    input: tuple          # (Expr, Expr, Expr): C, H, W
    defaults: dict        # kind → {arg: value}
    blocks: dict          # name → Block
    layers: tuple
    pos: Pos
    published: tuple = field(default=())
    input_pos: Pos | None = None     # where `input` is written (shape errors of the input)
