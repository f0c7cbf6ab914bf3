"""fc: fully-connected layer (PyTorch Linear) on the flattened input of c_in·h·w features.

  params = c_in·h·w·c (+ c with bias)     madds = c_in·h·w·c     extra_flops = c bias adds
  mem_access = c_in·h·w (read) + c (write) + params. Output shape c×1×1.
"""
from costmodel.layers.base import Arg, Cost, LayerKind, Shape, register


@register
class FullyConnected(LayerKind):
    """fc: fully-connected layer; the input is flattened implicitly (as AlexNet/VGG do)."""
    name = "fc"
    args = (Arg("c", type="size", doc="output features"),
            Arg("bias", True, "bool", doc="add a bias per output (PyTorch Linear default: true)"))

    def out_shape(self, x: Shape) -> Shape:
        return Shape(self.c, 1, 1)

    def cost(self, x: Shape, y: Shape) -> Cost:
        weights = x.numel * y.c
        biases = y.c if self.bias else 0
        return Cost(params=weights + biases, madds=weights, extra_flops=biases,
                    read_act=x.numel, write_act=y.c, read_weight=weights + biases)


EXAMPLES = [
    # MobileNetV2 classifier: 1280 -> 1000 with bias
    {"kind": "fc", "args": {"c": 1000}, "x": (1280, 1, 1), "out": (1000, 1, 1),
     "cost": {"params": 1280*1000 + 1000, "madds": 1280*1000, "flops": 2*1280*1000 + 1000}},
    # VGG16 fc6 flattens 512x7x7 = 25088 features
    {"kind": "fc", "args": {"c": 4096}, "x": (512, 7, 7), "out": (4096, 1, 1),
     "cost": {"params": 25088*4096 + 4096, "madds": 25088*4096}},
    # Megvii ShuffleNet classifiers have no bias
    {"kind": "fc", "args": {"c": 1000, "bias": False}, "x": (1024, 1, 1), "out": (1000, 1, 1),
     "cost": {"params": 1024*1000, "mem_access": 1024 + 1000 + 1024*1000}},
]
