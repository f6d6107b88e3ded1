"""Pre-tokenizers: cut normalized text into pieces ("words") that tokens never cross.

Two families live here:

- :class:`SplitPattern` (``split_pattern.py``): the tiktoken regexes over UTF-8 bytes, with a numba
  scanner for GPT-2, cl100k, o200k and Llama-3;
- the Hugging Face pre-tokenizers, one class per ``"type"`` of ``tokenizer.json`` (``PRE_TOKENIZERS``),
  each mapping pieces of :class:`NormalizedText` to new pieces with the same alignment as ``tokenizers``.

>>> pt = from_json({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits"}]})
>>> pt.pre_tokenize_str("abc123 x")
[('abc', (0, 3)), ('123', (3, 6)), ('x', (7, 8))]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...errors import FormatError
from ..normalized import NormalizedText
from .base import BEHAVIORS, PreTokenizer, from_pieces, split_piece, to_pieces
from .rewriting import ByteLevel, Metaspace
from .simple import BertPreTokenizer, Digits, Punctuation, Split, Whitespace, WhitespaceSplit
from .split_pattern import (
    CL100K_PATTERN,
    GPT2_PATTERN,
    LLAMA3_PATTERN,
    NAMED,
    O200K_PATTERN,
    R50K_PATTERN,
    SplitPattern,
    regex_bounds,
)

__all__ = [
    "BEHAVIORS",
    "CL100K_PATTERN",
    "GPT2_PATTERN",
    "LLAMA3_PATTERN",
    "NAMED",
    "O200K_PATTERN",
    "PRE_TOKENIZERS",
    "R50K_PATTERN",
    "BertPreTokenizer",
    "ByteLevel",
    "Digits",
    "Metaspace",
    "PreTokenizer",
    "Punctuation",
    "Sequence",
    "Split",
    "SplitPattern",
    "Whitespace",
    "WhitespaceSplit",
    "from_json",
    "from_pieces",
    "regex_bounds",
    "split_piece",
    "to_pieces",
]


@dataclass(frozen=True)
class Sequence(PreTokenizer):
    """Apply ``pretokenizers`` one after the other, each to every piece of the previous one."""

    type: ClassVar[str] = "Sequence"
    pretokenizers: tuple[PreTokenizer, ...]

    def __init__(self, pretokenizers) -> None:
        object.__setattr__(self, "pretokenizers", tuple(pretokenizers))

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        for p in self.pretokenizers:
            pieces = p.split(pieces)
        return pieces

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Sequence:
        items = obj.get("pretokenizers")
        if not isinstance(items, list):
            raise FormatError("Sequence pre-tokenizer: 'pretokenizers' must be a list of pre-tokenizer objects")
        return cls(from_json(x) for x in items)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "pretokenizers": [p.to_json() for p in self.pretokenizers]}


PRE_TOKENIZERS: dict[str, type] = {
    c.type: c
    for c in (ByteLevel, Whitespace, WhitespaceSplit, BertPreTokenizer, Punctuation, Digits, Metaspace, Split, Sequence)
}


def from_json(obj: dict[str, Any] | None, *, where: str = "tokenizer.json") -> PreTokenizer | None:
    """Build the pre-tokenizer that a ``tokenizer.json`` ``"pre_tokenizer"`` object describes (None stays None)."""
    if obj is None:
        return None
    if not isinstance(obj, dict) or "type" not in obj:
        raise FormatError(f"{where}: a pre-tokenizer must be an object with a 'type', got {obj!r:.80}")
    cls = PRE_TOKENIZERS.get(obj["type"])
    if cls is None:
        raise FormatError(
            f"{where}: unknown pre-tokenizer type {obj['type']!r}; known types: {', '.join(sorted(PRE_TOKENIZERS))}"
        )
    return cls.from_json(obj)
