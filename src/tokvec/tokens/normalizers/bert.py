"""BertNormalizer: BERT's text cleaning, CJK spacing, accent stripping and lower-casing.

The steps run in ``tokenizers``' order: ``clean_text`` removes NUL, U+FFFD and control/format/
unassigned characters and turns whitespace into " "; ``handle_chinese_chars`` puts a space on each
side of a CJK ideograph (all three aligned to it); ``strip_accents`` (default: the value of
``lowercase``) applies NFD and removes nonspacing marks; ``lowercase`` lower-cases each character.

>>> BertNormalizer(lowercase=True).normalize_str("Ça\\tva 日本")
'ca va  日  本 '
>>> BertNormalizer(lowercase=False).normalize_str("Ça\\tva")
'Ça va'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..normalized import NormalizedText
from . import hf_unicode as hu
from .alignment import mapped, transform
from .base import Normalizer, lowercase_pieces
from .unicode_forms import is_unchanged, nfx_changes


def _cps(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _text(cps: np.ndarray) -> str:
    return cps.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@dataclass(frozen=True)
class BertNormalizer(Normalizer):
    """BERT's normalizer (see the module docstring); ``strip_accents=None`` follows ``lowercase``."""

    type: ClassVar[str] = "BertNormalizer"
    clean_text: bool = True
    handle_chinese_chars: bool = True
    strip_accents: bool | None = None
    lowercase: bool = True

    @property
    def strips_accents(self) -> bool:
        """Whether accents are stripped (``strip_accents``, or ``lowercase`` when it is None)."""
        return self.lowercase if self.strip_accents is None else self.strip_accents

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        flags = hu.flags()
        if self.clean_text or self.handle_chinese_chars:
            cps = _cps(nt.text)
            f = flags[cps]
            align = nt.align
            if self.clean_text:
                kept = (f & hu.CONTROL) == 0
                cps = np.where((f & hu.CLEAN_SPACE) != 0, 32, cps)
                if not kept.all():
                    cps, f, align = cps[kept], f[kept], align[kept]
            if self.handle_chinese_chars:
                cjk = (f & hu.CHINESE) != 0
                if cjk.any():
                    repeat = np.where(cjk, 3, 1)
                    align = np.repeat(align, repeat, axis=0)
                    cps = np.repeat(cps, repeat)
                    first = np.cumsum(repeat) - repeat
                    cps[first[cjk]] = 32
                    cps[first[cjk] + 2] = 32
            nt = NormalizedText(_text(cps), np.ascontiguousarray(align))
        if self.strips_accents:
            if not is_unchanged("NFD", nt.text):
                chars, changes = nfx_changes("NFD", nt.text)
                nt = transform(nt, chars, changes)
            marks = hu.char_set(hu.NONSPACING_MARK)
            if not marks.isdisjoint(nt.text):
                nt = mapped(nt, ["" if c in marks else c for c in nt.text])
        if self.lowercase:
            pieces = lowercase_pieces(nt.text)
            if pieces is not None:
                nt = mapped(nt, pieces)
        return nt

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> BertNormalizer:
        strip = obj.get("strip_accents")
        return cls(
            clean_text=bool(obj.get("clean_text", True)),
            handle_chinese_chars=bool(obj.get("handle_chinese_chars", True)),
            strip_accents=None if strip is None else bool(strip),
            lowercase=bool(obj.get("lowercase", True)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "clean_text": self.clean_text,
            "handle_chinese_chars": self.handle_chinese_chars,
            "strip_accents": self.strip_accents,
            "lowercase": self.lowercase,
        }
