"""Where two costs cross as one symbol varies, solved exactly.

The difference d(s) = cost_A(s) − cost_B(s) is cut into polynomial pieces (pieces.py); on each
piece its real roots are found exactly (rationals, radicals or algebraic root objects), and at
every piece boundary the sign on both sides is compared. A sign change at a root is a crossing;
a sign change at a breakpoint of the channel rounding is a jump: the rounded costs leap past
each other there without ever being equal.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from costmodel.design.pieces import Piece, midpoint, split


@dataclass
class Event:
    at: object            # exact sympy number
    kind: str             # "crossing" (a root) or "jump" (a rounding breakpoint)
    before: int           # sign of A − B just below `at` (-1: A cheaper, 1: B cheaper, 0: equal)
    after: int            # sign just above


@dataclass
class Region:
    lo: object
    hi: object
    sign: int             # sign of A − B on (lo, hi)


def compare(diff, s, lo, hi) -> tuple:
    """(events, regions) of d = A − B over (lo, hi); regions merge equal signs."""
    cells = []            # (lo, hi, sign, piece poly)
    for piece in split(diff, s, lo, hi):
        cells.extend(_cells(piece, s))
    regions = _merge(cells)
    events = []
    for left, right in zip(cells, cells[1:]):
        if left[2] != right[2]:
            b = left[1]
            root = _is_zero(left[3].subs(s, b)) and _is_zero(right[3].subs(s, b))
            events.append(Event(b, "crossing" if root else "jump", left[2], right[2]))
    return events, regions


def _is_zero(v) -> bool:
    v = sympy.expand(v)
    return v == 0 or bool(v.equals(0))


def _cells(piece: Piece, s) -> list:
    """The piece cut at the real roots of its polynomial, each cell with its sign."""
    poly = sympy.expand(piece.poly)
    if poly == 0:
        return [(piece.lo, piece.hi, 0, poly)]
    roots = []
    if poly.has(s):
        roots = [r for r in dict.fromkeys(sympy.Poly(poly, s).real_roots())
                 if _between(r, piece.lo, piece.hi)]
    edges = [piece.lo] + sorted(roots, key=lambda r: sympy.N(r, 30)) + [piece.hi]
    return [(a, b, _sign(poly.subs(s, midpoint(a, b))), poly) for a, b in zip(edges, edges[1:])]


def _between(r, lo, hi) -> bool:
    v = sympy.N(r, 30)
    return sympy.N(lo, 30) < v and (hi is sympy.oo or v < sympy.N(hi, 30))


def _sign(v) -> int:
    return 0 if v == 0 else (1 if v > 0 else -1)


def _merge(cells: list) -> list:
    regions: list = []
    for lo, hi, sign, _ in cells:
        if regions and regions[-1].sign == sign:
            regions[-1].hi = hi
        else:
            regions.append(Region(lo, hi, sign))
    return regions
