"""Behaviour kept by the start-up and engine speed-ups (benchmarks/PROFILE.md): the CLI imports
only the command it runs, yet help still lists every command; a shape error still names the
layer and its input (a candidate for lazy formatting); memoised closed forms are still right;
the engine's GC pause hands the collector back as it found it."""
import os
import subprocess
import sys

from costmodel.cli import _command_word
from tests.conftest import ROOT, run_cli, spec_path


def test_command_word_is_the_first_non_option():
    assert _command_word(["report", "x.yaml", "--depth", "1"]) == "report"
    assert _command_word(["--help"]) is None
    assert _command_word(["-h", "report"]) is None        # top-level help: every command
    assert _command_word([]) is None


def test_running_report_imports_no_other_command():
    probe = ("import io, sys; from costmodel.cli import main; "
             f"main(['report', {spec_path('mobilenet_v2.yaml')!r}], io.StringIO()); "
             "print(sorted(m for m in sys.modules if m.startswith('costmodel.commands.')))")
    p = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT), timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["['costmodel.commands._options',", "'costmodel.commands.report']"]


# Modules the numeric report no longer imports, each measured at start-up (benchmarks/
# PROFILE.md): records are not dataclasses (dataclasses, inspect); layer kinds and the command
# are found without pkgutil (inspect, typing); typing names serve annotations only; json, csv
# and difflib load when used; the help formatter sizes itself without shutil; conventions'
# rule records load with --convention. Should a newer Python import one of them anyway, drop
# it from this list.
AVOIDED = ("dataclasses", "inspect", "typing", "pkgutil", "shutil", "json", "csv", "difflib",
           "costmodel.conventions.base")


def test_numeric_report_imports_none_of_the_avoided_modules():
    # python -S: no site-packages .pth file may import them first (yaml's directory goes on
    # PYTHONPATH instead)
    import yaml
    site = os.path.dirname(os.path.dirname(yaml.__file__))
    probe = ("import io, sys; from costmodel.cli import main; "
             f"code = main(['report', {spec_path('mobilenet_v2.yaml')!r}], io.StringIO()); "
             f"print(code, sorted(set(sys.modules) & set({AVOIDED!r})))")
    p = subprocess.run([sys.executable, "-S", "-c", probe], cwd=ROOT, capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, site])),
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["0", "[]"]


def test_help_is_wrapped_as_argparse_would_wrap_it(monkeypatch):
    # cli._Formatter sizes help like argparse's own formatter (which imports shutil for it)
    import argparse

    from costmodel.cli import make_parser
    for columns in ("40", "120"):
        monkeypatch.setenv("COLUMNS", columns)
        top = make_parser("report")
        for parser in (top, top._subparsers._group_actions[0].choices["report"]):
            ours = parser.format_help()
            parser.formatter_class = argparse.HelpFormatter
            assert parser.format_help() == ours, (columns, parser.prog)


def test_top_level_help_still_lists_every_command(capsys):
    commands = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "costmodel", "commands"))
                      if f.endswith(".py") and not f.startswith("_"))
    for argv in (["--help"], ["-h", "report"]):
        code, _, _ = run_cli(*argv)
        out = capsys.readouterr().out           # argparse prints help to sys.stdout
        assert code == 0
        for name in commands:
            assert f"    {name} " in out or f"    {name}\n" in out, (argv, name)


def test_unknown_command_still_names_the_choices():
    code, _, err = run_cli("reprt", "x.yaml")
    assert code == 2
    assert "invalid choice: 'reprt'" in err and "'report'" in err and "'kinds'" in err


def test_shape_error_still_names_the_layer_and_its_input(tmp_path):
    # 5x5 kernel, no padding, on a 2x2 map: floor((2 - 5)/1) + 1 = -2 rows
    spec = tmp_path / "tiny.yaml"
    spec.write_text("name: tiny\nversion: 1\ninput: [3, 2, 2]\nlayers:\n"
                    "  - conv: {c: 4, k: 5, p: 0}\n")
    code, _, err = run_cli("report", str(spec))
    assert code == 1
    assert "conv output (input 3×2×2) has height -2" in err
    assert err.startswith(f"{spec}:5:")


def test_memoised_closed_form_is_per_substitution():
    # the same value under two analyses with different back-substitutions must not share a
    # cached closed form: resolution free (multiple_of 32) vs both symbols free
    import sympy
    from costmodel.analysis import analyse, closed_form, load_spec
    net = load_spec(spec_path("mobilenet_v2.yaml"))
    a = analyse(net, symbolic=["resolution"])
    first = closed_form(a.totals.madds, a.symbols)
    again = closed_form(a.totals.madds, a.symbols)
    r = sympy.Symbol("resolution", positive=True)
    # design.md §2.3: 47751·r²/8 + 1,280,000 (as in test_mobilenet_v2)
    assert sympy.expand(first - (sympy.Rational(47751, 8) * r**2 + 1_280_000)) == 0
    assert again == first
    q = sympy.Symbol("resolution__q", positive=True, integer=True)
    assert closed_form(q, a.symbols) == r / 32
    assert closed_form(q, type(a.symbols)(a.symbols.env, a.symbols.shown, {})) == q


def test_engine_restores_the_garbage_collector_state():
    # load_text/analyse pause the cyclic collector; they must hand it back as they found it,
    # also when the spec is bad
    import gc

    import pytest

    from costmodel.analysis import analyse, load_text
    from costmodel.errors import SpecErrors
    good = "name: t\nversion: 1\ninput: [3, 8, 8]\nlayers:\n  - conv: {c: 4, k: 3}\n"
    bad = "name: t\nversion: 1\ninput: [3, 8, 8]\nlayers:\n  - conv: {c: 4, kk: 3}\n"
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            analyse(load_text(good))
            assert gc.isenabled() is enabled
            with pytest.raises(SpecErrors):
                load_text(bad)
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
