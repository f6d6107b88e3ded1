"""An encoder from word vectors: a text's vector is the mean of its known words' vectors.

Words are the lower-cased runs of letters and digits (and each other non-space character), as the
vectors were trained on lower-cased text; unknown words are skipped, and a text with no known word
gets the zero vector (its cosine with anything is 0).

>>> import numpy as np
>>> from tokvec.vectors.keyed import KeyedVectors
>>> kv = KeyedVectors(["cat", "dog"], np.array([[1, 0], [0, 1]], dtype=np.float32))
>>> enc = WordAverageEncoder(kv, name="toy")
>>> enc.embed(["The cat, the dog", "fish"]).tolist()
[[0.5, 0.5], [0.0, 0.0]]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import regex

from ..vectors.keyed import KeyedVectors

_WORDS = regex.compile(r"[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]")


class WordAverageEncoder:
    """Average word vectors (``KeyedVectors``) over the words of each text; follows :class:`Encoder`."""

    max_seq_length: int | None = None

    def __init__(self, vectors: KeyedVectors, *, name: str = "word-average", lowercase: bool = True) -> None:
        self.vectors = vectors
        self.name = name
        self.dim = int(vectors.vector_size)
        self.lowercase = lowercase
        self._fingerprint = hashlib.sha256(np.ascontiguousarray(vectors.vectors).tobytes()).hexdigest()[:16]

    def fingerprint(self) -> str:
        """Return a short hash of the vectors."""
        return self._fingerprint

    def embed(self, texts: Iterable[str], *, normalize: bool = False, **options: Any) -> np.ndarray:
        """Return one float32 row per text (``normalize``: unit length; other options are accepted and unused)."""
        kv = self.vectors
        rows = []
        for text in texts:
            words = _WORDS.findall(text.lower() if self.lowercase else text)
            ids = [kv.index(w) for w in words if w in kv]
            rows.append(kv.vectors[ids].mean(axis=0) if ids else np.zeros(self.dim, dtype=np.float32))
        out = np.array(rows, dtype=np.float32).reshape(-1, self.dim)
        if normalize:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.where(norms == 0, 1, norms)
        return out
