import io
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "specs")
sys.path.insert(0, ROOT)


def spec_path(name: str) -> str:
    return os.path.join(SPECS, name)


def run_cli(*argv):
    """(exit code, stdout, stderr) of `costmodel argv...` run in-process."""
    from costmodel.cli import main
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli():
    return run_cli


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output")
