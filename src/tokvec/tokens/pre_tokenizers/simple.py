"""Pre-tokenizers that split on characters or patterns without rewriting them.

Whitespace, WhitespaceSplit, BertPreTokenizer, Punctuation, Digits and Split, as in ``tokenizers``
(character classes from :mod:`tokvec.tokens.normalizers.hf_unicode`, so they agree on every code point).

>>> Whitespace().pre_tokenize_str("Hi, you!")
[('Hi', (0, 2)), (',', (2, 3)), ('you', (4, 7)), ('!', (7, 8))]
>>> BertPreTokenizer().pre_tokenize_str("don't  go")
[('don', (0, 3)), ("'", (3, 4)), ('t', (4, 5)), ('go', (7, 9))]
>>> Split(Pattern(" "), "merged_with_next").pre_tokenize_str("a b c")
[('a', (0, 1)), (' b', (1, 3)), (' c', (3, 5))]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..normalized import NormalizedText
from ..normalizers import hf_unicode as hu
from ..patterns import Pattern
from .base import (
    Matches,
    PreTokenizer,
    behavior_from_json,
    behavior_to_json,
    each_piece,
    split_piece,
)


def _classes(text: str) -> np.ndarray:
    return hu.flags()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]


def flag_matches(text: str, bits: int) -> Matches:
    """Cut ``text`` where characters have any of ``bits``: each such character is its own match."""
    if not text:
        return [((0, 0), False)]
    hit = (_classes(text) & bits) != 0
    out: Matches = []
    last = 0
    for i in np.flatnonzero(hit).tolist():
        if last < i:
            out.append(((last, i), False))
        out.append(((i, i + 1), True))
        last = i + 1
    if last < len(text):
        out.append(((last, len(text)), False))
    return out


def _runs(piece: NormalizedText, kind: np.ndarray, drop: int) -> list[NormalizedText]:
    """Cut ``piece`` into maximal runs of equal ``kind``; runs of kind ``drop`` are removed."""
    n = len(kind)
    cuts = np.flatnonzero(kind[1:] != kind[:-1]) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    ends = [*cuts.tolist(), n]
    return [
        NormalizedText(piece.text[s:e], piece.align[s:e]) for s, e in zip(starts, ends, strict=True) if kind[s] != drop
    ]


@dataclass(frozen=True)
class Whitespace(PreTokenizer):
    """Split into runs of word characters and runs of other non-space characters (``\\w+|[^\\w\\s]+``)."""

    type: ClassVar[str] = "Whitespace"

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        def one(p: NormalizedText) -> list[NormalizedText]:
            f = _classes(p.text)
            kind = np.where((f & hu.WORD) != 0, 0, np.where((f & hu.REGEX_SPACE) != 0, 2, 1))
            return _runs(p, kind, 2)

        return each_piece(pieces, one)


@dataclass(frozen=True)
class WhitespaceSplit(PreTokenizer):
    """Split on whitespace, which is removed."""

    type: ClassVar[str] = "WhitespaceSplit"

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        return each_piece(pieces, lambda p: _runs(p, (_classes(p.text) & hu.WHITESPACE) != 0, True))


@dataclass(frozen=True)
class BertPreTokenizer(PreTokenizer):
    """Split on whitespace (removed) and isolate every punctuation character."""

    type: ClassVar[str] = "BertPreTokenizer"

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        def one(p: NormalizedText) -> list[NormalizedText]:
            f = _classes(p.text)
            kind = np.where((f & hu.WHITESPACE) != 0, -1, 0)
            punct = np.flatnonzero(((f & hu.PUNCTUATION) != 0) & (kind == 0))
            kind[punct] = punct + 1  # each punctuation character is a run of its own
            return _runs(p, kind, -1)

        return each_piece(pieces, one)


@dataclass(frozen=True)
class Punctuation(PreTokenizer):
    """Split at punctuation characters with ``behavior`` (default: isolate each one)."""

    type: ClassVar[str] = "Punctuation"
    behavior: str = "isolated"

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        return each_piece(pieces, lambda p: split_piece(p, flag_matches(p.text, hu.PUNCTUATION), self.behavior))

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Punctuation:
        return cls(behavior_from_json(obj.get("behavior", "Isolated"), "Punctuation pre-tokenizer"))

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "behavior": behavior_to_json(self.behavior)}


@dataclass(frozen=True)
class Digits(PreTokenizer):
    """Split numbers from the rest: runs of digits, or each digit alone (``individual_digits``)."""

    type: ClassVar[str] = "Digits"
    individual_digits: bool = False

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        behavior = "isolated" if self.individual_digits else "contiguous"
        return each_piece(pieces, lambda p: split_piece(p, flag_matches(p.text, hu.NUMERIC), behavior))

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Digits:
        return cls(individual_digits=bool(obj.get("individual_digits", False)))

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "individual_digits": self.individual_digits}


@dataclass(frozen=True)
class Split(PreTokenizer):
    """Split at the matches of ``pattern`` with ``behavior``; ``invert`` splits at what does not match."""

    type: ClassVar[str] = "Split"
    pattern: Pattern
    behavior: str = "isolated"
    invert: bool = False

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        def one(p: NormalizedText) -> list[NormalizedText]:
            matches = self.pattern.find_matches(p.text)
            if self.invert:
                matches = [(span, not m) for span, m in matches]
            return split_piece(p, matches, self.behavior)

        return each_piece(pieces, one)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Split:
        where = "Split pre-tokenizer"
        return cls(
            Pattern.from_json(obj.get("pattern"), where=where),
            behavior_from_json(obj.get("behavior", "Isolated"), where),
            bool(obj.get("invert", False)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "pattern": self.pattern.to_json(),
            "behavior": behavior_to_json(self.behavior),
            "invert": self.invert,
        }
