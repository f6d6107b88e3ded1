"""Every normalizer by its ``tokenizer.json`` type, and ``Sequence`` (which builds its parts from JSON).

>>> norm = from_json({"type": "BertNormalizer", "lowercase": True})
>>> norm.normalize_str("Héllo  中国!")
'hello   中  国 !'
>>> Sequence([NFKC(), Lowercase()]).normalize_str("ﬁNE")
'fine'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...errors import FormatError
from ..normalized import NormalizedText
from .base import Normalizer
from .bert import BertNormalizer
from .precompiled import Precompiled
from .simple import NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Strip, StripAccents


@dataclass(frozen=True)
class Sequence(Normalizer):
    """Apply ``normalizers`` one after the other."""

    type: ClassVar[str] = "Sequence"
    normalizers: tuple[Normalizer, ...]

    def __init__(self, normalizers) -> None:
        object.__setattr__(self, "normalizers", tuple(normalizers))

    def normalize(self, nt: NormalizedText) -> NormalizedText:
        for n in self.normalizers:
            nt = n.normalize(nt)
        return nt

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Sequence:
        items = obj.get("normalizers")
        if not isinstance(items, list):
            raise FormatError("Sequence normalizer: 'normalizers' must be a list of normalizer objects")
        return cls(from_json(x) for x in items)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "normalizers": [n.to_json() for n in self.normalizers]}


NORMALIZERS: dict[str, type] = {
    c.type: c
    for c in (NFD, NFKD, NFC, NFKC, Lowercase, Strip, StripAccents, Replace, Prepend, BertNormalizer, Sequence)
} | {"Precompiled": Precompiled}


def from_json(obj: dict[str, Any] | None, *, where: str = "tokenizer.json") -> Normalizer | None:
    """Build the normalizer that a ``tokenizer.json`` ``"normalizer"`` object describes (None stays None)."""
    if obj is None:
        return None
    if not isinstance(obj, dict) or "type" not in obj:
        raise FormatError(f"{where}: a normalizer must be an object with a 'type', got {obj!r:.80}")
    cls = NORMALIZERS.get(obj["type"])
    if cls is None:
        raise FormatError(
            f"{where}: unknown normalizer type {obj['type']!r}; known types: {', '.join(sorted(NORMALIZERS))}"
        )
    return cls.from_json(obj)
