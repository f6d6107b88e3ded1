"""Twin of :mod:`tokvec.kernels.static`: the mean of token rows per text, written plainly (float32, same order)."""

from __future__ import annotations

import numpy as np


def mean_rows(
    table: np.ndarray,
    ids: np.ndarray,
    bounds: np.ndarray,
    first: int,
    last: int,
    skip_id: int,
    max_tokens: int,
    normalize: bool,
    out: np.ndarray,
) -> np.ndarray:
    """Write the mean row of texts ``first..last-1`` (truncated, ``skip_id`` left out) to ``out[first:last]``."""
    f32 = np.float32
    for i in range(first, last):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        if max_tokens >= 0:
            hi = min(hi, lo + max_tokens)
        rows = [int(t) for t in ids[lo:hi] if int(t) != skip_id]
        if not rows:
            out[i] = 0.0
            continue
        acc = np.zeros(table.shape[1], dtype=f32)
        for t in rows:
            acc += table[t].astype(f32)  # row by row, as the kernel adds them
        acc *= f32(1.0) / f32(len(rows))
        if normalize:
            s = f32(0.0)
            for v in acc:
                s = f32(s + v * v)
            acc *= f32(1.0) / (f32(np.sqrt(s)) + f32(1e-32))
        out[i] = acc
    return out
