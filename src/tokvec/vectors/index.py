"""Exact top-k by inner product: one BLAS matrix product per batch of queries, then argpartition.

Ties: a higher score first, then the lower row index (the more frequent key, in a trained model).

Performance notes: a product of up to 2**24 scores per batch (64 MB of float32) keeps the BLAS call
large and the memory bounded; argpartition is linear, and only the k survivors (plus any rows tied
with the k-th score) are sorted.

>>> import numpy as np
>>> m = np.array([[1, 0], [0, 1], [0.6, 0.8]], dtype=np.float32)
>>> idx, scores = top_k(m, np.array([[1, 0]], dtype=np.float32), 2)
>>> idx.tolist(), [round(float(s), 2) for s in scores[0]]
([[0, 2]], [1.0, 0.6])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_BATCH_SCORES = 1 << 24


def top_k(
    matrix: np.ndarray,
    queries: np.ndarray,
    k: int,
    *,
    exclude: Sequence[Sequence[int]] | None = None,
    limit: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``k`` rows of ``matrix`` (float32[V, D]) with the largest dot product per query.

    ``queries``: float32[Q, D]. ``exclude[q]``: row indices never returned for query q. ``limit``:
    search only the first ``limit`` rows. Returns (int64[Q, k'], float32[Q, k']) with
    ``k' = min(k, searchable rows)``; rows left with only excluded candidates get index -1.
    """
    rows = matrix if limit is None else matrix[:limit]
    n = rows.shape[0]
    kk = max(0, min(k, n))
    q_total = queries.shape[0]
    out_idx = np.full((q_total, kk), -1, dtype=np.int64)
    out_scores = np.full((q_total, kk), -np.inf, dtype=np.float32)
    if kk == 0 or q_total == 0:
        return out_idx, out_scores
    step = max(1, _BATCH_SCORES // max(n, 1))
    for lo in range(0, q_total, step):
        hi = min(lo + step, q_total)
        scores = queries[lo:hi] @ rows.T
        if exclude is not None:
            for q in range(lo, hi):
                bad = [i for i in exclude[q] if 0 <= i < n]
                if bad:
                    scores[q - lo, bad] = -np.inf
        part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk] if kk < n else np.tile(np.arange(n), (hi - lo, 1))
        for r in range(hi - lo):
            cand = part[r]
            kth = scores[r, cand].min()
            tied = np.flatnonzero(scores[r] >= kth) if kth > -np.inf else cand
            if len(tied) != len(cand):
                cand = tied
            order = np.lexsort((cand, -scores[r, cand]))[:kk]
            chosen = cand[order]
            good = scores[r, chosen] > -np.inf
            out_idx[lo + r, : good.sum()] = chosen[good]
            out_scores[lo + r, : good.sum()] = scores[r, chosen[good]]
    return out_idx, out_scores


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix`` (float32[V, D]) with each row scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)
