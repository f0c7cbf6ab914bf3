"""G3: network fragmentation reduces the degree of parallelism (ShuffleNet V2, Sec. 2, G3,
Table 3, Appendix Fig. 1).

Cost model (ours; the paper measures speed): a block takes T = madds/P + mem_access/β + τ·F,
with P the multiply-add throughput, β the memory bandwidth (elements per unit time) and τ the
launch and synchronisation overhead of each of its F fragments. A fragment is what the paper
counts: "the number of individual convolution or pooling operations in one building block".
The paper's blocks (Appendix Fig. 1) are built with the engine: one 1×1 conv c → c; n 1×1
convs m → m in series with m chosen for equal madds (Table 3: "the channel number in other
fragmented structures is adjusted so that the FLOPs is the same"); n parallel 1×1 convs
c → c/n joined by a concat (our reading of the figure). At equal madds, T_n − T_1 is exactly
(n − 1)·τ plus a memory term that is never negative.
"""
from __future__ import annotations

import re

import sympy as sp

from costmodel.proofs import engine as en
from costmodel.proofs.core import Proof, Table
from costmodel.proofs.steps import Compare, Equal, NonNeg, Solve

NAME = "g3"
ORDER = 40
TITLE = "G3: at equal multiply-adds, n fragments cost n − 1 more launch overheads"
SOURCE = "ShuffleNet V2 (Ma et al., ECCV 2018), Sec. 2, guideline G3, Table 3, Appendix Fig. 1"
FRAGMENTS = (2, 4)             # Appendix Fig. 1: 2- and 4-fragment, series and parallel


def is_fragment(node, cost) -> bool:
    """A convolution or fully-connected layer (it has madds) or a pooling operator."""
    return cost.madds != 0 or node.kind.endswith("pool") or node.kind == "gap"


def fragments(analysis, start: int = 0, end: int | None = None) -> int:
    nodes = analysis.graph.nodes[start:end]
    return sum(1 for n, c in zip(nodes, analysis.costs[start:end]) if is_fragment(n, c))


def _spec(name: str, input_: str, body: str) -> str:
    return en.spec_text(name, {"c": 128, "m": 64, "h": 56, "w": 56}, input_, body)


def variants() -> dict:
    """Spec text of each block of Appendix Fig. 1, keyed (kind, n)."""
    out = {("one", 1): _spec("G3 1-fragment", "[c, h, w]", "  - conv: {c: c, k: 1}\n")}
    for n in FRAGMENTS:
        out[("series", n)] = _spec(f"G3 {n}-fragment-series", "[m, h, w]",
                                   f"  - repeat: {{n: {n}, body: [conv: {{c: m, k: 1}}]}}\n")
        branches = ", ".join([f"[conv: {{c: c/{n}, k: 1}}]"] * n)
        out[("parallel", n)] = _spec(f"G3 {n}-fragment-parallel", "[c, h, w]",
                                     f"  - concat: [{branches}]\n")
    return out


def build(ctx) -> Proof:
    c, m, P, beta, tau = en.sym("c m P beta tau")
    h, w = en.sym("h w", integer=True)
    env = {"c": c, "m": m, "h": h, "w": w}
    origins, steps, model = [], [], {}
    for key, text in variants().items():
        a = en.block(text, env)
        for metric in ("madds", "mem_access"):
            origins.append(en.block_origin(f"{metric} of the {_name(*key)} block", metric, text, env))
        model[key] = (a.totals.madds, a.totals.mem_access, fragments(a))
    one = model[("one", 1)]
    steps.append(Equal("the 1-fragment block: one 1×1 conv c → c", one[0], h * w * c**2))
    for (kind, n), (madds, mem, F) in model.items():
        if kind != "one":
            steps += _variant(kind, n, madds, mem, F, one, (c, m, h, w, P, beta, tau))
    return Proof(NAME, TITLE, SOURCE,
                 "With T = madds/P + mem_access/β + τ·F (F = fragments), an n-fragment block "
                 "(series or parallel) with the madds of a 1-fragment block takes "
                 "T_n − T_1 = (n − 1)·τ + (a memory term ≥ 0): n − 1 more overheads.",
                 ("c, m, P, β, τ > 0; h, w positive integers", "fragments = conv, fc and "
                  "pooling operators (the paper's count); BN, ReLU and concat are not counted",
                  "parallel blocks: n 1×1 convs c → c/n joined by a concat (our reading of "
                  "Appendix Fig. 1, which gives no widths)"),
                 origins, steps, [zoo_table(ctx.zoo())])


def _name(kind: str, n: int) -> str:
    return "1-fragment" if kind == "one" else f"{n}-fragment-{kind}"


def _variant(kind, n, madds, mem, F, one, syms) -> list:
    c, m, h, w, P, beta, tau = syms
    label = _name(kind, n)
    if kind == "series":
        width = c / sp.sqrt(n)
        first = [Equal(f"{label}: {n} 1×1 convs m → m", madds, n * h * w * m**2),
                 Solve(f"{label}: equal madds fixes the width m", madds - one[0], m, (width,))]
        madds, mem = madds.subs(m, width), mem.subs(m, width)
        extra = 2 * (sp.sqrt(n) - 1) * h * w * c
    else:
        first = [Equal(f"{label}: {n} 1×1 convs c → c/{n}, concat: madds equal with no "
                       "adjustment", madds, h * w * c**2)]
        extra = (n + 1) * h * w * c
    T = lambda mad, me, f: mad / P + me / beta + tau * f  # noqa: E731 (the cost model)
    gap = T(madds, mem, F) - T(one[0], one[1], one[2])
    return first + [
        Compare(f"{label}: fragments counted in the engine's graph", F, "=", n),
        Equal(f"{label}: T_{n} − T_1 at equal madds", gap, (n - 1) * tau + extra / beta),
        NonNeg(f"{label}: the memory term is never negative, so T_{n} − T_1 ≥ {n - 1}·τ",
               gap, extra / beta, rhs=(n - 1) * tau),
    ]


def block_fragments(analysis) -> list:
    """(block name, calls, fragment counts per call, widest parallel paths) per block def."""
    blocks = analysis.graph.network.blocks
    found: dict = {}
    for g in analysis.graph.groups:
        name = _block_of(g, blocks)
        if name:
            calls = found.setdefault(name, ([], []))
            calls[0].append(fragments(analysis, g.start, g.end))
            calls[1].append(_widest(analysis, g.start, g.end))
    return [(name, len(f), min(f), max(f), max(p)) for name, (f, p) in found.items()]


def _block_of(group, blocks) -> str:
    """The block a group calls: its label, or for `residual: [block: ...]` (which the engine
    labels 'residual') the block its path is named after (stage2/ir3 → ir)."""
    if group.label in blocks:
        return group.label
    last = re.sub(r"_?\d+$", "", group.path.rsplit("/", 1)[-1])
    return last if group.label == "residual" and last in blocks else ""


def _widest(analysis, start: int, end: int) -> int:
    """The most branches holding a fragment among the merges of nodes[start:end] (≥ 1)."""
    nodes, costs = analysis.graph.nodes, analysis.costs
    frag_paths = [n.path for n, c in zip(nodes[start:end], costs[start:end]) if is_fragment(n, c)]
    best = 1
    for node in nodes[start:end]:
        if node.layer.merge:
            base = node.path.rsplit("/", 1)[0]
            best = max(best, sum(1 for i in range(1, len(node.xs) + 1)
                                 if any(p.startswith(f"{base}/b{i}/") for p in frag_paths)))
    return best


def zoo_table(zoo: list) -> Table:
    rows = []
    for entry in zoo:
        if entry.error:
            rows.append((entry.name, "(not analysed)", "", "", "", entry.error))
            continue
        for name, calls, lo, hi, widest in block_fragments(entry.analysis):
            rows.append((entry.name, name, str(calls), str(lo) if lo == hi else f"{lo}-{hi}",
                         str(widest), ""))
        rows.append((entry.name, "(whole network)", "", str(fragments(entry.analysis)), "", ""))
    return Table("Fragments per block in the zoo specs (conv, fc and pooling operators per call)",
                 ("network", "block", "calls", "fragments/call", "parallel paths", "note"),
                 tuple(rows), ("the paper: NASNET-A has 13 fragments per block, ResNet 2 or 3; "
                               "parallel paths = most branches of one merge holding a fragment",))
