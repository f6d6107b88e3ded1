"""Twin of :mod:`tokvec.kernels.glove`: counting, sorting runs, merging, shuffling and AdaGrad, written plainly.

Counting, sorting, merging and shuffling agree with the kernels exactly; training agrees to float32
rounding (the kernel sums its dot products in the compiler's order).
"""

from __future__ import annotations

import heapq
import math

import numpy as np

_MASK64 = (1 << 64) - 1


def count_window(
    words: np.ndarray,
    bounds: np.ndarray,
    first: int,
    last: int,
    window: int,
    symmetric: bool,
    width: np.ndarray,
    offsets: np.ndarray,
    dense: np.ndarray,
    keys: np.ndarray,
    vals: np.ndarray,
    fill: int,
) -> int:
    """Count the windows of sentences ``first..last-1`` into ``dense`` and the sparse buffer; return its fill."""
    n_vocab = len(width)

    def add(a: int, b: int, inc: float) -> None:
        nonlocal fill
        if b < width[a]:
            dense[offsets[a] + b] += inc
        else:
            keys[fill], vals[fill] = a * n_vocab + b, inc
            fill += 1

    for s in range(first, last):
        sentence = [int(w) for w in words[bounds[s] : bounds[s + 1]]]
        for j, b in enumerate(sentence):
            for k in range(j - 1, max(0, j - window) - 1, -1):
                a = sentence[k]
                add(a, b, 1.0 / (j - k))
                if symmetric:
                    add(b, a, 1.0 / (j - k))
    return fill


def sort_reduce(keys: np.ndarray, vals: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort the first ``n`` records by key (stably) and add up equal keys."""
    sums: dict[int, float] = {}
    for i in np.argsort(keys[:n], kind="stable"):
        key = int(keys[i])
        sums[key] = sums.get(key, 0.0) + float(vals[i])
    return np.array(list(sums), dtype=np.int64), np.array(list(sums.values()), dtype=np.float64)


def merge_runs(
    keys: np.ndarray,
    vals: np.ndarray,
    starts: np.ndarray,
    dense: np.ndarray,
    width: np.ndarray,
    offsets: np.ndarray,
    row_lo: int,
    row_hi: int,
    w1: np.ndarray,
    w2: np.ndarray,
    logx: np.ndarray,
) -> int:
    """Add up the runs' records and the dense block's non-zero cells per (a, b); write them in (a, b) order."""
    n_vocab = len(width)
    sums: dict[tuple[int, int], float] = {}
    for a in range(row_lo, row_hi):
        for b in range(int(width[a])):
            if dense[offsets[a] + b] != 0.0:
                sums[(a, b)] = float(dense[offsets[a] + b])
    # heap order (smallest key, then lowest run) fixes the order in which equal keys add up
    runs = [[(int(keys[i]), r, i) for i in range(starts[r], starts[r + 1])] for r in range(len(starts) - 1)]
    merged = heapq.merge(*runs)
    for key, _r, i in merged:
        pair = (key // n_vocab, key % n_vocab)
        sums[pair] = sums.get(pair, 0.0) + float(vals[i])
    if len(w1):
        for n, pair in enumerate(sorted(sums)):
            x = sums[pair]
            w1[n], w2[n] = pair
            logx[n] = math.log(x)
    return len(sums)


def shuffle_records(w1: np.ndarray, w2: np.ndarray, logx: np.ndarray, state: int) -> int:
    """Fisher-Yates from the end with splitmix64 draws, as the kernel; return the generator state."""
    state = int(state)
    for i in range(len(w1) - 1, 0, -1):
        state = (state + 0x9E3779B97F4A7C15) & _MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        z ^= z >> 31
        j = (z >> 11) % (i + 1)
        for a in (w1, w2, logx):
            a[i], a[j] = a[j], a[i]
    return state


def train_records(
    W: np.ndarray,
    gradsq: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    logx: np.ndarray,
    start: int,
    stop: int,
    n_vocab: int,
    eta: float,
    clip: float,
    x_max: float,
    alpha: float,
) -> float:
    """One AdaGrad step per record, as the reference's ``glove_thread``; return the summed cost.

    The weight ``f(x) = min(1, x / x_max) ** alpha`` comes from ``log x``, in float32, as the kernel's.
    """
    dims = W.shape[1] - 1
    f32 = np.float32
    log_x_max = f32(math.log(x_max))
    cost = 0.0
    for i in range(start, stop):
        l1, l2 = int(w1[i]), int(w2[i]) + n_vocab
        with np.errstate(all="ignore"):
            lx = f32(logx[i])
            diff = f32(np.dot(W[l1, :dims], W[l2, :dims])) + W[l1, dims] + W[l2, dims] - lx
            fx = f32(1.0) if lx >= log_x_max else np.exp(f32(alpha) * (lx - log_x_max))
            fdiff = f32(fx * diff)
            if not np.isfinite(fdiff):
                continue
            cost += 0.5 * float(fdiff) * float(diff)
            t1 = np.clip(fdiff * W[l2, :dims], -clip, clip).astype(f32) * f32(eta)
            t2 = np.clip(fdiff * W[l1, :dims], -clip, clip).astype(f32) * f32(eta)
            up1 = t1 / np.sqrt(gradsq[l1, :dims])
            up2 = t2 / np.sqrt(gradsq[l2, :dims])
            gradsq[l1, :dims] += t1 * t1
            gradsq[l2, :dims] += t2 * t2
            if np.isfinite(up1.sum(dtype=f32)) and np.isfinite(up2.sum(dtype=f32)):
                W[l1, :dims] -= up1
                W[l2, :dims] -= up2
            b1 = fdiff / np.sqrt(gradsq[l1, dims])
            b2 = fdiff / np.sqrt(gradsq[l2, dims])
            if np.isfinite(b1):
                W[l1, dims] -= b1
            if np.isfinite(b2):
                W[l2, dims] -= b2
            gradsq[l1, dims] += fdiff * fdiff
            gradsq[l2, dims] += fdiff * fdiff
    return cost
