"""Probe every (layer kind, impl) rule of costmodel's conventions against the real tools.

For each case a tiny network is written twice: as a costmodel spec and as a torch module that
does exactly the same ops in the same way (module vs functional vs operator). The script runs
fvcore, thop, ptflops (pytorch and aten backends) and a line-by-line re-statement of
CondenseNet's utils.measure_layer on the module, and costmodel's convention of the same name
on the spec, and prints both. Run in the throw-away venv (never a project dependency):

    /tmp/refenv-tv/bin/python tools/probe_conventions.py .

(run from the repository root; the argument is the checkout to import). Exit status 1 if any number differs.
"""
import sys
import warnings

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else ".")
warnings.filterwarnings("ignore")

import torch                                   # noqa: E402
import torch.nn as nn                          # noqa: E402
import torch.nn.functional as F                # noqa: E402
from fvcore.nn import FlopCountAnalysis        # noqa: E402
from ptflops import get_model_complexity_info  # noqa: E402
from thop import profile                       # noqa: E402

from costmodel import conventions              # noqa: E402
from costmodel.analysis import analyse, load_text  # noqa: E402
from costmodel.conventions.base import ConventionError  # noqa: E402

C, H = 8, 8
SHAPE = (C, H, H)


class Net(nn.Module):
    """forward = a Python function of (self, x); modules registered by name."""
    def __init__(self, fn, **mods):
        super().__init__()
        self.fn = fn
        for k, v in mods.items():
            setattr(self, k, v)

    def forward(self, x):
        return self.fn(self, x)


def seq(*mods):
    return Net(lambda s, x: s.body(x), body=nn.Sequential(*mods))


CASES = [  # (name, spec layers (YAML), torch module)
    ("conv", "- conv: {c: 16, k: 3}", seq(nn.Conv2d(C, 16, 3, padding=1, bias=False))),
    ("conv bias", "- conv: {c: 16, k: 3, bias: true}", seq(nn.Conv2d(C, 16, 3, padding=1))),
    ("conv s2 g2", "- conv: {c: 16, k: 3, s: 2, g: 2}",
     seq(nn.Conv2d(C, 16, 3, 2, 1, groups=2, bias=False))),
    ("dwconv", "- dwconv: {k: 3}", seq(nn.Conv2d(C, C, 3, padding=1, groups=C, bias=False))),
    ("fc", "- fc: {c: 10}", Net(lambda s, x: s.fc(x.flatten(1)), fc=nn.Linear(C * H * H, 10))),
    ("fc no bias", "- fc: {c: 10, bias: false}",
     Net(lambda s, x: s.fc(x.flatten(1)), fc=nn.Linear(C * H * H, 10, bias=False))),
    ("bn", "- bn", seq(nn.BatchNorm2d(C))),
    ("relu module", "- relu", seq(nn.ReLU())),
    ("relu functional", "- relu: {impl: functional}", Net(lambda s, x: F.relu(x))),
    ("relu6 module", "- relu6", seq(nn.ReLU6())),
    ("relu6 functional", "- relu6: {impl: functional}", Net(lambda s, x: F.relu6(x))),
    ("leaky module", "- leaky", seq(nn.LeakyReLU(0.1))),
    ("leaky functional", "- leaky: {impl: functional}", Net(lambda s, x: F.leaky_relu(x, 0.1))),
    ("sigmoid module", "- sigmoid", seq(nn.Sigmoid())),
    ("sigmoid functional", "- sigmoid: {impl: functional}", Net(lambda s, x: F.sigmoid(x))),
    ("hsigmoid module", "- hsigmoid", seq(nn.Hardsigmoid())),
    ("hsigmoid functional", "- hsigmoid: {impl: functional}", Net(lambda s, x: F.hardsigmoid(x))),
    ("swish module", "- swish", seq(nn.SiLU())),
    ("swish functional", "- swish: {impl: functional}", Net(lambda s, x: F.silu(x))),
    ("hswish module", "- hswish", seq(nn.Hardswish())),
    ("hswish functional", "- hswish: {impl: functional}", Net(lambda s, x: F.hardswish(x))),
    ("tanh module", "- tanh", seq(nn.Tanh())),
    ("tanh functional", "- tanh: {impl: functional}", Net(lambda s, x: F.tanh(x))),
    ("maxpool module", "- maxpool: {k: 3, s: 2, p: 1}", seq(nn.MaxPool2d(3, 2, 1))),
    ("maxpool functional", "- maxpool: {k: 3, s: 2, p: 1, impl: functional}",
     Net(lambda s, x: F.max_pool2d(x, 3, 2, 1))),
    ("avgpool module", "- avgpool: {k: 2}", seq(nn.AvgPool2d(2))),
    ("avgpool functional", "- avgpool: {k: 2, impl: functional}", Net(lambda s, x: F.avg_pool2d(x, 2))),
    ("gap module", "- gap", seq(nn.AdaptiveAvgPool2d(1))),
    ("gap functional", "- gap: {impl: functional}", Net(lambda s, x: F.adaptive_avg_pool2d(x, 1))),
    ("gap mean", "- gap: {impl: mean}", Net(lambda s, x: x.mean([2, 3], keepdim=True))),
    ("adaptive module", "- adaptive_avgpool: {size: 3}", seq(nn.AdaptiveAvgPool2d((3, 3)))),
    ("adaptive identity", "- adaptive_avgpool: {size: 8}", seq(nn.AdaptiveAvgPool2d((8, 8)))),
    ("adaptive up", "- adaptive_avgpool: {size: 11}", seq(nn.AdaptiveAvgPool2d((11, 11)))),
    ("adaptive functional", "- adaptive_avgpool: {size: 3, impl: functional}",
     Net(lambda s, x: F.adaptive_avg_pool2d(x, (3, 3)))),
    ("add operator", "- add: [[], []]", Net(lambda s, x: x + x)),
    ("add functional", "- add: {impl: functional, branches: [[], []]}", Net(lambda s, x: torch.add(x, x))),
    ("mul operator", "- mul: [[gap], []]", Net(lambda s, x: s.pool(x) * x, pool=nn.AdaptiveAvgPool2d(1))),
    ("mul functional", "- mul: {impl: functional, branches: [[gap], []]}",
     Net(lambda s, x: torch.mul(s.pool(x), x), pool=nn.AdaptiveAvgPool2d(1))),
    ("concat", "- concat: [[], []]", Net(lambda s, x: torch.cat([x, x], 1))),
    ("split", "- split: [[], []]", Net(lambda s, x: torch.cat(x.chunk(2, 1), 1))),
    ("shuffle", "- shuffle: {g: 2}",
     Net(lambda s, x: x.view(1, 2, C // 2, H, H).transpose(1, 2).contiguous().view(1, C, H, H))),
    ("select", "- select: {c: 4}", Net(lambda s, x: torch.index_select(x, 1, torch.arange(4)))),
    ("dropout", "- dropout", seq(nn.Dropout())),
    ("lrn", "- lrn: {size: 5}", seq(nn.LocalResponseNorm(5))),
]


def condensenet_measure(model, x):
    """ShichenLiu/CondenseNet utils.py measure_layer (l.59-124), restated on leaf modules."""
    total = [0]

    def hook(m, inp, out):
        x = inp[0]
        name = str(m)[:str(m).find("(")].strip()
        if name == "Conv2d":
            oh = int((x.size(2) + 2 * m.padding[0] - m.kernel_size[0]) / m.stride[0] + 1)
            ow = int((x.size(3) + 2 * m.padding[1] - m.kernel_size[1]) / m.stride[1] + 1)
            total[0] += m.in_channels * m.out_channels * m.kernel_size[0] * m.kernel_size[1] * oh * ow / m.groups
        elif name == "ReLU":
            total[0] += x.numel()
        elif name == "AvgPool2d":
            k = m.kernel_size
            o = int((x.size(2) + 2 * m.padding - k) / m.stride + 1)
            total[0] += x.size(0) * x.size(1) * o * o * k * k
        elif name == "AdaptiveAvgPool2d":
            total[0] += x.numel()
        elif name == "Linear":
            total[0] += x.size(0) * (m.weight.numel() + m.bias.numel())
        elif name in ("BatchNorm2d", "Dropout2d", "DropChannel", "Dropout"):
            pass
        else:
            raise TypeError("unknown layer type: %s" % name)

    # measure_model wraps the children of the model, recursively (utils.py:136-147): never the root
    leaves = [m for m in model.modules() if m is not model and not list(m.children())]
    hs = [m.register_forward_hook(hook) for m in leaves]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hs:
            h.remove()
    return int(total[0])


def tools(model):
    x = torch.zeros(1, *SHAPE)
    model.eval()
    out = {}
    out["fvcore"] = lambda: FlopCountAnalysis(model, x).unsupported_ops_warnings(False).uncalled_modules_warnings(False).total()
    out["thop"] = lambda: int(profile(model, inputs=(x,), verbose=False)[0])
    out["ptflops"] = lambda: get_model_complexity_info(model, SHAPE, as_strings=False, print_per_layer_stat=False)[0]
    out["ptflops_aten"] = lambda: get_model_complexity_info(model, SHAPE, as_strings=False, print_per_layer_stat=False, backend="aten")[0]
    out["condensenet"] = lambda: condensenet_measure(model, x)
    res = {}
    for k, f in out.items():
        try:
            res[k] = f()
        except Exception as e:   # the tool refuses the op
            res[k] = f"raises {type(e).__name__}"
    return res


def ours(spec_layers):
    text = f"name: probe\nversion: 1\ninput: [{C}, {H}, {H}]\nlayers:\n  {spec_layers}\n"
    a = analyse(load_text(text))
    res = {}
    for name in ("fvcore", "thop", "ptflops", "ptflops_aten", "condensenet"):
        try:
            res[name] = conventions.apply(conventions.get(name), a).total
        except ConventionError:
            res[name] = "refused"
    return res


KNOWN = {  # documented differences (docs/conventions.md)
    ("fc no bias", "condensenet"),   # measure_layer calls bias.numel() on None; we count madds
    ("lrn", "ptflops"),              # costmodel refuses: 3·in + (c+size−1)·h·w has no quantity
}


def main():
    bad = 0
    names = ("fvcore", "thop", "ptflops", "ptflops_aten", "condensenet")
    print(f"{'case':<20} " + " ".join(f"{n:>22}" for n in names))
    for case, spec, model in CASES:
        t, o = tools(model), ours(spec)
        cells = []
        for n in names:
            agree = t[n] == o[n] or (isinstance(t[n], str) and o[n] == "refused")
            agree = agree or (case, n) in KNOWN
            bad += not agree
            cells.append(f"{t[n]!s:>10}/{o[n]!s:<10}{'' if agree else '!!'}")
        print(f"{case:<20} " + " ".join(f"{c:>22}" for c in cells))
    print(f"(tool/costmodel; '!!' marks a difference) {bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
