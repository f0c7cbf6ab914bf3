"""G1: equal channel widths minimise memory access (ShuffleNet V2, Sec. 2, eq. 1, Table 1).

A 1×1 conv from c1 to c2 channels on an h×w map has B = h·w·c1·c2 multiply-adds and
mem_access = h·w·(c1 + c2) + c1·c2 (read input, write output, read weights). By AM-GM,
mem_access ≥ 2·√(h·w·B) + B/(h·w), with equality iff c1 = c2; equivalently, at fixed B the
only minimiser over c1 is c1 = c2. Table 1 is recomputed with the engine: the paper's
benchmark network stacks 10 blocks of two 1×1 convs (c1 → c2, c2 → c1) at 56×56.
"""
from __future__ import annotations

import sympy as sp

from costmodel.layers.base import Shape
from costmodel.proofs import engine as en
from costmodel.proofs.core import Proof, Table
from costmodel.proofs.steps import Compare, Equal, NonNeg, Solve

NAME = "g1"
ORDER = 20
TITLE = "G1: equal channel widths minimise memory access"
SOURCE = "ShuffleNet V2 (Ma et al., ECCV 2018), Sec. 2, guideline G1, eq. 1, Table 1"
SIZE = 56                     # Table 1: input 56×56
RATIOS = ("1:1", "1:2", "1:6", "1:12")
PAIRS = (((128, 128), (90, 180), (52, 312), (36, 432)),   # Table 1, first setting
         ((32, 32), (22, 44), (13, 78), (9, 108)))        # Table 1, second setting


def build(ctx) -> Proof:
    c1, c2, B = en.sym("c1 c2 B")
    h, w = en.sym("h w", integer=True)
    conv = dict(kind="conv", x=Shape(c1, h, w), c=c2, k=1)
    mem = en.layer_origin("mem_access of conv(c=c2, k=1) on c1×h×w", "mem_access", **conv)
    madds = en.layer_origin("madds of the same conv", "madds", **conv)
    steps = _inequality(mem.expr, madds.expr, c1, c2, h, w) + _optimum(mem.expr, c1, c2, h, w, B)
    rows = table_rows()
    return Proof(NAME, TITLE, SOURCE,
                 "For a 1×1 conv with fixed multiply-adds B on an h×w map, "
                 "mem_access ≥ 2·√(h·w·B) + B/(h·w), with equality iff c1 = c2; at fixed B "
                 "the minimiser over c1 is c1 = c2.",
                 ("c1, c2, B > 0; h, w positive integers", "stride 1, no bias, batch 1",
                  "the whole input, output and weights each move once (the paper's model)"),
                 [mem, madds], steps + _table_steps(rows), [_table(rows)])


def _inequality(M, F, c1, c2, h, w) -> list:
    bound = 2 * sp.sqrt(h * w * F) + F / (h * w)
    gap = h * w * (sp.sqrt(c1) - sp.sqrt(c2)) ** 2
    return [
        Equal("mem_access of the 1×1 conv: input read, output written, weights read "
              "(paper eq. 1)", M, h * w * (c1 + c2) + c1 * c2),
        Equal("its multiply-adds B", F, h * w * c1 * c2),
        Equal("the bound 2·√(h·w·B) + B/(h·w) with this B", bound,
              2 * h * w * sp.sqrt(c1 * c2) + c1 * c2),
        Equal("mem_access minus the bound is h·w times a square", M - bound, gap),
        NonNeg("a square times h·w is never negative, so mem_access ≥ 2·√(h·w·B) + B/(h·w)",
               M, gap, rhs=bound),
        Solve("equality holds only at c1 = c2 (the equality case of AM-GM)", gap, c1, (c2,)),
    ]


def _optimum(M, c1, c2, h, w, B) -> list:
    f = M.subs(c2, B / (h * w * c1))
    best = sp.sqrt(B / (h * w))
    return [
        Equal("fix B: substitute c2 = B/(h·w·c1)", f, h * w * c1 + B / c1 + B / (h * w)),
        Solve("the only critical point over c1", sp.diff(f, c1), c1, (best,)),
        NonNeg("the second derivative is positive: the critical point is the minimum",
               sp.diff(f, c1, 2), 2 * B / c1 ** 3, strict=True),
        Equal("at the minimum c2 = B/(h·w·c1) equals c1", (B / (h * w * c1)).subs(c1, best), best),
    ]


def benchmark(c1: int, c2: int) -> tuple:
    """(first conv's Cost, network totals) of Table 1's benchmark: 10 × (c1→c2, c2→c1)."""
    body = "  - repeat: {n: 10, body: [conv: {c: c2, k: 1}, conv: {c: c1, k: 1}]}\n"
    text = en.spec_text("G1 benchmark", {"c1": c1, "c2": c2, "size": SIZE}, "[c1, size, size]", body)
    a = en.block(text, {"c1": c1, "c2": c2, "size": SIZE})
    return a.costs[0], a.totals


def table_rows() -> list:
    """(ratio, c1, c2, per-conv Cost, network totals) for every Table 1 configuration."""
    return [(ratio, c1, c2) + benchmark(c1, c2)
            for setting in PAIRS for ratio, (c1, c2) in zip(RATIOS, setting)]


def _table_steps(rows: list) -> list:
    steps = []
    for first in (0, 4):
        base = rows[first]
        for prev, row in zip(rows[first:first + 3], rows[first + 1:first + 4]):
            steps.append(Compare(f"Table 1: mem_access per conv grows from {prev[0]} "
                                 f"({prev[1]}, {prev[2]}) to {row[0]} ({row[1]}, {row[2]})",
                                 prev[3].mem_access, "<", row[3].mem_access))
            steps.append(Compare(f"Table 1: madds at {row[0]} stay within 6% of "
                                 f"{base[0]} ({base[1]}, {base[2]})",
                                 sp.Rational(row[3].madds, base[3].madds), "≥", sp.Rational(94, 100)))
    return steps


def _table(rows: list) -> Table:
    out = []
    for i, (ratio, c1, c2, conv, net) in enumerate(rows):
        bound = 2 * sp.sqrt(SIZE * SIZE * conv.madds) + sp.Rational(conv.madds, SIZE * SIZE)
        base = rows[i - i % len(RATIOS)][3].mem_access
        out.append((ratio, f"({c1}, {c2})", en.count(conv.madds), en.count(conv.mem_access),
                    f"{float(bound):,.1f}", f"{float(conv.mem_access / base):.2f}",
                    en.count(net.madds), en.count(net.mem_access)))
    return Table("ShuffleNet V2 Table 1, recomputed: 1×1 convs at 56×56 (elements, batch 1)",
                 ("c1:c2", "(c1, c2)", "madds/conv", "mem_access/conv", "bound/conv",
                  "vs 1:1", "net madds", "net mem_access"), tuple(out),
                 ("per conv: the c1 → c2 conv (the c2 → c1 conv has the same counts); "
                  "bound = 2·√(h·w·B) + B/(h·w); net = the benchmark of 10 blocks × 2 convs",
                  "the paper measures speed (GPU batches/s, ARM images/s) on this network; "
                  "we recompute its multiply-adds and memory access"))
