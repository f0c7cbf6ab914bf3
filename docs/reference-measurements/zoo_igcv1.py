"""IGCV1 (Interleaved Group Convolutions, ICCV'17) ImageNet reference counts.
Local PyTorch re-implementation of the TRAINED MXNet symbols in hellozting/InterleavedGroupConvolutions:
  models/IGC-L4M32_ImageNet/resnet_gcwf_noshare_imagenet_d18b4-symbol.json
  models/IGC-L16M16_ImageNet/resnet_gcwf_noshare_imagenet_d18b16-symbol.json
  models/IGC-L100M2_ImageNet/resnet_gcwf_noshare_imagenet_d18b100vary-symbol.json
    (== network/resnet_igc_imgnet_d18.py with primary_partition=100, secondary_partition=1)
  models/ResNet18-w64_ImageNet, ResNet18-w69_ImageNet (network/resnet_imgnet_d18.py)
IGC unit (get_igc): conv kxk groups=L (stride s, no bias) -> Reorder -> conv1x1 groups=C/L (no bias)
  -> Reorder -> BN -> [ReLU]   (ONE BN per IGC, after the secondary conv)
Block (get_fusion): shortcut = identity if kin==kout else conv1x1(stride s, groups=proj_groups)+BN;
  deep = igc(3x3,s)+ReLU, igc(3x3,1) no ReLU;  out = ReLU(shortcut + deep).  2 blocks per stage.
Stem: conv7x7/2 pad3 (no bias)+BN+ReLU, maxpool 3/2 pad1.  Head: avgpool 7, FC 1000 with bias.
"""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn as nn
from zoo_common import count, save, fmt


def reorder(x, g):
    b, c, h, w = x.shape
    return x.view(b, g, c // g, h, w).transpose(1, 2).reshape(b, c, h, w)


class IGC(nn.Module):
    def __init__(self, cin, cout, stride, L, relu):
        super().__init__()
        self.L, self.M = L, cout // L
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, groups=L, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 1, 1, 0, groups=cout // L, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU() if relu else nn.Identity()

    def forward(self, x):
        x = reorder(self.conv1(x), self.L)
        x = reorder(self.conv2(x), self.M)
        return self.relu(self.bn(x))


class PlainConv(nn.Module):
    def __init__(self, cin, cout, k, stride, pad, relu, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU() if relu else nn.Identity()

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class Fusion(nn.Module):
    def __init__(self, kin, kout, stride, L, proj_groups, igc=True):
        super().__init__()
        self.proj = None if kin == kout else PlainConv(kin, kout, 1, stride, 0, False, groups=proj_groups)
        if igc:
            self.deep = nn.Sequential(IGC(kin, kout, stride, L, True), IGC(kout, kout, 1, L, False))
        else:
            self.deep = nn.Sequential(PlainConv(kin, kout, 3, stride, 1, True), PlainConv(kout, kout, 3, 1, 1, False))
        self.relu = nn.ReLU()

    def forward(self, x):
        s = x if self.proj is None else self.proj(x)
        return self.relu(s + self.deep(x))


class IGCNet18(nn.Module):
    def __init__(self, stem, stages, igc=True):
        """stages: list of (C, L_primary, proj_groups, stride)"""
        super().__init__()
        self.stem = nn.Sequential(PlainConv(3, stem, 7, 2, 3, True), nn.MaxPool2d(3, 2, 1))
        layers, kin = [], stem
        for C, L, pg, s in stages:
            layers.append(nn.Sequential(Fusion(kin, C, s, L, pg, igc), Fusion(C, C, 1, L, pg, igc)))
            kin = C
        self.stages = nn.Sequential(*layers)
        self.pool = nn.AvgPool2d(7)
        self.fc = nn.Linear(kin, 1000)

    def forward(self, x):
        return self.fc(self.pool(self.stages(self.stem(x))).flatten(1))


CONFIGS = {
    # name: (stem, stages, igc, paper/README #params(M), README FLOPs(1e9))
    "igcv1_L4M32_ident": (128, [(128, 4, 4, 1), (256, 4, 4, 2), (512, 4, 4, 2), (1024, 4, 4, 2)], True, 11.205, 1.9),
    "igcv1_L16M16_ident": (256, [(256, 16, 16, 1), (512, 16, 16, 2), (1024, 16, 16, 2), (2048, 16, 16, 2)], True, 11.329, 2.2),
    "igcv1_L100M2_ident": (100, [(200, 100, 100, 1), (400, 200, 200, 2), (800, 400, 400, 2), (1600, 800, 800, 2)], True, 8.61, 1.3),
    "resnet18_C64_igcrepo": (64, [(64, 1, 1, 1), (128, 1, 1, 2), (256, 1, 1, 2), (512, 1, 1, 2)], False, 11.151, 1.8),
    "resnet18_C69_igcrepo": (69, [(69, 1, 1, 1), (138, 1, 1, 2), (276, 1, 1, 2), (552, 1, 1, 2)], False, 11.333, 2.1),
}

if __name__ == "__main__":
    out = {}
    for key, (stem, stages, igc, p_readme, f_readme) in CONFIGS.items():
        net = IGCNet18(stem, stages, igc)
        st = [("stem", net.stem)] + [("stage%d" % (i + 1), s) for i, s in enumerate(net.stages)]
        r = count(net, 224, stage_modules=st)
        r["params_excl_bn_fc"] = r["params"] - r["bn_params"] - r["fc_params"]
        r["implementation"] = "local re-impl of the trained MXNet symbol JSON in hellozting/InterleavedGroupConvolutions/models/"
        r["notes"] = ("stem %d; stages (C, L_primary, proj_groups, stride)=%s; README/paper table: %.3fM params, %.1f GFLOPs "
                      "(README param column is NOT reproducible by any counting we tried, see zoo.md)" % (stem, stages, p_readme, f_readme))
        out[key] = r
        print(key, fmt(r), "excl_bn_fc", r["params_excl_bn_fc"], r["stage_chw"])
    save("igcv1", out)
