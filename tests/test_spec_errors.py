"""The bad-input corpus: every tests/data/invalid/*.yaml starts with the comment
`# error: LINE: MESSAGE` and must produce an error at that line whose text contains MESSAGE,
exit with code 1, and print no traceback, both in-process (`report`) and as a real command
(`python3 -m costmodel check FILE` in a subprocess)."""
import glob
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT, run_cli

CORPUS = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "invalid", "*.yaml")))
HEADER = re.compile(r"# error: (?P<line>\d+): (?P<message>.+)")
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<text>.*)$")


def expectation(path: str) -> tuple:
    """(line, message) from the file's first-line comment."""
    with open(path, "rb") as f:                 # the rest may not be UTF-8 (not_utf8.yaml)
        first = f.readline().decode("utf-8").rstrip("\n")
    m = HEADER.fullmatch(first)
    assert m, f"{path}: first line must be '# error: LINE: MESSAGE', got {first!r}"
    return int(m["line"]), m["message"]


def assert_reported(stderr: str, path: str, line: int, message: str) -> None:
    """Some stderr line is `path:line:col: error: ...MESSAGE...`; every line is located."""
    located = [LOCATED.match(ln) for ln in stderr.splitlines()]
    assert located and all(located), f"unlocated output:\n{stderr}"
    assert all(m["file"] == path and int(m["line"]) >= 1 and int(m["col"]) >= 1 for m in located)
    hits = [m for m in located if int(m["line"]) == line and message in m["text"]]
    assert hits, f"expected line {line}: {message!r}; got:\n{stderr}"


def test_the_corpus_covers_every_class_of_error():
    """At least 40 files, and at least one per class the issue lists."""
    names = [os.path.basename(p) for p in CORPUS]
    assert len(names) >= 40
    for prefix in ("yaml_", "duplicate_", "unknown_", "missing_", "expr_", "group_", "residual_",
                   "add_", "concat_", "split_odd", "block_recursion", "yaml11_no", "yaml11_on",
                   "yaml11_octal", "python_tag", "alias", "kernel_3x3", "bias_not_boolean"):
        assert any(n.startswith(prefix) for n in names), prefix
    messages = " ".join(expectation(p)[1] for p in CORPUS)
    for needle in ("did you mean", "__import__", "attribute access", "lambda", "10**10**10",
                   "division by zero", "unknown name"):
        assert needle in messages, needle


@pytest.mark.parametrize("path", CORPUS, ids=os.path.basename)
def test_in_process_report_gives_the_error_at_its_line(path):
    """`costmodel report` (in-process) exits 1 with the stated error at the stated line."""
    line, message = expectation(path)
    code, out, err = run_cli("report", path)
    assert code == 1 and out == ""
    assert_reported(err, path, line, message)


def _check(path: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "costmodel", "check", path], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def check_runs():
    """`python3 -m costmodel check FILE` for every corpus file, a few at a time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(CORPUS, pool.map(_check, CORPUS)))


@pytest.mark.parametrize("path", CORPUS, ids=os.path.basename)
def test_command_line_check_exits_1_without_traceback(path, check_runs):
    """The real command exits 1, prints the located error on stderr and no traceback."""
    line, message = expectation(path)
    proc = check_runs[path]
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert_reported(proc.stderr, path, line, message)
