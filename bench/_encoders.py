"""Encoders for the task and search benchmarks: an embedding cache, averaged word vectors, the ST reference.

The cache keeps every text's vector in ``bench/results/cache/<name>-<fingerprint>.npz`` (keys as a
unicode array, no pickle), so re-running a benchmark embeds only new texts.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import re
import sys
from collections.abc import Iterable
from typing import Any

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results" / "cache"


class CachedEncoder:
    """Wrap an encoder; vectors of texts seen before come from the cache file."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.dim, self.max_seq_length = inner.name, inner.dim, inner.max_seq_length
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", inner.name)
        self.path = CACHE / f"{safe}-{inner.fingerprint()}.npz"
        self.vectors: dict[str, np.ndarray] = {}  # sha1 of the text -> vector
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as z:
                keys = z["keys"].tolist()
                if "hashed" not in z.files:  # the first format kept whole texts as keys
                    keys = [_key(k) for k in keys]
                self.vectors = dict(zip(keys, z["vectors"], strict=True))

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def embed(self, texts: Iterable[str], **options: Any) -> np.ndarray:
        texts = list(texts)
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts, strict=True) if k not in self.vectors))
        if missing:
            new = self.inner.embed([t for _, t in missing], **options)
            self.vectors.update(zip([k for k, _ in missing], np.asarray(new, dtype=np.float32), strict=True))
            self.save()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        keys = np.array(list(self.vectors), dtype="<U40")
        np.savez(tmp, keys=keys, vectors=np.stack(list(self.vectors.values())), hashed=np.array(True))
        os.replace(tmp, self.path)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class AveragedVectors:
    """Mean of the word vectors of a text's lower-cased words (unknown words skipped; none: zeros)."""

    def __init__(self, kv: Any, name: str) -> None:
        self.kv, self.name, self.dim, self.max_seq_length = kv, name, int(kv.vector_size), None

    def fingerprint(self) -> str:
        return hashlib.sha256(np.ascontiguousarray(self.kv.vectors).tobytes()).hexdigest()[:16]

    def embed(self, texts: Iterable[str], **options: Any) -> np.ndarray:
        out = []
        for text in texts:
            rows = [self.kv.index(w) for w in re.findall(r"\w+|[^\w\s]", text.lower()) if w in self.kv]
            out.append(self.kv.vectors[rows].mean(axis=0) if rows else np.zeros(self.dim, np.float32))
        return np.array(out, dtype=np.float32).reshape(-1, self.dim)


def sentence_transformer() -> Any:
    """Return the test-only sentence-transformers encoder of all-MiniLM-L6-v2 (None when it is not installed)."""
    sys.path.insert(0, str(ROOT))
    from tests.st_encoder import SentenceTransformerEncoder, model_folder

    folder = model_folder()
    return SentenceTransformerEncoder(folder) if folder else None


def tokvec_encoder() -> Any:
    """Return tokvec's own all-MiniLM-L6-v2 encoder when ``tokvec.load_encoder`` exists (else None)."""
    import tokvec

    load = getattr(tokvec, "load_encoder", None)
    return load("all-MiniLM-L6-v2") if load else None
