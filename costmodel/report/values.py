"""Turning exact values into report cells: K/M/G for people, exact integers for machines."""
from __future__ import annotations

from fractions import Fraction

from costmodel import numbers as num
from costmodel.analysis import closed_form
from costmodel.cost import DTYPE_BYTES

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Any

UNITS = ((10 ** 12, "T"), (10 ** 9, "G"), (10 ** 6, "M"), (10 ** 3, "K"))


def human(value: Any, syms=None) -> str:
    """3,504,872 → '3.50M'; symbolic values print as their closed form."""
    if not num.is_numeric(value):
        return str(closed_form(value, syms)) if syms is not None else str(value)
    for scale, unit in UNITS:
        if abs(value) >= scale:
            return f"{float(Fraction(value) / scale):.2f}{unit}" if isinstance(value, Fraction) \
                else f"{value / scale:.2f}{unit}"
    return f"{float(value):g}" if isinstance(value, Fraction) else str(value)


def exact(value: Any, syms=None) -> Any:
    """An exact JSON/CSV value: int, a 'p/q' string for fractions, a formula string."""
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return str(closed_form(value, syms) if syms is not None else value)


def grouped(value: Any, syms=None) -> str:
    """3504872 → '3,504,872' (exact, with thousands separators)."""
    if isinstance(value, int):
        return f"{value:,}"
    return str(exact(value, syms))


def shape_text(shape, syms=None) -> str:
    return "×".join(str(exact(v, syms)) for v in (shape.c, shape.h, shape.w))


def nbytes(elements: Any, dtype: str) -> Any:
    return elements * DTYPE_BYTES[dtype]


def human_bytes(n: Any, syms=None) -> str:
    """Bytes in binary units (the papers' "MB": SqueezeNet's 4.8MB is 4.76 MiB)."""
    if not num.is_numeric(n):
        return human(n, syms) + " B"
    for power, unit in ((3, "GiB"), (2, "MiB"), (1, "KiB")):
        if n >= 1024 ** power:
            return f"{float(n / 1024 ** power):.2f} {unit}"
    return f"{n} B"
