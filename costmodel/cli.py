"""Command line: `costmodel <command> ...`. Each command is a module in costmodel/commands
with NAME, HELP, add_arguments(parser) and run(args, out) -> exit code; nothing else lists
them. Exit codes: 0 ok, 1 bad spec, 2 bad command-line usage. Errors caused by input are
printed as one line each (never a traceback)."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from costmodel.errors import CostModelError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import TextIO


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, sized without importing `shutil`: argparse makes a formatter
    for every add_argument (to check the metavar), and shutil, wanted only for
    get_terminal_size, brings zlib, bz2 and lzma: ~1.6 ms of a cold `costmodel report`.
    The width rule is shutil's: $COLUMNS, else the terminal's width, else 80; less 2, as
    argparse does."""

    def __init__(self, prog: str, **kwargs):
        if kwargs.get("width") is None:
            kwargs["width"] = _terminal_columns() - 2
        super().__init__(prog, **kwargs)


def _terminal_columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}")


def _commands(only: str | None = None) -> list:
    """The command modules, in ORDER. When `only` names one (module name = command NAME),
    import just that one: `costmodel report` must not pay for importing every other command,
    nor for `pkgutil` (which imports `inspect` and `typing`), to find it (benchmarks/: the
    numeric report's cold start is measured against `import yaml`)."""
    import costmodel.commands as pkg
    if only and only.isidentifier() and not only.startswith("_"):
        try:
            mod = importlib.import_module(f"{pkg.__name__}.{only}")
        except ModuleNotFoundError as e:
            if e.name != f"{pkg.__name__}.{only}":
                raise
        else:
            if getattr(mod, "NAME", None) == only:
                return [mod]
    import pkgutil
    names = [m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_")]
    mods = [importlib.import_module(f"{pkg.__name__}.{name}") for name in names]
    return sorted(mods, key=lambda m: getattr(m, "ORDER", 50))


def _command_word(argv: list[str]) -> str | None:
    """The command named on the command line, or None when help is asked for first."""
    for arg in argv:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg
    return None


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or only for `command` when that names one."""
    parser = _Parser(prog="costmodel", description="Exact, symbolic cost of CNN specs: "
                     "params, multiply-adds, FLOPs and memory access, with the why.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _commands(command):
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(run=mod.run)
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 spec error, 2 usage error)."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = make_parser(_command_word(argv))
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:          # --help / --version
            return int(e.code or 0)
        if not getattr(args, "run", None):
            parser.print_help(err)
            return 2
        return args.run(args, out)
    except UsageError as e:
        err.write(f"costmodel: error: {e}\n" if not str(e).startswith("costmodel") else f"{e}\n")
        return 2
    except CostModelError as e:
        err.write(f"{e}\n")
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
