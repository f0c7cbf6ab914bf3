"""How the reference implementation writes an op: the spec's optional `impl:` argument.

Hook-based counters see only what the model's code calls. thop hooks nn.Module layers, so
`F.adaptive_avg_pool2d(x, 1)` or `x.mean([2, 3])` is invisible to it; ptflops hooks the
modules *and* monkey-patches torch.nn.functional, so an nn.ReLU (whose forward calls F.relu)
is counted twice and a bare F.relu once; Python operators (`x + y`, `x += y`, `x * y`) are
seen by no counter, `torch.add`/`torch.mul` by ptflops. A spec records the reference code's
choice where a counter's total depends on it, e.g. torchvision MobileNetV2's pooling:

    - gap: {impl: functional}          # F.adaptive_avg_pool2d(x, (1, 1))

or for every layer of a kind: `defaults: {relu: {impl: functional}}`. Kinds not listed in
IMPLS take no `impl:` (no counter depends on how they are written, or they can only be
written one way). The first value of each list is the default.
"""
from __future__ import annotations

_MODULE_OR_FUNCTIONAL = ("module", "functional")

IMPLS: dict[str, tuple] = {
    **{kind: _MODULE_OR_FUNCTIONAL for kind in
       ("relu", "relu6", "leaky", "sigmoid", "hsigmoid", "swish", "hswish", "tanh",
        "maxpool", "avgpool", "adaptive_avgpool")},
    "gap": ("module", "functional", "mean"),
    "gmp": ("module", "functional"),
    "add": ("operator", "functional"),
    "mul": ("operator", "functional"),
}

MEANING = {
    "module": "an nn.Module layer: nn.ReLU(), nn.MaxPool2d(...), nn.AdaptiveAvgPool2d(1), ...",
    "functional": "a call: F.relu(x), F.max_pool2d(x, ...), F.adaptive_avg_pool2d(x, 1); "
                  "for add/mul torch.add(x, y), x.add(y), torch.mul(x, y), x.mul(y)",
    "mean": "x.mean([2, 3]): global pooling written as a reduction",
    "operator": "Python operators: x + y, x += y, x * y",
}


def choices(kind: str) -> tuple:
    """The allowed `impl:` values of a kind (default first); () when it takes none."""
    return IMPLS.get(kind, ())


def effective(kind: str, impl: str | None) -> str:
    """The impl a node stands for: its `impl:` value, else its kind's default ('*' if none)."""
    if impl:
        return impl
    return IMPLS[kind][0] if kind in IMPLS else "*"
