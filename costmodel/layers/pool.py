"""maxpool / avgpool: k×k window, stride s (default k), padding p, optional ceil mode.

  h_out = floor((h + 2p − k)/s) + 1, or ceil(...) + 1 with ceil: true (Caffe; SqueezeNet),
          less a last ceil-mode window that would start in the right padding (PyTorch, Caffe)
  maxpool extra_flops = (k² − 1) comparisons per output element
  avgpool extra_flops = k² per output element (k² − 1 adds and one multiply)
  mem_access = read input + write output; no params.
"""
from costmodel.layers.base import Arg, Cost, LayerKind, Shape, register, spatial

_ARGS = (Arg("k", doc="window size"), Arg("s", None, doc="stride (default: k)"),
         Arg("p", 0, "nonneg", doc="padding"), Arg("ceil", False, "bool", doc="ceil mode"))


class _Pool(LayerKind):
    """A sliding-window pooling layer."""
    args = _ARGS
    window_ops = 0

    def out_shape(self, x: Shape) -> Shape:
        s = self.k if self.s is None else self.s
        h, w = spatial(x, self.k, s, self.p, 1, self.ceil)
        return Shape(x.c, h, w)

    def cost(self, x: Shape, y: Shape) -> Cost:
        return Cost(extra_flops=(self.k * self.k + self.window_ops) * y.numel,
                    read_act=x.numel, write_act=y.numel)


@register
class MaxPool(_Pool):
    """maxpool: max over each window; k² − 1 comparisons per output element."""
    name = "maxpool"
    window_ops = -1


@register
class AvgPool(_Pool):
    """avgpool: mean over each window; k² ops per output element."""
    name = "avgpool"


EXAMPLES = [
    # ResNet stem maxpool 3x3/2 pad 1: 112 -> 56
    {"kind": "maxpool", "args": {"k": 3, "s": 2, "p": 1}, "x": (64, 112, 112), "out": (64, 56, 56),
     "cost": {"extra_flops": 8 * 64*56*56, "mem_access": 64*112*112 + 64*56*56}},
    # SqueezeNet (Caffe ceil mode): 111 -> 55, and 55 -> 27 (floor would also give 55 / 27)
    {"kind": "maxpool", "args": {"k": 3, "s": 2, "ceil": True}, "x": (96, 111, 111),
     "out": (96, 55, 55), "cost": {"extra_flops": 8 * 96*55*55}},
    # ceil mode matters: 224 -> (224-3)/2 = 110.5 -> ceil 111 + 1 = 112, floor gives 111
    {"kind": "maxpool", "args": {"k": 3, "s": 2, "ceil": True}, "x": (8, 224, 224),
     "out": (8, 112, 112), "cost": {"madds": 0}},
    # ceil mode, k=2 s=2 p=1 on 5: ceil((5+2-2)/2) + 1 = 4 windows, but the 4th would start
    # at padded 6 = 5 + 1, in the right padding: PyTorch/Caffe drop it -> 3
    {"kind": "maxpool", "args": {"k": 2, "s": 2, "p": 1, "ceil": True}, "x": (4, 5, 5),
     "out": (4, 3, 3), "cost": {"extra_flops": 3 * 4*3*3, "mem_access": 4*5*5 + 4*3*3}},
    # CondenseNet transition: avgpool 2x2/2
    {"kind": "avgpool", "args": {"k": 2}, "x": (48, 112, 112), "out": (48, 56, 56),
     "cost": {"extra_flops": 4 * 48*56*56, "mem_access": 48*112*112 + 48*56*56}},
]
