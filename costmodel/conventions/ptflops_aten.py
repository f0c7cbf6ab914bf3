"""ptflops_aten: ptflops 0.7.5 with backend='aten' (a TorchDispatchMode over aten ops).

Only aten.mm, matmul, addmm, bmm, convolution and _convolution are counted
(ptflops/aten_ops.py:109-116, dispatched in aten_engine.py:80-99); every other aten op is a
zero-op: batch norm, activations, pooling, add, mul, cat. Convolution and addmm (nn.Linear)
count multiply-adds plus one add per output element when there is a bias
(aten_ops.py:71-95, 36-54). So the total is madds + bias adds. Paths are relative to the
installed package (site-packages/ptflops).
"""
from costmodel.conventions.base import Convention, table

ZERO = "not in ATEN_OPS_MAPPING: a zero-op (aten_engine.py:92-97)"

CONVENTION = Convention(
    name="ptflops_aten",
    summary="conv and fc multiply-adds plus bias adds (ptflops' aten backend)",
    tool="ptflops 0.7.5",
    call="get_model_complexity_info(model, (3, H, W), backend='aten', as_strings=False)[0]",
    rules=table(
        ("conv dwconv", "*", "madds + bias",
         "ptflops/aten_ops.py:71-95 conv_flop_count (bias l.93-94), :114 aten.convolution"),
        ("fc", "*", "madds + bias",
         "ptflops/aten_ops.py:36-54 addmm_flop (bias l.51-52), :112 aten.addmm"),
        ("bn lrn relu relu6 leaky sigmoid hsigmoid swish hswish tanh maxpool avgpool "
         "adaptive_avgpool gap gmp add mul concat split shuffle select flatten dropout", "*", "0",
         "ptflops/aten_ops.py:109-116 ATEN_OPS_MAPPING", ZERO),
    ),
)
