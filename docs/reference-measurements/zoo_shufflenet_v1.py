"""ShuffleNet V1 reference counts.
(a) pytorchcv.models.shufflenet.shufflenet_g{1,2,3,4,8}_w1 (paper Table 1, 1x).
(b) Local re-implementation of megvii-model/ShuffleNet-Series ShuffleNetV1/network.py
    (commit d8e4db13, group-specific channel tables) + blocks.py (ShuffleV1Block).
"""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorchcv.models import shufflenet as pcv
from zoo_common import count, save, fmt

out = {}

# ---------------- (a) pytorchcv -----------------
paper_tbl = {1: 144, 2: 200, 3: 240, 4: 272, 8: 384}
for g in [1, 2, 3, 4, 8]:
    net = getattr(pcv, "shufflenet_g%d_w1" % g)()
    # check channel table and ungrouped first 1x1
    u = net.features.stage1.unit1
    assert u.compress_conv1.groups == 1 and net.features.stage2.unit1.compress_conv1.groups == g
    assert net.features.stage1.unit2.expand_bn3.num_features == paper_tbl[g]
    stages = [("init_block", net.features.init_block)] + [
        ("stage%d" % i, getattr(net.features, "stage%d" % i)) for i in range(1, 4)]
    r = count(net, 224, stage_modules=stages)
    r["implementation"] = "pytorchcv.models.shufflenet.shufflenet_g%d_w1" % g
    r["notes"] = ("stage channels %d/%d/%d, init 24, mid=out//4, first 1x1 of stage2 unit1 ungrouped; "
                  "stride-2 unit: cat(main, avgpool(x)) then ReLU over ALL channels; FC with bias"
                  % (paper_tbl[g], 2 * paper_tbl[g], 4 * paper_tbl[g]))
    key = "shufflenet_v1_g%d_1.0x_pytorchcv" % g
    out[key] = r
    print(key, fmt(r), r["stage_chw"])


# ---------------- (b) Megvii official -----------------
class ShuffleV1Block(nn.Module):
    def __init__(self, inp, oup, group, first_group, mid_channels, ksize, stride):
        super().__init__()
        self.stride, self.group = stride, group
        pad = ksize // 2
        outputs = oup - inp if stride == 2 else oup
        self.branch_main_1 = nn.Sequential(
            nn.Conv2d(inp, mid_channels, 1, 1, 0, groups=1 if first_group else group, bias=False),
            nn.BatchNorm2d(mid_channels), nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, mid_channels, ksize, stride, pad, groups=mid_channels, bias=False),
            nn.BatchNorm2d(mid_channels))
        self.branch_main_2 = nn.Sequential(
            nn.Conv2d(mid_channels, outputs, 1, 1, 0, groups=group, bias=False),
            nn.BatchNorm2d(outputs))
        if stride == 2:
            self.branch_proj = nn.AvgPool2d(kernel_size=3, stride=2, padding=1)
        self.relu_out = nn.ReLU()  # stands for F.relu in the official forward (hooked for counting)

    def forward(self, x_in):
        x = self.branch_main_1(x_in)
        if self.group > 1:
            b, c, h, w = x.shape
            x = x.reshape(b, c // self.group, self.group, h, w).permute(0, 2, 1, 3, 4).reshape(b, c, h, w)
        x = self.branch_main_2(x)
        if self.stride == 1:
            return self.relu_out(x + x_in)
        return torch.cat((self.branch_proj(x_in), self.relu_out(x)), 1)


MEGVII_V1 = {
    3: {"0.5x": [12, 120, 240, 480], "1.0x": [24, 240, 480, 960],
        "1.5x": [24, 360, 720, 1440], "2.0x": [48, 480, 960, 1920]},
    8: {"0.5x": [16, 192, 384, 768], "1.0x": [24, 384, 768, 1536],
        "1.5x": [24, 576, 1152, 2304], "2.0x": [48, 768, 1536, 3072]},
}


class ShuffleNetV1Megvii(nn.Module):
    def __init__(self, model_size, group, n_class=1000):
        super().__init__()
        soc = [-1] + MEGVII_V1[group][model_size]
        self.stage_repeats = [4, 8, 4]
        c = soc[1]
        self.first_conv = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        feats = []
        self.stage_ends = []
        for s, n in enumerate(self.stage_repeats):
            oc = soc[s + 2]
            for i in range(n):
                feats.append(ShuffleV1Block(c, oc, group=group, first_group=(s == 0 and i == 0),
                                            mid_channels=oc // 4, ksize=3, stride=2 if i == 0 else 1))
                c = oc
            self.stage_ends.append(len(feats) - 1)
        self.features = nn.Sequential(*feats)
        self.globalpool = nn.AvgPool2d(7)
        self.classifier = nn.Sequential(nn.Linear(soc[-1], n_class, bias=False))
        self.c = soc[-1]

    def forward(self, x):
        x = self.maxpool(self.first_conv(x))
        x = self.features(x)
        x = self.globalpool(x).reshape(-1, self.c)
        return self.classifier(x)


if __name__ == "__main__":
    for g in [3, 8]:
        for ms in ["0.5x", "1.0x", "1.5x", "2.0x"]:
            net = ShuffleNetV1Megvii(ms, g)
            stages = [("first_conv", net.first_conv), ("maxpool", net.maxpool)] + [
                ("stage%d" % (k + 2), net.features[e]) for k, e in enumerate(net.stage_ends)]
            r = count(net, 224, stage_modules=stages)
            r["implementation"] = "local re-impl of megvii-model/ShuffleNet-Series ShuffleNetV1/network.py@d8e4db13 + blocks.py"
            r["notes"] = ("stage_out_channels %s; mid=oup//4; FC no bias; stride-2 unit: cat(avgpool(x), relu(main)) "
                          "(ReLU only on main branch); shuffle only if group>1" % MEGVII_V1[g][ms])
            key = "shufflenet_v1_g%d_%s_megvii" % (g, ms)
            out[key] = r
            print(key, fmt(r), r["stage_chw"])
    save("shufflenet_v1", out)
