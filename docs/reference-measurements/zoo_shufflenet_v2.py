"""ShuffleNet V2 reference counts: local re-implementation of
megvii-model/ShuffleNet-Series ShuffleNetV2/network.py + blocks.py (commit a96672f)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn as nn
from zoo_common import count, save, fmt


class ShuffleV2Block(nn.Module):
    def __init__(self, inp, oup, mid_channels, ksize, stride):
        super().__init__()
        self.stride = stride
        pad = ksize // 2
        outputs = oup - inp
        self.branch_main = nn.Sequential(
            nn.Conv2d(inp, mid_channels, 1, 1, 0, bias=False), nn.BatchNorm2d(mid_channels), nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, mid_channels, ksize, stride, pad, groups=mid_channels, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.Conv2d(mid_channels, outputs, 1, 1, 0, bias=False), nn.BatchNorm2d(outputs), nn.ReLU(inplace=True))
        if stride == 2:
            self.branch_proj = nn.Sequential(
                nn.Conv2d(inp, inp, ksize, stride, pad, groups=inp, bias=False), nn.BatchNorm2d(inp),
                nn.Conv2d(inp, inp, 1, 1, 0, bias=False), nn.BatchNorm2d(inp), nn.ReLU(inplace=True))
        else:
            self.branch_proj = None

    def forward(self, old_x):
        if self.stride == 1:
            b, c, h, w = old_x.shape
            x = old_x.reshape(b * c // 2, 2, h * w).permute(1, 0, 2).reshape(2, -1, c // 2, h, w)
            return torch.cat((x[0], self.branch_main(x[1])), 1)
        return torch.cat((self.branch_proj(old_x), self.branch_main(old_x)), 1)


SOC = {"0.5x": [24, 48, 96, 192, 1024], "1.0x": [24, 116, 232, 464, 1024],
       "1.5x": [24, 176, 352, 704, 1024], "2.0x": [24, 244, 488, 976, 2048]}


class ShuffleNetV2Megvii(nn.Module):
    def __init__(self, model_size, n_class=1000):
        super().__init__()
        soc = [-1] + SOC[model_size]
        c = soc[1]
        self.first_conv = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        feats, self.stage_ends = [], []
        for s, n in enumerate([4, 8, 4]):
            oc = soc[s + 2]
            for i in range(n):
                if i == 0:
                    feats.append(ShuffleV2Block(c, oc, mid_channels=oc // 2, ksize=3, stride=2))
                else:
                    feats.append(ShuffleV2Block(c // 2, oc, mid_channels=oc // 2, ksize=3, stride=1))
                c = oc
            self.stage_ends.append(len(feats) - 1)
        self.features = nn.Sequential(*feats)
        self.conv_last = nn.Sequential(nn.Conv2d(c, soc[-1], 1, 1, 0, bias=False), nn.BatchNorm2d(soc[-1]), nn.ReLU(inplace=True))
        self.globalpool = nn.AvgPool2d(7)
        self.dropout = nn.Dropout(0.2) if model_size == "2.0x" else nn.Identity()
        self.classifier = nn.Sequential(nn.Linear(soc[-1], n_class, bias=False))
        self.c = soc[-1]

    def forward(self, x):
        x = self.maxpool(self.first_conv(x))
        x = self.conv_last(self.features(x))
        x = self.dropout(self.globalpool(x)).reshape(-1, self.c)
        return self.classifier(x)


EXPECT = {"0.5x": (1365792, 40.48e6), "1.0x": (2278760, 145.81e6), "1.5x": (3506720, 298.97e6), "2.0x": (7402600, 590.78e6)}

if __name__ == "__main__":
    out = {}
    for ms in ["0.5x", "1.0x", "1.5x", "2.0x"]:
        net = ShuffleNetV2Megvii(ms)
        stages = [("first_conv", net.first_conv), ("maxpool", net.maxpool)] + [
            ("stage%d" % (k + 2), net.features[e]) for k, e in enumerate(net.stage_ends)] + [("conv_last", net.conv_last)]
        r = count(net, 224, stage_modules=stages)
        r["implementation"] = "local re-impl of megvii-model/ShuffleNet-Series ShuffleNetV2/network.py + blocks.py"
        r["notes"] = ("stage_out_channels %s; FC no bias; stride-2 unit: proj branch dw3x3s2(Cin)+BN, 1x1(Cin->Cin)+BN+ReLU; "
                      "main 1x1(Cin->Cout/2)+BN+ReLU, dw3x3s2+BN, 1x1(Cout/2->Cout-Cin)+BN+ReLU; cat(proj, main). "
                      "stride-1: split (even/odd channel shuffle), main on Cout/2 -> Cout/2; expected params %d, madds %.2fM"
                      % (SOC[ms], EXPECT[ms][0], EXPECT[ms][1] / 1e6))
        key = "shufflenet_v2_%s_megvii" % ms
        out[key] = r
        print(key, fmt(r), r["stage_chw"])
        assert r["params"] == EXPECT[ms][0]
    save("shufflenet_v2", out)
