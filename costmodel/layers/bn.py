"""bn: batch normalisation at inference, folded to a per-channel scale and shift.

  params = 2c (gamma, beta; PyTorch's trainable count; running statistics are buffers)
  extra_flops = 2 per element (one multiply, one add)
  mem_access = read + write of the map + 2c (the folded scale and shift).
"""
from costmodel.layers.base import Cost, LayerKind, Shape, elementwise_cost, register


@register
class BatchNorm(LayerKind):
    """bn: batch normalisation (inference); trainable gamma and beta per channel."""
    name = "bn"
    normalisation = True
    elementwise = True

    def cost(self, x: Shape, y: Shape) -> Cost:
        e = elementwise_cost(x, 2)
        return Cost(params=2 * x.c, extra_flops=e.extra_flops, read_act=e.read_act,
                    write_act=e.write_act, read_weight=2 * x.c)


EXAMPLES = [
    {"kind": "bn", "args": {}, "x": (32, 112, 112), "out": (32, 112, 112),
     "cost": {"params": 2*32, "madds": 0, "extra_flops": 2 * 32*112*112,
              "mem_access": 2 * 32*112*112 + 2*32}},
]
