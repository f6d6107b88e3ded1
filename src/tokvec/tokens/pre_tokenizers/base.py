"""What every pre-tokenizer shares: pieces, the five split behaviours, and conversions.

A pre-tokenizer works on *pieces* (a list of :class:`NormalizedText`, one per pre-token); the
pipeline's contract form, ``pre_tokenize(nt, bounds) -> (nt, bounds)``, is the same list
concatenated. Splitting follows ``tokenizers``' ``NormalizedString::split``: the text is cut into
spans flagged as match or not (``find_matches``), then the behaviour decides what to keep:

- ``removed``: drop the matches; ``isolated``: every span is a piece;
- ``merged_with_previous`` / ``merged_with_next``: a match joins the piece before / after it;
- ``contiguous``: consecutive spans of the same kind join.

Empty pieces are dropped.

>>> nt = NormalizedText.identity("a,,b")
>>> m = char_matches(nt.text, lambda c: c == ",")
>>> [p.text for p in split_piece(nt, m, "merged_with_previous")]
['a,', ',', 'b']
>>> [p.text for p in split_piece(nt, m, "contiguous")]
['a', ',,', 'b']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ...errors import FormatError
from ..normalized import NormalizedText
from ..normalizers.alignment import concat

BEHAVIORS = ("removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous")
_JSON_BEHAVIOR = {
    "Removed": "removed",
    "Isolated": "isolated",
    "MergedWithPrevious": "merged_with_previous",
    "MergedWithNext": "merged_with_next",
    "Contiguous": "contiguous",
}
Matches = list[tuple[tuple[int, int], bool]]


def behavior_from_json(value: Any, where: str) -> str:
    """Read a ``"behavior"`` field (``"MergedWithNext"`` or ``"merged_with_next"``)."""
    if value in _JSON_BEHAVIOR:
        return _JSON_BEHAVIOR[value]
    if value in BEHAVIORS:
        return value
    raise FormatError(f"{where}: unknown split behavior {value!r}; use one of {', '.join(_JSON_BEHAVIOR)}")


def behavior_to_json(behavior: str) -> str:
    """Write a behaviour the way ``tokenizer.json`` spells it."""
    return {v: k for k, v in _JSON_BEHAVIOR.items()}[behavior]


def char_matches(text: str, predicate: Callable[[str], bool]) -> Matches:
    """Cut ``text`` where single characters match ``predicate``: each matching character is its own match."""
    if not text:
        return [((0, 0), False)]
    out: Matches = []
    last = 0
    for i, c in enumerate(text):
        if predicate(c):
            if last < i:
                out.append(((last, i), False))
            out.append(((i, i + 1), True))
            last = i + 1
    if last < len(text):
        out.append(((last, len(text)), False))
    return out


def split_piece(piece: NormalizedText, matches: Matches, behavior: str) -> list[NormalizedText]:
    """Split one piece at ``matches`` with ``behavior`` (see the module docstring)."""
    spans: list[list[int]] = []  # [start, end, remove]
    if behavior == "removed":
        spans = [[s, e, int(m)] for (s, e), m in matches]
    elif behavior == "isolated":
        spans = [[s, e, 0] for (s, e), _ in matches]
    elif behavior == "contiguous":
        previous = False
        for (s, e), m in matches:
            if m == previous and spans:
                spans[-1][1] = e
            else:
                spans.append([s, e, 0])
            previous = m
    elif behavior == "merged_with_previous":
        previous = False
        for (s, e), m in matches:
            if m and not previous and spans:
                spans[-1][1] = e
            else:
                spans.append([s, e, 0])
            previous = m
    elif behavior == "merged_with_next":
        previous = False
        for (s, e), m in reversed(matches):
            if m and not previous and spans:
                spans[-1][0] = s
            else:
                spans.append([s, e, 0])
            previous = m
        spans.reverse()
    else:
        raise FormatError(f"unknown split behavior {behavior!r}; use one of {', '.join(BEHAVIORS)}")
    return [NormalizedText(piece.text[s:e], piece.align[s:e]) for s, e, remove in spans if not remove and e > s]


def to_pieces(nt: NormalizedText, bounds: np.ndarray) -> list[NormalizedText]:
    """Cut ``nt`` at ``bounds`` (int64[P+1]) into pieces (empty ones dropped)."""
    b = np.asarray(bounds).tolist()
    return [NormalizedText(nt.text[s:e], nt.align[s:e]) for s, e in itertools.pairwise(b) if e > s]


def from_pieces(pieces: list[NormalizedText]) -> tuple[NormalizedText, np.ndarray]:
    """Join pieces back into the contract form ``(nt, bounds)``."""
    lengths = [len(p.text) for p in pieces]
    bounds = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum(lengths, out=bounds[1:])
    return concat(pieces), bounds


def piece_offsets(piece: NormalizedText) -> tuple[int, int]:
    """Return the (start, end) span of ``piece`` in the original text."""
    return int(piece.align[0, 0]), int(piece.align[-1, 1])


class PreTokenizer:
    """Base of every pre-tokenizer: subclasses implement ``split`` on a list of pieces."""

    type: ClassVar[str] = ""

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        """Return the new pieces (each a NormalizedText aligned to the original)."""
        raise NotImplementedError

    def pre_tokenize(self, nt: NormalizedText, bounds: np.ndarray) -> tuple[NormalizedText, np.ndarray]:
        """Split the pieces ``nt[bounds[p]:bounds[p+1]]``; return the joined new pieces and their bounds."""
        return from_pieces(self.split(to_pieces(nt, bounds)))

    def pre_tokenize_str(self, text: str) -> list[tuple[str, tuple[int, int]]]:
        """Return each pre-token of ``text`` with its character span (as ``tokenizers`` does)."""
        pieces = self.split([NormalizedText.identity(text)] if text else [])
        return [(p.text, piece_offsets(p)) for p in pieces if p.text]

    @classmethod
    def from_json(cls, obj: dict[str, Any]):
        return cls()

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type}


def each_piece(pieces: list[NormalizedText], fn: Callable[[NormalizedText], list[NormalizedText]]):
    """Apply ``fn`` to every piece and flatten the result, dropping empty pieces."""
    out: list[NormalizedText] = []
    for p in pieces:
        out.extend(q for q in fn(p) if q.text)
    return out
