"""The numeric path never imports sympy or numpy (README, design: a numeric `report` stays at
the interpreter's start-up floor; only symbolic commands may pay for sympy). Checked in a
fresh interpreter, since this test process has imported sympy already."""
import glob
import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SPECS

PROBE = r"""
import io, json, sys
from costmodel.cli import main
heavy = lambda: sorted({m.split(".")[0] for m in sys.modules} & {"sympy", "numpy"})
found = {}
for argv in json.loads(sys.argv[1]):
    code = main(argv, io.StringIO(), io.StringIO())
    found[" ".join(argv)] = [code, heavy()]
print(json.dumps(found))
"""


def test_numeric_commands_import_neither_sympy_nor_numpy():
    specs = sorted(glob.glob(os.path.join(SPECS, "*.yaml")))
    runs = [["report", specs[0]]]                       # checked first, on its own
    runs += [["report", s, "--format", f] for s in specs for f in ("text", "json", "csv",
                                                                     "markdown")]
    runs += [["check", *specs], ["kinds"]]
    env = dict(os.environ, PYTHONPATH=ROOT)
    p = subprocess.run([sys.executable, "-c", PROBE, json.dumps(runs)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    found = json.loads(p.stdout)
    assert len(found) == len(runs)
    for argv, (code, heavy) in found.items():
        assert code == 0, argv
        assert heavy == [], f"`costmodel {argv}` imported {heavy}"
