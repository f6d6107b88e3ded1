"""Lexical scores (BM25 through bm25s) and reciprocal rank fusion with the dense ranking.

Reciprocal rank fusion (Cormack et al. 2009): a document's fused score is the sum over rankings of
``1 / (k + rank)`` (rank from 1; ``k = 60``); a ranking that misses the document adds nothing.
Ties in the fused score keep the order of first appearance (dense first).

>>> rrf([["a", "b", "c"], ["c", "a"]])
[('a', 0.03252247488101534), ('c', 0.032266458495966696), ('b', 0.016129032258064516)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

EXTRA = "pip install 'tokvec[search]'"


def rrf(rankings: Sequence[Sequence[str]], *, k: int = 60) -> list[tuple[str, float]]:
    """Fuse ``rankings`` (lists of ids, best first) by reciprocal rank; return (id, score), best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, 1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


class Bm25:
    """BM25 (Lucene's variant, k1=1.5, b=0.75) over texts, English stop words removed, no stemming."""

    def __init__(self, texts: Sequence[str]) -> None:
        try:
            import bm25s
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError(f"hybrid search needs bm25s: {EXTRA}") from e
        self._bm25s = bm25s
        self.n = len(texts)
        corpus = bm25s.tokenize(list(texts), stopwords="en", show_progress=False)
        self._model: Any = None
        if corpus.vocab:  # subtle: bm25s cannot index stop words only (max() of nothing); then nothing matches
            self._model = bm25s.BM25()
            self._model.index(corpus, show_progress=False)

    def top(self, queries: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rows, scores)`` of the ``k`` best texts per query (rows with score 0 are -1)."""
        k = min(k, self.n)
        if self._model is None:
            return np.full((len(queries), k), -1, np.int64), np.zeros((len(queries), k), np.float32)
        tokens = self._bm25s.tokenize(list(queries), stopwords="en", show_progress=False, return_ids=False)
        rows, scores = self._model.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        rows = np.asarray(rows, dtype=np.int64)
        scores = np.asarray(scores, dtype=np.float32)
        return np.where(scores > 0, rows, -1), scores
