"""BPE training: merge the most frequent adjacent pair of symbols, again and again.

The algorithm and its bookkeeping follow Hugging Face ``tokenizers`` ``BpeTrainer`` step for step,
so that the merges come out identical, in the same order:

- words are distinct pre-tokens with a count; each is a sequence of token ids (symbols);
- ``pair counts``: for each adjacent pair (left, right), the summed count of the words holding it;
- a max-heap of entries (count, pair, list of words) ordered by **highest count, then the smallest
  pair (left id, then right id)**; entries are lazy: a popped entry whose count is stale is pushed
  back with the current count;
- merging a pair in a word scans it left to right (``aaaa`` -> ``aa aa``), and reports the pairs
  that lost or gained an occurrence; every pair that gained gets a new heap entry that lists the
  words where it gained.

subtle: as in Hugging Face, the merged pair's own count is not zeroed (only its neighbours change),
and a merge whose result already exists as a token (``ab``+``c`` then ``a``+``bc``) reuses that id.

Token contents are sequences of int32 "units" (bytes, or code points plus two marker units for an
end-of-word suffix and a continuing-subword prefix). A prefix unit at the start of a right part is
dropped on concatenation (WordPiece's ``##``).

Performance notes: all state lives in flat arrays inside one compiled call (open-addressing pair
table, an array heap, word lists in one arena); each step's new pairs are grouped with one stable
argsort, which on ELTeC costs less than a per-pair hash of lists.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_EMPTY = np.int64(-1)
_LOW = np.int64(0xFFFFFFFF)
_GOLDEN = np.int64(-7046029254386353131)
_HASH_MUL = np.int64(1099511628211)


@njit(cache=True, nogil=True, inline="always")
def _slot(key, mask):  # pragma: no cover - compiled
    h = key * _GOLDEN
    return (h ^ (h >> np.int64(29))) & mask


@njit(cache=True, nogil=True)
def _find(keys, key):  # pragma: no cover - compiled
    """Slot of ``key`` in the open-addressing table ``keys`` (int64[2^k]), or the empty slot for it."""
    mask = np.int64(len(keys) - 1)
    s = _slot(key, mask)
    while keys[s] != key and keys[s] != _EMPTY:
        s = (s + 1) & mask
    return s


@njit(cache=True, nogil=True, inline="always")
def _add(keys, vals, key, delta):  # pragma: no cover - compiled
    """Add ``delta`` to the count of ``key`` (inserted if absent, as Hugging Face does); return 1 if inserted."""
    s = _find(keys, key)
    vals[s] += delta
    if keys[s] == _EMPTY:
        keys[s] = key
        return 1
    return 0


@njit(cache=True, nogil=True)
def _grow_table(keys, vals):  # pragma: no cover - compiled
    nk = np.full(2 * len(keys), _EMPTY, dtype=np.int64)
    nv = np.zeros(2 * len(keys), dtype=np.int64)
    for s in range(len(keys)):
        if keys[s] != _EMPTY:
            t = _find(nk, keys[s])
            nk[t] = keys[s]
            nv[t] = vals[s]
    return nk, nv


@njit(cache=True, nogil=True, inline="always")
def _better(c1, k1, c2, k2):  # pragma: no cover - compiled
    """Heap order: higher count first, then the smaller pair key (left id, then right id)."""
    return c1 > c2 or (c1 == c2 and k1 < k2)


@njit(cache=True, nogil=True)
def _push(hc, hk, hl, size, c, k, lst):  # pragma: no cover - compiled
    if size == len(hc):
        hc = np.concatenate((hc, np.empty(len(hc), dtype=np.int64)))
        hk = np.concatenate((hk, np.empty(len(hk), dtype=np.int64)))
        hl = np.concatenate((hl, np.empty(len(hl), dtype=np.int64)))
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if not _better(c, k, hc[p], hk[p]):
            break
        hc[i], hk[i], hl[i] = hc[p], hk[p], hl[p]
        i = p
    hc[i], hk[i], hl[i] = c, k, lst
    return hc, hk, hl, size + 1


@njit(cache=True, nogil=True)
def _pop(hc, hk, hl, size):  # pragma: no cover - compiled
    """Remove the top entry (it stays readable at index ``size - 1``); return the new size."""
    size -= 1
    c, k, lst = hc[size], hk[size], hl[size]
    top_c, top_k, top_l = hc[0], hk[0], hl[0]
    i = 0
    while True:
        a = 2 * i + 1
        if a >= size:
            break
        if a + 1 < size and _better(hc[a + 1], hk[a + 1], hc[a], hk[a]):
            a += 1
        if not _better(hc[a], hk[a], c, k):
            break
        hc[i], hk[i], hl[i] = hc[a], hk[a], hl[a]
        i = a
    if size > 0:
        hc[i], hk[i], hl[i] = c, k, lst
    hc[size], hk[size], hl[size] = top_c, top_k, top_l
    return size


@njit(cache=True, nogil=True)
def _content_hash(units, lo, hi):  # pragma: no cover - compiled
    h = np.int64(hi - lo) * _GOLDEN
    for i in range(lo, hi):
        h = (h ^ np.int64(units[i])) * _HASH_MUL
    return h | np.int64(1) << np.int64(62) if h == _EMPTY else h


@njit(cache=True, nogil=True)
def _same(units, a, b, n):  # pragma: no cover - compiled
    for i in range(n):  # noqa: SIM110 - numba compiles the plain loop
        if units[a + i] != units[b + i]:
            return False
    return True


@njit(cache=True, nogil=True)
def _content_table(units, uoff, n_tokens, min_size):  # pragma: no cover - compiled
    """Return (ckeys, cvals) int64[2^k >= min_size]: the hash of each token's units -> its id (tokens 0..n_tokens-1)."""
    size = 64
    while size < min_size:
        size *= 2
    ckeys = np.full(size, _EMPTY, dtype=np.int64)
    cvals = np.zeros(size, dtype=np.int64)
    for t in range(n_tokens):
        h = _content_hash(units, uoff[t], uoff[t + 1])
        s = _find(ckeys, h)
        while ckeys[s] != _EMPTY:  # collisions of different contents: probe on (rare)
            s = (s + 1) & np.int64(size - 1)
        ckeys[s] = h
        cvals[s] = t
    return ckeys, cvals


@njit(cache=True, nogil=True)
def _merged_token(units, uoff, ckeys, cvals, n_tokens, a, b, prefix_unit):  # pragma: no cover - compiled
    """The token made by merging a and b: its units are a's, then b's without a leading prefix unit.

    Returns (units, id, is_new): an existing token with the same units keeps its id; else the units stay
    after the last token's, as token ``n_tokens`` (``uoff[n_tokens + 1]`` is set: the caller makes room
    in uoff and counts the new token).
    """
    blo = uoff[b]
    if prefix_unit >= 0 and uoff[b + 1] > blo and units[blo] == prefix_unit:
        blo += 1
    need = uoff[n_tokens] + (uoff[a + 1] - uoff[a]) + (uoff[b + 1] - blo)
    if need > len(units):
        units = np.concatenate((units, np.empty(need + len(units), dtype=np.int32)))
    lo = uoff[n_tokens]
    n = 0
    for i in range(uoff[a], uoff[a + 1]):
        units[lo + n] = units[i]
        n += 1
    for i in range(blo, uoff[b + 1]):
        units[lo + n] = units[i]
        n += 1
    h = _content_hash(units, lo, lo + n)
    s = _find(ckeys, h)
    while ckeys[s] != _EMPTY:
        t = cvals[s]
        if ckeys[s] == h and uoff[t + 1] - uoff[t] == n and _same(units, uoff[t], lo, n):
            return units, np.int32(t), False
        s = (s + 1) & np.int64(len(ckeys) - 1)
    ckeys[s] = h
    cvals[s] = n_tokens
    uoff[n_tokens + 1] = lo + n
    return units, np.int32(n_tokens), True


@njit(cache=True, nogil=True)
def _merge_result(lefts, rights, merged, m, units, uoff, n_tokens):  # pragma: no cover - compiled
    """The merge kernels' result: the merges in order, and every token's content."""
    return (lefts[:m].copy(), rights[:m].copy(), merged[:m].copy(), units[: uoff[n_tokens]].copy(),
            uoff[: n_tokens + 1].copy(), n_tokens)  # fmt: skip


@njit(cache=True, nogil=True)
def _group(bkeys, bwords, nb, pkeys, pvals, pdata, pstart, plen, nlists, hc, hk, hl, hsize):  # pragma: no cover
    """Turn the (pair, word) records of one step into one word list and one heap entry per pair."""
    order = np.argsort(bkeys[:nb], kind="mergesort")
    i = 0
    while i < nb:
        key = bkeys[order[i]]
        j = i
        if nlists == len(pstart):
            pstart = np.concatenate((pstart, np.empty(len(pstart), dtype=np.int64)))
            plen = np.concatenate((plen, np.empty(len(plen), dtype=np.int64)))
        start = pstart[nlists - 1] + plen[nlists - 1] if nlists > 0 else np.int64(0)
        n = 0
        last = -1
        while j < nb and bkeys[order[j]] == key:
            w = bwords[order[j]]
            if w != last:  # a word's records for one pair are adjacent: the sort is stable
                if start + n == len(pdata):
                    pdata = np.concatenate((pdata, np.empty(len(pdata), dtype=np.int32)))
                pdata[start + n] = w
                n += 1
                last = w
            j += 1
        count = pvals[_find(pkeys, key)]
        if count > 0:
            pstart[nlists] = start
            plen[nlists] = n
            hc, hk, hl, hsize = _push(hc, hk, hl, hsize, count, key, nlists)
            nlists += 1
        i = j
    return pdata, pstart, plen, nlists, hc, hk, hl, hsize


@njit(cache=True, nogil=True)
def train_merges(
    syms, wstart, wlen, wcount, units, uoff, n_tokens, vocab_size, min_frequency, max_length, prefix_unit, progress
):  # pragma: no cover - compiled
    """Learn merges until ``vocab_size`` tokens exist or no pair is frequent enough.

    syms: int32[S], the symbols (token ids) of every word; word w is ``syms[wstart[w]:wstart[w]+wlen[w]]``
    (wstart int64[W], wlen int64[W]); wcount: int64[W] word counts; units: int32[U], uoff: int64[n_tokens+1]:
    the content of each initial token; min_frequency: a pair needs at least this count; max_length: a
    pair whose merge would be longer (in initial symbols) is not counted when it forms (-1: no limit);
    prefix_unit: the unit dropped from the start of a right part (-1: none); progress: int64[1], where
    the number of merges made so far is written (for a progress bar on another thread).

    Returns (lefts int32[M], rights int32[M], merged int32[M], units, uoff, n_tokens): the merges in
    order, and every token's content (initial and new). ``syms``/``wlen`` are updated in place
    (pass copies).
    """
    tok_len = np.ones(max(vocab_size, n_tokens) + 16, dtype=np.int64)
    uoff = np.concatenate((uoff[: n_tokens + 1], np.empty(max(vocab_size - n_tokens, 0) + 16, dtype=np.int64)))
    units = np.concatenate((units[: uoff[n_tokens]], np.empty(64 + 16 * max(vocab_size - n_tokens, 0), np.int32)))
    # content table: hash of a token's units -> id (to reuse the id of a token made twice)
    ckeys, cvals = _content_table(units, uoff, n_tokens, 2 * max(vocab_size, n_tokens) + 64)
    # pair counts and the initial word lists
    nsym = 0
    for w in range(len(wlen)):
        nsym += max(wlen[w] - 1, 0)
    psize = 1024
    while psize < 2 * nsym:
        psize *= 2
    pkeys = np.full(psize, _EMPTY, dtype=np.int64)
    pvals = np.zeros(psize, dtype=np.int64)
    npairs = 0
    bkeys = np.empty(max(nsym, 16), dtype=np.int64)
    bwords = np.empty(max(nsym, 16), dtype=np.int32)
    nb = 0
    for w in range(len(wlen)):
        a = wstart[w]
        for i in range(a, a + wlen[w] - 1):
            key = (np.int64(syms[i]) << np.int64(32)) | np.int64(syms[i + 1])
            s = _find(pkeys, key)
            if pkeys[s] == _EMPTY:
                pkeys[s] = key
                npairs += 1
            pvals[s] += wcount[w]
            bkeys[nb] = key
            bwords[nb] = w
            nb += 1
    pdata = np.empty(max(nb, 16), dtype=np.int32)
    pstart = np.empty(max(npairs, 16), dtype=np.int64)
    plen = np.empty(max(npairs, 16), dtype=np.int64)
    hc = np.empty(max(npairs, 16), dtype=np.int64)
    hk = np.empty(max(npairs, 16), dtype=np.int64)
    hl = np.empty(max(npairs, 16), dtype=np.int64)
    pdata, pstart, plen, nlists, hc, hk, hl, hsize = _group(
        bkeys, bwords, nb, pkeys, pvals, pdata, pstart, plen, 0, hc, hk, hl, 0
    )
    lefts = np.empty(max(vocab_size - n_tokens, 0) + 16, dtype=np.int32)
    rights = np.empty_like(lefts)
    merged = np.empty_like(lefts)
    m = 0
    while n_tokens < vocab_size and hsize > 0:
        hsize = _pop(hc, hk, hl, hsize)
        c, key, lst = hc[hsize], hk[hsize], hl[hsize]
        current = pvals[_find(pkeys, key)]
        if c != current:
            hc, hk, hl, hsize = _push(hc, hk, hl, hsize, current, key, lst)
            continue
        if c < 1 or c < min_frequency:
            break
        a = np.int32(key >> np.int64(32))
        b = np.int32(key & _LOW)
        if n_tokens + 2 > len(uoff):
            uoff = np.concatenate((uoff, np.empty(len(uoff), dtype=np.int64)))
            tok_len = np.concatenate((tok_len, np.ones(len(tok_len), dtype=np.int64)))
        units, new, is_new = _merged_token(units, uoff, ckeys, cvals, n_tokens, a, b, prefix_unit)
        if is_new:
            tok_len[new] = tok_len[a] + tok_len[b]
            n_tokens += 1
        if m == len(lefts):
            lefts = np.concatenate((lefts, np.empty(len(lefts), dtype=np.int32)))
            rights = np.concatenate((rights, np.empty(len(rights), dtype=np.int32)))
            merged = np.concatenate((merged, np.empty(len(merged), dtype=np.int32)))
        lefts[m], rights[m], merged[m] = a, b, new
        m += 1
        progress[0] = m
        new_len = tok_len[new]
        # merge the pair in every word of the entry's list, recording the changed pairs
        nb = 0
        for q in range(pstart[lst], pstart[lst] + plen[lst]):
            w = pdata[q]
            cnt = wcount[w]
            base = wstart[w]
            size_w = wlen[w]
            i = 0
            while i < size_w:
                if syms[base + i] == a and i + 1 < size_w and syms[base + i + 1] == b:
                    if nb + 4 > len(bkeys):
                        bkeys = np.concatenate((bkeys, np.empty(len(bkeys) + 16, dtype=np.int64)))
                        bwords = np.concatenate((bwords, np.empty(len(bwords) + 16, dtype=np.int32)))
                    if 2 * npairs + 16 > len(pkeys):
                        pkeys, pvals = _grow_table(pkeys, pvals)
                    if i > 0:
                        prev = np.int64(syms[base + i - 1])
                        npairs += _add(pkeys, pvals, (prev << np.int64(32)) | np.int64(a), -cnt)
                        if max_length < 0 or tok_len[prev] + new_len <= max_length:
                            k2 = (prev << np.int64(32)) | np.int64(new)
                            npairs += _add(pkeys, pvals, k2, cnt)
                            bkeys[nb] = k2
                            bwords[nb] = w
                            nb += 1
                    syms[base + i] = new
                    for k in range(i + 1, size_w - 1):
                        syms[base + k] = syms[base + k + 1]
                    size_w -= 1
                    if i < size_w - 1:
                        nxt = np.int64(syms[base + i + 1])
                        npairs += _add(pkeys, pvals, (np.int64(b) << np.int64(32)) | nxt, -cnt)
                        if max_length < 0 or tok_len[nxt] + new_len <= max_length:
                            k2 = (np.int64(new) << np.int64(32)) | nxt
                            npairs += _add(pkeys, pvals, k2, cnt)
                            bkeys[nb] = k2
                            bwords[nb] = w
                            nb += 1
                i += 1
            wlen[w] = size_w
        pdata, pstart, plen, nlists, hc, hk, hl, hsize = _group(
            bkeys, bwords, nb, pkeys, pvals, pdata, pstart, plen, nlists, hc, hk, hl, hsize
        )
    return _merge_result(lefts, rights, merged, m, units, uoff, n_tokens)
