"""dwconv: depthwise k×k convolution, one filter per input channel (conv with g = c = c_in).

  madds = k²·c·h_out·w_out     params = k²·c (+ c with bias)    (MobileNet eq. 3, first term)
  mem_access = h·w·c + h_out·w_out·c + params. Its mem_access/madds ratio stays near
  2/k² + ...: the ShuffleNet V2 paper (G4) treats it as element-wise for that reason.
"""
from costmodel.layers.base import Arg, Cost, LayerKind, Shape, register
from costmodel.layers.conv import conv_cost, conv_shape


@register
class DepthwiseConv(LayerKind):
    """dwconv: depthwise convolution; shares conv's formulas with g = c = c_in."""
    name = "dwconv"
    args = (Arg("k", doc="kernel size"), Arg("s", 1, doc="stride"),
            Arg("p", None, "pad", doc="padding: int, 'same' or 'valid'"), Arg("d", 1, doc="dilation"),
            Arg("bias", False, "bool", doc="add a bias per channel"))

    def out_shape(self, x: Shape) -> Shape:
        return conv_shape(x, x.c, self.k, self.s, self.p, x.c, self.d)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return conv_cost(x, y, self.k, x.c, self.bias)


EXAMPLES = [
    # MobileNets Table 3: depthwise 3x3 on 14x14x512: 3*3*512*14*14 madds, 3*3*512 params
    {"kind": "dwconv", "args": {"k": 3}, "x": (512, 14, 14), "out": (512, 14, 14),
     "cost": {"madds": 3*3*512 * 14*14, "params": 3*3*512,
              "mem_access": 512*14*14 + 512*14*14 + 3*3*512}},
    # stride 2: 112 -> 56 (MobileNetV2 stage 2)
    {"kind": "dwconv", "args": {"k": 3, "s": 2}, "x": (96, 112, 112), "out": (96, 56, 56),
     "cost": {"madds": 3*3*96 * 56*56, "params": 3*3*96}},
]
