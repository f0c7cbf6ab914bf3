"""CondenseNet-74 (converted inference network) reference counts.
(a) pytorchcv.models.condensenet.condensenet74_c4_g4 / condensenet74_c8_g8
(b) local re-impl of ShichenLiu/CondenseNet models/condensenet_converted.py + layers.py
    (CondenseConv / Conv / CondenseLinear), args: stages 4-6-8-10-8, growth 8-16-32-64-128,
    bottleneck 4, group_1x1 = group_3x3 = G (4 or 8), ImageNet: init stride 2, pool 7.
Also reproduces utils.measure_model (official FLOP count):
    Conv2d: Cin*Cout*kh*kw*oh*ow/groups;  ReLU: input numel;  AvgPool2d: C*oh*ow*k*k;
    Linear: weight.numel()+bias.numel();  BatchNorm2d: 0.
"""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn as nn
from pytorchcv.models.condensenet import condensenet74_c4_g4, condensenet74_c8_g8
from zoo_common import count, save, fmt


def shuffle(x, g):
    b, c, h, w = x.shape
    return x.view(b, g, c // g, h, w).transpose(1, 2).contiguous().view(b, c, h, w)


class CondenseConv(nn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=0, groups=1):
        super().__init__()
        self.groups = groups
        self.norm = nn.BatchNorm2d(cin)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(cin, cout, k, stride, padding, groups=groups, bias=False)
        self.register_buffer("index", torch.arange(cin))  # index_select keeps cin channels

    def forward(self, x):
        x = torch.index_select(x, 1, self.index)
        return shuffle(self.conv(self.relu(self.norm(x))), self.groups)


class Conv(nn.Sequential):
    def __init__(self, cin, cout, k, stride=1, padding=0, groups=1):
        super().__init__()
        self.add_module("norm", nn.BatchNorm2d(cin))
        self.add_module("relu", nn.ReLU(inplace=True))
        self.add_module("conv", nn.Conv2d(cin, cout, k, stride=stride, padding=padding, bias=False, groups=groups))


class CondenseLinear(nn.Module):
    def __init__(self, fin, fout, drop_rate=0.5):
        super().__init__()
        self.fin = int(fin * drop_rate)
        self.linear = nn.Linear(self.fin, fout)
        self.register_buffer("index", torch.arange(self.fin))

    def forward(self, x):
        return self.linear(torch.index_select(x, 1, self.index))


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, G, bottleneck=4):
        super().__init__()
        self.conv_1 = CondenseConv(cin, bottleneck * growth, 1, groups=G)
        self.conv_2 = Conv(bottleneck * growth, growth, 3, padding=1, groups=G)

    def forward(self, x):
        return torch.cat([x, self.conv_2(self.conv_1(x))], 1)


class CondenseNetConverted(nn.Module):
    def __init__(self, G, stages=(4, 6, 8, 10, 8), growth=(8, 16, 32, 64, 128), num_classes=1000):
        super().__init__()
        self.features = nn.Sequential()
        nf = 2 * growth[0]
        self.features.add_module("init_conv", nn.Conv2d(3, nf, 3, 2, 1, bias=False))
        for i, (n, k) in enumerate(zip(stages, growth)):
            blk = nn.Sequential(*[DenseLayer(nf + j * k, k, G) for j in range(n)])
            self.features.add_module("denseblock_%d" % (i + 1), blk)
            nf += n * k
            if i != len(stages) - 1:
                self.features.add_module("transition_%d" % (i + 1), nn.AvgPool2d(2, 2))
            else:
                self.features.add_module("norm_last", nn.BatchNorm2d(nf))
                self.features.add_module("relu_last", nn.ReLU(inplace=True))
                self.features.add_module("pool_last", nn.AvgPool2d(7))
        self.nf = nf
        self.classifier = CondenseLinear(nf, num_classes, 0.5)

    def forward(self, x):
        return self.classifier(self.features(x).view(x.size(0), -1))


def measure_model_official(model, H=224, W=224):
    """Re-statement of CondenseNet utils.measure_model for the converted model (leaf modules)."""
    tot = {"ops": 0.0}

    def hook(m, inp, out):
        x = inp[0]
        if isinstance(m, nn.Conv2d):
            oh = int((x.shape[2] + 2 * m.padding[0] - m.kernel_size[0]) / m.stride[0] + 1)
            ow = int((x.shape[3] + 2 * m.padding[1] - m.kernel_size[1]) / m.stride[1] + 1)
            tot["ops"] += m.in_channels * m.out_channels * m.kernel_size[0] * m.kernel_size[1] * oh * ow / m.groups
        elif isinstance(m, nn.ReLU):
            tot["ops"] += x.numel()
        elif isinstance(m, nn.AvgPool2d):
            k, s, p = m.kernel_size, m.stride, m.padding
            o = int((x.shape[2] + 2 * p - k) / s + 1)
            tot["ops"] += x.shape[0] * x.shape[1] * o * o * k * k
        elif isinstance(m, nn.Linear):
            tot["ops"] += m.weight.numel() + m.bias.numel()
    hs = [m.register_forward_hook(hook) for m in model.modules() if len(list(m.children())) == 0]
    with torch.no_grad():
        model(torch.zeros(1, 3, H, W))
    for h in hs:
        h.remove()
    return tot["ops"]


EXPECT = {4: (4773944, 516640576, 529328264), 8: (2935416, 261545792, 274233480)}

if __name__ == "__main__":
    out = {}
    for G, fn in [(4, condensenet74_c4_g4), (8, condensenet74_c8_g8)]:
        for impl, net in [("pytorchcv", fn()), ("official", CondenseNetConverted(G))]:
            if impl == "pytorchcv":
                stages = [("stage%d" % i, getattr(net.features, "stage%d" % i)) for i in range(1, 6)]
                stages = [("init_block", net.features.init_block)] + stages
            else:
                stages = [("init_conv", net.features.init_conv)] + [
                    ("denseblock_%d" % i, getattr(net.features, "denseblock_%d" % i)) for i in range(1, 6)]
            r = count(net, 224, stage_modules=stages)
            r["measure_model_official"] = int(round(measure_model_official(net)))
            r["implementation"] = ("pytorchcv.models.condensenet.condensenet74_c%d_g%d" % (G, G) if impl == "pytorchcv"
                                   else "local re-impl of ShichenLiu/CondenseNet models/condensenet_converted.py + layers.py")
            r["notes"] = ("stages 4-6-8-10-8, growth 8-16-32-64-128, init conv 3x3/s2 3->16 no BN/ReLU after; "
                          "layer: BN-ReLU-1x1 grouped G (cin->4k) + shuffle, BN-ReLU-3x3 grouped G (4k->k), concat [x, new]; "
                          "transition = AvgPool2x2/s2 only; end BN-ReLU-AvgPool7; FC on int(C*0.5)=%d inputs with bias. "
                          "measure_model_official = conv madds + ReLU elems + pool window ops + FC weight+bias. "
                          "expected params %d madds %d measure %d" % ((1032,) + EXPECT[G]))
            key = "condensenet74_c%d_g%d_%s" % (G, G, impl)
            out[key] = r
            print(key, fmt(r), "measure_model", r["measure_model_official"], r["stage_chw"])
            assert (r["params"], r["madds"], r["measure_model_official"]) == EXPECT[G]
    save("condensenet", out)
