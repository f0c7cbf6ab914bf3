"""Peak activation memory: the largest sum of live feature maps while the graph runs.

The graph's nodes are in execution order (graph/build.py): a merge's branches run one after
another, then the merge. Every node writes one output buffer; a buffer is live from the
step that writes it to the last step that reads it (the network input from the start, the
network output to the end). During step i the live set is every buffer written at or
before i and read at or after i: the step's inputs, its output, and everything held for
later steps, e.g. a residual's input while its body runs, or a branch's output while its
siblings run. Peak = max over steps of the live bytes; we report the step and its buffers.

Buffers that are not new memory:
  * views (flatten, dropout) and `fused` kinds (BN, folded into the conv at inference)
    share their input's buffer;
  * `inplace=True`: an element-wise single-input op (activation) writes into its input when
    it is that buffer's only reader.

`streamed=True` is MobileNetV2's memory-efficient inference (Sandler et al., CVPR 2018,
Sec. 5.1): a chain conv → per-channel ops (BN, activations, depthwise conv, pooling) → conv
can run in channel chunks, so its inner tensors are never materialised; only the chain's
input and the last conv's accumulated output are. A buffer is streamed when
  - its writer computes each output channel on its own (conv, dwconv, pooling, an
    activation), and is not a channel-mixing conv fed by a streamed buffer (that conv
    accumulates: its output must be complete before anyone reads it);
  - it has exactly one reader, and that reader is per-channel or a conv/fc (which accumulates
    the chunks).
`largest_tensor` is then the biggest materialised buffer: the quantity tabulated in
MobileNetV2 Table 3 (see docs/latency.md for which revision it reproduces).
"""
from __future__ import annotations

from dataclasses import dataclass

from costmodel import numbers as num
from costmodel.errors import UsageError

VIEWS = ("flatten", "dropout")
PER_CHANNEL = ("dwconv", "bn", "maxpool", "avgpool", "relu", "relu6", "leaky", "sigmoid",
               "hsigmoid", "swish", "hswish", "tanh")
ACTIVATIONS = ("relu", "relu6", "leaky", "sigmoid", "hsigmoid", "swish", "hswish", "tanh")
CHANNEL_MIXING = ("conv", "fc")      # accumulate over input channels


@dataclass
class Buffer:
    writer: int           # node index; -1 = network input
    size: int             # elements for the whole batch
    start: int
    end: int              # last step that reads it
    path: str
    streamed: bool = False


@dataclass
class Peak:
    bytes: int
    step: int             # node index where the peak happens (-1: before the first node)
    path: str
    live: list            # (path, bytes) of the buffers live at the peak, largest first
    largest_tensor_bytes: int
    largest_tensor_path: str
    bytes_per_element: int
    batch: int


def _int(v) -> int:
    if not num.is_numeric(v):
        raise UsageError("peak memory needs numbers: give every symbol a value")
    return int(v)


def buffers(graph, batch: int = 1, fused: tuple = ("bn",), inplace: bool = False,
            streamed: bool = False) -> tuple:
    """(buffers, owner): owner[i] is the buffer index node i writes (or aliases)."""
    nodes = graph.nodes
    readers: dict[int, list] = {}
    for i, n in enumerate(nodes):
        for p in set(n.inputs):
            readers.setdefault(p, []).append(i)
    bufs = [Buffer(-1, _int(graph.input.numel) * batch, -1, -1, "input")]
    owner = {-1: 0}
    for i, n in enumerate(nodes):
        src = owner[n.inputs[0]] if n.inputs else None
        alias = n.kind in VIEWS or n.kind in fused or (
            inplace and n.kind in ACTIVATIONS and len(readers.get(n.inputs[0], ())) == 1)
        if alias and src is not None and len(n.inputs) == 1:
            owner[i] = src
            continue
        owner[i] = len(bufs)
        bufs.append(Buffer(i, _int(n.y.numel) * batch, i, i, n.path))
    for i, n in enumerate(nodes):
        for p in n.inputs:
            b = bufs[owner[p]]
            b.end = max(b.end, i)
    last = owner[len(nodes) - 1] if nodes else 0
    bufs[last].end = len(nodes) - 1
    if streamed:
        _mark_streamed(nodes, bufs, owner)
    return bufs, owner


def _mark_streamed(nodes: list, bufs: list, owner: dict) -> None:
    """Mark buffers that a channel-chunked schedule never materialises (module docstring)."""
    readers: dict[int, set] = {}
    for i, n in enumerate(nodes):
        for p in n.inputs:
            if owner[p] != owner[i]:
                readers.setdefault(owner[p], set()).add(i)
    for b_index, b in enumerate(bufs):
        if b.writer < 0:
            continue
        w = nodes[b.writer]
        if w.layer.merge or w.kind not in PER_CHANNEL + ("conv",):
            continue
        fed = bufs[owner[w.inputs[0]]]
        if w.kind == "conv" and fed.streamed:
            continue                      # an accumulating conv: its output is complete
        rs = readers.get(b_index, set())
        if len(rs) != 1:
            continue
        r = nodes[next(iter(rs))]
        if not r.layer.merge and (r.kind in PER_CHANNEL or r.kind in CHANNEL_MIXING):
            b.streamed = True


def peak(analysis, bytes_per_element: int = 4, batch: int = 1, fused: tuple = ("bn",),
         inplace: bool = False, streamed: bool = False) -> Peak:
    """The peak of live activation bytes over the sequential schedule (module docstring)."""
    if batch < 1:
        raise UsageError(f"batch must be a positive integer, got {batch}")
    graph = analysis.graph
    bufs, _ = buffers(graph, batch, fused, inplace, streamed)
    real = [b for b in bufs if not b.streamed]
    best, best_step = -1, -1
    for step in range(-1, len(graph.nodes)):
        live = sum(b.size for b in real if b.start <= step <= b.end)
        if live > best:
            best, best_step = live, step
    at = sorted(((b.path, b.size * bytes_per_element) for b in real
                 if b.start <= best_step <= b.end), key=lambda t: -t[1])
    big = max(real, key=lambda b: b.size)
    path = graph.nodes[best_step].path if best_step >= 0 else "input"
    return Peak(best * bytes_per_element, best_step, path, at, big.size * bytes_per_element,
                big.path, bytes_per_element, batch)
