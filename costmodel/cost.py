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

from dataclasses import dataclass
from typing import Any

from costmodel import numbers as num
from costmodel.graph.build import Graph
from costmodel.layers.base import Cost

METRICS = ("params", "madds", "flops", "mem_access")
DTYPE_BYTES = {"fp32": 4, "fp16": 2, "bf16": 2, "int8": 1}


@dataclass
class Row:
    """One line of the cost table: a layer (leaf) or a block/merge group (subtotal)."""
    path: str
    kind: str
    out_shape: Any
    cost: Cost
    depth: int
    leaf: bool
    index: int = -1       # node index for leaves
    span: tuple = ()      # (start, end): the graph nodes this row covers


@dataclass
class Analysis:
    graph: Graph
    costs: list           # Cost per node
    rows: list            # pre-order: group rows before their children
    totals: Cost
    params_without_bn: Any


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
