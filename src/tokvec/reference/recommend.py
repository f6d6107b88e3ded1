"""Pure-Python twins of :mod:`tokvec.kernels.recommend`: item pairs, CSR rows summed, top-k rows."""

from __future__ import annotations

import math

import numpy as np


def window_pairs(items: np.ndarray, bounds: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Return every ordered pair of items at most ``window`` apart in one sequence (``window <= 0``: any)."""
    left: list[int] = []
    right: list[int] = []
    for p in range(len(bounds) - 1):
        seq = items[bounds[p] : bounds[p + 1]].tolist()
        for i, a in enumerate(seq):
            for j in range(i + 1, len(seq)):
                if window <= 0 or j - i <= window:
                    left.append(a)
                    right.append(seq[j])
    return np.array(left, dtype=np.int32), np.array(right, dtype=np.int32)


def sum_rows(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    query_items: np.ndarray,
    query_bounds: np.ndarray,
    query_weights: np.ndarray,
    n_columns: int,
) -> np.ndarray:
    """Return the weighted sum of the CSR rows of each query's items, one dense float32 row per query."""
    out = np.zeros((len(query_bounds) - 1, n_columns), dtype=np.float32)
    for q in range(len(query_bounds) - 1):
        for t in range(query_bounds[q], query_bounds[q + 1]):
            item, w = query_items[t], query_weights[t]
            for e in range(indptr[item], indptr[item + 1]):
                out[q, indices[e]] += np.float32(w * data[e])
    return out


def top_k_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Return the columns of the ``k`` best scores of each row: highest first, the lower column on ties."""
    q_count, v = scores.shape
    k = min(k, v)
    out = np.full((q_count, k), -1, dtype=np.int64)
    for q in range(q_count):
        numbers = [(-float(s), j) for j, s in enumerate(scores[q].tolist()) if not math.isnan(s)]
        for t, (_, j) in enumerate(sorted(numbers)[:k]):
            out[q, t] = j
    return out
