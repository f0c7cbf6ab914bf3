"""mul: element-wise product of the branches, broadcasting 1×1 maps (squeeze-and-excitation
scaling). A merge kind. Channels must agree; each of h, w must agree or be 1.

  extra_flops = (n − 1)·N_out     mem_access = Σ N_i (read) + N_out (write)
"""
from costmodel.layers.base import Cost, LayerError, LayerKind, Shape, register
from costmodel.layers.concat import copy_cost


def _broadcast(a, b):
    if a == 1:
        return b
    if b == 1 or a - b == 0:
        return a
    return None


@register
class Mul(LayerKind):
    """mul: element-wise product with broadcasting (SE: x · scale(c×1×1))."""
    name = "mul"
    merge = True
    elementwise = True

    def merge_shape(self, xs: list) -> Shape:
        out = xs[0]
        for i, x in enumerate(xs[1:], 2):
            h, w = _broadcast(out.h, x.h), _broadcast(out.w, x.w)
            if out.c - x.c != 0 or h is None or w is None:
                raise LayerError(f"mul cannot broadcast branch 1 ({xs[0]}) with branch {i} ({x})")
            out = Shape(out.c, h, w)
        return out

    def merge_cost(self, x: Shape, xs: list, y: Shape) -> Cost:
        c = copy_cost(xs, y)
        return Cost(extra_flops=(len(xs) - 1) * y.numel, read_act=c.read_act, write_act=c.write_act)


EXAMPLES = [
    # MobileNetV3 SE: 72x28x28 map times a 72x1x1 scale
    {"kind": "mul", "args": {}, "x": (72, 28, 28), "xs": [(72, 1, 1), (72, 28, 28)],
     "out": (72, 28, 28),
     "cost": {"extra_flops": 72*28*28, "mem_access": 72 + 72*28*28 + 72*28*28}},
]
