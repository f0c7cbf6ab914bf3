"""costmodel conventions [NAME...]: every counting convention's rule table, from the code."""
from __future__ import annotations

NAME = "conventions"
HELP = "list the counting conventions and their per-op rules, each with its source"
ORDER = 35


def add_arguments(p) -> None:
    p.add_argument("names", nargs="*", metavar="NAME", help="conventions to show (default: all)")
    p.add_argument("--markdown", action="store_true",
                   help="markdown, as in docs/conventions.md")


def grouped_rules(convention) -> list:
    """[(kinds, impls, rule)] in table order: keys that share one declared rule."""
    groups: dict[int, tuple] = {}
    for (kind, impl), rule in convention.rules.items():
        kinds, impls, _ = groups.setdefault(id(rule), ([], [], rule))
        if kind not in kinds:
            kinds.append(kind)
        if impl not in impls:
            impls.append(impl)
    return list(groups.values())


def describe(convention, markdown: bool) -> str:
    c = convention
    lines = [f"### {c.name}" if markdown else c.name]
    lines.append(("" if markdown else "  ") + c.summary + ".")
    lines.append(("" if markdown else "  ") + (f"Tool: {c.tool}; total: `{c.call}`." if c.tool
                                               else f"Source: {c.call}."))
    if markdown:
        lines += ["", "| kinds | impl | count | source | note |", "|---|---|---|---|---|"]
    for kinds, impls, rule in grouped_rules(c):
        impl = "any" if impls == ["*"] else ", ".join(impls)
        if markdown:
            lines.append(f"| {' '.join(kinds)} | {impl} | {rule.text()} | {rule.source} | "
                         f"{rule.note} |")
        else:
            lines.append(f"    {' '.join(kinds)} [{impl}]: {rule.text()}"
                         + (f" — {rule.note}" if rule.note else "") + f"\n        {rule.source}")
    return "\n".join(lines) + "\n"


def run(args, out) -> int:
    from costmodel import conventions
    chosen = [conventions.get(n) for n in args.names] or conventions.all_conventions()
    for c in chosen:
        out.write(describe(c, args.markdown) + "\n")
    return 0
