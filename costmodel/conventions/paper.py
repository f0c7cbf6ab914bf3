"""paper: multiply-adds of convolutions and fully-connected layers, nothing else.

What the MobileNet (v1 eq. 5, v2 Table 3 "MAdds"), ShuffleNet (v1 Sec. 4, v2 Sec. 2 "FLOPs,
i.e. the number of multiply-adds"), ResNeXt (Table 1 "FLOPs") and IGCV papers report, and
torchvision's "GFLOPS" column: conv and fc multiply-adds, no bias, no batch norm, activation,
pooling or element-wise op. Equal to the `madds` metric for every network.
"""
from costmodel.conventions.base import Convention, table

SOURCE = "papers: MobileNetV2 Table 3, ShuffleNet V2 Sec. 2, ResNeXt Table 1"
ZERO = "not a multiply-add of a conv or fc layer"

CONVENTION = Convention(
    name="paper",
    summary="multiply-adds of conv and fc layers (the papers' \"FLOPs\"/\"MAdds\")",
    tool="",
    call="the papers' tables; torchvision docs \"GFLOPS\"",
    rules=table(
        ("conv dwconv fc", "*", "madds", SOURCE),
        ("bn lrn relu relu6 leaky sigmoid hsigmoid swish hswish tanh maxpool avgpool "
         "adaptive_avgpool gap gmp add mul concat split shuffle select flatten dropout", "*", "0", SOURCE, ZERO),
    ),
)
