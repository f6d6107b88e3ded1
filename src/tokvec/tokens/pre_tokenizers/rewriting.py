"""Pre-tokenizers that rewrite characters: ByteLevel (bytes as printable characters) and Metaspace.

>>> ByteLevel(add_prefix_space=True).pre_tokenize_str("héllo world")
[('ĠhÃ©llo', (0, 5)), ('Ġworld', (5, 11))]
>>> Metaspace().pre_tokenize_str("Hey  you")
[('▁Hey', (0, 3)), ('▁', (3, 4)), ('▁you', (4, 8))]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ...errors import FormatError
from ..byte_level import bytes_to_str
from ..normalized import NormalizedText
from ..patterns import Pattern
from .base import PreTokenizer, char_matches, each_piece, split_piece
from .split_pattern import GPT2_PATTERN


def _prepend(piece: NormalizedText, prefix: str) -> NormalizedText:
    """``tokenizers``' prepend: the prefix takes the alignment of the first character."""
    if not piece.text:
        return piece
    return NormalizedText(
        prefix + piece.text, np.concatenate([np.repeat(piece.align[:1], len(prefix), 0), piece.align])
    )


def utf8_lengths(text: str) -> np.ndarray:
    """Return int64[len(text)]: the UTF-8 length of every character."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000).astype(np.int64)


def to_byte_level(piece: NormalizedText) -> NormalizedText:
    """Spell every character as the byte-level characters of its UTF-8 bytes (all aligned to it)."""
    text = piece.text
    if text.isascii():
        return NormalizedText(bytes_to_str(text.encode("ascii")), piece.align)
    out = bytes_to_str(text.encode("utf-8", "surrogatepass"))
    return NormalizedText(out, np.ascontiguousarray(np.repeat(piece.align, utf8_lengths(text), axis=0)))


@functools.cache
def _gpt2() -> Pattern:
    return Pattern(GPT2_PATTERN, regex=True)


@dataclass(frozen=True)
class ByteLevel(PreTokenizer):
    """GPT-2's pre-tokenizer: optional prefix space, the GPT-2 regex, bytes as characters.

    ``trim_offsets`` is kept for the JSON and the post-processor; it does not change the pieces.
    """

    type: ClassVar[str] = "ByteLevel"
    add_prefix_space: bool = True
    trim_offsets: bool = True
    use_regex: bool = True

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        def one(p: NormalizedText) -> list[NormalizedText]:
            if self.add_prefix_space and not p.text.startswith(" "):
                p = _prepend(p, " ")
            parts = split_piece(p, _gpt2().find_matches(p.text), "isolated") if self.use_regex else [p]
            return [to_byte_level(q) for q in parts]

        return each_piece(pieces, one)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ByteLevel:
        return cls(
            add_prefix_space=bool(obj.get("add_prefix_space", True)),
            trim_offsets=bool(obj.get("trim_offsets", True)),
            use_regex=bool(obj.get("use_regex", True)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "add_prefix_space": self.add_prefix_space,
            "trim_offsets": self.trim_offsets,
            "use_regex": self.use_regex,
        }


PREPEND_SCHEMES = ("always", "first", "never")


@dataclass(frozen=True)
class Metaspace(PreTokenizer):
    """SentencePiece's spaces: " " becomes ``replacement``, which may be prepended and splits words.

    ``prepend_scheme``: ``always`` (every piece that does not start with it), ``first`` (only the
    piece at the start of the original text), ``never``. ``split``: cut before every ``replacement``.
    """

    type: ClassVar[str] = "Metaspace"
    replacement: str = "▁"
    prepend_scheme: str = "always"
    split_words: bool = True

    def __post_init__(self) -> None:
        if len(self.replacement) != 1:
            raise FormatError(f"Metaspace: replacement must be one character, got {self.replacement!r}")
        if self.prepend_scheme not in PREPEND_SCHEMES:
            raise FormatError(
                f"Metaspace: unknown prepend_scheme {self.prepend_scheme!r}; use one of {', '.join(PREPEND_SCHEMES)}"
            )

    def split(self, pieces: list[NormalizedText]) -> list[NormalizedText]:
        r = self.replacement

        def one(p: NormalizedText) -> list[NormalizedText]:
            p = NormalizedText(p.text.replace(" ", r), p.align)
            if not p.text.startswith(r) and (
                self.prepend_scheme == "always" or (self.prepend_scheme == "first" and p.align[0, 0] == 0)
            ):
                p = _prepend(p, r)
            if not self.split_words:
                return [p]
            return split_piece(p, char_matches(p.text, lambda c: c == r), "merged_with_next")

        return each_piece([p for p in pieces if p.text], one)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Metaspace:
        scheme = obj.get("prepend_scheme")
        if scheme is None:
            scheme = "always" if obj.get("add_prefix_space", True) else "never"
        return cls(str(obj.get("replacement", "▁")), str(scheme).lower(), bool(obj.get("split", True)))

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "replacement": self.replacement,
            "prepend_scheme": self.prepend_scheme,
            "split": self.split_words,
        }
