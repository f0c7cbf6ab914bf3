"""Merge tv_part_a.json + tv_part_b.json into torchvision.json and print the
markdown tables used in torchvision.md.

    python3 /work/refs/tv_merge.py > /work/refs/tv_tables.md
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
a = json.load(open(os.path.join(HERE, "tv_part_a.json")))
b = json.load(open(os.path.join(HERE, "tv_part_b.json")))
v = b["versions"]

out = {"_meta": {
    "torch": a["meta"]["torch"],
    "torchvision": a["meta"]["torchvision"],
    "python": "3.11.7",
    "input": "1x3xRxR, weights=None, model.eval(), torch.no_grad(); R is the last _NNN of the key",
    "madds_rule": "Conv2d: out.numel()*(in_channels//groups)*kh*kw; Linear: out.numel()*in_features; no bias adds",
    "bias_adds_rule": "sum of out.numel() over Conv2d/Linear calls whose module has a bias",
    "per_type_rule": "leaf modules only; modules=instances, calls=forward calls, out_elems/in_elems summed over calls (first input)",
    "functional_fx_rule": "torch.fx.symbolic_trace + ShapeProp; call_function/call_method nodes with tensor output, grouped by target; in_elems = sum of numel of all tensor args",
    "scripts": ["tv_part_a.py", "tv_part_b.py", "tv_handcheck.py", "tv_merge.py"],
}}
for k, r in a["models"].items():
    out[k] = r

tools = {}
tools["fvcore"] = {
    "version": v["fvcore"],
    "call": "FlopCountAnalysis(model, torch.randn(1,3,224,224)).total()",
    "totals": {k: r["total"] for k, r in b["fvcore"].items()},
    "breakdown": b["fvcore"],
}
tools["thop"] = {
    "version": v["thop"] + " (pip show: 0.1.1.post2209072238, Lyken17/pytorch-OpCounter)",
    "call": "thop.profile(model, inputs=(torch.randn(1,3,224,224),)) -> (macs, params)",
    "totals": {k: r["macs"] for k, r in b["thop"].items()},
    "params": {k: r["params"] for k, r in b["thop"].items()},
    "breakdown": b["thop"],
}
tools["ptflops"] = {
    "version": v["ptflops"],
    "call": "get_model_complexity_info(model,(3,224,224),as_strings=False,backend='pytorch',print_per_layer_stat=False)",
    "totals": {k: r["macs"] for k, r in b["ptflops_pytorch"].items()},
    "totals_count_functional_false": {k: r["macs_count_functional_false"] for k, r in b["ptflops_pytorch"].items()},
    "params": {k: r["params"] for k, r in b["ptflops_pytorch"].items()},
    "breakdown": b["ptflops_pytorch"],
}
tools["ptflops_aten"] = {
    "version": v["ptflops"],
    "call": "get_model_complexity_info(model,(3,224,224),as_strings=False,backend='aten',print_per_layer_stat=False)",
    "totals": {k: r["macs"] for k, r in b["ptflops_aten"].items()},
    "breakdown": b["ptflops_aten"],
}
out["tools"] = tools
json.dump(out, open(os.path.join(HERE, "torchvision.json"), "w"), indent=1)

# ------------------------------------------------------------ markdown tables
P = print
P("### Part A: params / MAdds (exact)\n")
P("| key | R | params | BN params | params excl. BN | conv+linear MAdds | bias adds |")
P("|---|---:|---:|---:|---:|---:|---:|")
for k, r in a["models"].items():
    P(f"| {k} | {r['resolution']} | {r['params']:,} | {r['bn_params']:,} | {r['params_excl_bn']:,} | {r['madds']:,} | {r['bias_adds']:,} |")

P("\n### Part A: per leaf-module type (modules / calls / output elements / input elements)\n")
for k, r in a["models"].items():
    cells = []
    for t, d in r["per_type"].items():
        cells.append(f"{t} {d['modules']}/{d['calls']}/{d['out_elems']:,}/{d['in_elems']:,}")
    P(f"- **{k}**: " + "; ".join(cells))

P("\n### Part A: functional ops in forward() (torch.fx, nodes / out elems / in elems, where)\n")
for k, r in a["models"].items():
    f = r["functional_fx"]
    cells = []
    for t, d in f.items():
        cells.append(f"{t} {d['nodes']}/{d['out_elems']:,}/{d['in_elems']:,} ({','.join(d['where'])})")
    P(f"- **{k}**: " + "; ".join(cells))

P("\n### Part B: tool totals (224x224, batch 1)\n")
keys = list(b["fvcore"].keys())
P("| model | our MAdds | fvcore | thop | ptflops pytorch | ptflops pytorch count_functional=False | ptflops aten |")
P("|---|---:|---:|---:|---:|---:|---:|")
for k in keys:
    P(f"| {k} | {a['models'][k]['madds']:,} | {b['fvcore'][k]['total']:,} | {b['thop'][k]['macs']:,} | "
      f"{b['ptflops_pytorch'][k]['macs']:,} | {b['ptflops_pytorch'][k]['macs_count_functional_false']:,} | {b['ptflops_aten'][k]['macs']:,} |")

P("\n### Part B: breakdowns\n")
for k in keys:
    P(f"**{k}**\n")
    fv = b["fvcore"][k]
    P("- fvcore by_operator: " + ", ".join(f"{o} {n:,}" for o, n in fv["by_operator"].items()))
    P("- fvcore unsupported_ops: " + ", ".join(f"{o}×{n}" for o, n in fv["unsupported_ops"].items()))
    P("- fvcore silently ignored (in _IGNORED_OPS): " + ", ".join(f"{o}×{n}" for o, n in fv["ignored_ops_seen"].items()))
    th = b["thop"][k]
    P(f"- thop (params {th['params']:,}): " + ", ".join(f"{t} {d['ops']:,}" for t, d in th["per_type"].items()))
    pt = b["ptflops_pytorch"][k]
    P("- ptflops pytorch module hooks: " + ", ".join(f"{t} {d['ops']:,}" for t, d in pt["module_hooks_per_type"].items()))
    P("- ptflops pytorch patched functionals: " + (", ".join(f"{t}×{d['calls']} {d['ops']:,}" for t, d in pt["functional_patched"].items()) or "none"))
    at = b["ptflops_aten"][k]
    P("- ptflops aten: " + ", ".join(f"{o} {n:,}" for o, n in at["by_aten_op"].items()))
    P("")
