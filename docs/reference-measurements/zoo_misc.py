"""Tiny DarkNet, Xception, AlexNet (Caffe, grouped) reference counts.
 - Tiny DarkNet: pytorchcv.models.darknet.darknet_tiny  (checked against pjreddie/darknet cfg/tiny.cfg)
 - Xception:     pytorchcv.models.xception.xception at 299 (checked against the Keras application graph)
 - AlexNet:      local module following Caffe bvlc_alexnet deploy.prototxt (227 input, groups=2 on conv2/4/5)
"""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.nn as nn
from pytorchcv.models.darknet import darknet_tiny
from pytorchcv.models.xception import xception
from zoo_common import count, save, fmt


class AlexNetCaffe(nn.Module):
    def __init__(self):
        super().__init__()
        R = lambda: nn.ReLU(inplace=True)
        LRN = lambda: nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75)
        self.conv1 = nn.Sequential(nn.Conv2d(3, 96, 11, 4, 0), R(), LRN(), nn.MaxPool2d(3, 2))
        self.conv2 = nn.Sequential(nn.Conv2d(96, 256, 5, 1, 2, groups=2), R(), LRN(), nn.MaxPool2d(3, 2))
        self.conv3 = nn.Sequential(nn.Conv2d(256, 384, 3, 1, 1), R())
        self.conv4 = nn.Sequential(nn.Conv2d(384, 384, 3, 1, 1, groups=2), R())
        self.conv5 = nn.Sequential(nn.Conv2d(384, 256, 3, 1, 1, groups=2), R(), nn.MaxPool2d(3, 2))
        self.fc = nn.Sequential(nn.Linear(9216, 4096), R(), nn.Dropout(), nn.Linear(4096, 4096), R(), nn.Dropout(),
                                nn.Linear(4096, 1000))

    def forward(self, x):
        x = self.conv5(self.conv4(self.conv3(self.conv2(self.conv1(x)))))
        return self.fc(x.flatten(1))


if __name__ == "__main__":
    out = {}
    net = darknet_tiny()
    st = [("stage%d" % i, getattr(net.features, "stage%d" % i)) for i in range(1, 6)]
    r = count(net, 224, stage_modules=st)
    r["implementation"] = "pytorchcv.models.darknet.darknet_tiny (== pjreddie/darknet cfg/tiny.cfg)"
    r["notes"] = ("convs: 3x3 16, mp, 3x3 32, mp, 1x1 16, 3x3 128, 1x1 16, 3x3 128, mp, 1x1 32, 3x3 256, 1x1 32, 3x3 256, mp, "
                  "1x1 64, 3x3 512, 1x1 64, 3x3 512, 1x1 128; all conv no bias + BN + LeakyReLU(0.1); 1x1 pad 0 (darknet pad=1 -> size/2); "
                  "maxpool 2/2; classifier conv1x1 128->1000 WITH bias, linear, on 14x14; then global avgpool 14; expected 1,042,104 / 491,524,096")
    r["madds_no_classifier"] = r["madds"] - 14 * 14 * 128 * 1000  # classifier is a 1x1 conv, not nn.Linear
    out["darknet_tiny_224"] = r
    print("darknet_tiny", fmt(r), r["stage_chw"])

    net = xception()
    st = [("init_block", net.features.init_block)] + [("stage%d" % i, getattr(net.features, "stage%d" % i)) for i in range(1, 5)] + [
        ("final_block.conv2", net.features.final_block.conv2)]
    r = count(net, 299, stage_modules=st)
    r["implementation"] = "pytorchcv.models.xception.xception (== Keras Xception graph)"
    r["notes"] = ("expected 22,855,952 params (Keras trainable) / 8,357,403,496 madds; entry convs 3x3/2 valid 32, 3x3 valid 64 (no bias, BN, ReLU); "
                  "separable = dw3x3(pad1, no bias)+pw1x1(no bias)+BN; residual 1x1/2 conv no bias + BN; maxpool 3/2 pad1")
    out["xception_299"] = r
    print("xception", fmt(r), r["stage_chw"])

    net = AlexNetCaffe()
    st = [("conv%d" % i, getattr(net, "conv%d" % i)) for i in range(1, 6)]
    r = count(net, 227, stage_modules=st)
    r["implementation"] = "local module following Caffe bvlc_alexnet (models/bvlc_alexnet/deploy.prototxt)"
    r["notes"] = ("96-256-384-384-256, groups 2 on conv2/4/5, all conv/fc with bias, LRN (no params) after relu1/relu2, "
                  "maxpool 3/2 no pad (55->27->13->6); expected 60,965,224 params / ~724.41M madds")
    out["alexnet_caffe_227"] = r
    print("alexnet", fmt(r), r["stage_chw"])
    save("misc", out)
