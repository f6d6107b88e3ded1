"""The small normalizers: the Unicode forms, lower-casing, stripping, replacing, prepending.

Each class mirrors one Hugging Face normalizer (same name as its ``"type"`` in ``tokenizer.json``,
same output, same alignment) and maps a :class:`NormalizedText` to a new one.

>>> Lowercase().normalize_str("HeLLo")
'hello'
>>> NFKC().normalize_str("ﬁNE")
'fiNE'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..normalized import NormalizedText
from ..patterns import Pattern
from . import hf_unicode as hu
from .alignment import keep, mapped, transform
from .base import Normalizer, lowercase_pieces
from .unicode_forms import is_unchanged, nfx_changes


def _unicode_form(form: str) -> type[Normalizer]:
    def normalize(self, nt: NormalizedText) -> NormalizedText:
        if is_unchanged(form, nt.text):
            return nt
        chars, changes = nfx_changes(form, nt.text)
        return transform(nt, chars, changes)

    doc = f"Unicode normalization form {form} (the decomposition tables of ``tokenizers``)."
    return dataclass(frozen=True)(type(form, (Normalizer,), {"type": form, "normalize": normalize, "__doc__": doc}))


NFD = _unicode_form("NFD")
NFKD = _unicode_form("NFKD")
NFC = _unicode_form("NFC")
NFKC = _unicode_form("NFKC")


@dataclass(frozen=True)
class Lowercase(Normalizer):
    """Lower-case every character."""

    type: ClassVar[str] = "Lowercase"

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        pieces = lowercase_pieces(nt.text)
        return nt if pieces is None else mapped(nt, pieces)


@dataclass(frozen=True)
class Strip(Normalizer):
    """Remove whitespace (Rust ``char::is_whitespace``) at the left and/or right end."""

    type: ClassVar[str] = "Strip"
    left: bool = True
    right: bool = True

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        ws = hu.char_set(hu.WHITESPACE)
        text, start, end = nt.text, 0, len(nt.text)
        while self.left and start < end and text[start] in ws:
            start += 1
        while self.right and end > start and text[end - 1] in ws:
            end -= 1
        return NormalizedText(text[start:end], nt.align[start:end])

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Strip:
        return cls(left=bool(obj.get("strip_left", True)), right=bool(obj.get("strip_right", True)))

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "strip_left": self.left, "strip_right": self.right}


def _drop(nt: NormalizedText, bits: int) -> NormalizedText:
    chars = hu.char_set(bits)
    if chars.isdisjoint(nt.text):
        return nt
    return keep(nt, np.fromiter((c not in chars for c in nt.text), dtype=bool, count=len(nt.text)))


@dataclass(frozen=True)
class StripAccents(Normalizer):
    """Remove combining marks (apply NFD first to strip the accents of precomposed letters)."""

    type: ClassVar[str] = "StripAccents"

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        return _drop(nt, hu.COMBINING_MARK)


@dataclass(frozen=True)
class Replace(Normalizer):
    """Replace every match of ``pattern`` (a string or a regex) with ``content``.

    subtle: every replacement character is aligned to the *last* character of the match.
    """

    type: ClassVar[str] = "Replace"
    pattern: Pattern
    content: str

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        spans = self.pattern.find(nt.text)
        if not spans:
            return nt
        text = nt.text
        pieces: list[str] = []
        source: list[int] = []  # the old character each new one takes its alignment from (-1: (0, 0))
        pos = 0
        for start, end in spans:
            pieces.append(text[pos:start])
            source.extend(range(pos, start))
            pieces.append(self.content)
            source.extend([end - 1] * len(self.content))
            pos = end
        pieces.append(text[pos:])
        source.extend(range(pos, len(text)))
        src = np.array(source, dtype=np.int64)
        align = nt.align[np.maximum(src, 0)] if len(nt.align) else np.zeros((len(src), 2), dtype=np.int64)
        if len(src) and src.min() < 0:
            align = np.where((src < 0)[:, None], 0, align)
        return NormalizedText("".join(pieces), np.ascontiguousarray(align, dtype=np.int64).reshape(-1, 2))

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Replace:
        return cls(Pattern.from_json(obj.get("pattern"), where="Replace normalizer"), str(obj.get("content", "")))

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "pattern": self.pattern.to_json(), "content": self.content}


@dataclass(frozen=True)
class Prepend(Normalizer):
    """Put ``prepend`` before a non-empty text (aligned to its first character)."""

    type: ClassVar[str] = "Prepend"
    prepend: str

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        if not nt.text or not self.prepend:
            return nt
        align = np.concatenate([np.repeat(nt.align[:1], len(self.prepend), axis=0), nt.align])
        return NormalizedText(self.prepend + nt.text, align)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Prepend:
        return cls(str(obj.get("prepend", "")))

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "prepend": self.prepend}
