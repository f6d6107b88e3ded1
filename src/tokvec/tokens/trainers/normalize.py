"""Normalizers applied to the text before counting (the names follow Hugging Face's normalizers).

>>> normalize_text("Ｈéllo", "nfkc_lowercase")
'héllo'
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ...errors import UnknownNameError

NORMALIZERS = ("nfc", "nfkc", "lowercase", "nfkc_lowercase")


def normalize_text(text: str, name: str) -> str:
    """Return ``text`` normalized by ``name`` (one of :data:`NORMALIZERS`)."""
    if name == "nfc":
        return unicodedata.normalize("NFC", text)
    if name == "nfkc":
        return unicodedata.normalize("NFKC", text)
    if name == "lowercase":
        return text.lower()
    if name == "nfkc_lowercase":
        return unicodedata.normalize("NFKC", text).lower()
    raise UnknownNameError(f"unknown normalizer {name!r}: use one of {', '.join(NORMALIZERS)}")


def check_normalizer(name: str | None) -> None:
    """Raise :class:`UnknownNameError` unless ``name`` is None or a known normalizer."""
    if name is not None and name not in NORMALIZERS:
        raise UnknownNameError(f"unknown normalizer {name!r}: use one of {', '.join(NORMALIZERS)}")


def normalizer_json(name: str | None) -> dict[str, Any] | None:
    """Return the Hugging Face ``tokenizer.json`` normalizer object for ``name``."""
    if name is None:
        return None
    parts = {"nfc": ["NFC"], "nfkc": ["NFKC"], "lowercase": ["Lowercase"], "nfkc_lowercase": ["NFKC", "Lowercase"]}
    objs = [{"type": t} for t in parts[name]]
    return objs[0] if len(objs) == 1 else {"type": "Sequence", "normalizers": objs}
