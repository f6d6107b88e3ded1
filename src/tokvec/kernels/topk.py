"""Running top-k selection: fold blocks of scores into each query's best ``k`` (a small min-heap per row).

Exact search computes scores a block of rows at a time (one BLAS product, a few MB) and folds each block
into per-query heaps of the ``k`` best so far, instead of keeping every query's full score row and
partitioning it. A score enters a heap only when it beats the heap's worst entry, which for ``k`` much
smaller than the rows is rare after the first few blocks: the fold is one comparison per score.

Order: a higher score is better; of equal scores the lower row index is better (the rows are folded in
increasing order, so a tied later row never displaces an earlier one). ``-inf`` and NaN scores never
enter; slots never filled keep index -1 and score ``-inf``.

Performance notes: one pass over the block per query row, which stays in the L1/L2 cache while its heap
(k entries) does; the scan is a compare and a rarely taken branch.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _worse(s_a, i_a, s_b, i_b):  # pragma: no cover - compiled
    """Whether entry a ranks below entry b (lower score, or the same score and a higher row)."""
    return s_a < s_b or (s_a == s_b and i_a > i_b)


@njit(cache=True, nogil=True)
def fold_block(scores, offset, first, last, best_s, best_i):  # pragma: no cover - compiled
    """Fold ``scores[r]`` (rows ``offset + j``) into the heaps of query rows ``first..last-1``.

    scores: float32[Q, M] (query row ``r`` of the block is heap ``r``); offset: the row index of column 0;
    best_s: float32[Q, k], best_i: int64[Q, k], min-heaps (worst at 0), updated in place. Blocks must
    come in increasing ``offset`` order (ties keep the earlier row).
    """
    k = best_s.shape[1]
    if k == 0:
        return
    m = scores.shape[1]
    for r in range(first, last):
        hs = best_s[r]
        hi = best_i[r]
        worst = hs[0]
        for j in range(m):
            s = scores[r, j]
            if s > worst:  # NaN and -inf never pass; ties with the worst keep the earlier row
                idx = offset + j
                # replace the root and sift it down
                c = 0
                while True:
                    left = 2 * c + 1
                    if left >= k:
                        break
                    child = left
                    if left + 1 < k and _worse(hs[left + 1], hi[left + 1], hs[left], hi[left]):
                        child = left + 1
                    if _worse(hs[child], hi[child], s, idx):
                        hs[c] = hs[child]
                        hi[c] = hi[child]
                        c = child
                    else:
                        break
                hs[c] = s
                hi[c] = idx
                worst = hs[0]


@njit(cache=True, nogil=True)
def sort_heaps(best_s, best_i):  # pragma: no cover - compiled
    """Sort every heap best first (higher score, then lower row); empty slots (-1, -inf) go last."""
    q, k = best_s.shape
    for r in range(q):
        # insertion sort: k is small
        for a in range(1, k):
            s, i = best_s[r, a], best_i[r, a]
            b = a - 1
            while b >= 0 and _worse(best_s[r, b], best_i[r, b], s, i):
                best_s[r, b + 1] = best_s[r, b]
                best_i[r, b + 1] = best_i[r, b]
                b -= 1
            best_s[r, b + 1] = s
            best_i[r, b + 1] = i
