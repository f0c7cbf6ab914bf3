"""lrn: local response normalisation across `size` channels (AlexNet, Caffe LRN).

  b = a / (k + α/n · Σ a²)^β over n = size neighbouring channels, per element:
  extra_flops = 2·size (squares and their sum) + 3 (scale, add, power) + 1 (divide)
  mem_access = read + write; no params.
"""
from costmodel.layers.base import Arg, Cost, LayerKind, Shape, elementwise_cost, register


@register
class LocalResponseNorm(LayerKind):
    """lrn: cross-channel local response normalisation; 2·size + 4 ops per element."""
    name = "lrn"
    elementwise = True
    args = (Arg("size", 5, doc="channels in the window"),)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return elementwise_cost(x, 2 * self.size + 4)


EXAMPLES = [
    {"kind": "lrn", "args": {}, "x": (96, 55, 55), "out": (96, 55, 55),
     "cost": {"extra_flops": (2*5 + 4) * 96*55*55, "mem_access": 2 * 96*55*55}},
]
