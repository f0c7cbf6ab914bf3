"""Independent arithmetic (no torch) re-derivation of a few Part A numbers,
and tiny probes of the peer tools' per-op rules.

    python3 /work/refs/tv_handcheck.py            # arithmetic only
    /tmp/refenv-tv/bin/python /work/refs/tv_handcheck.py --probe   # + tool probes
"""
import sys


def conv_out(h, k, s, p):
    return (h + 2 * p - k) // s + 1


def mobilenet_v2(width=1.0, res=224):
    def md(v, d=8):
        nv = max(d, int(v + d / 2) // d * d)
        if nv < 0.9 * v:
            nv += d
        return nv

    params = madds = bn = 0
    h = res
    cin = md(32 * width)
    h = conv_out(h, 3, 2, 1)
    madds += h * h * cin * 3 * 9
    params += cin * 3 * 9 + 2 * cin
    bn += 2 * cin
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        cout = md(c * width)
        for i in range(n):
            stride = s if i == 0 else 1
            hid = int(round(cin * t))
            if t != 1:
                madds += h * h * hid * cin
                params += hid * cin + 2 * hid
                bn += 2 * hid
            h2 = conv_out(h, 3, stride, 1)
            madds += h2 * h2 * hid * 9
            params += hid * 9 + 2 * hid
            bn += 2 * hid
            madds += h2 * h2 * cout * hid
            params += cout * hid + 2 * cout
            bn += 2 * cout
            h, cin = h2, cout
    last = md(1280 * max(1.0, width))
    madds += h * h * last * cin
    params += last * cin + 2 * last
    bn += 2 * last
    madds += last * 1000
    params += last * 1000 + 1000
    return params, bn, madds


def squeezenet1_1(res=224):
    # conv1 3->64 k3 s2, pool k3 s2 ceil, fire(64,16,64,64) x2, pool, fire(128,32,128,128) x2,
    # pool, fire(256,48,192,192), fire(384,48,192,192), fire(384,64,256,256), fire(512,64,256,256),
    # conv 512->1000 1x1
    import math

    def pool(h):
        return math.ceil((h - 3) / 2) + 1

    params = madds = 0
    h = conv_out(res, 3, 2, 0)
    madds += h * h * 64 * 27
    params += 64 * 27 + 64

    def fire(h, cin, sq, e1, e3):
        m = h * h * sq * cin + h * h * e1 * sq + h * h * e3 * sq * 9
        p = sq * cin + sq + e1 * sq + e1 + e3 * sq * 9 + e3
        return m, p

    h = pool(h)
    for cin, sq, e in [(64, 16, 64), (128, 16, 64)]:
        m, p = fire(h, cin, sq, e, e); madds += m; params += p
    h = pool(h)
    for cin, sq, e in [(128, 32, 128), (256, 32, 128)]:
        m, p = fire(h, cin, sq, e, e); madds += m; params += p
    h = pool(h)
    for cin, sq, e in [(256, 48, 192), (384, 48, 192), (384, 64, 256), (512, 64, 256)]:
        m, p = fire(h, cin, sq, e, e); madds += m; params += p
    madds += h * h * 1000 * 512
    params += 1000 * 512 + 1000
    return params, madds


def probe():
    import io
    from contextlib import redirect_stdout

    import torch
    import torch.nn as nn
    import thop
    from fvcore.nn import FlopCountAnalysis
    from ptflops import get_model_complexity_info

    cases = {
        "ReLU": nn.ReLU(),
        "ReLU6": nn.ReLU6(),
        "Hardswish": nn.Hardswish(),
        "MaxPool2d(3,2)": nn.MaxPool2d(3, 2),
        "AvgPool2d(2,2)": nn.AvgPool2d(2, 2),
        "AdaptiveAvgPool2d(1)": nn.AdaptiveAvgPool2d(1),
        "AdaptiveAvgPool2d(3) on 8x8": nn.AdaptiveAvgPool2d(3),
        "BatchNorm2d": nn.BatchNorm2d(4),
    }
    x = torch.randn(1, 4, 8, 8)  # 256 input elements
    print("probe input 1x4x8x8 = 256 elements")
    print(f"{'module':32s} {'fvcore':>8s} {'thop':>8s} {'ptfl-pt':>8s} {'ptfl-aten':>9s}")
    for name, m in cases.items():
        m.eval()
        f = FlopCountAnalysis(m, x).unsupported_ops_warnings(False).total()
        with redirect_stdout(io.StringIO()):
            t, _ = thop.profile(m, inputs=(x,), verbose=False)
            p, _ = get_model_complexity_info(m, (4, 8, 8), as_strings=False, backend="pytorch", print_per_layer_stat=False)
            a, _ = get_model_complexity_info(m, (4, 8, 8), as_strings=False, backend="aten", print_per_layer_stat=False)
        print(f"{name:32s} {f:>8} {int(t):>8} {p:>8} {a:>9}")


if __name__ == "__main__":
    p, bn, m = mobilenet_v2()
    print("mobilenet_v2 1.0 224: params", p, "bn", bn, "madds", m)
    assert (p, bn, m) == (3504872, 34112, 300774272)
    for w, exp in [(1.4, 582195824), (0.35, 59285808)]:
        print(f"mobilenet_v2 {w} 224 madds", mobilenet_v2(w)[2]); assert mobilenet_v2(w)[2] == exp
    print("mobilenet_v2 1.0 96 madds", mobilenet_v2(1.0, 96)[2]); assert mobilenet_v2(1.0, 96)[2] == 56289152
    p, m = squeezenet1_1()
    print("squeezenet1_1 224: params", p, "madds", m)
    assert (p, m) == (1235496, 349151936)
    p, m = squeezenet1_1(227)
    print("squeezenet1_1 227: params", p, "madds", m)
    assert m == 387747520
    print("hand checks OK")
    if "--probe" in sys.argv:
        probe()
