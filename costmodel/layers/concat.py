"""concat: channel concatenation of the branches (SqueezeNet fire, ShuffleNet down units).
A merge kind. Branches must agree in h×w.

  c_out = Σ c_i     extra_flops = 0     mem_access = Σ N_i (read) + N_out (write): a copy.
"""
from costmodel.layers.base import Cost, LayerError, LayerKind, Shape, register
from costmodel.numbers import total


def concat_shape(xs: list) -> Shape:
    """Channels add up; h and w must be equal across branches."""
    for i, x in enumerate(xs[1:], 2):
        if (x.h - xs[0].h, x.w - xs[0].w) != (0, 0) and not _sym_equal(x, xs[0]):
            raise LayerError(f"branches differ in spatial size: branch 1 is "
                             f"{xs[0].h}×{xs[0].w}, branch {i} is {x.h}×{x.w}")
    return Shape(total(x.c for x in xs), xs[0].h, xs[0].w)


def _sym_equal(a: Shape, b: Shape) -> bool:
    return all(hasattr(d, "expand") and d.expand() == 0 for d in (a.h - b.h, a.w - b.w))


def copy_cost(xs: list, y: Shape) -> Cost:
    """Read every input once and write the output once."""
    return Cost(read_act=total(x.numel for x in xs), write_act=y.numel)


@register
class Concat(LayerKind):
    """concat: join branch outputs along channels; a memory copy with no arithmetic."""
    name = "concat"
    merge = True

    def merge_shape(self, xs: list) -> Shape:
        return concat_shape(xs)

    def merge_cost(self, x: Shape, xs: list, y: Shape) -> Cost:
        return copy_cost(xs, y)


EXAMPLES = [
    # SqueezeNet fire2 expand: 64 + 64 channels at 55x55
    {"kind": "concat", "args": {}, "x": (16, 55, 55), "xs": [(64, 55, 55), (64, 55, 55)],
     "out": (128, 55, 55),
     "cost": {"flops": 0, "mem_access": 2 * 64*55*55 + 128*55*55}},
]
