"""GloVe kernels: co-occurrence counting (dense block + sorted sparse runs), run merging, shuffling, AdaGrad.

Counting follows the Stanford reference: for each word ``b`` at position ``j`` and each of the ``window``
words ``a`` before it in the same sentence, at distance ``d``, add ``1/d`` to (a, b) and, when symmetric,
to (b, a). Word ids are frequency ranks (0 = most frequent). A pair goes to the dense block when its column
is under its row's width (``width[a] = min(V, max_product // (a + 1))``, the reference's rank-product
rule), else it is appended to a sparse buffer of records keyed ``a * V + b`` that the caller sorts and
reduces into runs (:func:`sort_reduce`) and finally merges (:func:`merge_runs`).

Training is the reference's weighted least squares with AdaGrad: per record (a, b, log x) and its weight
``f(x) = min(1, x / x_max) ** alpha = exp(min(0, alpha * (log x - log x_max)))``,
``diff = w_a . c_b + bias_a + bias_b - log x``, ``fdiff = f(x) * diff``, gradients clipped to
``[-clip, clip]``, steps ``eta * g / sqrt(G)`` and squared gradients ``G`` starting at 1. ``W`` holds
the word rows 0..V-1 and context rows V..2V-1, each with its bias in the last column.

Performance notes: ``log x`` is computed once per record (a record is 12 bytes: both word ids and
``log x``, float32; the reference's is 16) and ``f(x)`` from it per record and iteration (one ``exp``).
On all 11.7 M words of eltec8 (vector 100, 15 iterations, 2 threads; ``bench/glove.py``, 2026-12-04) that
took the peak from 656 to 564 MiB (the reference's: 688), in 44.0 s against 46.0 s: the ``exp`` is lost
in the wait for the four rows. Storing ``f(x)`` too (16 bytes a record) was the earlier layout.
The dot product and the updates run in float32 SIMD (``fastmath``: the step
``g / sqrt(G)`` may use the CPU's reciprocal square root with a Newton step, within a few ulp); the cost
is summed in float64. Each record's four rows are prefetched a few records ahead (:mod:`._hints`): the
shuffled records touch rows at random, and waiting on memory cost three times the arithmetic.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._hints import prefetch

PREFETCH_AHEAD = 8  # records: the rows of record i + 8 are asked for while record i is trained


@njit(cache=True, nogil=True)
def count_window(
    words, bounds, first, last, window, symmetric, width, offsets, dense, keys, vals, fill
):  # pragma: no cover
    """Count the windows of sentences ``first..last-1``; return the new fill of the sparse buffer.

    words: uint16 or int32[N] word ids; bounds: int64[S + 1]; width, offsets: int64[V] (the dense
    block's row widths and row starts); dense: float64[offsets[-1] + width[-1]], added to;
    keys: int64[C], vals: float64[C] (the sparse buffer, written from ``fill``; the caller leaves room
    for ``2 * window`` records per word).
    """
    n_vocab = width.shape[0]
    for s in range(first, last):
        start, stop = bounds[s], bounds[s + 1]
        for j in range(start, stop):
            b = np.int64(words[j])
            lo = max(start, j - window)
            for k in range(j - 1, lo - 1, -1):
                a = np.int64(words[k])
                inc = 1.0 / (j - k)
                if b < width[a]:
                    dense[offsets[a] + b] += inc
                else:
                    keys[fill] = a * n_vocab + b
                    vals[fill] = inc
                    fill += 1
                if symmetric:
                    if a < width[b]:
                        dense[offsets[b] + a] += inc
                    else:
                        keys[fill] = b * n_vocab + a
                        vals[fill] = inc
                        fill += 1
    return fill


@njit(cache=True, nogil=True)
def sort_reduce(keys, vals, n):  # pragma: no cover - compiled
    """Sort the first ``n`` records by key and add up equal keys; return (int64[U] keys, float64[U] sums)."""
    order = np.argsort(keys[:n], kind="mergesort")
    out_k = np.empty(n, dtype=np.int64)
    out_v = np.empty(n, dtype=np.float64)
    u = -1
    for i in range(n):
        key = keys[order[i]]
        if u >= 0 and out_k[u] == key:
            out_v[u] += vals[order[i]]
        else:
            u += 1
            out_k[u] = key
            out_v[u] = vals[order[i]]
    return out_k[: u + 1].copy(), out_v[: u + 1].copy()


@njit(cache=True, nogil=True, inline="always")
def _emit(count, a, b, x, w1, w2, logx):  # pragma: no cover - compiled
    """Write record ``count`` (a, b, log x) when the output arrays are there; return ``count + 1``."""
    if w1.shape[0] > 0:
        w1[count] = a
        w2[count] = b
        logx[count] = np.log(x)
    return count + 1


@njit(cache=True, nogil=True)
def _emit_dense(count, row, dense, width, offsets, w1, w2, logx):  # pragma: no cover
    """Write the non-zero cells of dense row ``row`` in column order; return the new count."""
    for b in range(width[row]):
        x = dense[offsets[row] + b]
        if x != 0.0:
            count = _emit(count, row, b, x, w1, w2, logx)
    return count


@njit(cache=True, nogil=True)
def merge_runs(keys, vals, starts, dense, width, offsets, row_lo, row_hi, w1, w2, logx):  # pragma: no cover
    """Merge the dense block and the sorted sparse runs into training records; return their number.

    keys: int64[N], vals: float64[N] (runs ``starts[r]:starts[r + 1]`` one after another, each sorted
    with unique keys ``a * V + b``); starts: int64[R + 1]; dense, width, offsets as in
    :func:`count_window`; row_lo, row_hi: the rows of this band (every sparse key is in them; the
    dense rows ``row_lo..row_hi-1`` are written). Output in (a, b) order: w1, w2 int32[M] and logx (``log x``)
    float32[M], M >= the count, or M = 0 to count only.
    A row's dense cells (columns < width[a]) come before its sparse records (columns >= width[a]);
    a binary heap of run heads (smallest key first) picks the next sparse record, equal keys add up.
    """
    n_vocab = width.shape[0]
    n_runs = starts.shape[0] - 1
    heap = np.empty(max(n_runs, 1), dtype=np.int64)
    pos = starts[:-1].copy()
    size = 0
    for r in range(n_runs):
        if pos[r] < starts[r + 1]:
            heap[size] = r
            size += 1
            c = size - 1
            while c > 0 and keys[pos[heap[(c - 1) // 2]]] > keys[pos[heap[c]]]:
                p = (c - 1) // 2
                heap[c], heap[p] = heap[p], heap[c]
                c = p
    count = 0
    next_row = row_lo  # the first dense row not written yet
    key = np.int64(-1)
    x = 0.0
    while size > 0:
        r = heap[0]
        k = keys[pos[r]]
        if k == key:
            x += vals[pos[r]]
        else:
            if key >= 0:
                count = _emit(count, key // n_vocab, key % n_vocab, x, w1, w2, logx)
            row = k // n_vocab
            while next_row <= row:
                count = _emit_dense(count, next_row, dense, width, offsets, w1, w2, logx)
                next_row += 1
            key = k
            x = vals[pos[r]]
        pos[r] += 1
        if pos[r] == starts[r + 1]:
            size -= 1
            heap[0] = heap[size]
        c = 0
        while True:
            left = 2 * c + 1
            if left >= size:
                break
            child = left
            if left + 1 < size and keys[pos[heap[left + 1]]] < keys[pos[heap[left]]]:
                child = left + 1
            if keys[pos[heap[child]]] < keys[pos[heap[c]]]:
                heap[c], heap[child] = heap[child], heap[c]
                c = child
            else:
                break
    if key >= 0:
        count = _emit(count, key // n_vocab, key % n_vocab, x, w1, w2, logx)
    while next_row < row_hi:
        count = _emit_dense(count, next_row, dense, width, offsets, w1, w2, logx)
        next_row += 1
    return count


@njit(cache=True, nogil=True)
def shuffle_records(w1, w2, logx, state):  # pragma: no cover - compiled
    """Shuffle the three record arrays in place (Fisher-Yates, one splitmix64 draw per step); return the state.

    w1, w2: int32[R]; logx: float32[R]; state: uint64 generator state. Step ``i`` (from the end)
    swaps ``i`` with ``j = (draw >> 11) % (i + 1)``.
    """
    for i in range(w1.shape[0] - 1, 0, -1):
        state += np.uint64(0x9E3779B97F4A7C15)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        j = np.int64((z >> np.uint64(11)) % np.uint64(i + 1))
        w1[i], w1[j] = w1[j], w1[i]
        w2[i], w2[j] = w2[j], w2[i]
        logx[i], logx[j] = logx[j], logx[i]
    return state


# subtle: no nnan/ninf among the fastmath flags, or LLVM would drop the finiteness checks; error_model
# "numpy" drops the zero-divisor check of each ``/`` (squared gradients are >= 1), which kept the update
# loop scalar
@njit(cache=True, nogil=True, error_model="numpy", fastmath={"nsz", "arcp", "contract", "afn", "reassoc"})
def train_records(W, gradsq, w1, w2, logx, start, stop, n_vocab, eta, clip, x_max, alpha):  # pragma: no cover
    """Run one AdaGrad step per record ``start..stop-1``; return the summed cost ``0.5 * f(x) * diff**2``.

    W, gradsq: float32[2V, D + 1] (updated in place); w1, w2: int32[R]; logx: float32[R];
    n_vocab: V (context rows start there); eta: the learning rate; clip: the gradient clip; x_max, alpha:
    the weighting ``f(x) = exp(min(0, alpha * (log x - log x_max)))``, computed in float32.
    Records whose diff is not finite are skipped, as the reference does.
    """
    dims = W.shape[1] - 1
    eta = np.float32(eta)
    clip = np.float32(clip)
    log_x_max = np.float32(np.log(x_max))
    alpha = np.float32(alpha)
    cost = 0.0
    up1 = np.empty(dims, dtype=np.float32)
    up2 = np.empty(dims, dtype=np.float32)
    for i in range(start, stop):
        ahead = i + PREFETCH_AHEAD
        if ahead < stop:
            p1 = np.int64(w1[ahead])
            p2 = np.int64(w2[ahead]) + n_vocab
            for c in range(0, dims + 1, 16):  # 16 float32 = one 64-byte cache line
                prefetch(W, p1, c)
                prefetch(W, p2, c)
                prefetch(gradsq, p1, c)
                prefetch(gradsq, p2, c)
        l1 = np.int64(w1[i])
        l2 = np.int64(w2[i]) + n_vocab
        diff = np.float32(0.0)
        for k in range(dims):
            diff += W[l1, k] * W[l2, k]
        lx = logx[i]
        diff += W[l1, dims] + W[l2, dims] - lx
        fx = np.float32(1.0) if lx >= log_x_max else np.exp(alpha * (lx - log_x_max))
        fdiff = fx * diff
        if not np.isfinite(fdiff):
            continue
        cost += 0.5 * np.float64(fdiff) * np.float64(diff)
        s1 = np.float32(0.0)
        s2 = np.float32(0.0)
        for k in range(dims):
            t1 = min(max(fdiff * W[l2, k], -clip), clip) * eta
            t2 = min(max(fdiff * W[l1, k], -clip), clip) * eta
            up1[k] = t1 / np.sqrt(gradsq[l1, k])
            up2[k] = t2 / np.sqrt(gradsq[l2, k])
            s1 += up1[k]
            s2 += up2[k]
            gradsq[l1, k] += t1 * t1
            gradsq[l2, k] += t2 * t2
        if np.isfinite(s1) and np.isfinite(s2):
            for k in range(dims):
                W[l1, k] -= up1[k]
                W[l2, k] -= up2[k]
        b1 = fdiff / np.sqrt(gradsq[l1, dims])
        b2 = fdiff / np.sqrt(gradsq[l2, dims])
        if np.isfinite(b1):
            W[l1, dims] -= b1
        if np.isfinite(b2):
            W[l2, dims] -= b2
        gradsq[l1, dims] += fdiff * fdiff
        gradsq[l2, dims] += fdiff * fdiff
    return cost
