"""thop: thop.profile(model, inputs=(x,)) of thop 0.1.1.post2209072238 (Lyken17/pytorch-OpCounter).

thop puts a forward hook on every module whose exact type is in its registry
(thop/profile.py:21-66, 188-203) and sums the hooks' counts (dfs_count, profile.py:214-233).
Anything that is not a registered module is invisible and counts 0: functional calls
(F.relu, F.adaptive_avg_pool2d, x.mean, torch.cat, `+`, `*`) and unregistered modules
(nn.Hardswish, nn.Hardsigmoid, nn.Sigmoid, nn.SiLU, nn.Tanh, nn.LocalResponseNorm).
Convolution and Linear count multiply-adds without bias; BatchNorm counts 2 per element,
doubled again when affine (the comment "bn is by default fused in inference" notwithstanding);
AvgPool 1 per output element; AdaptiveAvgPool (in/out + 1)·out, which is in + out (global or
not). thop returns a float64; for these rules it is an exact integer, except that a non-global
AdaptiveAvgPool's count is computed in float64 and truncated, which can lose one (see that
rule's note). Paths are relative to site-packages.
"""
from costmodel.conventions.base import Convention, table

NO_HOOK = "no hook: thop only sees registered nn.Module types (thop/profile.py:188-203)"

CONVENTION = Convention(
    name="thop",
    summary="thop.profile total: conv/fc multiply-adds, BN 4 per element, avg pools; "
            "functional ops and unregistered modules 0",
    tool="thop 0.1.1.post2209072238",
    call="thop.profile(model, inputs=(x,))[0]",
    rules=table(
        ("conv dwconv", "*", "madds",
         "thop/profile.py:24; thop/vision/basic_hooks.py:22-34 → thop/vision/calc_func.py:28-34 "
         "prod(out)·(in_c // g)·prod(kernel) (the bias argument is unused)"),
        ("fc", "*", "madds",
         "thop/profile.py:53; thop/vision/basic_hooks.py:140-147 in_features·out numel "
         "(calc_func.py:90-91); no bias"),
        ("bn", "*", "4*in",
         "thop/profile.py:30; thop/vision/basic_hooks.py:60-69 count_normalization: "
         "calc_func.py:43-45 2·numel, then ×2 when affine (l.67-68)"),
        ("relu relu6", "module", "0", "thop/profile.py:38-39 zero_ops (basic_hooks.py:18-19)"),
        ("leaky", "module", "0",
         "thop/profile.py:40 count_relu (basic_hooks.py:90-95) → calc_func.py:47-49 returns 0"),
        ("sigmoid hsigmoid swish hswish tanh", "module", "0",
         "nn.Sigmoid, nn.Hardsigmoid, nn.SiLU, nn.Hardswish, nn.Tanh are not in the registry", NO_HOOK),
        ("maxpool", "module", "0", "thop/profile.py:42 zero_ops"),
        ("gmp", "module", "0", "thop/profile.py:45 zero_ops (nn.AdaptiveMaxPool2d)"),
        ("avgpool", "module", "out",
         "thop/profile.py:48; thop/vision/basic_hooks.py:106-111 y.numel() "
         "(calc_func.py:65-66); the window size is ignored"),
        ("gap", "module", "in + out",
         "thop/profile.py:51; thop/vision/basic_hooks.py:114-121 kernel = in_size/out_size "
         "(float), calc_func.py:69-72 int((prod(kernel) + 1)·out numel) = in + out for a "
         "global pool"),
        ("adaptive_avgpool", "module", "in + out",
         "thop/profile.py:51; thop/vision/basic_hooks.py:114-121 kernel = in_size/out_size "
         "(float64), calc_func.py:69-72 int((prod(kernel) + 1)·out numel): "
         "(h/s)·(w/s)·c·s² + c·s² = in + out in exact arithmetic",
         "thop computes it in float64 and truncates: one less when the product rounds down "
         "(VGG-16 at 256, 512×8×8 → 7×7: in + out − 1; 64×13×13 → 3×3); exact when s "
         "divides h and w (identity, global) and in most other cases"),
        ("relu relu6 leaky sigmoid hsigmoid swish hswish tanh maxpool avgpool adaptive_avgpool "
         "gap gmp", "functional", "0", "a function call, not a module", NO_HOOK),
        ("gap", "mean", "0", "x.mean([2, 3]) is a tensor method", NO_HOOK),
        ("add mul", "*", "0", "x + y, x * y, torch.add, torch.mul are not modules", NO_HOOK),
        ("concat split shuffle select flatten", "*", "0",
         "torch.cat, chunk, view/transpose, index_select, flatten are not modules", NO_HOOK),
        ("dropout", "*", "0", "thop/profile.py:54 zero_ops"),
        ("lrn", "*", "0", "nn.LocalResponseNorm is not in the registry", NO_HOOK),
    ),
)
