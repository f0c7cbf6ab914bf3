"""Fuzz: malformed specs (mutations of valid specs, tests/fuzzing.py) through `check` and
`report`, in-process. Every example ends in a clean spec error (exit 1, located
`file:line:col: error:` lines) or a valid report (exit 0), never in another exception.

Budget: COSTMODEL_FUZZ_EXAMPLES (default 10,000) examples of run COSTMODEL_FUZZ_SEED
(default 0). The heavy budget: `COSTMODEL_FUZZ_EXAMPLES=200000 python3 -m pytest -q
tests/test_fuzz.py`. A failure names seed and index; `python3 -m tests.fuzzing SEED INDEX`
prints that spec.

Each example runs under a watchdog (WATCHDOG_SECONDS, via SIGALRM) so that a hang becomes
a failure naming the spec; it is a hang detector, far above the time any example needs, not
a timing assertion.
"""
import contextlib
import functools
import io
import json
import os
import random
import re
import signal
import warnings

import pytest

from costmodel import cli
from tests import fuzzing

EXAMPLES = int(os.environ.get("COSTMODEL_FUZZ_EXAMPLES", "10000"))
SEED = int(os.environ.get("COSTMODEL_FUZZ_SEED", "0"))
WATCHDOG_SECONDS = 30
ERROR_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: \S")
FORMATS = ("text", "markdown", "csv", "json")


class Hang(Exception):
    pass


@contextlib.contextmanager
def watchdog(seconds: int):
    """Raise Hang if the block runs longer than `seconds` (POSIX; a no-op elsewhere)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def ring(signum, frame):
        raise Hang(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run(argv: list) -> tuple:
    """(exit code, stdout, stderr) of the CLI in-process; `check` writes to sys.stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def assert_clean_errors(stderr: str, path: str, n_lines: int) -> None:
    """Every stderr line is `path:line:col: error: ...` with a line inside the file."""
    lines = stderr.splitlines()
    assert lines, "exit 1 without a message"
    for ln in lines:
        m = ERROR_LINE.match(ln)
        assert m and m["file"] == path, f"not a located error: {ln!r}"
        assert 1 <= int(m["line"]) <= n_lines + 1 and int(m["col"]) >= 1, f"bad position: {ln!r}"


def extra_options(rng: random.Random) -> list:
    """Sometimes a --set or --symbolic on a valid report (symbol names may be wrong)."""
    roll = rng.random()
    if roll < 0.1:
        name = rng.choice(("alpha", "resolution", "width", "g", "alpah", "r"))
        return ["--set", f"{name}={rng.choice(('1', '2', '1/2', '0', '-1', '32', '1e999', 'x'))}"]
    if roll < 0.11:
        return ["--symbolic", rng.choice(("resolution", "alpha", "width"))]
    return []


def check_one(index: int, seeds: list, path: str) -> bool:
    """Run example `index` through check and report; True when the spec was valid."""
    text = fuzzing.example(SEED, index, seeds)
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write(text)
    n_lines = text.count("\n") + 1
    rng = random.Random(index)
    fmt = rng.choice(FORMATS)
    with watchdog(WATCHDOG_SECONDS), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")          # a warning would reach the user's stderr
        c_code, c_out, c_err = run(["check", path])
        extra = extra_options(rng) if c_code == 0 else []
        r_code, r_out, r_err = run(["report", path, "--format", fmt] + extra)
    assert not caught, [f"{w.category.__name__}: {w.message}" for w in caught]
    assert c_code in (0, 1), (c_code, c_err)
    if c_code == 1:
        assert_clean_errors(c_err, path, n_lines)
        assert r_code == 1, "check rejected the spec but report accepted it"
        assert_clean_errors(r_err, path, n_lines)
        return False
    assert c_out.strip().endswith(")") and not c_err, (c_out, c_err)
    if extra:                      # a --set/--symbolic may be a usage or spec error
        assert r_code in (0, 1, 2), (r_code, r_err)
        if r_code == 2:
            assert r_err.startswith("costmodel: error: ") and "\n" not in r_err.strip(), r_err
            return True
        if r_code == 1:
            assert_clean_errors(r_err, path, n_lines)
            return True
    assert r_code == 0, f"check accepted the spec but report said: {r_err}"
    assert not r_err and r_out, r_err
    if fmt == "json":
        doc = json.loads(r_out)
        assert set(doc["totals"]) >= {"params", "madds", "flops", "mem_access"}
    return True


def test_malformed_specs_end_in_a_clean_error_or_a_report(tmp_path, monkeypatch):
    """Every generated malformed spec ends in a located spec error (exit 1) or a valid
    report (exit 0) from both check and report, never in an uncaught exception or a hang."""
    # argparse parsers are reusable; building one per call would be a third of the run time
    monkeypatch.setattr(cli, "make_parser", functools.lru_cache(maxsize=None)(cli.make_parser))
    seeds = fuzzing.seed_specs()
    path = str(tmp_path / "fuzz.yaml")
    valid = 0
    for index in range(EXAMPLES):
        try:
            valid += check_one(index, seeds, path)
        except Exception as e:     # name the example (and keep the cause)
            text = fuzzing.example(SEED, index, seeds)
            pytest.fail(f"fuzz seed {SEED} index {index} ({type(e).__name__}: {e}); "
                        f"replay: python3 -m tests.fuzzing {SEED} {index}\n--- spec ---\n"
                        f"{text[:3000]}", pytrace=True)
    # the generator must not be so destructive that reports are never reached, nor so mild
    # that nothing fails (measured at the default budget: about a quarter valid)
    assert 0.02 * EXAMPLES < valid < 0.9 * EXAMPLES, valid
