"""MobileNetV1 reference counts: pytorchcv.models.mobilenet.get_mobilenet(width_scale)
(channels int(c*alpha), BN+ReLU after every conv, conv bias=False, FC 1000 with bias).
Final AvgPool2d(7) is replaced by AvgPool2d(res//32) for non-224 resolutions
(the pytorchcv model hardcodes kernel 7; same counts otherwise)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch.nn as nn
from pytorchcv.models.mobilenet import get_mobilenet
from zoo_common import count, save, fmt

base = [[32], [64], [128, 128], [256, 256], [512] * 6, [1024, 1024]]
out = {}
for alpha in [1.0, 0.75, 0.5, 0.25]:
    ch_paper = [[int(c * alpha) for c in s] for s in base]
    ch_slim = [[max(int(c * alpha), 8) for c in s] for s in base]
    assert ch_paper == ch_slim, (alpha, ch_paper, ch_slim)
    for res in [224, 192, 160, 128]:
        net = get_mobilenet(width_scale=alpha)
        net.features.final_pool = nn.AvgPool2d(kernel_size=res // 32, stride=1)
        stages = [("init_block", net.features.init_block)] + [
            ("stage%d" % i, getattr(net.features, "stage%d" % i)) for i in range(1, 6)]
        r = count(net, res=res, stage_modules=stages)
        r["implementation"] = "pytorchcv.models.mobilenet.get_mobilenet(width_scale=%s), final pool k=res/32" % alpha
        r["notes"] = "channels=%s; TF-slim max(int(c*a),8) identical" % (ch_paper,)
        key = "mobilenet_v1_%s_%d" % (alpha, res)
        out[key] = r
        print(key, fmt(r))
    print("  stages", r["stage_chw"])
save("mobilenet", out)
