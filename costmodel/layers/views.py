"""flatten and dropout: no work at inference.

flatten reshapes c×h×w to (c·h·w)×1×1 (a view: nothing is read or written); dropout is the
identity at inference. Both cost zero in every metric.
"""
from costmodel.layers.base import Arg, Cost, LayerKind, Shape, register


@register
class Flatten(LayerKind):
    """flatten: c×h×w → (c·h·w)×1×1, a view; costs nothing."""
    name = "flatten"

    def out_shape(self, x: Shape) -> Shape:
        return Shape(x.numel, 1, 1)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return Cost()


@register
class Dropout(LayerKind):
    """dropout: identity at inference; costs nothing."""
    name = "dropout"
    args = (Arg("rate", 0.5, "number", doc="drop probability (no effect at inference)"),)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return Cost()


EXAMPLES = [
    {"kind": "flatten", "args": {}, "x": (512, 7, 7), "out": (25088, 1, 1),
     "cost": {"params": 0, "madds": 0, "flops": 0, "mem_access": 0}},
    {"kind": "dropout", "args": {}, "x": (1280, 1, 1), "out": (1280, 1, 1),
     "cost": {"params": 0, "madds": 0, "flops": 0, "mem_access": 0}},
]
