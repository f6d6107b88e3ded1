"""Kernels of the recommender: item pairs in sequences, sparse rows summed into dense scores, top-k rows.

Sequences are flat: ``items`` int32[N] with ``bounds`` int64[P + 1] (sequence ``p`` is
``items[bounds[p]:bounds[p + 1]]``). Sparse matrices are CSR: ``indptr`` int64[V + 1], ``indices``
int32[nnz], ``data`` float32[nnz].

Performance notes (yes_big, 1,800 queries x 9,775 songs): summing CSR rows into a dense block and
ranking with one pass per row takes ~0.1 s; the same through numpy fancy indexing of a dense
9,775 x 9,775 count matrix needs 380 MB and was 5x slower.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def window_pairs(items, bounds, window):  # pragma: no cover - compiled
    """Return (left, right) int32 arrays of every ordered pair ``items[i], items[j]`` with ``0 < j - i <= window``.

    ``items`` int32[N], ``bounds`` int64[P + 1]; pairs never cross a sequence boundary; ``window`` <= 0
    means the whole sequence. Pairs come sorted by ``i``, then ``j``.
    """
    total = 0
    for p in range(len(bounds) - 1):
        n = bounds[p + 1] - bounds[p]
        w = n - 1 if window <= 0 else min(window, n - 1)
        if w > 0:
            total += w * n - w * (w + 1) // 2
    left = np.empty(total, dtype=np.int32)
    right = np.empty(total, dtype=np.int32)
    k = 0
    for p in range(len(bounds) - 1):
        lo, hi = bounds[p], bounds[p + 1]
        for i in range(lo, hi):
            end = hi if window <= 0 else min(hi, i + 1 + window)
            for j in range(i + 1, end):
                left[k] = items[i]
                right[k] = items[j]
                k += 1
    return left, right


@njit(cache=True, nogil=True)
def sum_rows(indptr, indices, data, query_items, query_bounds, query_weights, n_columns):  # pragma: no cover
    """Return float32[Q, n_columns]: row ``q`` is the sum of ``weight * M[item]`` over query ``q``'s items.

    ``M`` is the CSR matrix (``indptr`` int64[V + 1], ``indices`` int32[nnz], ``data`` float32[nnz]);
    query ``q`` is ``query_items[query_bounds[q]:query_bounds[q + 1]]`` (int32) with the float32
    ``query_weights`` at the same positions.
    """
    n = len(query_bounds) - 1
    out = np.zeros((n, n_columns), dtype=np.float32)
    for q in range(n):
        for t in range(query_bounds[q], query_bounds[q + 1]):
            item = query_items[t]
            w = query_weights[t]
            for e in range(indptr[item], indptr[item + 1]):
                out[q, indices[e]] += w * data[e]
    return out


@njit(cache=True, nogil=True)
def top_k_rows(scores, k):  # pragma: no cover - compiled
    """Return int64[Q, min(k, V)]: the columns of the ``k`` highest scores of each row of float32[Q, V], best first.

    Ties go to the lower column index. NaN scores are skipped; a row with fewer than ``k`` numbers
    ends in -1.
    """
    q_count, v = scores.shape
    k = min(k, v)
    out = np.empty((q_count, k), dtype=np.int64)
    best = np.empty(k, dtype=np.int64)
    for q in range(q_count):
        row = scores[q]
        size = 0
        for j in range(v):
            s = row[j]
            if s != s:  # NaN
                continue
            if size == k and not s > row[best[size - 1]]:
                continue
            # insertion into the sorted list `best` (descending score, ascending index): k is small
            pos = size if size < k else k - 1
            while pos > 0 and s > row[best[pos - 1]]:
                best[pos] = best[pos - 1]
                pos -= 1
            best[pos] = j
            if size < k:
                size += 1
        for t in range(size):
            out[q, t] = best[t]
        for t in range(size, k):  # fewer than k numbers in the row (NaN elsewhere)
            out[q, t] = -1
    return out
