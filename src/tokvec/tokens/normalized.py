"""NormalizedText: a text and, for each of its characters, the span it came from in the original.

Normalizers and pre-tokenizers that rewrite characters take a :class:`NormalizedText` and return a
new one. ``align[i]`` is the (start, end) character span of the original text that character ``i``
comes from; a character that replaces several keeps their whole span, characters that one original
character expands into share its span. Token offsets are read from it: a token covering characters
``s..e`` of the normalized text covers ``align[s, 0]..align[e - 1, 1]`` of the original.

>>> nt = NormalizedText.identity("Héllo")
>>> nt.text, nt.align[1].tolist()
('Héllo', [1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NormalizedText:
    """A normalized text (``text``) and its alignment to the original (``align``: int64[len(text), 2])."""

    text: str
    align: np.ndarray

    @classmethod
    def identity(cls, text: str) -> NormalizedText:
        """Return ``text`` aligned to itself, character by character."""
        starts = np.arange(len(text), dtype=np.int64)
        return cls(text, np.stack([starts, starts + 1], axis=1))

    def code_points(self) -> np.ndarray:
        """Return uint32[len(text)], the code points of ``text``."""
        return np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
