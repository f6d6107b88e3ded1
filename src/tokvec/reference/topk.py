"""Twin of :mod:`tokvec.kernels.topk`: the same folds, written with Python lists and a sort."""

from __future__ import annotations

import math

import numpy as np


def _key(score: float, row: int) -> tuple[float, int]:
    return (-score, row)  # best first: higher score, then lower row


def fold_block(scores: np.ndarray, offset: int, first: int, last: int, best_s: np.ndarray, best_i: np.ndarray) -> None:
    """Keep, for each query row in ``first..last-1``, the ``k`` best of its heap and of ``scores[r]``.

    The result is stored worst first (ascending rank), which is a valid min-heap for the kernel too.
    """
    k = best_s.shape[1]
    for r in range(first, last):
        entries = [(float(s), int(i)) for s, i in zip(best_s[r], best_i[r], strict=True) if i >= 0]
        for j, s in enumerate(scores[r].tolist()):
            if not math.isnan(s) and s > -math.inf:
                entries.append((float(np.float32(s)), offset + j))
        entries.sort(key=lambda e: _key(*e))
        kept = entries[:k]
        kept += [(-math.inf, -1)] * (k - len(kept))
        for slot, (s, i) in enumerate(reversed(kept)):
            best_s[r, slot] = s
            best_i[r, slot] = i


def sort_heaps(best_s: np.ndarray, best_i: np.ndarray) -> None:
    """Sort every row best first; empty slots (-1, -inf) last."""
    for r in range(best_s.shape[0]):
        entries = sorted(zip(best_s[r].tolist(), best_i[r].tolist(), strict=True),
                         key=lambda e: (e[1] < 0, -e[0], e[1]))  # fmt: skip
        for slot, (s, i) in enumerate(entries):
            best_s[r, slot] = s
            best_i[r, slot] = i
