"""`Record`: the base of the engine's small value records (spec model, shapes, costs).

A subclass lists its fields in `__slots__` and writes its `__init__`; `Record` gives equality,
hash and repr by field value, as a frozen dataclass does, plus `replace`. It stands in for
`@dataclass` on the numeric path because `dataclasses` is dear at start-up: every decorated
class exec()s its generated methods (~0.3 ms a class) and the module imports `inspect` (with
`ast`, `dis`, `tokenize`), together a sixth of a cold `costmodel report` (benchmarks/PROFILE.md).
Records are treated as immutable by convention; nothing enforces it.
"""
from __future__ import annotations


class Record:
    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__name__}({fields})"

    def replace(self, **changes) -> Record:
        """A copy with some fields changed (as `dataclasses.replace`)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field {sorted(unknown)[0]!r}")
        values.update(changes)
        return self.__class__(**values)
