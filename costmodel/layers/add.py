"""add: element-wise sum of the branches (residual shortcuts). A merge kind.

All branch outputs must have identical shapes. With n branches of N elements each:
  extra_flops = (n − 1)·N     mem_access = n·N (read) + N (write)     (ShuffleNet V2 G4)
"""
from costmodel.layers.base import Cost, LayerError, LayerKind, Shape, register


def same_shape(a: Shape, b: Shape) -> bool:
    """Structural equality of two shapes (exact for numbers, expanded for sympy)."""
    return all(_equal(u, v) for u, v in zip((a.c, a.h, a.w), (b.c, b.h, b.w)))


def _equal(u, v) -> bool:
    d = u - v
    return d == 0 or (hasattr(d, "expand") and d.expand() == 0)


@register
class Add(LayerKind):
    """add: element-wise sum of branches with identical shapes; `residual` is add with []."""
    name = "add"
    merge = True
    elementwise = True

    def merge_shape(self, xs: list) -> Shape:
        for i, x in enumerate(xs[1:], 2):
            if not same_shape(xs[0], x):
                raise LayerError(f"add needs equal shapes: branch 1 gives {xs[0]}, "
                                 f"branch {i} gives {x}")
        return xs[0]

    def merge_cost(self, x: Shape, xs: list, y: Shape) -> Cost:
        n = len(xs)
        return Cost(extra_flops=(n - 1) * y.numel, read_act=n * y.numel, write_act=y.numel)


EXAMPLES = [
    # MobileNetV2 residual at 24x56x56: 1 add per element, 2 reads and 1 write per element
    {"kind": "add", "args": {}, "x": (24, 56, 56), "xs": [(24, 56, 56), (24, 56, 56)],
     "out": (24, 56, 56),
     "cost": {"madds": 0, "extra_flops": 24*56*56, "mem_access": 3 * 24*56*56}},
]
