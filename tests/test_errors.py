"""Each error class of the engine issue: message, position, exit code 1, no traceback."""
import textwrap

import pytest

HEAD = "name: t\nversion: 1\ninput: [3, 32, 32]\n"


def _run(cli, tmp_path, body, *extra):
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + textwrap.dedent(body))
    code, out, err = cli("report", str(path), *extra)
    return code, out, err.replace(str(path), "spec.yaml")


CASES = [
    # (spec body after the 3 header lines, expected "line:col: error: ..." substring)
    ("layers:\n  - conv: {c: 8, k: 3\n", "6:1: error: YAML syntax"),
    ("layers:\n  - conv: {c: 8, k: 3, k: 5}\n", "5:24: error: duplicate key 'k' (first at line 5, column 18)"),
    ("layers:\n  - conv: {c: 8, k: 3, stride: 2}\n", "5:24: error: layers[0].conv: unknown key 'stride'; keys: bias, c, d, g, k, p, s (did you mean 's'?)"),
    ("layers:\n  - bnn\n", "5:5: error: layers[0]: unknown layer kind or block 'bnn' (did you mean 'bn'?)"),
    ("layerz:\n  - bn\n", "4:1: error: spec: unknown key 'layerz'"),
    ("layers:\n  - conv: {k: 3}\n", "missing required argument 'c' of conv"),
    ("layers:\n  - conv: {c: 8, k: 3, bias: 1}\n", "5:30: error: layers[0].conv.bias: 'bias' must be true or false"),
    ("layers:\n  - conv: {c: 8, k: three}\n", "5:21: error: layers[0].conv.k: unknown name 'three'"),
    ("symbols: {alpha: 1}\nlayers:\n  - conv: {c: 16*alpah, k: 3}\n", "unknown name 'alpah' in '16*alpah'; names in scope: alpha, cin, hin, win (did you mean 'alpha'?)"),
    ("layers:\n  - conv: {c: 10, k: 3, g: 3}\n", "5:5: error: layers[0].conv → conv: output channels 10 is not divisible by groups g 3"),
    ("layers:\n  - conv: {c: 8, k: 1}\n  - add: [[conv: {c: 8, k: 3, s: 2}], []]\n", "add needs equal shapes: branch 1 gives 8×16×16, branch 2 gives 8×32×32"),
    ("layers:\n  - concat: [[conv: {c: 8, k: 3, s: 2}], [conv: {c: 8, k: 1}]]\n", "branches differ in spatial size: branch 1 is 16×16, branch 2 is 32×32"),
    ("layers:\n  - conv: {c: 8, k: 5, p: 0}\n  - conv: {c: 8, k: 29, p: 0}\n", "6:5: error: layers[1].conv → conv2: conv output (input 8×28×28) has height 0: sizes must be positive integers"),
    ("layers:\n  - conv: {c: 0, k: 3}\n", "argument 'c' must be a positive integer, got 0"),
    ("layers:\n  - conv: {c: 3/2, k: 1}\n", "argument 'c' must be a positive integer, got 3/2"),
    ("layers:\n  - split: {sizes: [1, 1], branches: [[], []]}\n", "split sizes add up to 2, input has 3 channels"),
    ("blocks:\n  a: {body: [b]}\n  b: {body: [a]}\nlayers: [a]\n", "blocks call each other recursively: a → b → a"),
    ("layers: !!python/object/apply:os.system [\"true\"]\n", "4:9: error: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("layers:\n  - repeat: {n: 1000000000, body: [relu]}\n", "exceeds the limit of 100000 layers"),
    ("layers:\n  - conv: {c: 8, k: 3, s: 0}\n", "argument 's' must be a positive integer, got 0"),
    ("layers:\n  - split: [[conv: {c: 8, k: 1}], []]\n", "input channels 3 is not divisible by the number of branches 2"),
]


@pytest.mark.parametrize("body, expected", CASES, ids=[c[1][:40] for c in CASES])
def test_error_class(cli, tmp_path, body, expected):
    code, out, err = _run(cli, tmp_path, body)
    assert code == 1
    assert out == ""
    assert expected in err
    assert err.startswith("spec.yaml:")
    assert "Traceback" not in err


def test_independent_schema_errors_are_all_reported(cli, tmp_path):
    code, _, err = _run(cli, tmp_path, "layers:\n  - bnn\n  - conv: {c: 8, k: 3, kk: 1}\n")
    assert code == 1
    assert len(err.strip().splitlines()) == 2


def test_usage_errors_exit_2(cli, tmp_path):
    code, _, err = _run(cli, tmp_path, "layers: [bn]\n", "--set", "beta=2")
    assert code == 2 and "unknown symbol 'beta'" in err
    code, _, err = _run(cli, tmp_path, "symbols: {alpha: 1}\nlayers: [bn]\n", "--set", "alpa=2")
    assert code == 2 and "did you mean 'alpha'" in err
    assert cli("report")[0] == 2
    assert cli("frobnicate")[0] == 2
    code, _, err = cli("report", str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read spec" in err


def test_python_tag_payload_is_not_executed(cli, tmp_path):
    marker = tmp_path / "pwned"
    code, _, err = _run(cli, tmp_path, f"layers: !!python/object/apply:os.system [\"touch {marker}\"]\n")
    assert code == 1 and not marker.exists()


def test_aliases_are_rejected(cli, tmp_path):
    code, _, err = _run(cli, tmp_path, "blocks:\n  a: &x {body: [bn]}\n  b: *x\nlayers: [a]\n")
    assert code == 1 and "aliases" in err


@pytest.mark.parametrize("value, message", [("no", "YAML 1.1 boolean"), ("on", "YAML 1.1 boolean"),
                                            ("010", "leading zero")])
def test_yaml_1_1_surprises(cli, tmp_path, value, message):
    code, _, err = _run(cli, tmp_path, f"layers:\n  - conv: {{c: 8, k: 3, bias: {value}}}\n")
    assert code == 1 and message in err
