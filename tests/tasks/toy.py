"""A tiny deterministic encoder for task and search tests: hashed letter counts, no model needed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import numpy as np


class LetterEncoder:
    """Each text -> counts of its lower-case letters a-z (26-d), plus a small constant so no row is zero."""

    name = "letters"
    dim = 26
    max_seq_length = None

    def __init__(self, name: str = "letters") -> None:
        self.name = name
        self.calls = 0

    def embed(self, texts: Iterable[str], **options: Any) -> np.ndarray:
        self.calls += 1
        rows = [[t.lower().count(chr(97 + i)) + 0.01 for i in range(26)] for t in texts]
        return np.array(rows, dtype=np.float32).reshape(-1, 26)

    def fingerprint(self) -> str:
        return hashlib.sha256(self.name.encode()).hexdigest()[:16]


class WindowedLetterEncoder(LetterEncoder):
    """LetterEncoder with ``embed_chunks``: windows of 3 words, with their character spans."""

    def embed_chunks(self, texts: Iterable[str], *, stride: int | None = None):
        import re

        from tokvec.embed.protocol import Chunks

        owner, spans, counts, pieces = [], [], [], []
        for i, text in enumerate(texts):
            words = [m.span() for m in re.finditer(r"\S+", text)] or [(0, len(text))]
            for s in range(0, len(words), 3):
                part = words[s : s + 3]
                owner.append(i)
                spans.append((part[0][0], part[-1][1]))
                counts.append(len(part))
                pieces.append(text[part[0][0] : part[-1][1]])
        return Chunks(
            np.array(owner, dtype=np.int64),
            np.array(spans, dtype=np.int64).reshape(-1, 2),
            np.array(counts, dtype=np.int64),
            self.embed(pieces),
        )
