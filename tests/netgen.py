"""Hypothesis strategies for random *valid* networks (tests/test_properties.py).

A generated body is a list of spec entries (plain Python data, dumped to YAML) together
with the shape it produces, tracked here from the layer definitions (PyTorch Conv2d and
pooling output sizes, channel sums of concat and split), so a generated spec is valid by
construction and its expected output shape is known without asking costmodel.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml
from hypothesis import strategies as st

class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Specs refuse YAML aliases: write a repeated object out again instead of aliasing it."""

    def ignore_aliases(self, data) -> bool:
        return True


DUMPER = _Dumper
ACTIVATIONS = ("relu", "relu6", "leaky", "sigmoid", "hsigmoid", "swish", "hswish", "tanh")


@dataclass(frozen=True)
class Shape:
    c: int
    h: int
    w: int


def divisors(n: int) -> list:
    return [d for d in range(1, n + 1) if n % d == 0]


def conv_out(size: int, k: int, s: int, p: int) -> int:
    """PyTorch Conv2d/pool output length (dilation 1, floor mode)."""
    return (size + 2 * p - k) // s + 1


def spec_text(entries: list, shape: Shape, symbols: dict | None = None, blocks: dict | None = None,
              input_: list | None = None) -> str:
    """A spec whose input is `shape` (or the expressions `input_`) and layers are `entries`."""
    doc = {"name": "generated", "version": 1}
    if symbols:
        doc["symbols"] = symbols
    doc["input"] = input_ or [shape.c, shape.h, shape.w]
    if blocks:
        doc["blocks"] = blocks
    doc["layers"] = entries
    return yaml.dump(doc, Dumper=DUMPER, sort_keys=False, default_flow_style=None, width=10 ** 6)


# -- single entries ----------------------------------------------------------------------------
@st.composite
def conv_entry(draw, x: Shape, stride_ok: bool = True):
    """A conv with groups dividing both channel counts; default padding keeps it valid."""
    c = draw(st.integers(1, 12))
    g = draw(st.sampled_from([d for d in divisors(x.c) if c % d == 0]))
    k = draw(st.sampled_from((1, 3)))
    s = draw(st.sampled_from((1, 2))) if stride_ok else 1
    bias = draw(st.booleans())
    args = {"c": c, "k": k}
    if s != 1:
        args["s"] = s
    if g != 1:
        args["g"] = g
    if bias:
        args["bias"] = True
    p = (k - 1) // 2
    return {"conv": args}, Shape(c, conv_out(x.h, k, s, p), conv_out(x.w, k, s, p))


@st.composite
def simple_entry(draw, x: Shape, stride_ok: bool = True):
    """One non-merge layer valid on `x`, and its output shape."""
    options = ["conv", "conv", "dwconv", "bn", "act", "avgpool", "dropout", "lrn"]
    if stride_ok and x.h >= 2 and x.w >= 2:
        options.append("maxpool")
    if x.c % 2 == 0:
        options.append("shuffle")
    if x.h == x.w == 1:
        options.append("fc")
    if stride_ok and (x.h, x.w) != (1, 1):
        options.append("gap")
    if x.c > 1:
        options.append("select")
    kind = draw(st.sampled_from(options))
    if kind == "conv":
        return draw(conv_entry(x, stride_ok))
    if kind == "dwconv":
        k, s = draw(st.sampled_from((3, 5))), draw(st.sampled_from((1, 2))) if stride_ok else 1
        p = (k - 1) // 2
        return {"dwconv": {"k": k, "s": s}}, Shape(x.c, conv_out(x.h, k, s, p), conv_out(x.w, k, s, p))
    if kind == "act":
        return draw(st.sampled_from(ACTIVATIONS)), x
    if kind == "maxpool":
        return {"maxpool": {"k": 2}}, Shape(x.c, conv_out(x.h, 2, 2, 0), conv_out(x.w, 2, 2, 0))
    if kind == "avgpool":
        return {"avgpool": {"k": 3, "s": 1, "p": 1}}, x
    if kind == "shuffle":
        return {"shuffle": {"g": 2}}, x
    if kind == "fc":
        c = draw(st.integers(1, 20))
        return {"fc": {"c": c, "bias": draw(st.booleans())}}, Shape(c, 1, 1)
    if kind == "gap":
        return "gap", Shape(x.c, 1, 1)
    if kind == "select":
        c = draw(st.integers(1, x.c))
        return {"select": {"c": c}}, Shape(c, x.h, x.w)
    return kind, x          # bn, dropout, lrn: shape kept


@st.composite
def preserving_body(draw, x: Shape, max_len: int = 3):
    """Layers that keep the shape exactly (a residual body, or a repeatable one)."""
    entries = []
    for _ in range(draw(st.integers(1, max_len))):
        kind = draw(st.sampled_from(("conv", "dwconv", "bn", "act", "avgpool")))
        if kind == "conv":
            entries.append({"conv": {"c": x.c, "k": draw(st.sampled_from((1, 3)))}})
        elif kind == "dwconv":
            entries.append({"dwconv": {"k": 3}})
        elif kind == "act":
            entries.append(draw(st.sampled_from(ACTIVATIONS)))
        elif kind == "avgpool":
            entries.append({"avgpool": {"k": 3, "s": 1, "p": 1}})
        else:
            entries.append("bn")
    return entries


@st.composite
def branch(draw, x: Shape, max_len: int = 2):
    """A branch that keeps h×w (stride 1) but may change channels; [] is the identity."""
    if draw(st.booleans()):
        return [], x
    body, y = [], x
    for _ in range(draw(st.integers(1, max_len))):
        e, y = draw(conv_entry(y, stride_ok=False)) if draw(st.booleans()) else \
            (draw(st.sampled_from(ACTIVATIONS + ("bn",))), y)
        body.append(e)
    return body, y


@st.composite
def merge_entry(draw, x: Shape):
    """A residual, concat or split valid on `x`, and its output shape."""
    options = ["residual", "concat"] + (["split"] if x.c % 2 == 0 else [])
    kind = draw(st.sampled_from(options))
    if kind == "residual":
        return {"residual": draw(preserving_body(x))}, x
    if kind == "concat":
        parts = [draw(branch(x)) for _ in range(draw(st.integers(2, 3)))]
        return {"concat": [b for b, _ in parts]}, Shape(sum(y.c for _, y in parts), x.h, x.w)
    half = Shape(x.c // 2, x.h, x.w)
    parts = [draw(branch(half)) for _ in range(2)]
    return {"split": [b for b, _ in parts]}, Shape(sum(y.c for _, y in parts), x.h, x.w)


@st.composite
def body(draw, x: Shape, min_len: int = 1, max_len: int = 8, merges: bool = True):
    """A valid sequence of entries on input `x`: (entries, shapes after each entry)."""
    entries, shapes = [], []
    for _ in range(draw(st.integers(min_len, max_len))):
        if merges and draw(st.integers(0, 3)) == 0:
            e, x = draw(merge_entry(x))
        else:
            e, x = draw(simple_entry(x))
        entries.append(e)
        shapes.append(x)
    return entries, shapes


@st.composite
def input_shapes(draw, min_size: int = 1, max_size: int = 16):
    return Shape(draw(st.integers(1, 8)), draw(st.integers(min_size, max_size)),
                 draw(st.integers(min_size, max_size)))


@st.composite
def networks(draw, merges: bool = True, max_len: int = 8):
    """(input shape, entries, shapes after each entry) of a random valid network."""
    x = draw(input_shapes())
    entries, shapes = draw(body(x, max_len=max_len, merges=merges))
    return x, entries, shapes
