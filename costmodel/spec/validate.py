"""Stage 2: marked YAML nodes → a validated `Network`.

All schema errors are collected in one pass (they are independent) and raised together as
`SpecErrors`, each as ``file:line:col: error: <where>: <what>`` with a did-you-mean where a
name is close to a legal one. Expressions are parsed here and their names checked against
the scope they will be evaluated in; nothing is evaluated yet.
"""
from __future__ import annotations

from costmodel import layers
from costmodel.conventions.impl import IMPLS, choices as impl_choices
from costmodel.errors import SpecError, SpecErrors, did_you_mean, one_of
from costmodel.layers.base import REQUIRED
from costmodel.spec import expr as ex
from costmodel.spec.model import (Block, Call, Layer, Merge, Network, Pos, Published,
                                  Repeat, SymbolDef, Table)
from costmodel.spec.yaml_io import YMap, YNode, YScalar, YSeq

TOP_KEYS = ("name", "version", "symbols", "input", "defaults", "blocks", "layers", "published")
CONSTRUCTS = ("repeat", "table", "residual")
SHAPE_NAMES = ("cin", "hin", "win")   # the shape entering the current entry
METRICS = ("params", "madds", "flops", "mem_access")
SPEC_VERSION = 1
MAX_ERRORS = 50       # validation stops after this many errors (each may search for a did-you-mean)
MAX_SYMBOLS = 1000    # scopes are copied per block: keep symbols x blocks small
MAX_BLOCKS = 1000
MAX_DEPTH = 100       # block calls and branches nested in each other (graph.build enforces it)


class _Stop(Exception):
    """Validation cannot usefully go on (too many errors, or a limit exceeded)."""


class _Validator:
    def __init__(self, file: str, root: YNode):
        self.file = file
        self.errors: list[SpecError] = []
        self.defaulted = _defaulted_args(root)   # kind → args the spec's `defaults` give
        self.kinds = layers.kinds()
        self.blocks: dict[str, YMap] = {}
        self.symbols: set[str] = set()
        self.declared: set[str] = set()     # symbol names, whether or not their default is valid

    def err(self, node: YNode | tuple, where: str, msg: str) -> None:
        line, col = (node.line, node.col) if isinstance(node, YNode) else node
        self.errors.append(SpecError(msg, where, self.file, line, col))
        if len(self.errors) >= MAX_ERRORS:
            raise _Stop(f"too many errors; stopped after {MAX_ERRORS}")

    def limit(self, node: YNode, where: str, what: str, count: int, limit: int) -> None:
        """Stop validating when a collection is larger than its limit."""
        if count > limit:
            self.err(node, where, f"{count} {what}; the limit is {limit}")
            raise _Stop("")

    def pos(self, node: YNode, where: str) -> Pos:
        return Pos(self.file, node.line, node.col, where)

    # -- helpers ---------------------------------------------------------------------------
    def mapping(self, node: YNode, where: str, keys: tuple, required: tuple = ()) -> dict:
        """The items of a mapping with only `keys` allowed and `required` present."""
        if not isinstance(node, YMap):
            self.err(node, where, f"expected a mapping with keys {one_of(keys)}")
            return {}
        for key, mark in node.key_marks.items():
            if key not in keys:
                self.err(mark, where, f"unknown key '{key}'; keys: {one_of(keys)}"
                         f"{did_you_mean(key, keys)}")
        for key in required:
            if key not in node.items:
                self.err(node, where, f"missing required key '{key}'")
        return {k: v for k, v in node.items.items() if k in keys}

    def expression(self, node: YNode, where: str, scope: set) -> ex.Expr | None:
        if not isinstance(node, YScalar):
            self.err(node, where, "expected a number or an expression, got a "
                     f"{'list' if isinstance(node, YSeq) else 'mapping'}")
            return None
        try:
            e = ex.parse(node.value)
        except ex.ExprError as e2:
            self.err(node, where, str(e2))
            return None
        for name in sorted(e.names - scope):
            self.err(node, where, f"unknown name '{name}' in '{e.text}'; names in scope: "
                     f"{one_of(scope)}{did_you_mean(name, scope)}")
        return e if e.names <= scope else None

    def name_text(self, node: YNode, where: str) -> str | None:
        if isinstance(node, YScalar) and isinstance(node.value, str) and node.value.isidentifier():
            return node.value
        self.err(node, where, "expected a name (letters, digits, underscores)")
        return None

    # -- top level -------------------------------------------------------------------------
    def network(self, root: YNode) -> Network | None:
        top = self.mapping(root, "spec", TOP_KEYS, ("name", "version", "input", "layers"))
        if not top:
            return None
        name = top.get("name")
        if name is not None and not (isinstance(name, YScalar) and isinstance(name.value, str)):
            self.err(name, "name", "expected a text name")
        version = top.get("version")
        if version is not None and not (isinstance(version, YScalar) and version.value == SPEC_VERSION):
            self.err(version, "version", f"unsupported spec version; this costmodel reads version {SPEC_VERSION}")
        symbols = self.symbol_defs(top.get("symbols"))
        self.symbols = set(symbols) | self.declared   # a bad default must not cascade
        raw_blocks = top.get("blocks")
        if raw_blocks is not None:
            if isinstance(raw_blocks, YMap):
                self.limit(raw_blocks, "blocks", "blocks", len(raw_blocks.items), MAX_BLOCKS)
                self.blocks = dict(raw_blocks.items)
            else:
                self.err(raw_blocks, "blocks", "expected a mapping of block name → definition")
        defaults = self.kind_defaults(top.get("defaults"))
        blocks = {n: self.block(n, b) for n, b in self.blocks.items()}
        self.check_recursion(blocks)
        scope = self.symbols | set(SHAPE_NAMES)
        net = Network(
            name=name.value if isinstance(name, YScalar) else "",
            file=self.file, symbols=symbols,
            input=self.input_shape(top.get("input")),
            defaults=defaults, blocks={k: v for k, v in blocks.items() if v},
            layers=self.body(top.get("layers"), "layers", scope),
            pos=self.pos(root, "spec"), published=self.published(top.get("published")),
            input_pos=self.pos(top["input"], "input") if "input" in top else None)
        return net

    def symbol_defs(self, node: YNode | None) -> dict:
        if node is None:
            return {}
        if not isinstance(node, YMap):
            self.err(node, "symbols", "expected a mapping of symbol name → default value")
            return {}
        self.limit(node, "symbols", "symbols", len(node.items), MAX_SYMBOLS)
        out = {}
        for name, value in node.items.items():
            where = f"symbols.{name}"
            if not name.isidentifier() or name in SHAPE_NAMES or name in ex.FUNCTIONS:
                self.err(node.key_marks[name], where, f"'{name}' cannot be a symbol name")
                continue
            self.declared.add(name)
            multiple_of = None
            if isinstance(value, YMap):
                items = self.mapping(value, where, ("default", "multiple_of"), ("default",))
                m = items.get("multiple_of")
                if m is not None:
                    if isinstance(m, YScalar) and type(m.value) is int and m.value >= 1:
                        multiple_of = m.value
                    else:
                        self.err(m, where + ".multiple_of", "expected a positive integer")
                value = items.get("default")
            default = self.expression(value, where, set()) if value is not None else None
            if default is not None and self.symbol_default_ok(default, value, where, multiple_of):
                out[name] = SymbolDef(name, default, multiple_of, self.pos(value, where))
        return out

    def number(self, e: ex.Expr, node: YNode, where: str):
        """The value of a names-free expression, or None after reporting why it has none."""
        try:
            return e.evaluate({})
        except ex.ExprError as err:
            self.err(node, where, f"{err} in '{e.text}'")
            return None

    def symbol_default_ok(self, default: ex.Expr, node: YNode, where: str, multiple_of) -> bool:
        """A default must be a positive number, and a multiple of `multiple_of` if given
        (the symbolic pipeline writes the symbol as multiple_of·q)."""
        v = self.number(default, node, where)
        if v is None:
            return False
        if v <= 0:
            self.err(node, where, f"a symbol's default must be positive, got {v}")
            return False
        if multiple_of and v % multiple_of != 0:
            self.err(node, where, f"default {v} is not a multiple of multiple_of {multiple_of}")
            return False
        return True

    def input_shape(self, node: YNode | None) -> tuple:
        scope = self.symbols
        if not isinstance(node, YSeq) or len(node.items) != 3:
            if node is not None:
                self.err(node, "input", "expected [C, H, W], three expressions")
            return ()
        return tuple(self.expression(n, f"input[{i}]", scope) for i, n in enumerate(node.items))

    def kind_defaults(self, node: YNode | None) -> dict:
        if node is None:
            return {}
        items = self.mapping(node, "defaults", tuple(self.kinds))
        return {kind: self.layer_args(kind, v, f"defaults.{kind}", self.symbols, required=False)
                for kind, v in items.items()}

    def published(self, node: YNode | None) -> tuple:
        if node is None:
            return ()
        if not isinstance(node, YSeq):
            self.err(node, "published", "expected a list of published figures")
            return ()
        out = []
        for i, item in enumerate(node.items):
            where = f"published[{i}]"
            keys = METRICS + ("source", "convention", "at")
            fields = self.mapping(item, where, keys, ("source",))
            if fields and not any(m in fields for m in METRICS):
                self.err(item, where, f"give at least one figure: {', '.join(METRICS)}")
            values = {m: self.published_number(fields[m], f"{where}.{m}", positive=False)
                      for m in METRICS if m in fields}
            at = {}
            if "at" in fields:
                at_items = self.mapping(fields["at"], f"{where}.at", tuple(self.symbols))
                at = {k: self.published_number(v, f"{where}.at.{k}", positive=True)
                      for k, v in at_items.items()}
            texts = [self.text(fields.get(k), f"{where}.{k}") for k in ("source", "convention")]
            if fields and None not in values.values() and None not in at.values():
                out.append(Published(values, at, texts[0], texts[1] or "paper", self.pos(item, where)))
        return tuple(out)

    def published_number(self, node: YNode, where: str, positive: bool) -> ex.Expr | None:
        """A number in `published`: an expression of numbers only, > 0 or >= 0."""
        e = self.expression(node, where, set())
        v = None if e is None else self.number(e, node, where)
        if v is None:
            return None
        if v < 0 or (positive and v == 0):
            self.err(node, where, f"expected a {'positive' if positive else 'non-negative'} "
                     f"number, got {v}")
            return None
        return e

    def text(self, node: YNode | None, where: str) -> str:
        """A free-text field (source, convention): '' when absent, an error unless text."""
        if node is None:
            return ""
        if isinstance(node, YScalar) and isinstance(node.value, str):
            return node.value
        self.err(node, where, "expected text (quote it if it looks like a number)")
        return ""

    # -- blocks ----------------------------------------------------------------------------
    def block(self, name: str, node: YNode) -> Block | None:
        where = f"blocks.{name}"
        if name in self.kinds or name in CONSTRUCTS or not name.isidentifier():
            self.err(node, where, f"block name '{name}' is taken by a layer kind or construct")
            return None
        items = self.mapping(node, where, ("params", "defaults", "body"), ("body",))
        params = self.param_names(items.get("params"), where + ".params")
        scope = self.symbols | set(SHAPE_NAMES) | set(params)
        defaults = {}
        if "defaults" in items:
            d = items["defaults"]
            if isinstance(d, YMap):
                for key, value in d.items.items():
                    if key in params or key in self.symbols or key in SHAPE_NAMES:
                        self.err(d.key_marks[key], f"{where}.defaults",
                                 f"'{key}' is already a parameter, symbol or shape name")
                    defaults[key] = self.expression(value, f"{where}.defaults.{key}", scope)
            else:
                self.err(d, f"{where}.defaults", "expected a mapping of parameter → default")
        scope |= set(defaults)
        body = self.body(items.get("body"), where + ".body", scope)
        return Block(name, tuple(params), defaults, body, self.pos(node, where))

    def param_names(self, node: YNode | None, where: str) -> list:
        if node is None:
            return []
        if not isinstance(node, YSeq):
            self.err(node, where, "expected a list of parameter names")
            return []
        names = [self.name_text(n, where) for n in node.items]
        seen = set()
        for n, text in zip(node.items, names):
            if text in self.symbols or text in SHAPE_NAMES:
                self.err(n, where, f"parameter '{text}' shadows a symbol or shape name")
            elif text in seen:
                self.err(n, where, f"'{text}' is listed twice")
            seen.add(text)
        return [n for n in names if n]

    def check_recursion(self, blocks: dict) -> None:
        calls = {n: set() for n in blocks}
        for name, block in blocks.items():
            if block:
                _collect_calls(block.body, calls[name])
        state: dict[str, int] = {}

        def visit(name: str, stack: list) -> None:
            if len(stack) > MAX_DEPTH:          # also bounds this recursion
                chain = " → ".join(stack[:3] + ["..."] + stack[-2:])
                b = blocks[stack[0]]
                self.err((b.pos.line, b.pos.col), f"blocks.{stack[0]}",
                         f"blocks call each other more than {MAX_DEPTH} levels deep: {chain}")
                raise _Stop("")
            state[name] = 1
            for callee in sorted(calls.get(name, ())):
                if state.get(callee) == 1:
                    cycle = stack[stack.index(callee):] + [callee] if callee in stack else [name, callee]
                    b = blocks[name]
                    self.err((b.pos.line, b.pos.col), f"blocks.{name}",
                             f"blocks call each other recursively: {' → '.join(cycle)}")
                elif state.get(callee) is None and callee in calls:
                    visit(callee, stack + [callee])
            state[name] = 2

        for name in calls:
            if state.get(name) is None:
                visit(name, [name])

    # -- bodies and entries ------------------------------------------------------------------
    def body(self, node: YNode | None, where: str, scope: set) -> tuple:
        if node is None:
            return ()
        if not isinstance(node, YSeq):
            self.err(node, where, "expected a list of layers")
            return ()
        out = [self.entry(n, f"{where}[{i}]", scope) for i, n in enumerate(node.items)]
        return tuple(e for e in out if e is not None)

    def entry(self, node: YNode, where: str, scope: set):
        """One layer list entry: a kind, block call, merge or construct (+ optional name)."""
        name = None
        if isinstance(node, YScalar) and isinstance(node.value, str) and not node.quoted:
            head, value = node.value, None
        elif isinstance(node, YMap) and 1 <= len(node.items) - ("name" in node.items) == 1:
            if "name" in node.items:
                name = self.name_text(node.items["name"], where + ".name")
            head = next(k for k in node.items if k != "name")
            value = node.items[head]
            if isinstance(value, YScalar) and value.value is None:
                value = None        # `{name: x, bn}`: a kind with no arguments
        else:
            self.err(node, where, "expected a layer: a kind name, or a one-key mapping "
                     "'kind: {args}' (plus an optional 'name')")
            return None
        where = f"{where}.{head}"
        if head in self.kinds:
            return self.layer_entry(head, value, node, where, scope, name)
        if head in self.blocks:
            args = self.call_args(head, value, where, scope, node)
            return Call(head, args, self.pos(node, where), name)
        if head == "residual":
            body = self.body(value, where, scope) if value is not None else ()
            if value is None:
                self.err(node, where, "residual needs a list of layers")
            return Merge("add", (body, ()), {}, self.pos(node, where), name, residual=True)
        if head == "repeat":
            return self.repeat(value, node, where, scope, name)
        if head == "table":
            return self.table(value, node, where, scope, name)
        legal = list(self.kinds) + list(self.blocks) + list(CONSTRUCTS)
        self.err(node, where.rsplit(".", 1)[0], f"unknown layer kind or block '{head}'"
                 f"{did_you_mean(head, legal)}; see 'costmodel kinds'")
        return None

    def layer_entry(self, kind: str, value: YNode | None, node: YNode, where: str, scope: set,
                    name: str | None):
        cls = self.kinds[kind]
        if not cls.merge:
            args = self.layer_args(kind, value, where, scope, required=True, entry=node)
            return Layer(kind, args, self.pos(node, where), name)
        args_node, branches_node = None, value
        if isinstance(value, YMap):
            branches_node = value.items.get("branches")
            args_node = YMap(value.line, value.col,
                             {k: v for k, v in value.items.items() if k != "branches"},
                             {k: v for k, v in value.key_marks.items() if k != "branches"})
            if branches_node is None:
                self.err(value, where, "missing required key 'branches'")
                return None
        if not isinstance(branches_node, YSeq) or not branches_node.items:
            self.err(node, where, f"{kind} needs a list of branches (each a list of layers; [] is identity)")
            return None
        branches = []
        for i, b in enumerate(branches_node.items):
            if not isinstance(b, YSeq):
                self.err(b, f"{where}[{i}]", "each branch must be a list of layers ([] for identity)")
                continue
            branches.append(self.body(b, f"{where}[{i}]", scope))
        args = self.layer_args(kind, args_node, where, scope, required=True, entry=node)
        return Merge(kind, tuple(branches), args, self.pos(node, where), name)

    def layer_args(self, kind: str, node: YNode | None, where: str, scope: set,
                   required: bool, entry: YNode | None = None) -> dict:
        """The arguments of one layer (`node`: its args mapping, None for a bare `- conv`;
        `entry`: the whole entry, where a missing argument is reported then)."""
        spec_args = {a.name: a for a in self.kinds[kind].args}
        impls = impl_choices(kind)
        has_impl = isinstance(node, YMap) and "impl" in node.key_marks
        if has_impl and not impls:
            self.err(node.key_marks["impl"], where, f"'impl' does not apply to {kind}: no "
                     "counting convention depends on how it is written; kinds that take it: "
                     f"{one_of(IMPLS)}")
        keys = tuple(spec_args) + (("impl",) if impls or has_impl else ())
        items = self.mapping(node, where, keys) if node is not None else {}
        if node is not None and not isinstance(node, YMap):
            return {}
        impl = items.pop("impl", None)
        if required:
            for a in spec_args.values():
                if a.default is REQUIRED and a.name not in items and a.name not in self.defaulted.get(kind, ()):
                    self.err(node or entry, where, f"missing required argument '{a.name}' of {kind}"
                             f" ({a.doc})" if a.doc else f"missing required argument '{a.name}' of {kind}")
        out = {k: self.arg_value(spec_args[k], v, f"{where}.{k}", scope) for k, v in items.items()}
        if impl is not None and impls:
            out["impl"] = self.impl_value(kind, impl, f"{where}.impl")
        return out

    def impl_value(self, kind: str, node: YNode, where: str) -> str | None:
        """`impl:` names how the reference code writes the op (conventions/impl.py)."""
        impls = impl_choices(kind)
        if isinstance(node, YScalar) and node.value in impls:
            return node.value
        got = node.value if isinstance(node, YScalar) else "a list or mapping"
        self.err(node, where, f"'impl' of {kind} must be one of {', '.join(impls)}; got "
                 f"'{got}'{did_you_mean(got, impls)}")
        return None


    def arg_value(self, arg, node: YNode, where: str, scope: set):
        if arg.type == "bool":
            if isinstance(node, YScalar) and isinstance(node.value, bool):
                return node.value
            self.err(node, where, f"'{arg.name}' must be true or false")
            return None
        if arg.type == "pad" and isinstance(node, YScalar) and node.value in ("same", "valid"):
            return node.value
        if arg.type == "sizes":
            if not isinstance(node, YSeq) or not node.items:
                self.err(node, where, f"'{arg.name}' must be a list of expressions")
                return None
            return tuple(self.expression(n, f"{where}[{i}]", scope) for i, n in enumerate(node.items))
        return self.expression(node, where, scope)

    def call_args(self, block: str, node: YNode | None, where: str, scope: set,
                  entry: YNode) -> dict:
        raw = self.blocks[block]
        params = _param_list(raw)
        optional = _default_names(raw)
        items = self.mapping(node, where, tuple(params) + tuple(optional)) if node is not None else {}
        for p in params:
            if p not in items:
                self.err(node or entry, where, f"missing argument '{p}' of block '{block}'")
        return {k: self.expression(v, f"{where}.{k}", scope) for k, v in items.items()}

    def repeat(self, value: YNode | None, node: YNode, where: str, scope: set, name):
        items = self.mapping(node if value is None else value, where, ("n", "body"), ("n", "body"))
        if "n" not in items or "body" not in items:
            return None
        n = self.expression(items["n"], where + ".n", scope)
        return Repeat(n, self.body(items["body"], where + ".body", scope), self.pos(node, where), name)

    def table(self, value: YNode | None, node: YNode, where: str, scope: set, name):
        keys = ("block", "columns", "rows")
        items = self.mapping(node if value is None else value, where, keys, keys)
        if len(items) < 3:
            return None
        block = self.name_text(items["block"], where + ".block")
        if block not in self.blocks:
            if block:
                self.err(items["block"], where + ".block", f"unknown block '{block}'"
                         f"{did_you_mean(block, self.blocks)}")
            return None
        legal = _param_list(self.blocks[block]) + _default_names(self.blocks[block])
        cols_node = items["columns"]
        columns = self.param_names(cols_node, where + ".columns")
        if not isinstance(cols_node, YSeq):
            return None
        for c in columns:
            if c not in legal:
                self.err(cols_node, where + ".columns", f"'{c}' is not a parameter of block "
                         f"'{block}'; parameters: {one_of(legal)}{did_you_mean(c, legal)}")
        for p in _param_list(self.blocks[block]):
            if p not in columns:
                self.err(cols_node, where + ".columns", f"column for required parameter '{p}' is missing")
        rows = []
        rows_node = items["rows"]
        if not isinstance(rows_node, YSeq):
            self.err(rows_node, where + ".rows", "expected a list of rows")
            return None
        for i, row in enumerate(rows_node.items):
            rw = f"{where}.rows[{i}]"
            if not isinstance(row, YSeq) or len(row.items) != len(columns):
                got = len(row.items) if isinstance(row, YSeq) else "not a list"
                self.err(row, rw, f"expected {len(columns)} values for columns [{', '.join(columns)}], got {got}")
                continue
            rows.append((tuple(self.expression(v, f"{rw}[{j}]", scope) for j, v in enumerate(row.items)),
                         self.pos(row, rw)))
        return Table(block, tuple(columns), tuple(rows), self.pos(node, where), name)


def _param_list(raw: YNode) -> list:
    if isinstance(raw, YMap) and isinstance(raw.items.get("params"), YSeq):
        return [n.value for n in raw.items["params"].items
                if isinstance(n, YScalar) and isinstance(n.value, str) and n.value.isidentifier()]
    return []


def _default_names(raw: YNode) -> list:
    if isinstance(raw, YMap) and isinstance(raw.items.get("defaults"), YMap):
        return list(raw.items["defaults"].items)
    return []


def _collect_calls(body: tuple, out: set) -> None:
    for e in body:
        if isinstance(e, Call):
            out.add(e.block)
        elif isinstance(e, Table):
            out.add(e.block)
        elif isinstance(e, Repeat):
            _collect_calls(e.body, out)
        elif isinstance(e, Merge):
            for b in e.branches:
                _collect_calls(b, out)


def _defaulted_args(root: YNode) -> dict:
    """kind → names of the arguments the spec's top-level `defaults` section gives it
    (such an argument is no longer missing when an entry leaves it out)."""
    defaults = root.items.get("defaults") if isinstance(root, YMap) else None
    if not isinstance(defaults, YMap):
        return {}
    return {k: set(n.items) if isinstance(n, YMap) else set() for k, n in defaults.items.items()}


def validate(root: YNode, file: str = "<spec>") -> Network:
    """Check a loaded spec against the language; raise SpecErrors listing every problem."""
    v = _Validator(file, root)
    try:
        net = v.network(root)
    except _Stop as stop:
        last = v.errors[-1]
        note = [SpecError(str(stop), "", file, last.line, last.col)] if str(stop) else []
        raise SpecErrors(sorted(v.errors, key=lambda e: (e.line, e.col)) + note) from None
    if v.errors:
        v.errors.sort(key=lambda e: (e.line, e.col))
        raise SpecErrors(v.errors)
    return net
