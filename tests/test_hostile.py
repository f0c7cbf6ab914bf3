"""Hostile specs: files people download must not execute code, read files, or exhaust the
machine. Each case runs the real command (`python3 -m costmodel check|report FILE`) in a
subprocess under a watchdog timeout (a hang or a crash fails the test instead of the test
run; the timeout is far above the fraction of a second these take, not a timing assertion),
and must end in exit 1 with a located, one-line error naming the problem, and no traceback.
"""
import os
import re
import subprocess
import sys

import pytest

from costmodel.spec.expr import MAX_VALUE_BITS
from costmodel.spec.validate import MAX_DEPTH
from costmodel.spec.yaml_io import MAX_NESTING, MAX_SPEC_BYTES
from costmodel.graph.build import MAX_NODES
from tests.conftest import ROOT, run_cli

WATCHDOG_SECONDS = 60
HEAD = "name: hostile\nversion: 1\ninput: [3, 32, 32]\n"


def costmodel(*argv, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "costmodel", *argv], capture_output=True,
                          text=True, timeout=WATCHDOG_SECONDS, cwd=cwd or ROOT,
                          env=dict(os.environ, PYTHONPATH=ROOT))


def assert_clean_error(proc: subprocess.CompletedProcess, path: str, message: str) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert all(ln.startswith(f"{path}:") and ": error: " in ln for ln in lines), proc.stderr[-2000:]
    assert any(message in ln for ln in lines), (message, proc.stderr[-2000:])


def write(tmp_path, name: str, text: str) -> str:
    path = str(tmp_path / name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# -- code execution -----------------------------------------------------------------------------
PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:os._wrap_close {{}}",
    "!!python/tuple [1, 2]",
    "!!python/bytes 'dG91Y2g='",
    "!!python/str 'x'",
    "!include /etc/passwd",
    "!!binary dG91Y2g=",
    "!!set {{a, b}}",
    "!!timestamp 2001-12-14",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS, ids=lambda t: t.split()[0])
def test_python_and_other_tags_are_refused_and_nothing_runs(tmp_path, tag):
    """A YAML tag (os.system payloads, other Python tags, !include, binary, sets) is a spec
    error at its position, from check and from report, and the payload's marker file is
    never created."""
    marker = tmp_path / "pwned"
    value = tag.format(marker=marker)
    texts = {"layer": HEAD + f"layers:\n  - {value}\n",
             "value": HEAD + f"layers: [relu]\nsymbols:\n  alpha: {value}\n",
             "document": f"{value}\n"}
    paths = [write(tmp_path, f"{where}.yaml", text) for where, text in texts.items()]
    check = costmodel("check", *paths)
    assert check.returncode == 1 and "Traceback" not in check.stderr and check.stdout == ""
    for path in paths:
        errors = [ln for ln in check.stderr.splitlines() if ln.startswith(f"{path}:")]
        assert len(errors) == 1 and "is not allowed in specs" in errors[0], check.stderr
    assert_clean_error(costmodel("report", paths[0]), paths[0], "is not allowed in specs")
    assert not marker.exists()


@pytest.mark.parametrize("expression, message", [
    ("__import__('os').system('touch {marker}')", "unknown function '__import__('os').system'"),
    ("open('/etc/passwd').read()", "unknown function 'open('/etc/passwd').read'"),
    ("eval('1')", "unknown function 'eval'"),
    ("cin.__class__", "attribute access is not allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "unknown function"),
    ("lambda: __import__('os')", "lambda is not allowed"),
    ("[x for x in (1, 2)]", "'ListComp' syntax is not allowed"),
    ("10**10**10", "'**' (powers) is not allowed"),
])
def test_code_in_expressions_is_refused_and_nothing_runs(tmp_path, expression, message):
    """Expressions are parsed by an allow-list, never evaluated by Python: imports, calls,
    attribute access, lambdas, comprehensions and powers are spec errors; nothing runs."""
    marker = tmp_path / "pwned"
    text = HEAD + f"layers:\n  - conv: {{c: \"{expression.format(marker=marker)}\", k: 1}}\n"
    path = write(tmp_path, "expr.yaml", text)
    assert_clean_error(costmodel("report", path), path, message)
    assert not marker.exists()


def test_command_line_values_do_not_run_code(tmp_path):
    """A --set value is an expression of numbers only: a payload there is a usage error
    (exit 2) and runs nothing."""
    marker = tmp_path / "pwned"
    proc = costmodel("report", "specs/mobilenet_v2.yaml", "--set",
                     f"alpha=__import__('os').system('touch {marker}')")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("costmodel: error: --set alpha=")
    assert not marker.exists()


# -- exhaustion ------------------------------------------------------------------------------------
def billion_laughs(levels: int = 9) -> str:
    """The alias expansion bomb: 10 aliases per level, 10**levels strings when expanded."""
    lines = [HEAD, 'lol0: &lol0 ["lol"]\n']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*lol{i - 1}"] * 10)
        lines.append(f"lol{i}: &lol{i} [{refs}]\n")
    lines.append(f"layers: *lol{levels}\n")
    return "".join(lines)


def test_billion_laughs_is_refused_at_the_first_alias(tmp_path):
    """The alias/anchor expansion bomb is refused at its first alias, before any expansion."""
    path = write(tmp_path, "laughs.yaml", billion_laughs())
    proc = costmodel("check", path)
    assert_clean_error(proc, path, "YAML aliases (*name) are not allowed")
    assert proc.stderr.startswith(f"{path}:5:14: error:")      # lol1's first *lol0


@pytest.mark.parametrize("n, message", [
    ("1000000000", f"repeat of 1000000000 exceeds the limit of {MAX_NODES} layers"),
    ("10**9", "'**' (powers) is not allowed"),
    ("1000*1000*1000", f"repeat of 1000000000 exceeds the limit of {MAX_NODES} layers"),
])
def test_a_billion_repeats_is_refused_before_expanding(tmp_path, n, message):
    """A repeat count of 10^9 is refused before any layer is built."""
    path = write(tmp_path, "repeat.yaml", HEAD + f"layers:\n  - repeat: {{n: '{n}', body: [relu]}}\n")
    assert_clean_error(costmodel("report", path), path, message)


def test_repeats_of_empty_bodies_are_bounded(tmp_path):
    """Nested repeats that build nothing still count as work: 10^10 empty iterations are
    refused, not looped through."""
    inner = "{repeat: {n: 100000, body: []}}"
    path = write(tmp_path, "empty.yaml", HEAD + f"layers:\n  - repeat: {{n: 100000, body: [{inner}]}}\n")
    assert_clean_error(costmodel("check", path), path, "the network expands to more than")


def test_calls_of_an_empty_block_are_bounded(tmp_path):
    """A million calls of a block with an empty body are refused as too much expansion."""
    text = HEAD + ("blocks:\n  e: {body: []}\n  f: {body: [{repeat: {n: 1000, body: [e]}}]}\n"
                   "layers:\n  - repeat: {n: 1000, body: [f]}\n")
    path = write(tmp_path, "calls.yaml", text)
    assert_clean_error(costmodel("check", path), path, "the network expands to more than")


def block_chain(n: int) -> str:
    return ("blocks:\n" + "".join(f"  b{i}: {{body: [b{i + 1}]}}\n" for i in range(n))
            + f"  b{n}: {{body: [relu]}}\nlayers: [b0]\n")


def test_deeply_nested_blocks_are_refused(tmp_path):
    """A chain of 900 blocks each calling the next is a spec error, not a RecursionError
    (and 10,000 blocks are refused by count)."""
    path = write(tmp_path, "chain.yaml", HEAD + block_chain(900))
    assert_clean_error(costmodel("check", path), path,
                       f"blocks call each other more than {MAX_DEPTH} levels deep")
    path = write(tmp_path, "chain.yaml", HEAD + block_chain(10_000))
    assert_clean_error(costmodel("check", path), path, "10001 blocks; the limit is 1000")


def nested_residuals(levels: int) -> str:
    body = "[relu]"
    for _ in range(levels):
        body = f"[{{residual: {body}}}]"
    return body


def test_blocks_nesting_branches_deeply_are_refused(tmp_path):
    """Blocks that each nest 20 residuals and call the next (20 blocks: 400 levels) are a spec
    error naming the depth limit, not a RecursionError."""
    blocks = "".join(f"  b{i}: {{body: {nested_residuals(20).replace('relu', f'b{i + 1}', 1)}}}\n"
                     for i in range(20))
    path = write(tmp_path, "deep.yaml", HEAD + "blocks:\n" + blocks + "  b20: {body: [relu]}\nlayers: [b0]\n")
    assert_clean_error(costmodel("check", path), path,
                       f"blocks and branches nest more than {MAX_DEPTH} levels deep")


def test_nesting_at_the_limit_is_fine(cli):
    """Calls and branches nested exactly MAX_DEPTH levels deep are accepted (no recursion
    limit is hit below the documented limit, even inside pytest's own stack)."""
    per_block = 10
    n_blocks = MAX_DEPTH // (per_block + 1)
    blocks = "".join(f"  b{i}: {{body: {nested_residuals(per_block).replace('relu', f'b{i + 1}', 1)}}}\n"
                     for i in range(n_blocks))
    text = HEAD + "blocks:\n" + blocks + f"  b{n_blocks}: {{body: [relu]}}\nlayers: [b0]\n"
    from costmodel.analysis import analyse, load_text
    a = analyse(load_text(text))
    assert len(a.graph.nodes) == 1 + n_blocks * per_block      # the relu and one add per residual


@pytest.mark.parametrize("name, text", [
    ("dashes", "- " * 100_000 + "x\n"),
    ("brackets", "[" * 300_000 + "]" * 300_000),
    ("braces", "{a: " * 100_000 + "1" + "}" * 100_000),
    ("indented", "".join("  " * i + f"k{i}:\n" for i in range(500))),
], ids=lambda v: v if len(v) < 20 else "")
def test_deeply_nested_yaml_is_refused(tmp_path, name, text):
    """Deeply nested YAML (block sequences on one line, flow brackets, mappings) is a spec
    error; before this was checked on the event stream, 100,000 '- ' crashed libyaml with a
    segmentation fault."""
    path = write(tmp_path, f"{name}.yaml", text)
    assert_clean_error(costmodel("check", path), path, f"nesting deeper than {MAX_NESTING} levels")


def test_a_100_mb_file_is_refused_without_reading_it(tmp_path):
    """A 100 MB spec is refused by size (only MAX_SPEC_BYTES + 1 bytes are read)."""
    path = str(tmp_path / "huge.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD + "layers: [relu]\n# ")
        chunk = "x" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
    assert os.path.getsize(path) > 100 * 10 ** 6
    assert_clean_error(costmodel("check", path), path, f"the limit of {MAX_SPEC_BYTES} bytes")


@pytest.mark.parametrize("value, message", [
    ("'10**10**10'", "'**' (powers) is not allowed"),
    ("'" + "*".join(["999999999999999999"] * 25) + "'", f"a value exceeds 2**{MAX_VALUE_BITS}"),
    ("9" * 5000, "has 5000 characters; the limit is 100"),
    ("1e999", "is larger than 1e+18"),
    ("'1e999'", "is larger than 1e+18"),
], ids=("power-tower", "long-product", "5000-digits", "1e999", "quoted-1e999"))
def test_gigantic_integers_are_refused(tmp_path, value, message):
    """Expressions that would build gigantic integers (power towers, long products, numbers
    of thousands of digits, floats that overflow) are spec errors."""
    path = write(tmp_path, "big.yaml", HEAD + f"layers:\n  - conv: {{c: {value}, k: 1}}\n")
    assert_clean_error(costmodel("report", path), path, message)


@pytest.mark.parametrize("extra", [[], ["--symbolic", "alpha"]])
def test_products_through_block_parameters_are_bounded(tmp_path, extra):
    """x·x·…·x passed down three block calls (10^180 to the power 40³) is refused at the first
    intermediate value above 2^1024, numerically and symbolically."""
    x = "*".join(["x"] * 40)
    big = "*".join(["999999999999999999"] * 10)
    text = ("name: hostile\nversion: 1\nsymbols: {alpha: 1}\ninput: [3, 32, 32]\nblocks:\n"
            f"  b3: {{params: [x], body: [{{conv: {{c: 'alpha*{x}', k: 1}}}}]}}\n"
            f"  b2: {{params: [x], body: [{{b3: {{x: '{x}'}}}}]}}\n"
            f"  b1: {{params: [x], body: [{{b2: {{x: '{x}'}}}}]}}\n"
            f"layers:\n  - b1: {{x: '{big}'}}\n")
    path = write(tmp_path, "products.yaml", text)
    assert_clean_error(costmodel("report", path, *extra), path, f"a value exceeds 2**{MAX_VALUE_BITS}")


def test_thousands_of_misspelt_names_stop_early(tmp_path):
    """A spec with 1,000 symbols and 20,000 misspelt names reports the first errors and stops
    (each error searches the symbols for a did-you-mean)."""
    symbols = "symbols:\n" + "".join(f"  s{i}: 1\n" for i in range(1000))
    layers = "layers:\n" + "".join(f"  - conv: {{c: z{i}, k: 1}}\n" for i in range(20_000))
    path = write(tmp_path, "typos.yaml", HEAD + symbols + layers)
    proc = costmodel("check", path)
    assert_clean_error(proc, path, "too many errors; stopped after 50")
    assert len(proc.stderr.splitlines()) == 51
    assert "... (1003 in all)" in proc.stderr                   # alternatives listed: capped


def test_too_many_symbols_or_blocks_are_refused(cli, tmp_path):
    """More than 1,000 symbols, or blocks, is a spec error."""
    symbols = "symbols:\n" + "".join(f"  s{i}: 1\n" for i in range(1001))
    path = write(tmp_path, "symbols.yaml", HEAD + symbols + "layers: [relu]\n")
    code, _, err = cli("report", path)
    assert code == 1 and "1001 symbols; the limit is 1000" in err
    blocks = "blocks:\n" + "".join(f"  b{i}: {{body: [relu]}}\n" for i in range(1001))
    path = write(tmp_path, "blocks.yaml", HEAD + blocks + "layers: [relu]\n")
    code, _, err = cli("report", path)
    assert code == 1 and "1001 blocks; the limit is 1000" in err


def test_the_guarantees_page_states_the_limits_in_force():
    """docs/guarantees.md gives every limit with the value the code enforces."""
    from costmodel.errors import MAX_LISTED
    from costmodel.graph.build import MAX_DIM, MAX_WORK
    from costmodel.spec.expr import MAX_CONSTANT, MAX_EXPR_CHARS, MAX_EXPR_NODES
    from costmodel.spec.validate import MAX_BLOCKS, MAX_ERRORS, MAX_SYMBOLS
    from costmodel.spec.yaml_io import MAX_NUMBER_CHARS
    with open(os.path.join(ROOT, "docs", "guarantees.md"), encoding="utf-8") as f:
        doc = f.read()
    enforced = {"MAX_SPEC_BYTES": MAX_SPEC_BYTES, "MAX_NESTING": MAX_NESTING,
                "MAX_NUMBER_CHARS": MAX_NUMBER_CHARS, "MAX_EXPR_CHARS": MAX_EXPR_CHARS,
                "MAX_EXPR_NODES": MAX_EXPR_NODES, "MAX_CONSTANT": MAX_CONSTANT,
                "MAX_VALUE_BITS": MAX_VALUE_BITS, "MAX_SYMBOLS": MAX_SYMBOLS,
                "MAX_BLOCKS": MAX_BLOCKS, "MAX_DEPTH": MAX_DEPTH, "MAX_NODES": MAX_NODES,
                "MAX_WORK": MAX_WORK, "MAX_DIM": MAX_DIM, "MAX_ERRORS": MAX_ERRORS,
                "MAX_LISTED": MAX_LISTED}
    for name, value in enforced.items():
        m = re.search(rf"^\| `{name}` \| ([0-9,^]+)", doc, re.M)
        assert m, f"{name} is not in the limits table"
        text = m.group(1).replace(",", "")
        base, _, power = text.partition("^")
        assert (int(base) ** int(power) if power else int(base)) == value, (name, text, value)
