"""conv: k×k convolution, stride s, padding p, groups g, dilation d (PyTorch Conv2d).

  h_out = floor((h + 2p − d(k−1) − 1)/s) + 1    (p defaults to d(k−1)/2: size kept at s = 1)
  weights = k²·(c_in/g)·c_out                   params = weights (+ c_out with bias)
  madds = weights·h_out·w_out                   (MobileNet eq. 1: D_K·D_K·M·N·D_F·D_F for g = 1)
  extra_flops = h_out·w_out·c_out bias adds (with bias)
  mem_access = h·w·c_in (read) + h_out·w_out·c_out (write) + params (ShuffleNet V2 Sec. 2, G1)
"""
from costmodel import numbers as num
from costmodel.layers.base import (Arg, Cost, LayerKind, Shape, register, require_divisible,
                                   spatial)


def conv_shape(x: Shape, c, k, s, p, g, d) -> Shape:
    """Output shape of a convolution; checks that g divides both channel counts."""
    require_divisible("input channels", x.c, g, "groups g")
    require_divisible("output channels", c, g, "groups g")
    p = d * (k - 1) // 2 if p is None else p
    h, w = spatial(x, k, s, p, d)
    return Shape(c, h, w)


def conv_cost(x: Shape, y: Shape, k, g, bias: bool) -> Cost:
    """Cost of a k×k convolution with g groups from x to y (the formula lives only here)."""
    weights = k * k * num.div(x.c, g) * y.c
    biases = y.c if bias else 0
    return Cost(params=weights + biases, madds=weights * y.h * y.w,
                extra_flops=y.numel if bias else 0,
                read_act=x.numel, write_act=y.numel, read_weight=weights + biases)


def grouping(node) -> str | None:
    """'dense', 'grouped' or 'depthwise' for a conv/dwconv/fc node (None for other kinds).

    Depthwise is dwconv, or a conv whose groups equal its input and output channels (g > 1);
    fc and g = 1 convs are dense. The one place that decides it (latency shares, proofs G4)."""
    name, g = node.layer.name, getattr(node.layer, "g", 1)
    if name == "fc" or (name == "conv" and g == 1):
        return "dense"
    if name == "dwconv" or (name == "conv" and g == node.x.c == node.y.c):
        return "depthwise"
    return "grouped" if name == "conv" else None


@register
class Conv(LayerKind):
    """conv: convolution (groups g; g = c_in = c_out is depthwise). See module docstring."""
    name = "conv"
    args = (Arg("c", type="size", doc="output channels"), Arg("k", doc="kernel size"),
            Arg("s", 1, doc="stride"), Arg("p", None, "pad", doc="padding: int, 'same' or 'valid'"),
            Arg("g", 1, doc="groups"), Arg("d", 1, doc="dilation"),
            Arg("bias", False, "bool", doc="add a bias per output channel"))

    def out_shape(self, x: Shape) -> Shape:
        return conv_shape(x, self.c, self.k, self.s, self.p, self.g, self.d)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return conv_cost(x, y, self.k, self.g, self.bias)


EXAMPLES = [
    # MobileNets Table 3, standard conv 3x3, 512 -> 512 at 14x14: 462,422,016 madds, 2.36M params
    {"kind": "conv", "args": {"c": 512, "k": 3}, "x": (512, 14, 14), "out": (512, 14, 14),
     "cost": {"madds": 3*3*512*512 * 14*14, "params": 3*3*512*512,
              "mem_access": 14*14*512 + 14*14*512 + 3*3*512*512}},
    # ShuffleNet V2 Table 1 row 1: 1x1 conv 128 -> 128 at 56x56: B = 51,380,224 madds, mem_access 819,200
    {"kind": "conv", "args": {"c": 128, "k": 1}, "x": (128, 56, 56), "out": (128, 56, 56),
     "cost": {"madds": 56*56*128*128, "mem_access": 56*56*(128 + 128) + 128*128}},
    # stride 2, padding 1, bias: 3x224x224 -> 32x112x112 (MobileNetV2 stem, with a bias)
    {"kind": "conv", "args": {"c": 32, "k": 3, "s": 2, "bias": True}, "x": (3, 224, 224),
     "out": (32, 112, 112),
     "cost": {"params": 3*3*3*32 + 32, "madds": 3*3*3*32 * 112*112,
              "flops": 2 * 3*3*3*32 * 112*112 + 32*112*112}},
    # groups: 1x1 conv 240 -> 60 with g = 3 has 1/3 of the dense weights (ShuffleNet unit)
    {"kind": "conv", "args": {"c": 60, "k": 1, "g": 3}, "x": (240, 28, 28), "out": (60, 28, 28),
     "cost": {"params": 240 * 60 // 3, "madds": 240 * 60 // 3 * 28*28}},
    # AlexNet conv1 (Caffe): 11x11 stride 4 valid on 227 -> 55
    {"kind": "conv", "args": {"c": 96, "k": 11, "s": 4, "p": 0, "bias": True},
     "x": (3, 227, 227), "out": (96, 55, 55),
     "cost": {"params": 11*11*3*96 + 96, "madds": 11*11*3*96 * 55*55}},
    # dilation 2 keeps the size with p = d(k-1)/2 = 2
    {"kind": "conv", "args": {"c": 8, "k": 3, "d": 2}, "x": (8, 10, 10), "out": (8, 10, 10),
     "cost": {"madds": 9*8*8 * 10*10}},
    # TF 'same' padding, stride 2 on an odd size: ceil(7/2) = 4
    {"kind": "conv", "args": {"c": 4, "k": 3, "s": 2, "p": "same"}, "x": (4, 7, 7),
     "out": (4, 4, 4), "cost": {"madds": 9*4*4 * 4*4}},
]
