"""ptflops: get_model_complexity_info(..., backend='pytorch') of ptflops 0.7.5 (the default).

Two mechanisms add up (ptflops/pytorch_engine.py:49-54, 69-71):
1. forward hooks on modules of the types in MODULES_MAPPING (ptflops/pytorch_ops.py:271-321):
   conv and Linear count multiply-adds plus bias adds, BatchNorm 2 per element when affine,
   ReLU/ReLU6/LeakyReLU 1 per output element, every pooling 1 per input element;
2. monkey-patched functions (patch_functional, pytorch_engine.py:348-390; patch_tensor_ops,
   434-456): F.relu, F.relu6, F.silu, F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d, ...
   count their input elements (pytorch_ops.py:347-348, 422-450); torch.add/x.add and
   torch.mul/x.mul count their broadcast output elements (pytorch_ops.py:397-419, 465-468).
The quirk: nn.ReLU, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d and nn.SiLU call the
patched function from their forward (torch/nn/modules/activation.py:143, 476;
pooling.py:224, 779, 1514), so such a module is counted twice (hook + function), or once
when only the function is patched (SiLU). nn.ReLU6 and nn.LeakyReLU call F.hardtanh and
F.leaky_relu, which are not patched: counted once. Python operators (x + y, x += y, x * y)
and everything else count 0. Paths are relative to site-packages.
"""
from costmodel.conventions.base import Convention, table

OPS = "ptflops/pytorch_ops.py"
ENGINE = "ptflops/pytorch_engine.py"
NOT_SEEN = "neither a hooked module type nor a patched function"

CONVENTION = Convention(
    name="ptflops",
    summary="ptflops (pytorch backend) total: conv/fc multiply-adds + bias, BN 2 per element, "
            "ReLU and pooling per element (modules that call a patched function counted twice)",
    tool="ptflops 0.7.5",
    call="get_model_complexity_info(model, (3, H, W), as_strings=False, "
         "print_per_layer_stat=False)[0]",
    rules=table(
        ("conv dwconv", "*", "madds + bias",
         f"{OPS}:274, 60-92 conv_flops_counter_hook (bias adds l.87-88)"),
        ("fc", "*", "madds + bias", f"{OPS}:306, 35-43 linear_flops_counter_hook"),
        ("bn", "*", "2*in", f"{OPS}:297, 51-57 bn_flops_counter_hook (×2 when affine)"),
        ("relu", "module", "2*in",
         f"hook {OPS}:277, 30-32 (output numel) + nn.ReLU.forward calls the patched F.relu "
         f"(torch/nn/modules/activation.py:143; {OPS}:424; {ENGINE}:350)",
         "counted twice"),
        ("relu6 leaky", "module", "out",
         f"hook {OPS}:280-281, 30-32; their forward calls F.hardtanh / F.leaky_relu, not "
         "patched (torch/nn/modules/activation.py:294, 923)"),
        ("swish", "module", "in",
         f"nn.SiLU has no hook, but its forward calls the patched F.silu "
         f"(torch/nn/modules/activation.py:476; {OPS}:449-450; {ENGINE}:389-390)"),
        ("sigmoid hsigmoid hswish tanh", "module", "0",
         "no hook; forwards call torch.sigmoid, F.hardsigmoid, F.hardswish, torch.tanh "
         "(torch/nn/modules/activation.py:361, 404, 573, 433), none patched", NOT_SEEN),
        ("relu relu6 swish", "functional", "in",
         f"patched F.relu, F.relu6, F.silu: input numel ({OPS}:347-348, 424, 427, 449-450; "
         f"{ENGINE}:350, 353, 389-390)"),
        ("leaky sigmoid hsigmoid hswish tanh", "functional", "0",
         f"F.leaky_relu, F.sigmoid, F.hardsigmoid, F.hardswish, F.tanh are not patched "
         f"({ENGINE}:348-390)", NOT_SEEN),
        ("maxpool avgpool adaptive_avgpool gap gmp", "module", "2*in",
         f"hook {OPS}:285-286, 292, 46-48 (input numel) + the forward calls the patched "
         f"F.max_pool2d / F.avg_pool2d / F.adaptive_avg_pool2d (torch/nn/modules/pooling.py:224, "
         f"779, 1514; {OPS}:431, 434, 437)", "counted twice"),
        ("maxpool avgpool adaptive_avgpool gap gmp", "functional", "in",
         f"patched F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d: input numel "
         f"({OPS}:347-348, 431, 434, 437; {ENGINE}:358-371)"),
        ("gap", "mean", "0", "x.mean([2, 3]) is not patched", NOT_SEEN),
        ("add mul", "functional", "pairs",
         f"patched torch.add/Tensor.add, torch.mul/Tensor.mul: broadcast output numel "
         f"({OPS}:397-419, 465-468; {ENGINE}:451-456)"),
        ("add mul", "operator", "0",
         "x + y, x += y, x * y call Tensor.__add__/__iadd__/__mul__, which are not patched "
         f"({ENGINE}:434-456)", NOT_SEEN),
        ("concat split shuffle select flatten", "*", "0",
         "torch.cat, chunk, view, transpose, contiguous, index_select, flatten", NOT_SEEN),
        ("dropout", "*", "0", "nn.Dropout is not in MODULES_MAPPING", NOT_SEEN),
        ("lrn", "*", "unsupported",
         "torch/nn/functional.py:3080-3093 local_response_norm",
         "not modelled: nn.LocalResponseNorm has no hook, but F.local_response_norm calls the "
         "patched Tensor.mul (twice), Tensor.add and F.avg_pool3d on a channel-padded map, "
         "3·in + (c + size − 1)·h·w (read, and confirmed by tools/probe_conventions.py), "
         "which no rule quantity expresses"),
    ),
)
