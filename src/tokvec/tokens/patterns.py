"""The ``{"String": ...}`` / ``{"Regex": ...}`` patterns of ``tokenizer.json`` (Replace, Split).

``tokenizers`` runs regexes with Oniguruma; we run them with the ``regex`` module, whose syntax is
the same for everything real files use (``\\p{L}``, possessive quantifiers, ``(?i:...)``,
lookahead) except ``\\h``, which is a hex digit in Oniguruma and horizontal space in ``regex``:
:func:`onig_to_regex` translates it. Matches are character spans.

>>> p = Pattern.from_json({"Regex": "\\\\s+"})
>>> p.find_matches("a  b")
[((0, 1), False), ((1, 3), True), ((3, 4), False)]
>>> Pattern.from_json({"String": "ab"}).find("xabab")
[(1, 3), (3, 5)]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..errors import FormatError


def onig_to_regex(pattern: str) -> str:
    """Translate the Oniguruma escapes that the ``regex`` module reads differently."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "h":
                out.append("[0-9a-fA-F]")
            elif nxt == "H":
                out.append("[^0-9a-fA-F]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


@functools.cache
def _compiled(pattern: str):
    import regex

    return regex.compile(onig_to_regex(pattern))


@dataclass(frozen=True)
class Pattern:
    """A literal string (``regex=False``) or a regex (``regex=True``) to find in text."""

    value: str
    regex: bool = False

    def __post_init__(self) -> None:
        if self.regex:
            import regex

            try:
                _compiled(self.value)
            except regex.error as e:
                raise FormatError(f"pattern {self.value!r} is not a valid regex: {e}") from None

    @classmethod
    def from_json(cls, obj: Any, *, where: str = "tokenizer.json") -> Pattern:
        """Read ``{"String": s}`` or ``{"Regex": r}``."""
        if isinstance(obj, dict) and len(obj) == 1:
            ((kind, value),) = obj.items()
            if kind in ("String", "Regex") and isinstance(value, str):
                return cls(value, regex=kind == "Regex")
        raise FormatError(f"{where}: a pattern must be {{'String': ...}} or {{'Regex': ...}}, got {obj!r:.80}")

    def to_json(self) -> dict[str, str]:
        return {"Regex" if self.regex else "String": self.value}

    def find(self, text: str) -> list[tuple[int, int]]:
        """Return the (start, end) character spans of every non-overlapping match, left to right."""
        if self.regex:
            return [m.span() for m in _compiled(self.value).finditer(text)]
        if not self.value:
            return []
        out, step, i = [], len(self.value), text.find(self.value)
        while i >= 0:
            out.append((i, i + step))
            i = text.find(self.value, i + step)
        return out

    def find_matches(self, text: str) -> list[tuple[tuple[int, int], bool]]:
        """Return the text cut into spans, each flagged whether it is a match (``tokenizers``' find_matches)."""
        if not text:
            return [((0, 0), False)]
        out: list[tuple[tuple[int, int], bool]] = []
        prev = 0
        for start, end in self.find(text):
            if prev != start:
                out.append(((prev, start), False))
            out.append(((start, end), True))
            prev = end
        if prev != len(text):
            out.append(((prev, len(text)), False))
        return out
