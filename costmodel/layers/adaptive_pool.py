"""adaptive_avgpool: PyTorch nn.AdaptiveAvgPool2d((size, size)), c×h×w → c×size×size.

PyTorch's windows (torch 2.14.1, ATen/native/AdaptivePooling.h:32-38 start_index /
end_index): output index i of s = size over an input length n averages the input range

  [floor(i·n/s), ceil((i+1)·n/s))      i = 0 .. s−1

Windows overlap when s does not divide n, and repeat input elements when s > n (upsampling).
Output (i, j) averages a window_h(i) × window_w(j) block, so as for avgpool (one op per window
element: k² − 1 adds and one multiply) the layer does, with T the sum of the window lengths,

  extra_flops = c · T(h, s) · T(w, s)
  T(n, s) = Σ_i [ceil((i+1)·n/s) − floor(i·n/s)] = n + s − gcd(n, s)
  mem_access = c·h·w (read) + c·s² (write); no params.

Why T = n + s − gcd(n, s): ceil(x) = floor(x) + 1 unless x is an integer, so the sum
telescopes to floor(s·n/s) − floor(0) = n plus one for every i in 1..s with s ∤ i·n; s | i·n
exactly when s/g divides i (g = gcd(n, s)), which g of the s values do. Checks: s | n (windows
of n/s, no overlap) gives n; s = n (identity) gives n, i.e. c·n² ops; s = 1 (global) gives n,
i.e. c·h·w, the counts of `gap`; 13 → 6 gives 18 (six windows of 3).

Symbolic input sizes: when n is a formula (e.g. q − 1 with resolution = 32·q) and s a number,
gcd(n, s) = Σ_{d | s} φ(d)·[d | n] with [d | n] = floor(n/d) − floor((n − 1)/d), because the
divisors d of s that divide n are the divisors of g and Σ_{d | g} φ(d) = g. Those floors stay
unevaluated (exact); they vanish when n is a known multiple of s. A symbolic `size` is refused.
"""
from __future__ import annotations

import math

from costmodel import numbers as num
from costmodel.layers.base import Arg, Cost, LayerError, LayerKind, Shape, register

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any


def window_total(n: Any, s: int) -> Any:
    """Σ over the s output positions of PyTorch's adaptive window length: n + s − gcd(n, s)."""
    return n + s - _gcd(n, s)


def _gcd(n: Any, s: int) -> Any:
    """gcd(n, s): math.gcd for numbers; Σ_{d | s} φ(d)·[d | n] with floors for a symbolic n."""
    if num.is_numeric(n):
        return math.gcd(n, s)
    return num.total(_phi(d) * (n // d - (n - 1) // d) for d in _divisors(s))


def _divisors(s: int) -> list:
    small = [d for d in range(1, math.isqrt(s) + 1) if s % d == 0]
    return sorted(set(small + [s // d for d in small]))


def _phi(d: int) -> int:
    """Euler's totient: how many of 1..d are coprime to d."""
    result, m, p = d, d, 2
    while p * p <= m:
        if m % p == 0:
            while m % p == 0:
                m //= p
            result -= result // p
        p += 1
    return result - result // m if m > 1 else result


@register
class AdaptiveAvgPool(LayerKind):
    """adaptive_avgpool: average over PyTorch's adaptive windows to size × size outputs."""
    name = "adaptive_avgpool"
    args = (Arg("size", doc="output height and width (nn.AdaptiveAvgPool2d((size, size)))"),)

    def out_shape(self, x: Shape) -> Shape:
        if not num.is_numeric(self.size):
            raise LayerError("adaptive_avgpool size must not depend on a free symbol: "
                             "give the symbol a value (--set)")
        return Shape(x.c, self.size, self.size)

    def cost(self, x: Shape, y: Shape) -> Cost:
        ops = x.c * window_total(x.h, self.size) * window_total(x.w, self.size)
        return Cost(extra_flops=ops, read_act=x.numel, write_act=y.numel)


EXAMPLES = [
    # torchvision AlexNet at 224: 6x6 → (6, 6) is the identity, windows of 1
    {"kind": "adaptive_avgpool", "args": {"size": 6}, "x": (256, 6, 6), "out": (256, 6, 6),
     "cost": {"extra_flops": 256 * 6*6, "mem_access": 256*6*6 + 256*6*6, "params": 0}},
    # 13x13 → 6x6: windows [0,3) [2,5) [4,7) [6,9) [8,11) [10,13), six of 3 on each axis
    {"kind": "adaptive_avgpool", "args": {"size": 6}, "x": (256, 13, 13), "out": (256, 6, 6),
     "cost": {"extra_flops": 256 * (3+3+3+3+3+3) * (3+3+3+3+3+3),
              "mem_access": 256*13*13 + 256*6*6}},
    # AlexNet at 256: 7x7 → 6x6, windows [0,2) [1,3) [2,4) [3,5) [4,6) [5,7), six of 2
    {"kind": "adaptive_avgpool", "args": {"size": 6}, "x": (256, 7, 7), "out": (256, 6, 6),
     "cost": {"extra_flops": 256 * (6*2) * (6*2), "mem_access": 256*7*7 + 256*6*6}},
    # AlexNet at 193: 5x5 → 6x6 (upsampling), windows [0,1) [0,2) [1,3) [2,4) [3,5) [4,5)
    {"kind": "adaptive_avgpool", "args": {"size": 6}, "x": (256, 5, 5), "out": (256, 6, 6),
     "cost": {"extra_flops": 256 * (1+2+2+2+2+1) * (1+2+2+2+2+1),
              "mem_access": 256*5*5 + 256*6*6}},
    # VGG-16 at 256: 8x8 → 7x7, windows [0,2) [1,3) [2,4) [3,5) [4,6) [5,7) [6,8), seven of 2
    {"kind": "adaptive_avgpool", "args": {"size": 7}, "x": (512, 8, 8), "out": (512, 7, 7),
     "cost": {"extra_flops": 512 * (7*2) * (7*2), "mem_access": 512*8*8 + 512*7*7}},
    # non-square 10x9 → 6x6: rows [0,2) [1,4) [3,5) [5,7) [6,9) [8,10) = 2+3+2+2+3+2,
    # columns [0,2) [1,3) [3,5) [4,6) [6,8) [7,9) = six of 2
    {"kind": "adaptive_avgpool", "args": {"size": 6}, "x": (4, 10, 9), "out": (4, 6, 6),
     "cost": {"extra_flops": 4 * (2+3+2+2+3+2) * (6*2), "mem_access": 4*10*9 + 4*6*6}},
    # size 1 is a global pool: the counts of `gap` on the same map (gap.py example)
    {"kind": "adaptive_avgpool", "args": {"size": 1}, "x": (1280, 7, 7), "out": (1280, 1, 1),
     "cost": {"extra_flops": 1280*7*7, "mem_access": 1280*7*7 + 1280}},
]
