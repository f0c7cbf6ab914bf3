"""flops2x: floating-point operations counted the simple way: 2 per multiply-add, 1 per bias
add, and one op per element for batch norm, activations, pooling and element-wise add/mul.

The "FLOPs" of DeepSpeed's flops profiler, calflops and Darknet's BFLOPs all start from
2 × multiply-adds; they then differ in which other ops they add. This convention is a
definition (costmodel issue 7), not one tool's output: conv/fc 2·madds + bias; BN, LRN and
every activation 1 per input element; max/avg/adaptive/global pooling 1 per input element
(DeepSpeed's pool rule); add and mul 1 per output element per extra operand; concat, split, shuffle,
select, flatten and dropout 0. How the model writes an op does not matter.
Compare costmodel's own `flops` metric, which counts each op's actual arithmetic (e.g.
ReLU6 2 per element, BN 2 per element, max pool k²−1 compares per output element).
"""
from costmodel.conventions.base import Convention, table

SRC = "definition: costmodel issue 7 (2·madds + bias adds + one op per element)"

CONVENTION = Convention(
    name="flops2x",
    summary="2·madds + bias adds + 1 op per element of BN, activations, pooling, add and mul",
    tool="",
    call="a definition (DeepSpeed/calflops/Darknet style)",
    rules=table(
        ("conv dwconv fc", "*", "2*madds + bias", SRC),
        ("bn lrn relu relu6 leaky sigmoid hsigmoid swish hswish tanh", "*", "in", SRC),
        ("maxpool avgpool adaptive_avgpool gap gmp", "*", "in", SRC),
        ("add mul", "*", "pairs", SRC),
        ("concat split shuffle select flatten dropout", "*", "0", SRC, "no arithmetic"),
    ),
)
