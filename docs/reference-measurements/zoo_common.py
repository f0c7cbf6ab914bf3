"""Common exact counter used by all zoo_*.py reference scripts.

Rules (batch 1, forward hooks on leaf modules):
  params      = sum(p.numel() for p in model.parameters() if p.requires_grad)
  bn_params   = gamma+beta of all BatchNorm layers
  madds       = Conv2d: out.numel() * (in_channels/groups) * kh * kw
                Linear: in_features * out_features   (per sample)
  madds_no_fc = madds minus Linear contributions
  bias_adds   = output elements of Conv2d/Linear that carry a bias
  per_type_out_elems = total output elements per leaf-module type name
"""
import json
import os
from collections import OrderedDict, defaultdict

import torch
import torch.nn as nn

REFS = os.path.dirname(os.path.abspath(__file__))


def count(model, res=224, in_ch=3, stage_modules=None):
    """stage_modules: optional list of (name, module) whose output hw we record."""
    model.eval()
    stats = dict(madds=0, fc_madds=0, bias_adds=0)
    per_type = defaultdict(int)
    stage_hw = OrderedDict()
    hooks = []

    def leaf_hook(m, inp, out):
        t = type(m).__name__
        if isinstance(out, (tuple, list)):
            out = out[0]
        per_type[t] += out.numel()
        if isinstance(m, nn.Conv2d):
            kh, kw = m.kernel_size
            stats["madds"] += out.numel() * (m.in_channels // m.groups) * kh * kw
            if m.bias is not None:
                stats["bias_adds"] += out.numel()
        elif isinstance(m, nn.Linear):
            n = m.in_features * m.out_features * (out.numel() // m.out_features)
            stats["madds"] += n
            stats["fc_madds"] += n
            if m.bias is not None:
                stats["bias_adds"] += out.numel()

    for m in model.modules():
        if len(list(m.children())) == 0:
            hooks.append(m.register_forward_hook(leaf_hook))
    if stage_modules:
        for name, sm in stage_modules:
            def mk(name):
                def h(m, i, o):
                    if isinstance(o, (tuple, list)):
                        o = o[0]
                    stage_hw[name] = [int(o.shape[1]), int(o.shape[2]), int(o.shape[3])] if o.dim() == 4 else list(o.shape[1:])
                return h
            hooks.append(sm.register_forward_hook(mk(name)))
    with torch.no_grad():
        x = torch.zeros(1, in_ch, res, res)
        y = model(x)
    for h in hooks:
        h.remove()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    bn = sum(p.numel() for m in model.modules()
             if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)) for p in m.parameters())
    fc_params = sum(p.numel() for m in model.modules() if isinstance(m, nn.Linear) for p in m.parameters())
    return OrderedDict(
        params=int(params), bn_params=int(bn), fc_params=int(fc_params),
        madds=int(stats["madds"]), madds_no_fc=int(stats["madds"] - stats["fc_madds"]),
        bias_adds=int(stats["bias_adds"]),
        per_type_out_elems=dict(sorted(per_type.items())),
        stage_chw=dict(stage_hw), out_shape=list(y.shape), res=res)


def save(section, results):
    """Merge results into /work/refs/zoo_parts/<section>.json"""
    d = os.path.join(REFS, "zoo_parts")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, section + ".json"), "w") as f:
        json.dump(results, f, indent=1)


def fmt(r):
    return "params=%d bn=%d madds=%d no_fc=%d bias_adds=%d" % (
        r["params"], r["bn_params"], r["madds"], r["madds_no_fc"], r["bias_adds"])
