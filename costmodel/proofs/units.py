"""The unit formulas of the ShuffleNet paper (Zhang et al., CVPR 2018, Sec. 3.2) and of
MobileNetV2 (Sandler et al., CVPR 2018, Sec. 3.3), derived from blocks built by the engine.

For an input c×h×w and m bottleneck channels (stride 1): a ResNet bottleneck costs
hw(2cm + 9m²) multiply-adds, a ResNeXt one hw(2cm + 9m²/g), a ShuffleNet unit hw(2cm/g + 9m).
A MobileNetV2 block from d′ to d″ channels with expansion t and a k×k depthwise conv costs
h·w·d′·t·(d′ + k² + d″). Each block below is a spec analysed symbolically by the engine.
"""
from __future__ import annotations

from costmodel.proofs import engine as en
from costmodel.proofs.core import Proof
from costmodel.proofs.steps import Equal, Slope

NAME = "units"
ORDER = 60
TITLE = "ShuffleNet and MobileNetV2 unit costs, from our blocks"
SOURCE = ("ShuffleNet (Zhang et al., CVPR 2018), Sec. 3.2; MobileNetV2 (Sandler et al., "
          "CVPR 2018), Sec. 3.3 and Table 1")

_RESIDUAL = "  - residual: [{body}]\n  - relu\n"
BLOCKS = {   # name → (symbols with defaults, input, layers)
    "ResNet bottleneck": ({"c": 256, "m": 64}, "[c, h, w]", _RESIDUAL.format(
        body="conv: {c: m, k: 1}, bn, relu, conv: {c: m, k: 3}, bn, relu, conv: {c: c, k: 1}, bn")),
    "ResNeXt bottleneck": ({"c": 256, "m": 128, "g": 32}, "[c, h, w]", _RESIDUAL.format(
        body="conv: {c: m, k: 1}, bn, relu, conv: {c: m, k: 3, g: g}, bn, relu, "
             "conv: {c: c, k: 1}, bn")),
    "ShuffleNet unit": ({"c": 240, "m": 60, "g": 3}, "[c, h, w]", _RESIDUAL.format(
        body="conv: {c: m, k: 1, g: g}, bn, relu, shuffle: {g: g}, dwconv: {k: 3}, bn, "
             "conv: {c: c, k: 1, g: g}, bn")),
    "MobileNetV2 block": ({"d1": 24, "d2": 24, "t": 6, "k": 3}, "[d1, h, w]",
                          "  - conv: {c: d1*t, k: 1}\n  - bn\n  - relu6\n"
                          "  - dwconv: {k: k, p: same}\n  - bn\n  - relu6\n"
                          "  - conv: {c: d2, k: 1}\n  - bn\n"),
}


def spec(name: str) -> tuple:
    """(spec text, symbol names) of one block of BLOCKS, at 56×56 by default."""
    symbols, input_, body = BLOCKS[name]
    text = en.spec_text(name, {**symbols, "h": 56, "w": 56}, input_, body)
    return text, tuple(symbols) + ("h", "w")


def build(ctx) -> Proof:
    c, m, g, d1, d2, t = en.sym("c m g d1 d2 t")
    h, w, k = en.sym("h w k", integer=True)
    values = {"c": c, "m": m, "g": g, "d1": d1, "d2": d2, "t": t, "h": h, "w": w, "k": k}
    origins = {}
    for name in BLOCKS:
        text, names = spec(name)
        origins[name] = en.block_origin(f"madds of the {name} spec", "madds", text,
                                        {n: values[n] for n in names})
    e = {name: o.expr for name, o in origins.items()}
    steps = [
        Equal("ResNet bottleneck: 1×1 c → m, 3×3 m → m, 1×1 m → c", e["ResNet bottleneck"],
              h * w * (2 * c * m + 9 * m**2)),
        Equal("ResNeXt bottleneck: the 3×3 conv has g groups", e["ResNeXt bottleneck"],
              h * w * (2 * c * m + 9 * m**2 / g)),
        Equal("... which is the ResNet bottleneck at g = 1", e["ResNeXt bottleneck"].subs(g, 1),
              e["ResNet bottleneck"]),
        Slope("... and falls as g grows", e["ResNeXt bottleneck"], g, -9 * h * w * m**2 / g**2, -1),
        Equal("ShuffleNet unit: 1×1 group convs (g groups), channel shuffle, 3×3 depthwise conv",
              e["ShuffleNet unit"], h * w * (2 * c * m / g + 9 * m)),
        Slope("... falls as g grows", e["ShuffleNet unit"], g, -2 * h * w * c * m / g**2, -1),
        Equal("MobileNetV2 block: 1×1 d′ → t·d′, k×k depthwise, 1×1 t·d′ → d″",
              e["MobileNetV2 block"], h * w * d1 * t * (d1 + k**2 + d2)),
        Slope("... grows with the expansion t", e["MobileNetV2 block"], t,
              h * w * d1 * (d1 + k**2 + d2), +1),
    ]
    return Proof(NAME, TITLE, SOURCE,
                 "Stride 1, input c×h×w, bottleneck m: ResNet hw(2cm + 9m²), ResNeXt "
                 "hw(2cm + 9m²/g), ShuffleNet unit hw(2cm/g + 9m); MobileNetV2 block "
                 "h·w·d′·t·(d′ + k² + d″) (d1 = d′, d2 = d″).",
                 ("c, m, g, d′, d″, t > 0; h, w, k positive integers", "stride 1; madds "
                  "count conv and fc only, so BN, ReLU, shuffle and the residual add add none"),
                 list(origins.values()), steps)
