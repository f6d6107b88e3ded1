"""word2vec training: skip-gram and CBOW with negative sampling, one chunk of sentences per call.

The corpus is one int32 array of vocabulary indices with int64 sentence bounds; a call trains on
sentences ``first..last-1`` and updates the two weight matrices in place (Hogwild: threads share
them without locks, as word2vec and gensim do). Everything random comes from one 48-bit linear
congruential generator (word2vec's constants) whose state goes in and comes back out, so the
pure-Python twin in :mod:`tokvec.reference.word2vec` gives bit-identical weights.

Random draws, in order, per sentence: one per word for subsampling; then per kept position one for
its reduced window (when ``shrink_windows``) and one per negative sample. Every draw first advances
the generator, then reads bits 16..47 of the new state.

Performance notes: the dot product sums into 8 independent float32 lanes that are added in a fixed
order. Without ``fastmath`` LLVM may not reorder a single running sum, so a plain loop is bound by
the add latency; 8 lanes are 3-4x faster and stay bit-reproducible (fastmath would not: the twin
could not know the order). The axpy loops vectorize by themselves. A sigmoid table (word2vec's
1,000 entries over [-6, 6]) is cheaper than ``exp`` and makes the twin exact.
"""

from __future__ import annotations

import numpy as np
from numba import njit

MAX_EXP = 6.0
TABLE_SIZE = 1000
_LCG_MUL = 25214903917
_LCG_ADD = 11
_MASK48 = (1 << 48) - 1
_LANES = 8


@njit(cache=True, nogil=True, inline="always")
def lcg(rng):  # pragma: no cover - compiled
    """Advance the 48-bit generator: ``(rng * 25214903917 + 11) mod 2**48`` (int64 in, int64 out)."""
    return (rng * np.int64(_LCG_MUL) + np.int64(_LCG_ADD)) & np.int64(_MASK48)


@njit(cache=True, nogil=True, inline="always")
def dot(a, row_a, b, row_b):  # pragma: no cover - compiled
    """Return ``a[row_a] . b[row_b]`` (float32[*, D] each) summed in 8 lanes, combined pairwise."""
    n = a.shape[1]
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = np.float32(0.0)
    k = 0
    while k + _LANES <= n:
        s0 += a[row_a, k] * b[row_b, k]
        s1 += a[row_a, k + 1] * b[row_b, k + 1]
        s2 += a[row_a, k + 2] * b[row_b, k + 2]
        s3 += a[row_a, k + 3] * b[row_b, k + 3]
        s4 += a[row_a, k + 4] * b[row_b, k + 4]
        s5 += a[row_a, k + 5] * b[row_b, k + 5]
        s6 += a[row_a, k + 6] * b[row_b, k + 6]
        s7 += a[row_a, k + 7] * b[row_b, k + 7]
        k += _LANES
    while k < n:
        s0 += a[row_a, k] * b[row_b, k]
        k += 1
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


@njit(cache=True, nogil=True, inline="always")
def draw_negative(cum_table, rng):  # pragma: no cover - compiled
    """Return the first index ``i`` with ``cum_table[i] > (rng >> 16) % cum_table[-1]`` (int64[V])."""
    x = (rng >> np.int64(16)) % cum_table[cum_table.shape[0] - 1]
    lo = 0
    hi = cum_table.shape[0] - 1
    while lo < hi:
        mid = (lo + hi) >> 1
        if cum_table[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True, nogil=True)
def negative_step(
    inp, row, syn1neg, work, word, cum_table, sigmoid_table, loss_table, negative, alpha, rng
):  # pragma: no cover - compiled
    """Train ``inp[row]`` (float32[*, D]) to predict ``word`` against ``negative`` sampled words.

    Adds the input's gradient to ``work`` (float32[1, D]) and updates ``syn1neg`` (float32[V, D]) in
    place; ``alpha`` is float32. Returns ``(rng, loss)``: the new generator state and the summed
    ``-log sigmoid`` loss read from ``loss_table`` (float32[2, T]: row 0 for label 0, row 1 for label 1).
    """
    size = syn1neg.shape[1]
    top = sigmoid_table.shape[0] - 1
    scale = sigmoid_table.shape[0] / MAX_EXP / 2.0
    loss = 0.0
    for d in range(negative + 1):
        if d == 0:
            target = word
            label = 1
        else:
            rng = lcg(rng)
            target = draw_negative(cum_table, rng)
            if target == word:
                continue
            label = 0
        f = dot(inp, row, syn1neg, target)
        if f >= np.float32(MAX_EXP):
            g = np.float32(label - 1) * alpha
            loss += np.float64(loss_table[label, top])
        elif f <= np.float32(-MAX_EXP):
            g = np.float32(label) * alpha
            loss += np.float64(loss_table[label, 0])
        else:
            idx = int((np.float64(f) + MAX_EXP) * scale)
            g = (np.float32(label) - sigmoid_table[idx]) * alpha
            loss += np.float64(loss_table[label, idx])
        for k in range(size):
            work[0, k] += g * syn1neg[target, k]
        for k in range(size):
            syn1neg[target, k] += g * inp[row, k]
    return rng, loss


@njit(cache=True, nogil=True, error_model="numpy")
def train_sentences(
    syn0,
    syn1neg,
    corpus,
    bounds,
    first,
    last,
    keep,
    cum_table,
    sigmoid_table,
    loss_table,
    skipgram,
    window,
    negative,
    shrink_windows,
    alpha_start,
    alpha_end,
    words_before,
    words_total,
    rng,
):  # pragma: no cover - compiled
    """Train on sentences ``first..last-1``; return ``(rng, kept_words, loss, examples)``.

    ``syn0``, ``syn1neg``: float32[V, D], updated in place. ``corpus``: int32[N] indices into the
    vocabulary; ``bounds``: int64[S + 1], sentence s is ``corpus[bounds[s]:bounds[s+1]]``.
    ``keep``: int64[V], a word is kept when ``keep[w] >= (rng >> 16) & 0xFFFFFFFF`` (2**32 = always).
    ``cum_table``: int64[V], cumulative unigram^0.75 weights (negatives are drawn from it).
    ``sigmoid_table``: float32[T]; ``loss_table``: float32[2, T]. ``skipgram``: bool (else CBOW, mean
    of the context). ``window``, ``negative``: int64 (window >= 1); ``shrink_windows``: bool.
    The learning rate of a sentence falls linearly from ``alpha_start`` to ``alpha_end`` (float64)
    with the share of ``words_total`` (int64) done before it: ``words_before`` plus this call's.
    ``rng``: int64 state of the 48-bit generator. ``loss`` (float64) sums ``-log sigmoid`` per
    example; ``examples`` counts the (input, word) examples trained.
    """
    size = syn0.shape[1]
    longest = 0
    for s in range(first, last):
        longest = max(longest, bounds[s + 1] - bounds[s])
    sent = np.empty(longest, dtype=np.int64)
    work = np.empty((1, size), dtype=np.float32)
    neu1 = np.empty((1, size), dtype=np.float32)
    rng = np.int64(rng)
    done = 0
    kept_words = 0
    examples = 0
    loss = 0.0
    for s in range(first, last):
        lo = bounds[s]
        hi = bounds[s + 1]
        progress = (words_before + done) / words_total
        alpha = np.float32(max(alpha_start - (alpha_start - alpha_end) * progress, alpha_end))
        done += hi - lo
        n = 0
        for p in range(lo, hi):
            w = np.int64(corpus[p])
            rng = lcg(rng)
            if keep[w] < ((rng >> np.int64(16)) & np.int64(0xFFFFFFFF)):
                continue
            sent[n] = w
            n += 1
        kept_words += n
        for i in range(n):
            b = 0
            if shrink_windows:
                rng = lcg(rng)
                b = ((rng >> np.int64(16)) & np.int64(0xFFFFFFFF)) % window
            j0 = max(0, i - window + b)
            j1 = min(n, i + window + 1 - b)
            word = sent[i]
            if skipgram:
                for j in range(j0, j1):
                    if j == i:
                        continue
                    work[0, :] = 0.0
                    rng, part = negative_step(
                        syn0, sent[j], syn1neg, work, word, cum_table, sigmoid_table, loss_table, negative, alpha, rng
                    )
                    loss += part
                    examples += 1
                    for k in range(size):
                        syn0[sent[j], k] += work[0, k]
            else:
                count = 0
                neu1[0, :] = 0.0
                for j in range(j0, j1):
                    if j != i:
                        count += 1
                        for k in range(size):
                            neu1[0, k] += syn0[sent[j], k]
                if count == 0:
                    continue
                inv = np.float32(1.0) / np.float32(count)
                for k in range(size):
                    neu1[0, k] *= inv
                work[0, :] = 0.0
                rng, part = negative_step(
                    neu1, 0, syn1neg, work, word, cum_table, sigmoid_table, loss_table, negative, alpha, rng
                )
                loss += part
                examples += 1
                for j in range(j0, j1):
                    if j != i:
                        for k in range(size):
                            syn0[sent[j], k] += work[0, k]
    return rng, kept_words, loss, examples
