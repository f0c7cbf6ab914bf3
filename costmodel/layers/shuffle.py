"""shuffle: channel shuffle with g groups (ShuffleNet: reshape to g×(c/g), transpose, flatten).

  no params, no arithmetic; mem_access = read + write of the map (a permuting copy).
"""
from costmodel import numbers as num
from costmodel.layers.base import (Arg, Cost, LayerError, LayerKind, Shape, elementwise_cost,
                                   register, require_divisible)


@register
class Shuffle(LayerKind):
    """shuffle: channel shuffle; a permuting copy (zero flops, 2·N memory accesses)."""
    name = "shuffle"
    args = (Arg("g", doc="groups"),)

    def out_shape(self, x: Shape) -> Shape:
        require_divisible("channels", x.c, self.g, "shuffle groups g")
        return x

    def cost(self, x: Shape, y: Shape) -> Cost:
        return elementwise_cost(x, 0)


@register
class Select(LayerKind):
    """select: gather c of the input channels (CondenseNet's index_select); a copy."""
    name = "select"
    args = (Arg("c", type="size", doc="channels kept"),)

    def out_shape(self, x: Shape) -> Shape:
        if num.is_numeric(self.c) and num.is_numeric(x.c) and self.c > x.c:
            raise LayerError(f"select keeps {self.c} channels but the input has only {x.c}")
        return Shape(self.c, x.h, x.w)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return elementwise_cost(y, 0)


EXAMPLES = [
    {"kind": "shuffle", "args": {"g": 2}, "x": (116, 28, 28), "out": (116, 28, 28),
     "cost": {"flops": 0, "mem_access": 2 * 116*28*28}},
    {"kind": "select", "args": {"c": 1032}, "x": (2064, 1, 1), "out": (1032, 1, 1),
     "cost": {"flops": 0, "mem_access": 2 * 1032}},
]
