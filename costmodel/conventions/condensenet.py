"""condensenet: utils.measure_model of the CondenseNet authors (ShichenLiu/CondenseNet,
utils.py at commit 011b71d4), the count behind CondenseNet's published 529M / 274M "FLOPs".

measure_model wraps the forward of every leaf module (utils.py:127-162) and counts by the
module's class name (measure_layer, utils.py:59-124): Conv2d in·out·k²·h_out·w_out/groups
(multiply-adds, no bias; l.67-74), ReLU its input elements (l.90-92), AvgPool2d
C·h_out·w_out·k² (l.95-101), AdaptiveAvgPool2d its input elements (l.103-105), Linear
weight + bias elements (l.108-112; batch 1), BatchNorm2d and Dropout 0 (l.115-116). Any other
module raises TypeError('unknown layer type') (l.119-120): MaxPool2d, ReLU6, Sigmoid,
Hardswish, LocalResponseNorm, ... — those ops are `unsupported` here. Functional calls
(torch.cat, index_select, the channel shuffle, `+`, F.relu) are not modules: 0.
"""
from costmodel.conventions.base import Convention, table

SRC = "ShichenLiu/CondenseNet utils.py"
UNKNOWN = "measure_layer raises TypeError('unknown layer type') for this module"
NOT_A_MODULE = f"not a module: measure_model only wraps leaf modules ({SRC}:133-134)"

CONVENTION = Convention(
    name="condensenet",
    summary="CondenseNet measure_model: conv multiply-adds + ReLU elements + pooling-window "
            "ops + linear weights and bias",
    tool="ShichenLiu/CondenseNet utils.py (commit 011b71d4)",
    call="measure_model(model, 224, 224)[0]",
    rules=table(
        ("conv dwconv", "*", "madds",
         f"{SRC}:67-74 ops_conv: in·out·kh·kw·out_h·out_w/groups (bias not counted)"),
        ("fc", "*", "madds + bias",
         f"{SRC}:108-112 ops_linear: weight.numel() + bias.numel() (batch 1)",
         "a Linear without bias makes measure_layer fail (bias.numel() on None)"),
        ("relu", "module", "in", f"{SRC}:90-92 ops_nonlinearity: x.numel()"),
        ("avgpool", "module", "window",
         f"{SRC}:95-101 ops_pooling: C·out_w·out_h·k² (output size by int(), i.e. floor)"),
        ("gap adaptive_avgpool", "module", "in",
         f"{SRC}:103-105 AdaptiveAvgPool2d (any output size): input numel"),
        ("bn dropout", "*", "0", f"{SRC}:115-116 ops_nothing"),
        ("relu6 leaky sigmoid hsigmoid swish hswish tanh maxpool gmp", "module", "unsupported",
         f"{SRC}:119-120", UNKNOWN),
        ("lrn", "*", "unsupported", f"{SRC}:119-120", UNKNOWN),
        ("relu relu6 leaky sigmoid hsigmoid swish hswish tanh maxpool avgpool adaptive_avgpool "
         "gap gmp", "functional", "0", SRC, NOT_A_MODULE),
        ("gap", "mean", "0", SRC, NOT_A_MODULE),
        ("add mul concat split shuffle select flatten", "*", "0", SRC, NOT_A_MODULE),
    ),
)
