"""gap / gmp: global average / max pooling, c×h×w → c×1×1.

  gap extra_flops = h·w per channel (h·w − 1 adds and one multiply) = c·h·w
  gmp extra_flops = h·w − 1 comparisons per channel = c·(h·w − 1)
  mem_access = c·h·w (read) + c (write); no params.
"""
from costmodel.layers.base import Cost, LayerKind, Shape, register


@register
class GlobalAvgPool(LayerKind):
    """gap: global average pooling to one value per channel."""
    name = "gap"

    def out_shape(self, x: Shape) -> Shape:
        return Shape(x.c, 1, 1)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return Cost(extra_flops=x.numel, read_act=x.numel, write_act=y.c)


@register
class GlobalMaxPool(LayerKind):
    """gmp: global max pooling to one value per channel."""
    name = "gmp"

    def out_shape(self, x: Shape) -> Shape:
        return Shape(x.c, 1, 1)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return Cost(extra_flops=x.numel - x.c, read_act=x.numel, write_act=y.c)


EXAMPLES = [
    {"kind": "gmp", "args": {}, "x": (512, 13, 13), "out": (512, 1, 1),
     "cost": {"extra_flops": 512 * (13*13 - 1), "mem_access": 512*13*13 + 512}},
    {"kind": "gap", "args": {}, "x": (1280, 7, 7), "out": (1280, 1, 1),
     "cost": {"extra_flops": 1280*7*7, "mem_access": 1280*7*7 + 1280}},
]
