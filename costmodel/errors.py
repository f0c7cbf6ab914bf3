"""Error types. Every error a user can cause is a CostModelError; anything else is a bug.

`SpecError` renders compiler-style, ``file:line:col: error: <where>: <what>``, so editors can
jump to it. `SpecErrors` carries several independent errors found in one validation pass.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:                 # typing costs ~2 ms at start-up; annotations only
    from typing import Iterable



class CostModelError(Exception):
    """Base class of every error caused by user input (spec file or command line)."""


class UsageError(CostModelError):
    """Bad command-line usage (exit code 2)."""


class SpecError(CostModelError):
    """A problem located in a spec file."""

    def __init__(self, message: str, where: str = "", file: str = "<spec>",
                 line: int = 0, col: int = 0):
        super().__init__(message)
        self.message, self.where, self.file, self.line, self.col = message, where, file, line, col

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}:{self.line}:{self.col}: error: {one_line(where + self.message)}"


# every character str.splitlines() breaks on: spec text echoed in a message (a quoted key
# "a\nb", a U+2028 in a name) must not split one error into several lines
_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """`text` with line-breaking characters written as escapes (\\n, \\u2028, ...)."""
    return text.translate(_LINE_BREAKS)


class SpecErrors(CostModelError):
    """Several SpecErrors found in one pass; printed one per line."""

    def __init__(self, errors: list[SpecError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# PyTorch/Keras argument names → our paper letters, for did-you-mean on layer arguments
# (difflib finds no closeness between 'stride' and 's')
SYNONYMS = {"stride": "s", "strides": "s", "kernel": "k", "kernel_size": "k", "size": "k",
            "padding": "p", "pad": "p", "groups": "g", "group": "g", "dilation": "d",
            "channels": "c", "out_channels": "c", "filters": "c", "features": "c",
            "out_features": "c", "use_bias": "bias", "ceil_mode": "ceil", "repeats": "n",
            "times": "n"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close match or a known synonym exists."""
    choices = sorted(set(choices))
    synonym = SYNONYMS.get(str(word).lower())
    if synonym in choices and synonym != word:
        return f" (did you mean '{synonym}'?)"
    import difflib                # only on the error path: keeps start-up cheap
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


MAX_LISTED = 30   # alternatives shown in one message


def one_of(choices: Iterable[str]) -> str:
    """Render the legal alternatives, sorted, for an error message (at most MAX_LISTED)."""
    names = sorted(set(choices))
    if len(names) > MAX_LISTED:
        return ", ".join(names[:MAX_LISTED]) + f", ... ({len(names)} in all)"
    return ", ".join(names) or "(none)"
