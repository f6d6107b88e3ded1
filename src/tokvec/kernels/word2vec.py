"""word2vec training: skip-gram and CBOW with negative sampling, one chunk of sentences per call.

The corpus is one uint16 or int32 array of vocabulary indices with int64 sentence bounds; a call
trains on sentences ``first..last-1`` and updates the two weight matrices in place (Hogwild:
threads share them without locks, as word2vec and gensim do). Everything random comes from one 48-bit linear
congruential generator (word2vec's constants) whose state goes in and comes back out, so the
pure-Python twin in :mod:`tokvec.reference.word2vec` walks the same random stream.

Random draws, in order, per sentence: one per word for subsampling; then per kept position one for
its reduced window (when ``shrink_windows``) and one per negative sample. Every draw first advances
the generator, then reads bits 16..47 of the new state (``r``, 32 bits). A window shrinks by
``(r * window) >> 32``. A negative comes from an alias table (Walker/Vose): bucket
``i = (r * V) >> 32``, and the low 32 bits of ``r * V`` are the coin: ``i`` if they are below
``threshold[i]``, else ``alias[i]``.

Performance notes (2 M words of eltec8, 1 epoch, 1 thread, CPU seconds, back-to-back runs at load ~3):
- negatives: the binary search of a cumulative table (gensim's way) after an int64 modulo cost
  ~15 unpredictable branches and a division per draw; the alias table is one multiply, two loads
  from two V-entry arrays that stay in cache, and one branch. word2vec's 1e8-entry unigram table
  would be O(1) too but 400 MB of cache misses. With the fused update below: skip-gram 5.3 -> 3.6 s.
- dot products: ``fastmath`` lets LLVM keep the sum in SIMD registers (AVX-512 here) and contract
  multiply-adds: skip-gram 3.6 -> 2.8 s, CBOW 1.45 -> 1.2 s, against 8 scalar lanes in a fixed order
  (bit-reproducible by the twin; 16 lanes were slower still, 4.6 s). The order of the additions is
  then the compiler's, so the twin agrees to float32 rounding, not bit for bit (the tolerance is in
  tests/kernels/test_word2vec.py). A given build stays deterministic: ``threads=1`` and a seed give
  the same weights run after run.
- the two updates per target (input gradient, output row) are one loop: the output row is read once.
- CBOW: the context row index is read into a local before each row loop; indexing ``syn0[sent[j], k]``
  in the loop made LLVM reload ``sent[j]`` after every store (it cannot rule out aliasing), so the
  loop did not vectorize: CBOW 1.22 -> 0.56 s.
- a sigmoid table (word2vec's 1,000 entries over [-6, 6]) is cheaper than ``exp``.

Issue 19 (same data and settings; the old kernel from the main checkout and this one in alternating fresh
processes, best of 3, at load 7-11 on 2 shared cores, so read the ratios, not the seconds):
- where the time went: skip-gram's 5 negatives per example are random rows of ``syn1neg`` (400 bytes
  each; V x 400 B is 8 MB on 2 M words, 20 MB on all of eltec8, against a 2 MB L2), and CBOW's too, so
  both waited on memory far more than they computed (~900 cycles per skip-gram example for ~200 of work).
- draw ahead and prefetch: no draw depends on the weights, so each position's window and negatives are
  drawn one position early into a two-slot buffer (:func:`draw_position`); the stream's order is
  unchanged (window i, negatives i, window i+1, ...), so the twin, which draws per example, still
  agrees. While position i trains, the ``syn1neg`` rows of position i+1's negatives are prefetched
  (:mod:`._hints`), spread evenly over i's examples, plus ``syn1neg`` of the next centre word and
  ``syn0`` of the word entering the window. The same code with the prefetch made a no-op: skip-gram
  3.62 -> 2.25 s, CBOW 1.01 -> 0.57 s. Prefetching all of i+1's rows at once at the start of i: 2.37
  against 2.20 s spread (too many misses in flight at once).
- subtle: ``inline="always"`` inlines a helper's numba IR into its caller, and the caller's flags lower
  it: the example step's own ``fastmath`` did nothing until :func:`train_sentences` had it too. Without
  it the dot products were ordered scalar sums (``vaddss``): skip-gram 3.54 -> 2.51 s, CBOW 0.76 -> 0.65 s.
  The flags leave out ``nnan``/``ninf`` so the clipping comparisons stay as written.
- ``error_model="numpy"`` on every function of the hot path (the example step had numba's default
  "python" model); not measured apart from the inlining, which came with it: together with the draw
  ahead and prefetch, before the fastmath fix, skip-gram 4.21 -> 3.54 s, CBOW 0.83 -> 0.76 s.
- the results did not move: on this A/B (seed 1) the loss, the example count and sum |syn0| came out
  identical to the old kernel's, bit for bit (LLVM picks the same order of additions).
- all of it, the old kernel against this one (best of 3, load 15): skip-gram 3.89 -> 2.06 s (1.89x),
  CBOW 1.06 -> 0.49 s (2.19x). bench/word2vec.py --words 2000000 --threads 2 at load 12.5: skip-gram
  3.66x gensim (3.14x per CPU-second), CBOW 3.75x (4.11x); all 11.7 M words, 1 epoch, load 14.5:
  3.23x and 2.07x. Working memory (all 11.7 M words): 65 MiB against gensim's 40, and not the kernel's:
  reading the corpus peaks at +67 MiB (+31 left, 22 of them the uint16 corpus), the weights take 26;
  gensim streams the file each epoch and holds only the weights and its vocabulary.
- left as they are: D = 100 is not a multiple of 64, so each dot product runs 64 lanes in zmm, 32 in
  ymm and 4 scalar; the sigmoid index keeps its float64 arithmetic and numba's negative-index
  wraparound (a few instructions next to a cache miss).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._hints import prefetch

MAX_EXP = 6.0
TABLE_SIZE = 1000
_LCG_MUL = 25214903917
_LCG_ADD = 11
_MASK48 = (1 << 48) - 1
_MASK32 = 0xFFFFFFFF
# fastmath without nnan/ninf: the clipping comparisons of a dot product must stay as written
_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(cache=True, nogil=True, inline="always")
def lcg(rng):  # pragma: no cover - compiled
    """Advance the 48-bit generator: ``(rng * 25214903917 + 11) mod 2**48`` (int64 in, int64 out)."""
    return (rng * np.int64(_LCG_MUL) + np.int64(_LCG_ADD)) & np.int64(_MASK48)


@njit(cache=True, nogil=True, fastmath=True)
def dot(a, row_a, b, row_b):  # pragma: no cover - compiled
    """Return ``a[row_a] . b[row_b]`` (float32[*, D] each), summed in the compiler's order."""
    s = np.float32(0.0)
    for k in range(a.shape[1]):
        s += a[row_a, k] * b[row_b, k]
    return s


@njit(cache=True, nogil=True, inline="always")
def draw_negative(threshold, alias, rng):  # pragma: no cover - compiled
    """Return a word drawn from the alias table ``threshold`` (int64[V]), ``alias`` (int32[V]) with state ``rng``."""
    x = ((rng >> np.int64(16)) & np.int64(_MASK32)) * np.int64(threshold.shape[0])
    i = x >> np.int64(32)
    if (x & np.int64(_MASK32)) < threshold[i]:
        return i
    return np.int64(alias[i])


@njit(cache=True, nogil=True)
def alias_table(mass, capacity):  # pragma: no cover - compiled
    """Return ``(threshold int64[V], alias int32[V])`` for integer weights ``mass`` (int64[V]).

    ``mass`` must sum to exactly ``V * capacity`` (int64). Vose's method: bucket ``i`` keeps itself
    with ``threshold[i] / capacity`` and gives the rest to ``alias[i]``. Buckets are paired from
    two stacks filled in index order, so the table is a function of ``mass`` alone.
    """
    n = mass.shape[0]
    left = mass.copy()
    threshold = np.full(n, capacity, dtype=np.int64)
    alias = np.arange(n).astype(np.int32)
    small = np.empty(n, dtype=np.int64)
    large = np.empty(n, dtype=np.int64)
    ns = nl = 0
    for i in range(n):
        if left[i] < capacity:
            small[ns] = i
            ns += 1
        else:
            large[nl] = i
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        s = small[ns]
        big = large[nl - 1]
        threshold[s] = left[s]
        alias[s] = big
        left[big] -= capacity - left[s]
        if left[big] < capacity:
            nl -= 1
            small[ns] = big
            ns += 1
    return threshold, alias


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def draw_position(
    i, n, window, shrink_windows, skipgram, negative, threshold, alias, negs, slot, rng
):  # pragma: no cover - compiled
    """Draw position ``i``'s window and all its negatives (into ``negs[slot]``); return ``(rng, j0, j1)``.

    The draws come in the stream's order: the reduced window (when ``shrink_windows``), then
    ``negative`` per example: skip-gram has one example per context word ``j0..j1-1`` but ``i``,
    CBOW one for the whole context (none when it is empty).
    """
    b = 0
    if shrink_windows:
        rng = lcg(rng)
        b = (((rng >> np.int64(16)) & np.int64(_MASK32)) * window) >> np.int64(32)
    j0 = max(0, i - window + b)
    j1 = min(n, i + window + 1 - b)
    count = j1 - j0 - 1
    m = count * negative if skipgram else (negative if count > 0 else 0)
    for q in range(m):
        rng = lcg(rng)
        negs[slot, q] = draw_negative(threshold, alias, rng)
    return rng, j0, j1


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def prefetch_row(a, row):  # pragma: no cover - compiled
    """Prefetch every cache line of ``a[row]`` (float32[*, D]; 16 floats a line, and the last one)."""
    for c in range(0, a.shape[1], 16):
        prefetch(a, row, c)
    prefetch(a, row, a.shape[1] - 1)


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy", inline="always")
def train_example(
    inp, row, syn1neg, work, word, negs, slot, base, negative, sigmoid_table, loss_table, alpha
):  # pragma: no cover - compiled
    """Train ``inp[row]`` (float32[*, D]) to predict ``word`` against ``negs[slot, base:base + negative]``.

    Sets ``work`` (float32[D]) to the input's gradient and updates ``syn1neg`` (float32[V, D]) in
    place; ``alpha`` is float32. Returns the summed ``-log sigmoid`` loss read from ``loss_table``
    (float32[2, T]: row 0 for label 0, row 1 for label 1). A negative equal to ``word`` is skipped.
    """
    top = sigmoid_table.shape[0] - 1
    scale = sigmoid_table.shape[0] / MAX_EXP / 2.0
    size = syn1neg.shape[1]
    loss = 0.0
    for k in range(size):
        work[k] = 0.0
    for d in range(negative + 1):
        if d == 0:
            target = word
            label = 1
        else:
            target = negs[slot, base + d - 1]
            if target == word:
                continue
            label = 0
        f = np.float32(0.0)
        for k in range(size):
            f += inp[row, k] * syn1neg[target, k]
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
            out = syn1neg[target, k]
            work[k] += g * out
            syn1neg[target, k] = out + g * inp[row, k]
    return loss


# subtle: the inline="always" helpers are lowered with these flags (numba inlines their IR), not their own
@njit(cache=True, nogil=True, error_model="numpy", fastmath=_FASTMATH)
def train_sentences(
    syn0,
    syn1neg,
    corpus,
    bounds,
    first,
    last,
    keep,
    threshold,
    alias,
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

    ``syn0``, ``syn1neg``: float32[V, D], updated in place. ``corpus``: uint16[N] or int32[N]
    indices into the vocabulary; ``bounds``: int64[S + 1], sentence s is ``corpus[bounds[s]:bounds[s+1]]``.
    ``keep``: int64[V], a word is kept when ``keep[w] >= (rng >> 16) & 0xFFFFFFFF`` (2**32 = always).
    ``threshold`` (int64[V]), ``alias`` (int32[V]): the alias table negatives are drawn from
    (:func:`alias_table`, capacity 2**32). ``sigmoid_table``: float32[T]; ``loss_table``:
    float32[2, T]. ``skipgram``: bool (else CBOW, mean of the context). ``window``, ``negative``:
    int64 (window >= 1); ``shrink_windows``: bool.
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
    work = np.empty(size, dtype=np.float32)
    neu1 = np.empty((1, size), dtype=np.float32)
    # negatives of this position and the next one (drawn one position ahead: see the performance notes)
    negs = np.empty((2, 2 * window * negative + negative), dtype=np.int64)
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
            if keep[w] < ((rng >> np.int64(16)) & np.int64(_MASK32)):
                continue
            sent[n] = w
            n += 1
        kept_words += n
        if n == 0:
            continue
        rng, j0n, j1n = draw_position(0, n, window, shrink_windows, skipgram, negative, threshold, alias, negs, 0, rng)
        for i in range(n):
            cur = i & 1
            j0 = j0n
            j1 = j1n
            count = j1 - j0 - 1
            m_next = 0
            if i + 1 < n:
                rng, j0n, j1n = draw_position(
                    i + 1, n, window, shrink_windows, skipgram, negative, threshold, alias, negs, 1 - cur, rng
                )
                m_next = (j1n - j0n - 1) * negative if skipgram else (negative if j1n - j0n > 1 else 0)
                prefetch_row(syn1neg, sent[i + 1])
                prefetch_row(syn0, sent[j1n - 1])
            if count <= 0:
                continue
            word = sent[i]
            if skipgram:
                e = 0
                for j in range(j0, j1):
                    if j == i:
                        continue
                    # the next position's negative rows, spread over this position's examples
                    for q in range(e * m_next // count, (e + 1) * m_next // count):
                        prefetch_row(syn1neg, negs[1 - cur, q])
                    c = sent[j]
                    base = e * negative
                    loss += train_example(
                        syn0, c, syn1neg, work, word, negs, cur, base, negative, sigmoid_table, loss_table, alpha
                    )
                    e += 1
                    for k in range(size):
                        syn0[c, k] += work[k]
                examples += count
            else:
                for q in range(m_next):
                    prefetch_row(syn1neg, negs[1 - cur, q])
                for k in range(size):
                    neu1[0, k] = 0.0
                for j in range(j0, j1):
                    if j != i:
                        c = sent[j]  # subtle: hoisted, or the stores below make LLVM reload it (no vectorizing)
                        for k in range(size):
                            neu1[0, k] += syn0[c, k]
                inv = np.float32(1.0) / np.float32(count)
                for k in range(size):
                    neu1[0, k] *= inv
                loss += train_example(
                    neu1, 0, syn1neg, work, word, negs, cur, 0, negative, sigmoid_table, loss_table, alpha
                )
                examples += 1
                for j in range(j0, j1):
                    if j != i:
                        c = sent[j]
                        for k in range(size):
                            syn0[c, k] += work[k]
    return rng, kept_words, loss, examples
