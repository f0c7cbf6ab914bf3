"""Part B: what the peer FLOP counters (fvcore, thop, ptflops) report for
torchvision models.

Run with the throw-away venv:
    /tmp/refenv-tv/bin/python /work/refs/tv_part_b.py /work/refs/tv_part_b.json

Each tool gets a freshly built model (weights=None, eval()) and, where it
takes a tensor, x = torch.randn(1, 3, 224, 224). ptflops builds its own input
(torch.empty((1, 3, 224, 224))) from input_res.
"""
import io
import json
import sys
import warnings
from collections import Counter, defaultdict
from contextlib import redirect_stdout
from importlib.metadata import version

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

MODELS = {
    "mobilenet_v2_1.0_224": lambda: torchvision.models.mobilenet_v2(weights=None),
    "shufflenet_v2_x1_0_224": lambda: torchvision.models.shufflenet_v2_x1_0(weights=None),
    "resnext50_32x4d_224": lambda: torchvision.models.resnext50_32x4d(weights=None),
    "squeezenet1_0_224": lambda: torchvision.models.squeezenet1_0(weights=None),
    "mobilenet_v3_large_1.0_224": lambda: torchvision.models.mobilenet_v3_large(weights=None),
}


def fresh(key):
    torch.manual_seed(0)
    m = MODELS[key]()
    m.eval()
    return m


def x224():
    torch.manual_seed(1)
    return torch.randn(1, 3, 224, 224)


# ---------------------------------------------------------------- fvcore
def run_fvcore(key):
    from fvcore.nn import FlopCountAnalysis
    from fvcore.nn.jit_analysis import _IGNORED_OPS, _get_scoped_trace_graph

    model, x = fresh(key), x224()
    fca = FlopCountAnalysis(model, x)
    fca.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    total = fca.total()
    by_op = dict(fca.by_operator())
    unsupported = dict(fca.unsupported_ops())
    # every traced node kind, to show what is silently ignored
    graph = _get_scoped_trace_graph(model, (x,), fca._aliases)
    kinds = Counter(n.kind() for n in graph.nodes())
    handled = set(fca._op_handles)
    ignored = {k: v for k, v in kinds.items() if k in _IGNORED_OPS}
    return {
        "total": int(total),
        "by_operator": {k: int(v) for k, v in sorted(by_op.items())},
        "unsupported_ops": dict(sorted(unsupported.items())),
        "ignored_ops_seen": dict(sorted(ignored.items())),
        "handled_ops_seen": {k: v for k, v in sorted(kinds.items()) if k in handled},
    }


# ---------------------------------------------------------------- thop
def run_thop(key):
    import thop

    model, x = fresh(key), x224()
    with redirect_stdout(io.StringIO()):
        macs, params, layer_info = thop.profile(model, inputs=(x,), verbose=False, ret_layer_info=True)
    # walk the returned tree alongside the module tree -> per leaf type totals
    per_type = defaultdict(lambda: {"ops": 0, "modules": 0})

    def walk(mod, info):
        for name, (ops, prm, sub) in info.items():
            child = getattr(mod, name)
            if sub:
                walk(child, sub)
            else:
                d = per_type[type(child).__name__]
                d["ops"] += int(ops)
                d["modules"] += 1

    walk(model, layer_info)
    macs_i = int(macs)
    assert macs_i == macs
    assert sum(v["ops"] for v in per_type.values()) == macs_i
    return {
        "macs": macs_i,
        "params": int(params),
        "params_true": sum(p.numel() for p in model.parameters()),
        "per_type": {k: dict(v) for k, v in sorted(per_type.items())},
    }


# ---------------------------------------------------------------- ptflops
def run_ptflops_pytorch(key):
    from ptflops import get_model_complexity_info
    from ptflops import pytorch_engine as pe

    # 1) the official call
    model = fresh(key)
    with redirect_stdout(io.StringIO()):
        macs, params = get_model_complexity_info(
            model, (3, 224, 224), as_strings=False, backend="pytorch", print_per_layer_stat=False
        )

    # 1b) same call with the documented switch that turns the F.* / torch.* patching off
    model = fresh(key)
    with redirect_stdout(io.StringIO()):
        macs_nofunc, _ = get_model_complexity_info(
            model, (3, 224, 224), as_strings=False, backend="pytorch", print_per_layer_stat=False,
            backend_specific_config={"count_functional": False},
        )

    # 2) the same engine driven step by step (same functions, same order as
    #    ptflops.pytorch_engine.get_flops_pytorch) to split the total into
    #    module hooks per type and patched functional / tensor ops per name.
    model = fresh(key)
    fm = pe.add_flops_counting_methods(model)
    fm.eval()
    fm.start_flops_count(ost=io.StringIO(), verbose=False, ignore_list=[])
    batch = torch.ones(()).new_empty((1, 3, 224, 224))
    func_coll, tens_coll = [], []
    pe.patch_functional(func_coll)
    pe.patch_tensor_ops(tens_coll)
    per_func = defaultdict(list)
    # give every wrapper its own collector so we know which op produced what
    for name in dir(F):
        obj = getattr(F, name)
        if isinstance(obj, pe.torch_function_wrapper):
            obj.collector = per_func["F." + name]
    for name in ("matmul", "mm", "bmm", "addmm", "baddbmm", "mul", "add"):
        obj = getattr(torch, name)
        if isinstance(obj, pe.torch_function_wrapper):
            obj.collector = per_func["torch." + name]
    for name in ("matmul", "mm", "bmm", "addmm", "mul", "add"):
        fn = getattr(torch.Tensor, name)
        for cell in fn.__closure__ or ():
            if isinstance(cell.cell_contents, pe.torch_function_wrapper):
                cell.cell_contents.collector = per_func["Tensor." + name]
    try:
        with torch.no_grad():
            fm(batch)
        per_type = defaultdict(lambda: {"ops": 0, "modules": 0})
        for m in fm.modules():
            if pe.is_supported_instance(m):
                d = per_type[type(m).__name__]
                d["ops"] += int(m.__flops__)
                d["modules"] += 1
    finally:
        fm.stop_flops_count()
        pe.unpatch_functional()
        pe.unpatch_tensor_ops()
    functional = {k: {"calls": len(v), "ops": int(sum(v))} for k, v in sorted(per_func.items()) if v}
    recomputed = sum(v["ops"] for v in per_type.values()) + sum(v["ops"] for v in functional.values())
    assert recomputed == macs, (recomputed, macs)
    return {
        "macs": int(macs),
        "macs_count_functional_false": int(macs_nofunc),
        "params": int(params),
        "module_hooks_per_type": {k: dict(v) for k, v in sorted(per_type.items())},
        "functional_patched": functional,
    }


def run_ptflops_aten(key):
    from ptflops import get_model_complexity_info
    from ptflops.aten_engine import FlopCounterMode

    model = fresh(key)
    with redirect_stdout(io.StringIO()):
        macs, params = get_model_complexity_info(
            model, (3, 224, 224), as_strings=False, backend="aten", print_per_layer_stat=False
        )
    # per aten op split, same counter class, same input construction
    model = fresh(key)
    batch = torch.ones(()).new_empty((1, 3, 224, 224))
    counter = FlopCounterMode(model, False, False, {"print_params": {}, "serialize_params": {}})
    with counter:
        model(batch)
    by_op = {str(k): int(v) for k, v in counter.flop_counts["Global"].items()}
    assert sum(by_op.values()) == macs, (by_op, macs)
    return {"macs": int(macs), "params": int(params), "by_aten_op": by_op}


def main(path):
    warnings.filterwarnings("ignore")
    out = {
        "versions": {
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "fvcore": version("fvcore"),
            "thop": version("thop"),
            "ptflops": version("ptflops"),
        },
        "fvcore": {},
        "thop": {},
        "ptflops_pytorch": {},
        "ptflops_aten": {},
    }
    for key in MODELS:
        for tool, fn in (
            ("fvcore", run_fvcore),
            ("thop", run_thop),
            ("ptflops_pytorch", run_ptflops_pytorch),
            ("ptflops_aten", run_ptflops_aten),
        ):
            try:
                out[tool][key] = fn(key)
            except Exception as e:  # record failures rather than abort
                import traceback

                traceback.print_exc()
                out[tool][key] = {"error": repr(e)}
            r = out[tool][key]
            tot = r.get("total", r.get("macs", r.get("error")))
            print(f"{key:28s} {tool:16s} {tot}", flush=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
