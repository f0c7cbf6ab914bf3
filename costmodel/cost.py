"""Stage 5: per-layer cost → per-group subtotals and network totals.

Metric definitions (stated once; README and docs/metrics.md repeat them in words):
  params      trainable parameters as PyTorch counts them: conv/fc weights and biases,
              BN gamma and beta; never BN running statistics.
  params_without_bn   params minus BN gamma/beta (what the TF-slim/Keras tables quote).
  madds       multiply-adds of conv and fc layers only (the papers' "FLOPs"/"Mult-Adds").
  flops       2·madds + every other op: bias adds, BN, activations, pooling, add, mul.
  mem_access  ShuffleNet V2's memory access cost in elements: feature maps read + written +
              parameters read, for every layer (element-wise ops, concat, split, shuffle too).
Bytes are elements × the element size of the chosen dtype.
"""
from __future__ import annotations

from costmodel import numbers as num
from costmodel.graph.build import Graph
from costmodel.layers.base import Cost

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any

METRICS = ("params", "madds", "flops", "mem_access")
DTYPE_BYTES = {"fp32": 4, "fp16": 2, "bf16": 2, "int8": 1}


class Row:
    """One line of the cost table: a layer (leaf) or a block/merge group (subtotal).
    (Plain classes rather than dataclasses here: see costmodel/slotted.py.)"""
    __slots__ = ("path", "kind", "out_shape", "cost", "depth", "leaf", "index", "span")

    def __init__(self, path: str, kind: str, out_shape: Any, cost: Cost, depth: int,
                 leaf: bool, index: int = -1, span: tuple = ()):
        self.path, self.kind, self.out_shape, self.cost = path, kind, out_shape, cost
        self.depth, self.leaf = depth, leaf
        self.index = index        # node index for leaves
        self.span = span          # (start, end): the graph nodes this row covers

    def __repr__(self) -> str:
        return f"Row({self.path!r}, {self.kind!r}, {self.cost!r})"


class Analysis:
    """A costed graph. `symbols` (analysis.Symbols) is set by `analysis.analyse`."""
    __slots__ = ("graph", "costs", "rows", "totals", "params_without_bn", "symbols")

    def __init__(self, graph: Graph, costs: list, rows: list, totals: Cost,
                 params_without_bn: Any):
        self.graph = graph
        self.costs = costs        # Cost per node
        self.rows = rows          # pre-order: group rows before their children
        self.totals, self.params_without_bn = totals, params_without_bn
        self.symbols = None


def layer_cost(node) -> Cost:
    """The cost of one node, from its kind's formulas."""
    if node.layer.merge:
        return node.layer.merge_cost(node.x, list(node.xs), node.y)
    return node.layer.cost(node.x, node.y)


def evaluate(graph: Graph) -> Analysis:
    """Cost every node, then the totals and the pre-order table of groups and layers."""
    costs = [layer_cost(n) for n in graph.nodes]
    totals = Cost.sum(costs)
    bn = num.total(c.params for c, n in zip(costs, graph.nodes) if n.layer.normalisation)
    return Analysis(graph, costs, _rows(graph, costs), totals, num.total([totals.params, -bn]))


def _rows(graph: Graph, costs: list) -> list:
    starts: dict[int, list] = {}
    for g in graph.groups:
        starts.setdefault(g.start, []).append(g)
    rows = []
    for i, node in enumerate(graph.nodes):
        for g in starts.get(i, ()):
            last = graph.nodes[g.end - 1] if g.end > g.start else node
            rows.append(Row(g.path, g.label, last.y, Cost.sum(costs[g.start:g.end]),
                            g.path.count("/"), False, span=(g.start, g.end)))
        rows.append(Row(node.path, node.kind, node.y, costs[i], node.path.count("/"), True, i,
                        (i, i + 1)))
    return rows


def metric(cost: Cost, name: str) -> Any:
    """A metric of a Cost by name (params, madds, flops, mem_access, or a field)."""
    return getattr(cost, name)
