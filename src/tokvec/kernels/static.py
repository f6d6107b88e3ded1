"""Static embeddings: the mean of token rows per text, over a flat batch of token ids, in one pass.

A text's tokens are ``ids[bounds[i]:bounds[i + 1]]``; the first ``max_tokens`` of them are kept (truncation
counts every token, as a tokenizer truncates before unknown tokens are dropped), then tokens equal to
``skip_id`` are left out (model2vec drops the unknown token), and the remaining rows of ``table`` are
averaged in float32. A text with no row left gets zeros. ``normalize`` divides by the norm plus 1e-32
(model2vec's guard), so a zero vector stays zero.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def mean_rows(table, ids, bounds, first, last, skip_id, max_tokens, normalize, out):  # pragma: no cover - compiled
    """Write the mean row of texts ``first..last-1`` to ``out[first:last]``.

    table: float32 [V, D]; ids: int32 or int64 [T]; bounds: int64 [N + 1]; skip_id: an id to
    leave out (-1: none); max_tokens: tokens kept per text (-1: all); normalize: bool; out: float32 [N, D].
    """
    dims = table.shape[1]
    acc = np.zeros(dims, dtype=np.float32)
    for i in range(first, last):
        lo = bounds[i]
        hi = bounds[i + 1]
        if max_tokens >= 0 and hi - lo > max_tokens:
            hi = lo + max_tokens
        acc[:] = 0.0
        n = 0
        for j in range(lo, hi):
            t = ids[j]
            if t == skip_id:
                continue
            n += 1
            for k in range(dims):
                acc[k] += np.float32(table[t, k])
        if n == 0:
            out[i, :] = 0.0
            continue
        scale = np.float32(1.0) / np.float32(n)
        for k in range(dims):
            acc[k] *= scale
        if normalize:
            s = np.float32(0.0)
            for k in range(dims):
                s += acc[k] * acc[k]
            inv = np.float32(1.0) / (np.float32(np.sqrt(s)) + np.float32(1e-32))
            for k in range(dims):
                acc[k] *= inv
        out[i, :] = acc
    return out
