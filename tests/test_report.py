"""Rendered reports: golden files, the JSON contract, column sums and the CLI options.

Golden files are compared byte for byte; after an intended change, rewrite them with
`python -m pytest tests/test_report.py --update-golden` and review the diff."""
import csv
import io
import json
import os

import pytest

from tests.conftest import ROOT, spec_path

GOLDEN = os.path.join(ROOT, "tests", "golden")
SPEC = "specs/mobilenet_v2.yaml"
GOLDEN_CASES = {
    "mobilenet_v2.txt": ["report", SPEC],
    "mobilenet_v2_depth1.md": ["report", SPEC, "--depth", "1", "--format", "markdown"],
    "mobilenet_v2_alpha0.5_r160_int8.txt": ["report", SPEC, "--set", "alpha=0.5", "--set",
                                            "resolution=160", "--depth", "1", "--dtype", "int8"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(cli, request, name, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = cli(*GOLDEN_CASES[name])
    assert code == 0, err
    path = os.path.join(GOLDEN, name)
    if request.config.getoption("--update-golden"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(out)
    with open(path, encoding="utf-8") as f:
        assert out == f.read()


def _json(cli, *extra):
    code, out, err = cli("report", spec_path("mobilenet_v2.yaml"), "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_json_contract(cli):
    doc = _json(cli)
    assert {"name", "spec", "symbols", "totals", "layers"} <= set(doc)
    assert doc["symbols"] == {"alpha": 1, "resolution": 224}
    assert {"params", "madds", "flops", "mem_access"} <= set(doc["totals"])
    assert doc["totals"]["params"] == 3_504_872        # torchvision num_params
    first = doc["layers"][0]
    assert set(first) >= {"path", "kind", "out_shape", "params", "madds", "flops", "mem_access"}
    # the stem: 3x3 conv, 3 -> 32, stride 2 at 224: 112x112 outputs
    assert first == {"path": "stem", "kind": "conv", "out_shape": "32×112×112",
                     "params": 3*3*3*32, "madds": 3*3*3*32 * 112*112,
                     "flops": 2 * 3*3*3*32 * 112*112,
                     "mem_access": 3*224*224 + 32*112*112 + 3*3*3*32}


def test_layer_rows_sum_to_totals(cli):
    doc = _json(cli)
    for metric in ("params", "madds", "flops", "mem_access"):
        assert sum(layer[metric] for layer in doc["layers"]) == doc["totals"][metric]


def test_group_rows_are_subtotals(cli):
    doc = _json(cli)
    stage2 = next(g for g in doc["groups"] if g["path"] == "stage2")
    inside = [l for l in doc["layers"] if l["path"].startswith("stage2/")]
    assert stage2["madds"] == sum(l["madds"] for l in inside)


def test_dtype_turns_elements_into_bytes(cli):
    fp32, fp16, int8 = (_json(cli, "--dtype", d)["totals"] for d in ("fp32", "fp16", "int8"))
    assert fp32["params_bytes"] == 4 * 3_504_872
    assert fp16["params_bytes"] == 2 * 3_504_872
    assert int8["params_bytes"] == 3_504_872
    assert int8["mem_access_bytes"] == int8["mem_access"]


def test_csv_is_exact(cli):
    code, out, _ = cli("report", spec_path("mobilenet_v2.yaml"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    layers = [r for r in rows if r["row"] == "layer"]
    assert sum(int(r["madds"]) for r in layers) == 300_774_272   # torchvision conv+linear madds


def test_depth_folds_children(cli):
    doc = _json(cli, "--depth", "1")
    assert all("/" not in l["path"] for l in doc["layers"])
    assert {g["path"] for g in doc["groups"]} == {f"stage{i}" for i in range(1, 7)}


def test_symbolic_json_holds_formulas(cli):
    doc = _json(cli, "--symbolic", "resolution")
    assert doc["totals"]["params"] == 3_504_872
    assert doc["totals"]["madds"] == "47751*resolution**2/8 + 1280000"


def test_check_and_kinds(cli):
    code, out, _ = cli("check", spec_path("mobilenet_v2.yaml"))
    assert code == 0 and "ok" in out
    code, out, _ = cli("kinds")
    assert code == 0
    for kind in ("conv", "dwconv", "fc", "bn", "relu6", "hswish", "maxpool", "gap", "add",
                 "concat", "split", "shuffle", "mul"):
        assert f"\n{kind}" in "\n" + out
    assert "madds = weights·h_out·w_out" in out     # formulas come from the kind's module


def test_python_m_costmodel_runs():
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "costmodel", "report", SPEC, "--depth", "1"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "300,774,272" in r.stdout
