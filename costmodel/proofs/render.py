"""Render a checked proof as text, markdown (GitHub math) or LaTeX.

Each step prints its explanation, its claim and how it was verified; the proof ends with
"verified" or with the first failing step. Tables follow the derivation.
"""
from __future__ import annotations

from typing import Any, TextIO

import sympy as sp

from costmodel.proofs.core import Proof, Verdict

_LATEX_OPS = {"=": "=", "≥": r"\geq", "≤": r"\leq", ">": ">", "<": "<",
              "= 0 ⇔": r"= 0 \iff", "or": r"\quad\text{or}\quad"}
_LATEX_TEXT = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
               "$": r"\$", "{": r"\{", "}": r"\}", "·": r"$\cdot$", "×": r"$\times$",
               "≥": r"$\geq$", "≤": r"$\leq$", "√": r"$\surd$", "−": "$-$", "→": r"$\to$",
               "⇔": r"$\iff$", "∞": r"$\infty$", "²": r"$^2$", "′": "'", "″": "''",
               "α": r"$\alpha$", "ρ": r"$\rho$", "τ": r"$\tau$", "π": r"$\pi$",
               "β": r"$\beta$", "≈": r"$\approx$", "∂": r"$\partial$", "✓": "ok",
               "†": r"$\dagger$", "‖": r"$\|$", "—": "---"}


def render(proof: Proof, verdict: Verdict, fmt: str, out: TextIO, tables_only: bool = False) -> None:
    """Write one proof (or only its tables) in `fmt`: text, markdown or latex."""
    if not tables_only:
        {"text": _text, "markdown": _markdown, "latex": _latex}[fmt](proof, verdict, out)
    for table in proof.tables:
        {"text": _text_table, "markdown": _md_table, "latex": _latex_table}[fmt](table, out)


def conclusion(proof: Proof, verdict: Verdict) -> str:
    if verdict.ok:
        return f"verified ({len(proof.steps)} steps, each checked by sympy)"
    return f"FAILED at {verdict.first_failure()}"


def _specs(proof: Proof) -> dict:
    """spec text → a name for it (the spec's `name:` line), for origins built from specs."""
    return {o.spec: o.spec.split("\n", 1)[0].removeprefix("name: ") for o in proof.origins if o.spec}


# -- text ----------------------------------------------------------------------------------
def plain(e: Any) -> str:
    """A formula in plain text: h·w·(c1 + c2) + c1·c2, x^2, ∂/∂x [f]."""
    if isinstance(e, sp.Derivative):
        return f"∂/∂{e.variables[0]} [{plain(e.expr)}]"
    if isinstance(e, sp.Limit):
        return f"lim_{{{e.args[1]}→∞}} [{plain(e.args[0])}]"
    if _is_ratio(e):
        return f"({plain(e.args[0])})/({plain(e.args[1].base)})"
    return sp.sstr(e).replace("**", "^").replace("*", "·")


def _is_ratio(e: Any) -> bool:
    """An unevaluated a/b built by core.ratio (Mul(a, Pow(b, -1)) with a non-trivial b)."""
    return (isinstance(e, sp.Mul) and len(e.args) == 2 and isinstance(e.args[1], sp.Pow)
            and e.args[1].exp == -1 and not e.args[1].base.is_Atom)


def _claim_text(parts: tuple) -> str:
    out, degree = [], None
    for p in parts:
        if degree is not None:
            out.append(f"{degree}({plain(p)})")
            degree = None
        elif isinstance(p, str) and p.startswith("deg_"):
            degree = p
        else:
            out.append(p if isinstance(p, str) else plain(p))
    return " ".join(out)


def _text(proof: Proof, verdict: Verdict, out: TextIO) -> None:
    w = out.write
    w(f"{proof.name} — {proof.title}\nsource: {proof.source}\n\nstatement: {proof.statement}\n")
    w("assumptions:\n" + "".join(f"  - {a}\n" for a in proof.assumptions))
    w("from the engine (registered layer kinds):\n")
    for o in proof.origins:
        w(f"  - {o.label} = {plain(o.expr)}\n")
    for text, label in _specs(proof).items():
        w(f"  spec of the {label}:\n" + "".join(f"    | {ln}\n" for ln in text.splitlines()))
    w("derivation:\n")
    for i, (step, res) in enumerate(zip(proof.steps, verdict.results), 1):
        w(f"  {i:>2}. {step.text}\n      {_claim_text(step.claim())}\n")
        w(f"      {'✓' if res.ok else '✗ FAILED:'} {res.how}\n")
    w(f"{conclusion(proof, verdict)}\n")
    for note in proof.notes:
        w(f"note: {note}\n")
    w("\n")


def _text_table(table, out: TextIO) -> None:
    rows = [table.header] + [tuple(str(c) for c in r) for r in table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.header))]
    out.write(f"{table.title}\n")
    for r in rows:
        out.write("  ".join(c.rjust(wd) if i else c.ljust(wd)
                            for i, (c, wd) in enumerate(zip(r, widths))).rstrip() + "\n")
    out.write("".join(f"  {n}\n" for n in table.notes) + "\n")


# -- markdown ------------------------------------------------------------------------------
def _math(parts: tuple) -> str:
    out, degree = [], None
    for p in parts:
        if degree is not None:
            out.append(r"\deg_{%s}\left(%s\right)" % (degree, sp.latex(sp.sympify(p))))
            degree = None
        elif isinstance(p, str) and p.startswith("deg_"):
            degree = sp.latex(sp.Symbol(p[4:]))
        elif isinstance(p, str):
            out.append(_LATEX_OPS[p])
        else:
            out.append(sp.latex(sp.sympify(p)))
    return " ".join(out)


def _markdown(proof: Proof, verdict: Verdict, out: TextIO) -> None:
    w = out.write
    w(f"## `{proof.name}`: {proof.title}\n\n*Source:* {proof.source}\n\n")
    w(f"**Statement.** {proof.statement}\n\n**Assumptions.** " + "; ".join(proof.assumptions) + ".\n\n")
    w("**From the engine.**\n\n")
    for o in proof.origins:
        w(f"- {o.label}: ${sp.latex(o.expr)}$\n")
    for text, label in _specs(proof).items():
        w(f"\n<details><summary>spec of the {label}</summary>\n\n```yaml\n{text}```\n</details>\n")
    w("\n**Derivation.**\n\n")
    for i, (step, res) in enumerate(zip(proof.steps, verdict.results), 1):
        mark = "✓" if res.ok else "**FAILED:**"
        w(f"{i}. {step.text}:  \n   ${_math(step.claim())}$  \n   {mark} `{res.how}`\n")
    w(f"\n**{conclusion(proof, verdict).capitalize()}.**\n\n")
    for note in proof.notes:
        w(f"> {note}\n\n")


def _md_table(table, out: TextIO) -> None:
    out.write(f"**{table.title}**\n\n| " + " | ".join(table.header) + " |\n")
    out.write("|" + "|".join(":--" if i == 0 else "--:" for i in range(len(table.header))) + "|\n")
    for r in table.rows:
        out.write("| " + " | ".join(str(c) for c in r) + " |\n")
    out.write("\n" + "".join(f"- {n}\n" for n in table.notes) + "\n")


# -- LaTeX ---------------------------------------------------------------------------------
def tex(text: str) -> str:
    """Plain text escaped for LaTeX (a few Unicode signs become math)."""
    return "".join(_LATEX_TEXT.get(ch, ch) for ch in text)


def _latex(proof: Proof, verdict: Verdict, out: TextIO) -> None:
    w = out.write
    w(f"\\section*{{{tex(proof.name)}: {tex(proof.title)}}}\n\\emph{{Source:}} {tex(proof.source)}\n\n")
    w(f"\\paragraph{{Statement.}} {tex(proof.statement)}\n\n\\paragraph{{Assumptions.}} "
      + "; ".join(tex(a) for a in proof.assumptions) + ".\n\n\\paragraph{From the engine.}\n")
    w("\\begin{itemize}\n" + "".join(f"\\item {tex(o.label)}: ${sp.latex(o.expr)}$\n"
                                     for o in proof.origins) + "\\end{itemize}\n")
    w("\\paragraph{Derivation.}\n\\begin{enumerate}\n")
    for step, res in zip(proof.steps, verdict.results):
        mark = "" if res.ok else r"\textbf{FAILED:} "
        w(f"\\item {tex(step.text)}: \\[ {_math(step.claim())} \\] {mark}\\emph{{{tex(res.how)}}}\n")
    w(f"\\end{{enumerate}}\n\\textbf{{{tex(conclusion(proof, verdict))}}}\n\n")
    for note in proof.notes:
        w(f"\\noindent {tex(note)}\n\n")


def _latex_table(table, out: TextIO) -> None:
    cols = "l" + "r" * (len(table.header) - 1)
    out.write(f"\\paragraph{{{tex(table.title)}}}\n\\begin{{tabular}}{{{cols}}}\n")
    out.write(" & ".join(tex(h) for h in table.header) + " \\\\\n\\hline\n")
    for r in table.rows:
        out.write(" & ".join(tex(str(c)) for c in r) + " \\\\\n")
    out.write("\\end{tabular}\n\n" + "".join(f"{tex(n)}\n\n" for n in table.notes))
