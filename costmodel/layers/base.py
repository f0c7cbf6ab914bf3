"""What a layer kind is: its arguments, its output shape and its cost, in one class.

Every kind lives in one module of this package and registers itself with `@register`.
Formulas use plain operators and `costmodel.numbers` helpers, so one formula serves the
numeric pipeline (int/Fraction) and the symbolic one (sympy).

Cost fields (element counts, ShuffleNet V2 Sec. 2 for the memory terms):
  params       trainable parameters as PyTorch counts them (BN gamma/beta, never running stats)
  madds        multiply-adds of conv and fc layers (the papers' "FLOPs")
  extra_flops  every other floating-point op: bias adds, BN, activations, pooling, add, mul
  read_act / write_act / read_weight   feature-map reads, writes, and parameter reads
Derived: flops = 2·madds + extra_flops; mem_access = read_act + write_act + read_weight.
"""
from __future__ import annotations

from costmodel import numbers as num
from costmodel.slotted import Record

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any, ClassVar

REQUIRED = object()


class LayerError(Exception):
    """A layer that cannot be applied to its input; the builder adds path and position."""


class Shape(Record):
    """A feature map: channels × height × width (batch 1)."""
    __slots__ = ("c", "h", "w")

    def __init__(self, c: Any, h: Any, w: Any):
        self.c, self.h, self.w = c, h, w

    @property
    def numel(self) -> Any:
        return self.c * self.h * self.w

    def __str__(self) -> str:
        return "×".join(str(v) for v in (self.c, self.h, self.w))


class Cost(Record):
    """Exact cost of one layer (see the module docstring for each field)."""
    __slots__ = ("params", "madds", "extra_flops", "read_act", "write_act", "read_weight")

    def __init__(self, params: Any = 0, madds: Any = 0, extra_flops: Any = 0,
                 read_act: Any = 0, write_act: Any = 0, read_weight: Any = 0):
        self.params, self.madds, self.extra_flops = params, madds, extra_flops
        self.read_act, self.write_act, self.read_weight = read_act, write_act, read_weight

    @property
    def flops(self) -> Any:
        return 2 * self.madds + self.extra_flops

    @property
    def mem_access(self) -> Any:
        return self.read_act + self.write_act + self.read_weight

    @staticmethod
    def sum(costs: list["Cost"]) -> "Cost":
        """Field-wise total (one sympy.Add per field when symbolic, never quadratic)."""
        return Cost(*(num.total(getattr(c, name) for c in costs) for name in COST_FIELDS))


COST_FIELDS = Cost.__slots__


class Arg(Record):
    """A layer argument: spec key (a paper letter), default, type and meaning.

    type: 'int' (positive integer), 'nonneg' (integer >= 0), 'size' (positive, any
    expression), 'bool', 'pad' (integer >= 0, 'same' or 'valid'), 'sizes' (list of 'size').
    """
    __slots__ = ("name", "default", "type", "doc")

    def __init__(self, name: str, default: Any = REQUIRED, type: str = "int", doc: str = ""):
        self.name, self.default, self.type, self.doc = name, default, type, doc


class LayerKind:
    """Base of every layer kind. Subclasses set `name`, `args`, a docstring and `EXAMPLES`."""
    name: ClassVar[str] = ""
    args: ClassVar[tuple] = ()
    merge: ClassVar[bool] = False        # a merge takes branches (add, concat, mul, split)
    normalisation: ClassVar[bool] = False  # BN: left out of `params_without_bn`
    elementwise: ClassVar[bool] = False  # G4: ReLU, add, BN, ... (low madds, high mem_access)

    def __init__(self, **values: Any):
        for arg in self.args:
            setattr(self, arg.name, values.get(arg.name, arg.default))

    def arg_values(self) -> dict:
        return {a.name: getattr(self, a.name) for a in self.args}

    # ordinary kinds
    def out_shape(self, x: Shape) -> Shape:
        return x

    def cost(self, x: Shape, y: Shape) -> Cost:
        raise NotImplementedError

    # merge kinds
    def branch_inputs(self, x: Shape, n: int) -> list:
        return [x] * n

    def merge_shape(self, xs: list) -> Shape:
        raise NotImplementedError

    def merge_cost(self, x: Shape, xs: list, y: Shape) -> Cost:
        raise NotImplementedError


def elementwise_cost(x: Shape, ops_per_element: Any) -> Cost:
    """An element-wise map: reads x, writes a same-sized y, `ops_per_element` flops each."""
    return Cost(extra_flops=ops_per_element * x.numel, read_act=x.numel, write_act=x.numel)


def out_size(size: Any, k: Any, s: Any, p: Any, ceil: bool = False) -> Any:
    """Output length of a sliding window: floor((size + 2p - k)/s) + 1, or in ceil mode
    ceil((size + 2p - k)/s) + 1 less a last window that would start in the right padding
    (PyTorch pooling_output_shape; Caffe does the same when p > 0). That window can exist
    only when k < p + s, so usual pools (k = 3, s = 2, p <= 1) keep the plain formula.
    A symbolic window that spans the whole input (k = s = size) gives the plain int 1."""
    span = size + 2 * p - k
    if not ceil:
        return num.normalise(span // s + 1)
    n = num.normalise(num.ceil_div(span, s) + 1)
    if all(num.is_numeric(v) for v in (k, s, p)) and k >= p + s:
        return n
    inside = num.normalise((size + p - 1) // s + 1)   # windows starting before the right pad
    if num.is_numeric(n) and num.is_numeric(inside):
        return min(n, inside)
    return num._sympy().Min(n, inside)


def same_size(size: Any, s: Any) -> Any:
    """TensorFlow 'SAME' padding: ceil(size / s)."""
    return num.ceil_div(size, s)


def spatial(x: Shape, k: Any, s: Any, p: Any, d: Any = 1, ceil: bool = False) -> tuple:
    """(h_out, w_out) for kernel k, stride s, padding p (int, 'same' or 'valid'), dilation d."""
    k_eff = d * (k - 1) + 1
    if p == "same":
        return same_size(x.h, s), same_size(x.w, s)
    p = 0 if p == "valid" else p
    return out_size(x.h, k_eff, s, p, ceil), out_size(x.w, k_eff, s, p, ceil)


def require_divisible(what: str, value: Any, by: Any, by_name: str) -> None:
    """Raise LayerError when a numeric `value` is not a multiple of `by` (a fractional value
    is left to the shape check, which says that sizes must be integers)."""
    if num.is_numeric(value) and num.is_numeric(by) and num.is_integer(value) and value % by != 0:
        raise LayerError(f"{what} {value} is not divisible by {by_name} {by}")


_REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Class decorator: add a layer kind to the registry (a duplicate name is a bug)."""
    if not cls.name or cls.name in _REGISTRY:
        raise RuntimeError(f"layer kind {cls.name!r} is unnamed or registered twice")
    if not (cls.__doc__ or "").strip():
        raise RuntimeError(f"layer kind {cls.name!r} has no docstring")
    _REGISTRY[cls.name] = cls
    return cls
