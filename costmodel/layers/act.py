"""Activations: element-wise maps; zero madds, zero params, read + write of the map.

Floating-point ops per element (extra_flops), counting exp as one op:
  relu      1  max(x, 0)
  relu6     2  min(max(x, 0), 6)
  leaky     2  multiply, max                         (Darknet's leaky ReLU, slope 0.1)
  sigmoid   4  negate, exp, add 1, divide            (1 transcendental)
  hsigmoid  4  add 3, max 0, min 6, multiply by 1/6  (MobileNetV3 eq. 2: ReLU6(x+3)/6)
  swish     5  sigmoid (4) and a multiply            (1 transcendental)
  hswish    5  hsigmoid (4) and a multiply           (MobileNetV3: x·ReLU6(x+3)/6)
  tanh      5  two exps counted as one, add, subtract, divide (1 transcendental)
"""
from costmodel.layers.base import Arg, Cost, LayerKind, Shape, elementwise_cost, register

# kind → (ops per element, transcendental ops per element)
OPS = {"relu": (1, 0), "relu6": (2, 0), "leaky": (2, 0), "sigmoid": (4, 1),
       "hsigmoid": (4, 0), "swish": (5, 1), "hswish": (5, 0), "tanh": (5, 1)}


class _Activation(LayerKind):
    """An element-wise activation; its op count per element comes from OPS."""
    elementwise = True

    def cost(self, x: Shape, y: Shape) -> Cost:
        return elementwise_cost(x, OPS[self.name][0])


def _define(kind: str, doc: str, args: tuple = ()) -> type:
    cls = type(kind.capitalize(), (_Activation,), {"name": kind, "__doc__": doc, "args": args})
    return register(cls)


_define("relu", "relu: max(x, 0); 1 op per element.")
_define("relu6", "relu6: min(max(x, 0), 6); 2 ops per element.")
_define("leaky", "leaky: leaky ReLU max(x, a·x); 2 ops per element.",
        (Arg("slope", 0.1, "number", doc="negative slope (no effect on cost)"),))
_define("sigmoid", "sigmoid: 1/(1+exp(-x)); 4 ops per element, 1 of them exp.")
_define("hsigmoid", "hsigmoid: ReLU6(x+3)/6 (MobileNetV3); 4 ops per element, no exp.")
_define("swish", "swish: x·sigmoid(x); 5 ops per element, 1 of them exp.")
_define("hswish", "hswish: x·ReLU6(x+3)/6 (MobileNetV3); 5 ops per element, no exp.")
_define("tanh", "tanh: 5 ops per element, 1 of them exp.")

EXAMPLES = [
    {"kind": k, "args": {}, "x": (16, 7, 7), "out": (16, 7, 7),
     "cost": {"madds": 0, "params": 0, "extra_flops": n * 16*7*7, "mem_access": 2 * 16*7*7}}
    for k, n in [("relu", 1), ("relu6", 2), ("leaky", 2), ("sigmoid", 4), ("hsigmoid", 4),
                 ("swish", 5), ("hswish", 5), ("tanh", 5)]
]
