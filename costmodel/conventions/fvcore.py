"""fvcore: FlopCountAnalysis(model, x).total() of fvcore 0.1.5.post20221221 (defaults, eval).

fvcore traces the model with torch.jit and counts the aten ops in its handle table
(fvcore/nn/flop_count.py:26-44), one "flop" per multiply-add. Because it reads the trace, it
does not matter whether the model calls a module or a function; it matters which aten op
results: F.adaptive_avg_pool2d and nn.AdaptiveAvgPool2d both trace to
aten::adaptive_avg_pool2d (counted, global `gap` or not `adaptive_avgpool`), x.mean([2, 3])
traces to aten::mean (not counted).
Ops outside the table count 0: shape/copy ops are silently ignored (_IGNORED_OPS,
fvcore/nn/jit_analysis.py:28-87: relu, relu_, cat, chunk, view, transpose, contiguous,
flatten, dropout), the rest are reported by .unsupported_ops() (jit_analysis.py:297-316):
hardtanh (ReLU6), leaky_relu, sigmoid, hardsigmoid, silu, hardswish, tanh, max_pool2d,
avg_pool2d, mean, add, add_, mul, index_select. Paths are relative to site-packages.
"""
from costmodel.conventions.base import Convention, table

UNSUPPORTED = "unsupported op: 0, listed by .unsupported_ops() (fvcore/nn/jit_analysis.py:297-316)"
IGNORED = "in _IGNORED_OPS: 0, not reported (fvcore/nn/jit_analysis.py:28-87)"

CONVENTION = Convention(
    name="fvcore",
    summary="fvcore FlopCountAnalysis total: conv/fc multiply-adds, BN 2 per element, "
            "adaptive average pools (global or not) 1 per input element",
    tool="fvcore 0.1.5.post20221221",
    call="FlopCountAnalysis(model.eval(), x).total()",
    rules=table(
        ("conv dwconv", "*", "madds",
         "fvcore/nn/flop_count.py:29 aten::_convolution; fvcore/nn/jit_handles.py:127-151 "
         "conv_flop_count (l.150 batch·prod(w_shape)·prod(out spatial); \"bias is ignored\" l.134-135)"),
        ("fc", "*", "madds",
         "fvcore/nn/flop_count.py:33 aten::linear; fvcore/nn/jit_handles.py:99-110 (no bias)"),
        ("bn", "*", "2*in",
         "fvcore/nn/flop_count.py:36; fvcore/nn/jit_handles.py:251-258 batchnorm_flop_jit: "
         "eval mode, affine → input numel × 2",
         "training mode would count 5 per element (l.254-255)"),
        ("gap", "module functional", "in",
         "fvcore/nn/flop_count.py:42 aten::adaptive_avg_pool2d = elementwise_flop_counter(1, 0); "
         "fvcore/nn/jit_handles.py:261-281 (1 per input element)"),
        ("adaptive_avgpool", "module functional", "in",
         "fvcore/nn/flop_count.py:42 aten::adaptive_avg_pool2d = elementwise_flop_counter(1, 0); "
         "fvcore/nn/jit_handles.py:261-281: 1 per input element whatever the output size"),
        ("gap", "mean", "0", "x.mean([2, 3]) traces to aten::mean", UNSUPPORTED),
        ("relu", "*", "0", "aten::relu / aten::relu_ (fvcore/nn/jit_analysis.py:65-66)", IGNORED),
        ("relu6 leaky sigmoid hsigmoid swish hswish tanh", "*", "0",
         "aten::hardtanh, leaky_relu, sigmoid, hardsigmoid, silu, hardswish, tanh", UNSUPPORTED),
        ("maxpool avgpool gmp", "*", "0",
         "aten::max_pool2d, aten::avg_pool2d, aten::adaptive_max_pool2d", UNSUPPORTED),
        ("add mul", "*", "0", "aten::add, aten::add_, aten::mul", UNSUPPORTED),
        ("lrn", "*", "0", "F.local_response_norm traces to mul, pad, avg_pool3d, add, pow, div",
         UNSUPPORTED),
        ("select", "*", "0", "index_select", UNSUPPORTED),
        ("concat split shuffle flatten dropout", "*", "0",
         "aten::cat, chunk, view, transpose, contiguous, flatten, dropout "
         "(fvcore/nn/jit_analysis.py:34-84)", IGNORED),
    ),
)
