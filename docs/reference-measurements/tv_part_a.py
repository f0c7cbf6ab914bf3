"""Part A: exact reference counts for torchvision CNNs.

Run with the throw-away venv:
    /tmp/refenv-tv/bin/python /work/refs/tv_part_a.py /work/refs/tv_part_a.json

For every model (weights=None, eval(), input 1x3xRxR, torch.no_grad()):
  params      sum(p.numel() for p in m.parameters())
  bn_params   sum of BatchNorm2d weight+bias numel
  madds       Conv2d: out.numel() * (in_channels // groups) * kh * kw
              Linear: out.numel() * in_features        (no bias adds)
  bias_adds   out.numel() of every Conv2d/Linear call that has a bias
  per_type    for every LEAF module type: modules (instances), calls,
              out_elems (sum over calls of output numel),
              in_elems  (sum over calls of first-input numel)
  functional  torch.fx symbolic_trace + ShapeProp of the whole model:
              every call_function / call_method node (i.e. ops written in
              the forward() source, not nn.Module leaves), grouped by
              target name: nodes, out_elems, in_elems (sum of numel of all
              tensor args), and the module path(s) where they occur.
"""
import json
import sys
from collections import defaultdict

import torch
import torch.fx
import torch.nn as nn
import torchvision
from torch.fx.passes.shape_prop import ShapeProp
from torchvision.models import mobilenetv3
from torchvision.models.mobilenetv2 import MobileNetV2


def build(key):
    """key -> (model, resolution)"""
    tvm = torchvision.models
    if key.startswith("mobilenet_v2_"):
        _, _, wm, res = key.split("_")
        return MobileNetV2(width_mult=float(wm)), int(res)
    if key.startswith("mobilenet_v3_"):
        parts = key.split("_")  # mobilenet_v3_large_0.75_224
        arch = "_".join(parts[:3])
        wm, res = float(parts[3]), int(parts[4])
        setting, last = mobilenetv3._mobilenet_v3_conf(arch, width_mult=wm)
        return mobilenetv3.MobileNetV3(setting, last), res
    name, res = key.rsplit("_", 1)
    return getattr(tvm, name)(weights=None), int(res)


MODEL_KEYS = [
    "alexnet_224",
    "vgg16_224",
    "squeezenet1_0_224",
    "squeezenet1_0_227",
    "squeezenet1_1_224",
    "squeezenet1_1_227",
    "resnext50_32x4d_224",
    "resnext101_32x8d_224",
    "shufflenet_v2_x0_5_224",
    "shufflenet_v2_x1_0_224",
    "shufflenet_v2_x1_5_224",
    "shufflenet_v2_x2_0_224",
    "mobilenet_v2_1.0_224",
    "mobilenet_v2_1.0_192",
    "mobilenet_v2_1.0_160",
    "mobilenet_v2_1.0_128",
    "mobilenet_v2_1.0_96",
    "mobilenet_v2_1.4_224",
    "mobilenet_v2_1.3_224",
    "mobilenet_v2_0.75_224",
    "mobilenet_v2_0.5_224",
    "mobilenet_v2_0.35_224",
    "mobilenet_v3_large_1.0_224",
    "mobilenet_v3_small_1.0_224",
    "mobilenet_v3_large_0.75_224",
    "mobilenet_v3_small_0.75_224",
]


def leaf_modules(model):
    return [(n, m) for n, m in model.named_modules() if len(list(m.children())) == 0]


def module_census(model, x):
    madds = 0
    bias_adds = 0
    per_type = defaultdict(lambda: {"modules": 0, "calls": 0, "out_elems": 0, "in_elems": 0})
    conv_detail = []
    handles = []

    def hook(mod, inp, out):
        nonlocal madds, bias_adds
        t = type(mod).__name__
        d = per_type[t]
        d["calls"] += 1
        d["out_elems"] += out.numel()
        d["in_elems"] += inp[0].numel()
        if isinstance(mod, nn.Conv2d):
            kh, kw = mod.kernel_size
            assert mod.in_channels % mod.groups == 0
            ma = out.numel() * (mod.in_channels // mod.groups) * kh * kw
            madds += ma
            if mod.bias is not None:
                bias_adds += out.numel()
        elif isinstance(mod, nn.Linear):
            ma = out.numel() * mod.in_features
            madds += ma
            if mod.bias is not None:
                bias_adds += out.numel()

    for n, m in leaf_modules(model):
        per_type[type(m).__name__]["modules"] += 1
        handles.append(m.register_forward_hook(hook))
    with torch.no_grad():
        y = model(x)
    for h in handles:
        h.remove()
    return madds, bias_adds, {k: dict(v) for k, v in sorted(per_type.items())}, tuple(y.shape)


def _meta_numel(tm):
    if tm is None:
        return None
    if hasattr(tm, "shape"):
        n = 1
        for s in tm.shape:
            n *= int(s)
        return n
    if isinstance(tm, (list, tuple)):
        parts = [_meta_numel(t) for t in tm]
        if parts and all(p is not None for p in parts):
            return sum(parts)
    return None


def _flat_args(args):
    for a in args:
        if isinstance(a, (list, tuple)):
            yield from _flat_args(a)
        else:
            yield a


def _op_name(node):
    if node.op == "call_method":
        return "Tensor." + node.target
    mod = getattr(node.target, "__module__", None) or ""
    name = getattr(node.target, "__name__", str(node.target))
    if mod in ("_operator", "operator"):
        return "operator." + name
    if mod.startswith("torch.nn.functional"):
        return "F." + name
    return "torch." + name


def fx_functional(model, x):
    """call_function / call_method nodes of a torch.fx symbolic trace with
    ShapeProp shapes. Nodes whose output is not a tensor (x.size(), getitem on
    a size, floordiv of sizes) are shape arithmetic and are skipped."""
    gm = torch.fx.symbolic_trace(model)
    with torch.no_grad():
        ShapeProp(gm).propagate(x)
    out = defaultdict(lambda: {"nodes": 0, "out_elems": 0, "in_elems": 0, "where": set()})
    for node in gm.graph.nodes:
        if node.op not in ("call_function", "call_method"):
            continue
        on = _meta_numel(node.meta.get("tensor_meta"))
        if on is None:
            continue  # shape arithmetic
        d = out[_op_name(node)]
        d["nodes"] += 1
        d["out_elems"] += on
        d["in_elems"] += sum(
            _meta_numel(a.meta.get("tensor_meta")) or 0
            for a in _flat_args(node.args)
            if isinstance(a, torch.fx.Node)
        )
        stack = node.meta.get("nn_module_stack")
        d["where"].add(list(stack.values())[-1][1].__name__ if stack else "<top-level forward>")
    res = {}
    for k, v in sorted(out.items()):
        v = dict(v)
        v["where"] = sorted(v["where"])
        res[k] = v
    return res


def main(path):
    torch.manual_seed(0)
    results = {}
    for key in MODEL_KEYS:
        model, res = build(key)
        model.eval()
        x = torch.randn(1, 3, res, res)
        params = sum(p.numel() for p in model.parameters())
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        assert params == trainable
        bn_params = sum(
            sum(p.numel() for p in m.parameters(recurse=False))
            for m in model.modules()
            if isinstance(m, nn.modules.batchnorm._BatchNorm)
        )
        madds, bias_adds, per_type, out_shape = module_census(model, x)
        try:
            functional = fx_functional(model, x)
        except Exception as e:  # pragma: no cover
            functional = {"error": repr(e)}
        results[key] = {
            "resolution": res,
            "params": params,
            "bn_params": bn_params,
            "params_excl_bn": params - bn_params,
            "madds": madds,
            "bias_adds": bias_adds,
            "output_shape": list(out_shape),
            "per_type": per_type,
            "functional_fx": functional,
        }
        print(f"{key:32s} params={params:>11,d} bn={bn_params:>8,d} madds={madds:>15,d} bias_adds={bias_adds:>10,d}", flush=True)
    meta = {"torch": torch.__version__, "torchvision": torchvision.__version__}
    with open(path, "w") as f:
        json.dump({"meta": meta, "models": results}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
