"""costmodel check SPEC...: validate specs (syntax, schema, shapes) without reporting."""
from __future__ import annotations

import sys

from costmodel.commands import _options as opt

NAME = "check"
HELP = "validate specs: YAML, schema, expressions and shapes; prints 'ok' per valid spec"
ORDER = 20


def add_arguments(p) -> None:
    p.add_argument("specs", nargs="+", metavar="SPEC")
    opt.add_set(p)


def run(args, out) -> int:
    from costmodel.analysis import analyse, load_spec
    from costmodel.errors import SpecError, SpecErrors, UsageError, did_you_mean
    values = opt.parse_sets(args.set)
    status, loaded, known = 0, False, set()
    for path in args.specs:
        try:
            net = load_spec(path)
            loaded, known = True, known | set(net.symbols)
            analyse(net, {k: v for k, v in values.items() if k in net.symbols})
            out.write(f"{path}: ok ({net.name})\n")
        except (SpecError, SpecErrors) as e:
            sys.stderr.write(f"{e}\n")
            status = 1
    unused = sorted(set(values) - known)
    if loaded and unused:     # a --set that no spec uses is a typo, not a no-op
        raise UsageError(f"--set {unused[0]}: no spec has this symbol{did_you_mean(unused[0], known)}")
    return status
