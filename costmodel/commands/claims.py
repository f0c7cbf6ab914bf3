"""costmodel claims: docs/claims.md, the study notes' claims answered with our numbers."""
from __future__ import annotations

NAME = "claims"
HELP = "answer the study notes' claims with this tool's numbers (renders docs/claims.md)"
ORDER = 80


def add_arguments(p) -> None:
    p.add_argument("--specs", default="specs", help="folder of the zoo specs (default: specs)")


def run(args, out) -> int:
    from costmodel.claims import render
    out.write(render(args.specs))
    return 0
