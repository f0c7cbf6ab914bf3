"""Stages 3-4: expand a validated `Network` into a layer graph and propagate shapes.

Expansion and shape propagation are one walk because they depend on each other: a block
body may use `cin`/`hin`/`win`, the shape entering the call, which is known only once the
layers before it are shaped. Blocks, repeats, tables and residuals disappear here; what is
left is a list of `Node`s in execution order (each knowing its producers, so it is a DAG)
and the `Group`s (block calls, merges) that the report folds with `--depth`.

Every node gets a readable path, e.g. `stage3/ir2/dwconv`: an entry is named after its
kind or block (or its `name:`), with a 1-based index when the name repeats in its body.
"""
from __future__ import annotations

from costmodel import layers, numbers as num
from costmodel.errors import SpecError
from costmodel.layers.base import LayerError, LayerKind, Shape
from costmodel.spec import expr as ex
from costmodel.spec.model import Call, Layer, Merge, Network, Pos, Repeat, Table
from costmodel.spec.validate import MAX_DEPTH

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any

MAX_NODES = 100_000       # bounded work: the largest zoo network has under 1,000 layers
MAX_WORK = 2 * MAX_NODES  # entries and repeat iterations expanded, layers or not
MAX_DIM = 2 ** 31         # bounded sizes: channels, height and width
JOIN_NAMES = {"add": "sum", "mul": "scale", "concat": "join", "split": "join"}


class Node:
    """One layer in execution order. `inputs` are producer indices (-1: network input).
    (Plain classes rather than dataclasses here: see costmodel/slotted.py.)"""
    __slots__ = ("path", "layer", "inputs", "x", "xs", "y", "pos", "impl")

    def __init__(self, path: str, layer: LayerKind, inputs: tuple, x: Shape, xs: tuple,
                 y: Shape, pos: Pos, impl: str | None = None):
        self.path, self.layer, self.inputs = path, layer, inputs
        self.x = x                # the input (for merges: the shape entering the branches)
        self.xs = xs              # merges: branch outputs; otherwise (x,)
        self.y, self.pos = y, pos
        self.impl = impl          # how the reference code writes it (`impl:`); None: default

    @property
    def kind(self) -> str:
        return self.layer.name

    def __repr__(self) -> str:
        return f"Node({self.path!r}, {self.kind}, {self.x} → {self.y})"


class Group:
    """A block call or merge: nodes[start:end] of the graph, shown as one folded row."""
    __slots__ = ("path", "label", "start", "end")

    def __init__(self, path: str, label: str, start: int, end: int = 0):
        self.path, self.label, self.start, self.end = path, label, start, end

    def __repr__(self) -> str:
        return f"Group({self.path!r}, {self.label!r}, {self.start}, {self.end})"


class Graph:
    __slots__ = ("network", "env", "input", "nodes", "groups")

    def __init__(self, network: Network, env: dict, input: Shape):
        self.network = network
        self.env = env            # symbol → value used
        self.input = input
        self.nodes: list = []
        self.groups: list = []


def build(net: Network, env: dict, ideal: bool = False) -> Graph:
    """Expand `net` with symbol values `env` (numbers or sympy symbols) and shape every node.

    `ideal` evaluates make_divisible(x, d), floor(x), ceil(x) as x and a // b as a / b (ideal,
    unrounded widths); repeat counts keep their rounding (depth stays an integer)."""
    return _Builder(net, env, ideal).run()


class _Builder:
    def __init__(self, net: Network, env: dict, ideal: bool):
        self.net, self.env, self.ideal = net, env, ideal
        self.kinds = layers.kinds()
        self.work = 0         # entries and repeat iterations expanded so far
        self.depth = 0        # block calls and merges open around the current entry

    def run(self) -> Graph:
        pos = self.net.input_pos or self.net.pos
        x = Shape(*(self.value(e, self.env, pos) for e in self.net.input))
        self.check_shape(x, pos, "", "the input")
        self.graph = Graph(self.net, dict(self.env), x)
        scope = dict(self.env, cin=x.c, hin=x.h, win=x.w)
        self.body(self.net.layers, scope, x, -1, "")
        return self.graph

    # -- evaluation helpers ------------------------------------------------------------------
    def fail(self, pos: Pos, path: str, msg: str) -> SpecError:
        where = f"{pos.where} → {path}" if path else pos.where
        return SpecError(msg, where, pos.file, pos.line, pos.col)

    def value(self, e: ex.Expr, env: dict, pos: Pos, path: str = "", exact: bool = False) -> Any:
        try:
            v = e.evaluate(env, self.ideal and not exact)
        except ex.ExprError as err:
            raise self.fail(pos, path, f"{err} in '{e.text}'") from None
        except ZeroDivisionError:
            raise self.fail(pos, path, f"division by zero in '{e.text}'") from None
        if not num.is_numeric(v) and (v.has(_nan()) or not v.free_symbols and not v.is_finite):
            raise self.fail(pos, path, f"'{e.text}' is not a finite number")
        return v

    def check_shape(self, s: Shape, pos: Pos, path: str, what) -> None:
        """`what` names the shape in messages: a str, or a function giving it, called only on
        failure (formatting a shape, symbolic ones above all, costs more than checking it)."""
        for dim, v in zip(("channels", "height", "width"), (s.c, s.h, s.w)):
            if not num.is_numeric(v):
                continue
            if not num.is_integer(v) or v < 1:
                raise self.fail(pos, path, f"{_text(what)} has {dim} {v}: sizes must be "
                                f"positive integers (shape {s})")
            if v > MAX_DIM:
                raise self.fail(pos, path, f"{_text(what)} has {dim} {v}, above the limit "
                                f"{MAX_DIM}")

    # -- bodies ------------------------------------------------------------------------------
    def body(self, entries: tuple, env: dict, x: Shape, producer: int, prefix: str) -> tuple:
        items = []
        self.flatten(entries, env, items)
        self.spend(len(items), entries[0].pos if entries else self.net.pos)
        for (entry, name) in zip(items, _names(items)):
            x, producer = self.entry(entry, env, x, producer, prefix + name)
        return x, producer

    def enter(self, pos: Pos, path: str) -> None:
        """One more level of block call or merge; bounded, since each level recurses."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(pos, path, f"blocks and branches nest more than {MAX_DEPTH} levels deep")

    def spend(self, steps: Any, pos: Pos) -> None:
        """Count expansion work: repeats of empty bodies and calls of empty blocks make no
        layers but take time, so MAX_NODES alone would not bound it."""
        self.work += steps
        if self.work > MAX_WORK:
            raise self.fail(pos, "", f"the network expands to more than {MAX_WORK} entries "
                            "(layers, block calls and repeat iterations)")

    def flatten(self, entries: tuple, env: dict, out: list) -> None:
        """Inline repeats and tables into a list of layers, calls and merges."""
        for e in entries:
            if isinstance(e, (Repeat, Table)) and e.name:
                out.append(e)      # a named repeat/table is one group; expanded in `entry`
            elif isinstance(e, Repeat):
                n = self.value(e.n, env, e.pos, exact=True)
                if not num.is_numeric(n) or not num.is_integer(n) or n < 0:
                    raise self.fail(e.pos, "", f"repeat count must be a non-negative integer, got {n}")
                if n * max(1, len(e.body)) + len(out) > MAX_NODES:
                    raise self.fail(e.pos, "", f"repeat of {n} exceeds the limit of {MAX_NODES} layers")
                self.spend(n, e.pos)
                for _ in range(int(n)):
                    self.flatten(e.body, env, out)
            elif isinstance(e, Table):
                out.extend(Call(e.block, dict(zip(e.columns, row)), pos, e.name) for row, pos in e.rows)
            else:
                out.append(e)

    def entry(self, e, env: dict, x: Shape, producer: int, path: str) -> tuple:
        if isinstance(e, Layer):
            return self.layer(e, env, x, producer, path)
        if isinstance(e, Call):
            return self.call(e, env, x, producer, path)
        if isinstance(e, (Repeat, Table)):
            group = self.open_group(path, "repeat" if isinstance(e, Repeat) else e.block)
            unnamed = Repeat(e.n, e.body, e.pos) if isinstance(e, Repeat) else \
                Table(e.block, e.columns, e.rows, e.pos)
            out = self.body((unnamed,), env, x, producer, path + "/")
            group.end = len(self.graph.nodes)
            return out
        return self.merge(e, env, x, producer, path)

    def layer(self, e: Layer, env: dict, x: Shape, producer: int, path: str) -> tuple:
        layer = self.instantiate(e.kind, e.args, env, e.pos, path)
        try:
            y = layer.out_shape(x)
        except LayerError as err:
            raise self.fail(e.pos, path, f"{err} (input {x})") from None
        self.check_shape(y, e.pos, path, lambda: f"{e.kind} output (input {x})")
        return y, self.add_node(Node(path, layer, (producer,), x, (x,), y, e.pos,
                                     self.impl_of(e.kind, e.args)))

    def call(self, e: Call, env: dict, x: Shape, producer: int, path: str,
             group: bool = True) -> tuple:
        block = self.net.blocks[e.block]
        inner = {k: v for k, v in self.env.items()}
        inner.update(cin=x.c, hin=x.h, win=x.w)
        for k, v in e.args.items():
            inner[k] = self.value(v, env, e.pos, path)
        for k, v in block.defaults.items():
            if k not in e.args:
                inner[k] = self.value(v, inner, block.pos, path)
        opened = self.open_group(path, e.block) if group else None
        self.enter(e.pos, path)
        out = self.body(block.body, inner, x, producer, path + "/")
        self.depth -= 1
        if opened:
            opened.end = len(self.graph.nodes)
        return out

    def merge(self, e: Merge, env: dict, x: Shape, producer: int, path: str) -> tuple:
        layer = self.instantiate(e.kind, e.args, env, e.pos, path)
        try:
            starts = layer.branch_inputs(x, len(e.branches))
        except LayerError as err:
            raise self.fail(e.pos, path, f"{err} (input {x})") from None
        group = self.open_group(path, "residual" if e.residual else e.kind)
        many = sum(1 for b in e.branches if b) > 1
        outs, producers = [], []
        self.enter(e.pos, path)
        for i, (branch, start) in enumerate(zip(e.branches, starts), 1):
            self.check_shape(start, e.pos, path, f"branch {i} input")
            prefix = f"{path}/b{i}/" if many else f"{path}/"
            if e.residual and len(branch) == 1 and isinstance(branch[0], Call) and not branch[0].name:
                y, p = self.call(branch[0], env, start, producer, path, group=False)
            else:
                y, p = self.body(branch, env, start, producer, prefix) if branch else (start, producer)
            outs.append(y)
            producers.append(p)
        self.depth -= 1
        try:
            y = layer.merge_shape(outs)
        except LayerError as err:
            raise self.fail(e.pos, path, f"{err}{_integer_hint(outs)}") from None
        node = Node(f"{path}/{JOIN_NAMES.get(e.kind, e.kind)}", layer, tuple(producers), x,
                    tuple(outs), y, e.pos, self.impl_of(e.kind, e.args))
        index = self.add_node(node)
        group.end = len(self.graph.nodes)
        return y, index

    def instantiate(self, kind: str, args: dict, env: dict, pos: Pos, path: str) -> LayerKind:
        cls = self.kinds[kind]
        merged = dict(self.net.defaults.get(kind, {}))
        merged.update(args)
        values = {}
        for arg in cls.args:
            if arg.name not in merged:
                continue
            raw = merged[arg.name]
            if isinstance(raw, ex.Expr):
                v = self.value(raw, env, pos, path)
            elif isinstance(raw, tuple):
                v = tuple(self.value(r, env, pos, path) for r in raw)
            else:
                v = raw
            values[arg.name] = self.check_arg(arg, v, pos, path)
        return cls(**values)

    def impl_of(self, kind: str, args: dict) -> str | None:
        """The entry's `impl:`, else the spec's `defaults: {kind: {impl: ...}}`, else None."""
        return args.get("impl", self.net.defaults.get(kind, {}).get("impl"))

    def check_arg(self, arg, v: Any, pos: Pos, path: str) -> Any:
        if arg.type in ("int", "size", "nonneg", "pad") and num.is_numeric(v):
            low = 1 if arg.type in ("int", "size") else 0
            if not num.is_integer(v) or v < low:
                need = "a positive integer" if low else "a non-negative integer"
                raise self.fail(pos, path, f"argument '{arg.name}' must be {need}, got {v}")
            if v > MAX_DIM:
                raise self.fail(pos, path, f"argument '{arg.name}' is {v}, above the limit {MAX_DIM}")
        return v

    def open_group(self, path: str, label: str) -> Group:
        g = Group(path, label, len(self.graph.nodes))
        self.graph.groups.append(g)
        return g

    def add_node(self, node: Node) -> int:
        if len(self.graph.nodes) >= MAX_NODES:
            raise self.fail(node.pos, node.path, f"the network has more than {MAX_NODES} layers")
        self.graph.nodes.append(node)
        return len(self.graph.nodes) - 1


def _base_name(e) -> str:
    if e.name:
        return e.name
    if isinstance(e, Layer):
        return e.kind
    if isinstance(e, Call):
        return e.block
    if e.residual:
        body = e.branches[0]
        return body[0].block if len(body) == 1 and isinstance(body[0], Call) else "residual"
    return e.kind


def _names(items: list) -> list:
    """Unique names within one body: a repeated base name gets a 1-based index."""
    bases = [_base_name(e) for e in items]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for b in bases:
        if counts[b] == 1:
            out.append(b)
            continue
        seen[b] = seen.get(b, 0) + 1
        out.append(f"{b}_{seen[b]}" if b[-1].isdigit() else f"{b}{seen[b]}")
    return out


def _integer_hint(shapes: list) -> str:
    """Why symbolic sizes may differ: floor(r) vs r when r is not declared an integer."""
    names = set()
    for shape in shapes:
        for v in (shape.c, shape.h, shape.w):
            if not num.is_numeric(v) and v.has(num._sympy().floor, num._sympy().ceiling):
                names |= {str(x) for x in v.free_symbols if x.is_integer is not True}
    if not names:
        return ""
    return (f" (a free symbol is not known to be an integer: declare {', '.join(sorted(names))}"
            " with multiple_of, e.g. {default: 224, multiple_of: 1})")


def _text(what) -> str:
    return what() if callable(what) else what


def _nan():
    return num._sympy().nan
