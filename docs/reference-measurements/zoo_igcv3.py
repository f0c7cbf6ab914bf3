"""IGCV3-D reference counts.
(a) pytorchcv.models.igcv3.igcv3_w1 / w3d4 / wd2 / wd4
(b) local re-impl of homles11/IGCV3 symbols/igcv3.py (MXNet MNetV2Gen, multiplier 1.0):
    first 3x3/s2 conv 32 + BN + ReLU6; bottlenecks (t,c,n,s) = (1,16,1,1) (6,24,4,2) (6,32,6,2)
    (6,64,8,2) (6,96,6,1) (6,160,6,2) (6,320,1,1); unit = 1x1 g2 expand (BN, no act) -> shuffle(2)
    -> dw3x3 (BN+ReLU6) -> 1x1 g2 linear (BN, no act) -> shuffle(c/2); shortcut on blocks 1..n-1
    of each sequence; last 1x1 1280 + BN + ReLU6; global avg pool; FC 1000 with bias; all convs no bias.
"""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn as nn
from pytorchcv.models import igcv3 as pcv
from zoo_common import count, save, fmt


def unit(cin, cout, k, s, p, g, act):
    layers = [nn.Conv2d(cin, cout, k, s, p, groups=g, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


def perm(x, g):
    b, c, h, w = x.shape
    return x.view(b, g, c // g, h, w).transpose(1, 2).reshape(b, c, h, w)


class IRU(nn.Module):
    def __init__(self, cin, cout, stride, t, shortcut, num_in_filter=None):
        super().__init__()
        e = int(round((num_in_filter if num_in_filter is not None else cin) * t))
        self.exp = unit(cin, e, 1, 1, 0, 2, False)
        self.dw = unit(e, e, 3, stride, 1, e, True)
        self.lin = unit(e, cout, 1, 1, 0, 2, False)
        self.shortcut, self.cout = shortcut, cout

    def forward(self, x):
        y = self.lin(self.dw(perm(self.exp(x), 2)))
        y = perm(y, self.cout // 2)
        return x + y if self.shortcut else y


CFG = [(1, 16, 1, 1), (6, 24, 4, 2), (6, 32, 6, 2), (6, 64, 8, 2), (6, 96, 6, 1), (6, 160, 6, 2), (6, 320, 1, 1)]


class IGCV3Official(nn.Module):
    """Follows MNetV2Gen.genNet including its channel rules (round, +1 if odd) and
    its in_c bookkeeping (in_c = round(c*multiplier) after each sequence; only matters for m != 1)."""
    def __init__(self, m=1.0, num_classes=1000):
        super().__init__()
        fc = int(round(32 * m)); fc += fc % 2
        self.first = unit(3, fc, 3, 2, 1, 1, True)
        seqs, in_c, actual = [], fc, fc
        for t, c, n, s in CFG:
            c = int(round(c * m)); c += c % 2
            blocks = [IRU(actual, c, s, t, False, num_in_filter=in_c)]
            blocks += [IRU(c, c, 1, t, True, num_in_filter=c) for _ in range(1, n)]
            seqs.append(nn.Sequential(*blocks))
            actual = c
            in_c = int(round(c * m))
            if in_c % 2:
                in_c = c + 1
        self.seqs = nn.Sequential(*seqs)
        nf = int(1280 * m)
        if nf != 0:
            nf += 1
        nf = nf if m > 1.0 else 1280
        self.last = unit(actual, nf, 1, 1, 0, 1, True)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(nf, num_classes)

    def forward(self, x):
        x = self.pool(self.last(self.seqs(self.first(x))))
        return self.fc(x.flatten(1))


if __name__ == "__main__":
    out = {}
    exp_params = {"w1": 3491688, "w3d4": 2638084, "wd2": 1985528, "wd4": 1534020}
    for name in ["w1", "w3d4", "wd2", "wd4"]:
        net = getattr(pcv, "igcv3_" + name)()
        stages = [("init_block", net.features.init_block)] + [
            ("stage%d" % i, getattr(net.features, "stage%d" % i)) for i in range(1, 6)] + [("final_block", net.features.final_block)]
        r = count(net, 224, stage_modules=stages)
        r["implementation"] = "pytorchcv.models.igcv3.igcv3_" + name
        r["notes"] = ("pytorchcv width rule: make_even(int(c*w)) for all stage channels and init; final 1280 unless w>1; "
                      "expansion mid = 6*actual_in (1x for the very first unit); pytorchcv-asserted params %d" % exp_params[name])
        assert r["params"] == exp_params[name]
        key = "igcv3_d_%s_pytorchcv" % name
        out[key] = r
        print(key, fmt(r), r["stage_chw"])
    for m in [1.0, 0.75, 0.5, 0.25]:
        net = IGCV3Official(m)
        stages = [("first", net.first)] + [("seq-%d" % i, s) for i, s in enumerate(net.seqs)] + [("last", net.last)]
        r = count(net, 224, stage_modules=stages)
        r["implementation"] = "local re-impl of homles11/IGCV3 symbols/igcv3.py (MNetV2Gen, multiplier=%s)" % m
        r["notes"] = ("official; for multiplier != 1 the official in_c bookkeeping (in_c=round(c*m) again) shrinks the "
                      "expansion width of the first block of each sequence -> differs from pytorchcv; only m=1.0 was trained on ImageNet"
                      if m != 1.0 else "expected 3,491,688 params / 312,970,176 madds")
        key = "igcv3_d_%s_official" % m
        out[key] = r
        print(key, fmt(r), r["stage_chw"])
    save("igcv3", out)
