"""split: channel split into branches, then concatenation of their outputs (ShuffleNet V2
unit, paper Fig. 3c). A merge kind. Equal parts by default, or `sizes: [c1, c2, ...]`.

  mem_access = 2·N_in (the split, materialised) + Σ N_i + N_out (the concat)
  extra_flops = 0. The paper fuses split, concat and shuffle into one element-wise op; we
  count them unfused, as separate copies (see docs/metrics.md).
"""
from costmodel import numbers as num
from costmodel.layers.base import (Arg, Cost, LayerError, LayerKind, Shape, register,
                                   require_divisible)
from costmodel.layers.concat import concat_shape, copy_cost


@register
class Split(LayerKind):
    """split: split channels among branches, run them, concatenate the results."""
    name = "split"
    merge = True
    args = (Arg("sizes", None, "sizes", doc="channels per branch (default: equal parts)"),)

    def branch_inputs(self, x: Shape, n: int) -> list:
        if self.sizes is None:
            require_divisible("input channels", x.c, n, "the number of branches")
            return [Shape(num.div(x.c, n), x.h, x.w)] * n
        if len(self.sizes) != n:
            raise LayerError(f"split has {n} branches but {len(self.sizes)} sizes")
        if num.total(self.sizes) - x.c != 0:
            raise LayerError(f"split sizes add up to {num.total(self.sizes)}, input has {x.c} channels")
        return [Shape(c, x.h, x.w) for c in self.sizes]

    def merge_shape(self, xs: list) -> Shape:
        return concat_shape(xs)

    def merge_cost(self, x: Shape, xs: list, y: Shape) -> Cost:
        c = copy_cost(xs, y)
        return Cost(read_act=x.numel + c.read_act, write_act=x.numel + c.write_act)


EXAMPLES = [
    # ShuffleNet V2 1x stage 2 unit: 116 channels split 58 | 58 at 28x28
    {"kind": "split", "args": {}, "x": (116, 28, 28), "xs": [(58, 28, 28), (58, 28, 28)],
     "out": (116, 28, 28), "cost": {"flops": 0, "mem_access": 2 * 116*28*28 + 2 * 116*28*28}},
]
