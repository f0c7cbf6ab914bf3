"""G4: element-wise operations are non-negligible (ShuffleNet V2, Sec. 2, G4, Fig. 2).

Element-wise ops (ReLU, AddTensor, AddBias, ...) have no multiply-adds, so madds say they are
free; their memory access per arithmetic op, mem_access/flops, is bounded below by a positive
constant for every element-wise kind in the registry. The paper also counts depthwise convs
as element-wise for their high memory-access-to-FLOPs ratio (the paper's words: "MAC/FLOPs"): mem_access/madds ≥ 2/k². A c×c
1×1 conv instead has mem_access/madds = 2/c + 1/(h·w), which falls towards 0 as c and h·w
grow. On each zoo spec, element-wise ops and depthwise convs take a larger share of
mem_access than of madds.
"""
from __future__ import annotations

import sympy as sp

from costmodel import layers
from costmodel.layers.base import REQUIRED, Shape
from costmodel.proofs import engine as en
from costmodel.proofs.core import Origin, Proof, Table, ratio
from costmodel.proofs.steps import Compare, Equal, Limit, NonNeg, Slope

NAME = "g4"
ORDER = 50
TITLE = "G4: element-wise ops and depthwise convs move far more memory than their madds say"
SOURCE = "ShuffleNet V2 (Ma et al., ECCV 2018), Sec. 2, guideline G4, Fig. 2"
CATEGORIES = ("conv + fc", "depthwise conv", "element-wise", "pooling", "data movement")
G4_OPS = ("element-wise", "depthwise conv")     # what the paper calls element-wise


def elementwise_kinds() -> list:
    """Registered element-wise kinds whose arguments all have defaults."""
    return [cls for cls in layers.kinds().values() if cls.elementwise
            and all(a.default is not REQUIRED for a in cls.args)]


def _cost_on(cls, x: Shape):
    inst = cls()
    return inst.merge_cost(x, [x, x], x) if cls.merge else inst.cost(x, inst.out_shape(x))


def build(ctx) -> Proof:
    c, k = en.sym("c"), en.sym("k", integer=True)
    h, w = en.sym("h w", integer=True)
    x = Shape(c, h, w)
    origins, steps = [], []
    for cls in elementwise_kinds():
        cost = _cost_on(cls, x)
        how = f"{cls.name} on c×h×w" + (" (2 branches)" if cls.merge else "")
        branches = 2 if cls.merge else 0
        origins += [Origin(f"{m} of {how}", getattr(cost, m), m, cls.name, (), (c, h, w),
                              branches) for m in ("mem_access", "flops")]
        steps += _bounded(cls.name, ratio(cost.mem_access, cost.flops), h)
    dw = dict(kind="dwconv", x=x, k=k, p="same")
    pw = dict(kind="conv", x=x, c=c, k=1)
    o = [en.layer_origin(f"{m} of {w_}", m, **spec) for w_, spec in
         (("dwconv(k=k, p='same') on c×h×w", dw), ("conv(c=c, k=1) on c×h×w", pw))
         for m in ("mem_access", "madds")]
    steps += _convs(ratio(o[0].expr, o[1].expr), ratio(o[2].expr, o[3].expr), c, k, h, w)
    zoo = [z for z in ctx.zoo() if not z.error]
    steps += [s for z in zoo for s in _share_steps(z)]
    return Proof(NAME, TITLE, SOURCE,
                 "Every registered element-wise kind has mem_access/flops ≥ a positive "
                 "constant, a depthwise k×k conv has mem_access/madds ≥ 2/k², while a c×c 1×1 "
                 "conv's mem_access/madds = 2/c + 1/(h·w) falls towards 0; in every zoo "
                 "network element-wise ops and depthwise convs take a larger share of "
                 "mem_access than of madds.",
                 ("c > 0; k, h, w positive integers", "element-wise merges (add, mul) "
                  "with 2 equal branches; kinds at their default arguments",
                  "element-wise ops have 0 madds, so their ratio is taken per flop"),
                 origins + o, steps, [share_table(ctx.zoo())])


def _bounded(kind: str, r, h) -> list:
    """r ≥ its limit on large maps, a positive constant (r equals it when r is constant)."""
    bound = sp.limit(r, h, sp.oo)
    first = (Equal(f"{kind}: mem_access/flops is the constant {bound}", r, bound)
             if not sp.cancel(r).free_symbols else
             NonNeg(f"{kind}: mem_access/flops stays at or above {bound}", r, rhs=bound))
    return [first, Compare(f"{kind}: that bound is a positive constant", bound, ">", 0)]


def _convs(dw_ratio, pw_ratio, c, k, h, w) -> list:
    return [
        Equal("depthwise k×k conv: mem_access/madds", dw_ratio, 2 / k**2 + 1 / (h * w)),
        NonNeg("... never below 2/k², whatever c (2/9 for k = 3)", dw_ratio, rhs=2 / k**2),
        Equal("c×c 1×1 conv: mem_access/madds", pw_ratio, 2 / c + 1 / (h * w)),
        Slope("... falls as c grows", pw_ratio, c, -2 / c**2, -1),
        Limit("... towards 1/(h·w) for wide layers", pw_ratio, c, 1 / (h * w)),
        Limit("... and towards 0 on large maps: no constant lower bound",
              (2 / c + 1 / (h * w)).subs(c, h), h, 0),
    ]


def category(node, cost) -> str:
    if en.is_depthwise(node):
        return "depthwise conv"
    if cost.madds != 0:
        return "conv + fc"
    if node.layer.elementwise:
        return "element-wise"
    if node.kind.endswith("pool") or node.kind == "gap":
        return "pooling"
    return "data movement"


def shares(analysis) -> dict:
    """category → (madds, mem_access) totals of one analysed network."""
    out = {cat: [0, 0] for cat in CATEGORIES}
    for node, cost in zip(analysis.graph.nodes, analysis.costs):
        t = out[category(node, cost)]
        t[0] += cost.madds
        t[1] += cost.mem_access
    return {cat: tuple(v) for cat, v in out.items()}


def _share_steps(entry) -> list:
    s, tot = shares(entry.analysis), entry.analysis.totals
    madds, mem = (sum(s[c][i] for c in G4_OPS) for i in (0, 1))
    if not mem:
        return []
    a, b = sp.Rational(madds, tot.madds), sp.Rational(mem, tot.mem_access)
    return [Compare(f"{entry.name}: element-wise ops and depthwise convs take a larger share "
                    f"of mem_access ({_pct(mem, tot.mem_access)}%) than of madds "
                    f"({_pct(madds, tot.madds)}%)", a, "<", b)]


def share_table(zoo: list) -> Table:
    """One row per zoo network: what each kind of operator takes of madds and mem_access."""
    rows = []
    for entry in zoo:
        if entry.error:
            rows.append((entry.name,) + ("",) * 8 + (entry.error,))
            continue
        s, tot = shares(entry.analysis), entry.analysis.totals
        g4 = tuple(sum(s[c][i] for c in G4_OPS) for i in (0, 1))
        rows.append((entry.name, en.count(tot.madds), en.count(tot.mem_access),
                     _pct(s["depthwise conv"][0], tot.madds),
                     _pct(s["depthwise conv"][1], tot.mem_access),
                     _pct(s["element-wise"][1], tot.mem_access),
                     _pct(s["data movement"][1], tot.mem_access),
                     _pct(g4[0], tot.madds), _pct(g4[1], tot.mem_access), ""))
    return Table("Shares of madds and of mem_access (%), zoo specs at their defaults",
                 ("network", "madds", "mem_access", "dw madds", "dw mem", "elem-wise mem",
                  "data mem", "G4 madds", "G4 mem", "note"), tuple(rows),
                 ("dw = depthwise convs; elem-wise = kinds flagged element-wise in the registry "
                  "(activations, bn, add, mul, ...; their madds are 0 by definition); data = "
                  "concat, split, shuffle, ...; G4 = element-wise + depthwise, what the paper "
                  "calls element-wise; the rest of mem_access is conv, fc and pooling",))


def _pct(part, whole) -> str:
    return f"{100 * float(sp.Rational(part, whole)):.1f}" if whole else "-"
