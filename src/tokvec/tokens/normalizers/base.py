"""The base of every normalizer, and lower-casing the way ``tokenizers`` does it.

>>> lowercase_pieces("ΣΑΣ")
['σ', 'α', 'σ']
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..normalized import NormalizedText
from . import hf_unicode as hu


class Normalizer:
    """Base of every normalizer: ``normalize`` (NormalizedText -> NormalizedText) and JSON."""

    type: ClassVar[str] = ""

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        """Return the normalized text with its alignment to the original."""
        raise NotImplementedError

    def normalize_str(self, text: str) -> str:
        """Return the normalized text only."""
        return self.normalize(NormalizedText.identity(text)).text

    @classmethod
    def from_json(cls, obj: dict[str, Any]):
        return cls()

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type}


def lowercase_pieces(text: str) -> list[str] | None:
    """Return each character lower-cased on its own (Rust ``char::to_lowercase``), or None if unchanged.

    subtle: ``str.lower`` applies the final-sigma rule (a word-final "Σ" becomes "ς"); ``tokenizers``
    lower-cases character by character, so "Σ" is always "σ".
    """
    low = text.lower()
    over = hu.overrides("lower")
    if len(low) == len(text) and "Σ" not in text and over.keys().isdisjoint(text):
        return None if low == text else list(low)
    return [hu.single("lower", ch) for ch in text]
