"""Reranking: order each query's candidates by cosine similarity; MAP and MRR@10 (MTEB's protocol).

As MTEB: samples without a positive or without a negative candidate are dropped; each query's average
precision is scikit-learn's over its candidates, MAP their mean; MRR@10 is the mean reciprocal rank of
the first relevant candidate among the 10 best (0 when none). Main score: MAP x100.

>>> reciprocal_rank(np.array([0.2, 0.9, 0.5]), np.array([True, False, False]), k=10)
0.3333333333333333
"""

from __future__ import annotations

import time

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ._common import TaskResult, embed_texts, require_sklearn, unit_rows
from .readers import RerankSample


def reciprocal_rank(scores: np.ndarray, relevant: np.ndarray, *, k: int = 10) -> float:
    """Return 1 / rank of the best-scored relevant candidate within the top ``k`` (ties: the earlier first)."""
    top = np.argsort(-scores, kind="stable")[:k]
    hits = np.flatnonzero(relevant[top])
    return 1.0 / (int(hits[0]) + 1) if hits.size else 0.0


def evaluate_reranking(
    encoder: Encoder,
    samples: list[RerankSample],
    *,
    name: str = "reranking",
    mrr_at_k: int = 10,
    batch_size: int = 32,
) -> TaskResult:
    """Score ``encoder`` by how it ranks each query's relevant candidates above the others."""
    require_sklearn()
    from sklearn.metrics import average_precision_score

    kept = [s for s in samples if s.positive and s.negative]
    if not kept:
        raise FormatError(f"{name}: no query has both a relevant and an irrelevant candidate")
    start = time.perf_counter()
    queries = unit_rows(embed_texts(encoder, [s.query for s in kept], batch_size=batch_size))
    candidates = [c for s in kept for c in (*s.positive, *s.negative)]
    documents = unit_rows(embed_texts(encoder, candidates, batch_size=batch_size))
    ap, rr = [], []
    offset = 0
    for i, s in enumerate(kept):
        n = len(s.positive) + len(s.negative)
        similarity = documents[offset : offset + n] @ queries[i]
        offset += n
        relevant = np.arange(n) < len(s.positive)
        ap.append(float(average_precision_score(relevant, similarity)))
        rr.append(reciprocal_rank(similarity, relevant, k=mrr_at_k))
    scores = {"map": float(np.mean(ap)) * 100, f"mrr_at_{mrr_at_k}": float(np.mean(rr)) * 100, "queries": len(kept)}
    seconds = time.perf_counter() - start
    return TaskResult(name, "reranking", "map", scores["map"], scores, seconds)
