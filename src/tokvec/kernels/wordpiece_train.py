"""WordPiece training: merge the pair with the highest score ``freq(ab) / (freq(a) * freq(b))``.

freq(t) is how often token t occurs in the current segmentation of the corpus (word counts summed),
freq(ab) how often a is directly followed by b. Ties: the higher freq(ab), then the smaller pair
(left id, then right id). A merge joins every occurrence of the pair, left to right, exactly as BPE.

Bookkeeping: a pair table (key -> pair index) with, per pair, its count and a chain of the words it
occurs in; per token, a chain of the pairs it belongs to. The heap is lazy with one twist, because a
merge of (a, b) lowers freq(a) and freq(b) and so *raises* the score of every other pair holding a
or b: those pairs get a fresh entry at once. So each pair's best heap entry is never below its true
score; a popped entry above the true score is pushed back with it, one below is dropped (a fresh
one exists). Pairs whose count is below ``min_frequency`` never enter the heap.

Performance notes: re-pushing the pairs of a and b costs their number of partners per merge (a few
hundred for common characters); when the heap holds 4x more entries than live pairs it is rebuilt
from the pair table, which keeps memory bounded. Dead pairs (count 0) leave the tokens' chains when
met, (no measurable gain on 10 MB of ELTeC, but the chains stay short on long runs).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .bpe_train import _content_table, _merge_result, _merged_token

_EMPTY = np.int64(-1)
_LOW = np.int64(0xFFFFFFFF)


@njit(cache=True, nogil=True, inline="always")
def _better(s1, c1, k1, s2, c2, k2):  # pragma: no cover - compiled
    if s1 != s2:
        return s1 > s2
    if c1 != c2:
        return c1 > c2
    return k1 < k2


@njit(cache=True, nogil=True)
def _push(hs, hc, hp, size, s, c, p, pkey):  # pragma: no cover - compiled
    if size == len(hs):
        hs = np.concatenate((hs, np.empty(len(hs), dtype=np.float64)))
        hc = np.concatenate((hc, np.empty(len(hc), dtype=np.int64)))
        hp = np.concatenate((hp, np.empty(len(hp), dtype=np.int64)))
    i = size
    while i > 0:
        q = (i - 1) >> 1
        if not _better(s, c, pkey[p], hs[q], hc[q], pkey[hp[q]]):
            break
        hs[i], hc[i], hp[i] = hs[q], hc[q], hp[q]
        i = q
    hs[i], hc[i], hp[i] = s, c, p
    return hs, hc, hp, size + 1


@njit(cache=True, nogil=True)
def _pop(hs, hc, hp, size, pkey):  # pragma: no cover - compiled
    """Remove the top (left readable at index ``size - 1``); return the new size."""
    size -= 1
    s, c, p = hs[size], hc[size], hp[size]
    ts, tc, tp = hs[0], hc[0], hp[0]
    i = 0
    while True:
        a = 2 * i + 1
        if a >= size:
            break
        if a + 1 < size and _better(hs[a + 1], hc[a + 1], pkey[hp[a + 1]], hs[a], hc[a], pkey[hp[a]]):
            a += 1
        if not _better(hs[a], hc[a], pkey[hp[a]], s, c, pkey[p]):
            break
        hs[i], hc[i], hp[i] = hs[a], hc[a], hp[a]
        i = a
    if size > 0:
        hs[i], hc[i], hp[i] = s, c, p
    hs[size], hc[size], hp[size] = ts, tc, tp
    return size


@njit(cache=True, nogil=True, inline="always")
def _score(count, fa, fb):  # pragma: no cover - compiled
    return np.float64(count) / (np.float64(fa) * np.float64(fb))


@njit(cache=True, nogil=True)
def train_wordpiece_merges(
    syms, wstart, wlen, wcount, units, uoff, n_tokens, vocab_size, min_frequency, prefix_unit, progress
):  # pragma: no cover - compiled
    """Learn WordPiece merges by score until ``vocab_size`` tokens exist or no pair qualifies.

    Arguments as :func:`tokvec.kernels.bpe_train.train_merges` (no max_length). Returns
    (lefts int32[M], rights int32[M], merged int32[M], units, uoff, n_tokens).
    """
    cap = max(vocab_size, n_tokens) + 16
    uoff = np.concatenate((uoff[: n_tokens + 1], np.empty(cap, dtype=np.int64)))
    units = np.concatenate((units[: uoff[n_tokens]], np.empty(64 + 16 * cap, np.int32)))
    freq = np.zeros(cap, dtype=np.int64)
    ckeys, cvals = _content_table(units, uoff, n_tokens, 2 * cap)
    # pairs: key table -> index; per pair: key, count, head of its word chain; per token: pair chain
    nsym = 0
    for w in range(len(wlen)):
        nsym += wlen[w]
    psize = 1024
    while psize < 4 * nsym:
        psize *= 2
    ptab = np.full(psize, _EMPTY, dtype=np.int64)  # slot -> pair index
    pkey = np.empty(max(nsym, 16), dtype=np.int64)
    pcount = np.zeros(max(nsym, 16), dtype=np.int64)
    phead = np.full(max(nsym, 16), _EMPTY, dtype=np.int64)
    npairs = 0
    occ_word = np.empty(max(nsym, 16), dtype=np.int32)
    occ_next = np.empty(max(nsym, 16), dtype=np.int64)
    nocc = 0
    thead = np.full(cap, _EMPTY, dtype=np.int64)
    tadj_pair = np.empty(max(2 * nsym, 16), dtype=np.int64)
    tadj_next = np.empty(max(2 * nsym, 16), dtype=np.int64)
    nadj = 0
    touched = np.empty(64, dtype=np.int64)
    hs = np.empty(1024, dtype=np.float64)
    hc = np.empty(1024, dtype=np.int64)
    hp = np.empty(1024, dtype=np.int64)
    hsize = 0
    lefts = np.empty(max(vocab_size - n_tokens, 0) + 16, dtype=np.int32)
    rights = np.empty_like(lefts)
    merged = np.empty_like(lefts)
    m = 0
    new = np.int32(-1)
    a = np.int32(-1)
    b = np.int32(-1)
    first = True
    p0 = np.int64(0)
    while True:
        # one pass over the affected words: the initial count (first), or the merge of (a, b) -> new
        ntouched = 0
        if first:
            todo_start, todo_end = 0, len(wlen)
        else:
            p0 = ptab[_find_pair(ptab, pkey, (np.int64(a) << np.int64(32)) | np.int64(b))]
            todo_start, todo_end = 0, 0
        r = phead[p0] if not first else _EMPTY
        w_iter = todo_start
        last_w = -1
        while True:
            if first:
                if w_iter >= todo_end:
                    break
                w = w_iter
                w_iter += 1
            else:
                if r == _EMPTY:
                    break
                w = occ_word[r]
                r = occ_next[r]
                if w == last_w:
                    continue
                last_w = w
            cnt = wcount[w]
            base = wstart[w]
            n = wlen[w]
            if first:
                for i in range(n):
                    freq[syms[base + i]] += cnt
            i = 0
            while i < n:
                if first:
                    if i + 1 < n:
                        key = (np.int64(syms[base + i]) << np.int64(32)) | np.int64(syms[base + i + 1])
                        res = _gain(ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, thead,
                                    tadj_pair, tadj_next, nadj, key, cnt, w)  # fmt: skip
                        ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, tadj_pair, tadj_next, nadj = res
                    i += 1
                    continue
                if syms[base + i] == a and i + 1 < n and syms[base + i + 1] == b:
                    freq[a] -= cnt
                    freq[b] -= cnt
                    freq[new] += cnt
                    if i > 0:
                        prev = np.int64(syms[base + i - 1])
                        pcount[ptab[_find_pair(ptab, pkey, (prev << np.int64(32)) | np.int64(a))]] -= cnt
                        key = (prev << np.int64(32)) | np.int64(new)
                        res = _gain(ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, thead,
                                    tadj_pair, tadj_next, nadj, key, cnt, w)  # fmt: skip
                        ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, tadj_pair, tadj_next, nadj = res
                        if ntouched == len(touched):
                            touched = np.concatenate((touched, np.empty(len(touched), dtype=np.int64)))
                        touched[ntouched] = ptab[_find_pair(ptab, pkey, key)]
                        ntouched += 1
                    syms[base + i] = new
                    for k in range(i + 1, n - 1):
                        syms[base + k] = syms[base + k + 1]
                    n -= 1
                    if i < n - 1:
                        nxt = np.int64(syms[base + i + 1])
                        pcount[ptab[_find_pair(ptab, pkey, (np.int64(b) << np.int64(32)) | nxt)]] -= cnt
                        key = (np.int64(new) << np.int64(32)) | nxt
                        res = _gain(ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, thead,
                                    tadj_pair, tadj_next, nadj, key, cnt, w)  # fmt: skip
                        ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, tadj_pair, tadj_next, nadj = res
                        if ntouched == len(touched):
                            touched = np.concatenate((touched, np.empty(len(touched), dtype=np.int64)))
                        touched[ntouched] = ptab[_find_pair(ptab, pkey, key)]
                        ntouched += 1
                i += 1
            wlen[w] = n
        if first:
            first = False
            for p in range(npairs):
                if pcount[p] >= max(min_frequency, 1):
                    left, right = pkey[p] >> np.int64(32), pkey[p] & _LOW
                    sc = _score(pcount[p], freq[left], freq[right])
                    hs, hc, hp, hsize = _push(hs, hc, hp, hsize, sc, pcount[p], p, pkey)
        else:
            pcount[p0] = 0  # every occurrence merged
            phead[p0] = _EMPTY
            # new pairs, and every pair of a or b (their scores rose with freq(a), freq(b) falling)
            for k in range(ntouched):
                p = touched[k]
                if pcount[p] >= max(min_frequency, 1):
                    left, right = pkey[p] >> np.int64(32), pkey[p] & _LOW
                    hs, hc, hp, hsize = _push(hs, hc, hp, hsize, _score(pcount[p], freq[left], freq[right]),
                                              pcount[p], p, pkey)  # fmt: skip
            for t in (a, b):
                r2 = thead[t]
                before = _EMPTY
                while r2 != _EMPTY:
                    p = tadj_pair[r2]
                    after = tadj_next[r2]
                    if pcount[p] <= 0:  # a dead pair leaves the chain (it rejoins if it ever gains again)
                        if before == _EMPTY:
                            thead[t] = after
                        else:
                            tadj_next[before] = after
                        r2 = after
                        continue
                    before = r2
                    r2 = after
                    if pcount[p] >= max(min_frequency, 1):
                        left, right = pkey[p] >> np.int64(32), pkey[p] & _LOW
                        hs, hc, hp, hsize = _push(hs, hc, hp, hsize, _score(pcount[p], freq[left], freq[right]),
                                                  pcount[p], p, pkey)  # fmt: skip
            if hsize > 4 * npairs + 1024:  # rebuild: one entry per live pair
                hsize = 0
                for p in range(npairs):
                    if pcount[p] >= max(min_frequency, 1):
                        left, right = pkey[p] >> np.int64(32), pkey[p] & _LOW
                        hs, hc, hp, hsize = _push(hs, hc, hp, hsize, _score(pcount[p], freq[left], freq[right]),
                                                  pcount[p], p, pkey)  # fmt: skip
        # pick the next merge
        found = False
        while n_tokens < vocab_size and hsize > 0:
            hsize = _pop(hs, hc, hp, hsize, pkey)
            s0, c0, p = hs[hsize], hc[hsize], hp[hsize]
            if pcount[p] < max(min_frequency, 1):
                continue
            left, right = pkey[p] >> np.int64(32), pkey[p] & _LOW
            cur = _score(pcount[p], freq[left], freq[right])
            if cur == s0 and pcount[p] == c0:
                found = True
                break
            if _better(s0, c0, pkey[p], cur, pcount[p], pkey[p]):  # stale and too high: push back the truth
                hs, hc, hp, hsize = _push(hs, hc, hp, hsize, cur, pcount[p], p, pkey)
            # stale and too low: a fresh entry exists
        if not found:
            break
        a = np.int32(pkey[p] >> np.int64(32))
        b = np.int32(pkey[p] & _LOW)
        units, new, is_new = _merged_token(units, uoff, ckeys, cvals, n_tokens, a, b, prefix_unit)
        if is_new:
            n_tokens += 1
        lefts[m], rights[m], merged[m] = a, b, new
        m += 1
        progress[0] = m
        if m == len(lefts):
            lefts = np.concatenate((lefts, np.empty(len(lefts), dtype=np.int32)))
            rights = np.concatenate((rights, np.empty(len(rights), dtype=np.int32)))
            merged = np.concatenate((merged, np.empty(len(merged), dtype=np.int32)))
    return _merge_result(lefts, rights, merged, m, units, uoff, n_tokens)


@njit(cache=True, nogil=True)
def _find_pair(ptab, pkey, key):  # pragma: no cover - compiled
    """Slot of ``key`` in ``ptab`` (slot -> pair index), or the empty slot for it."""
    mask = np.int64(len(ptab) - 1)
    h = key * np.int64(-7046029254386353131)
    s = (h ^ (h >> np.int64(29))) & mask
    while ptab[s] != _EMPTY and pkey[ptab[s]] != key:
        s = (s + 1) & mask
    return s


@njit(cache=True, nogil=True)
def _gain(
    ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, thead, tadj_pair, tadj_next, nadj, key, cnt, w
):  # pragma: no cover
    """Add ``cnt`` occurrences of pair ``key`` in word ``w`` (creating the pair if new)."""
    s = _find_pair(ptab, pkey, key)
    if ptab[s] == _EMPTY:
        if npairs == len(pkey):
            pkey = np.concatenate((pkey, np.empty(len(pkey), dtype=np.int64)))
            pcount = np.concatenate((pcount, np.zeros(len(pcount), dtype=np.int64)))
            phead = np.concatenate((phead, np.full(len(phead), _EMPTY, dtype=np.int64)))
        p = npairs
        pkey[p] = key
        pcount[p] = 0
        phead[p] = _EMPTY
        npairs += 1
        ptab[s] = p
        if 2 * npairs > len(ptab):
            ptab = np.full(2 * len(ptab), _EMPTY, dtype=np.int64)
            for q in range(npairs):
                ptab[_find_pair(ptab, pkey, pkey[q])] = q
        relink = True
    else:
        p = ptab[s]
        relink = pcount[p] <= 0
    if relink:
        for t in (key >> np.int64(32), key & _LOW):
            if nadj == len(tadj_pair):
                tadj_pair = np.concatenate((tadj_pair, np.empty(len(tadj_pair), dtype=np.int64)))
                tadj_next = np.concatenate((tadj_next, np.empty(len(tadj_next), dtype=np.int64)))
            tadj_pair[nadj] = p
            tadj_next[nadj] = thead[t]
            thead[t] = nadj
            nadj += 1
    pcount[p] += cnt
    if phead[p] == _EMPTY or occ_word[phead[p]] != w:
        if nocc == len(occ_word):
            occ_word = np.concatenate((occ_word, np.empty(len(occ_word), dtype=np.int32)))
            occ_next = np.concatenate((occ_next, np.empty(len(occ_next), dtype=np.int64)))
        occ_word[nocc] = w
        occ_next[nocc] = phead[p]
        phead[p] = nocc
        nocc += 1
    return ptab, pkey, pcount, phead, npairs, occ_word, occ_next, nocc, tadj_pair, tadj_next, nadj
