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

Bookkeeping: all state lives in flat arrays inside one compiled call (an open-addressing pair
table, an array heap, the word lists in one arena). A step first writes its changes as (pair, delta,
word) into a buffer (:func:`_merge_words`; step 0 writes every pair of every word,
:func:`_pairs_of_words`), then :func:`_apply` adds them to the pair counts and records each gain: a
pair's first gain in the step gives it the next index among the step's distinct pairs (kept in the
table's slot), so that :func:`_group` only sorts the distinct pairs' keys, never the records, to make
the new word lists and heap entries in key order.

Performance (the ELTeC word table: 64 MB of text, gpt2 pre-tokenizer, 106,918 distinct words,
883,543 bytes; 2-core machine; ``bench/learn_bpe.py``): ``train_merges`` at vocab 4,096 took 0.55 s
(the first counts and lists 0.13 s) and now takes 0.11 s (0.01 s); at vocab 32,000, 0.78 s -> 0.24 s.
The Python around it in ``learn_bpe`` costs a few ms. Where the time went, by ``perf`` (with a perf
map of the compiled functions):

- about 60%: numba's reference counting (``NRT_incref``/``NRT_decref``): an array variable that a
  loop may rebind (a table grown in place) is counted at every call of a helper that takes it, and
  an ``inline="always"`` helper taking arrays is counted at every call even without that. Now no
  array is rebound inside a hot loop (a loop stops and returns where a buffer is full; its caller
  grows the buffer and calls it again), and the one hot probe is written out in :func:`_apply`;
- about 20%: the stable ``argsort`` (numba's merge sort) of every step's (pair, word) records, 776k
  of them at the start; now only the distinct pairs are sorted, and the records are placed in one
  pass;
- tried: a smaller pair table alone (it was sized for every symbol, 2M slots, 32 MB) gave nothing
  measurable with the old loop (0.58 s either way); it now starts at 4,096 slots and doubles. Helpers
  for the probe and the record, inlined (``inline="always"``) or not, cost about 0.05 s more at vocab
  4,096 than the same code written out (in :func:`_apply`).

What remains is mostly :func:`_merge_words` itself, the scan of the words that hold the pair.
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


@njit(cache=True, nogil=True)
def _grow_table(keys, vals, stamp, loc, min_size):  # pragma: no cover - compiled
    """The pair table (keys, counts, and each pair's step stamp and local index) rehashed into >= min_size slots."""
    size = len(keys)
    while size < min_size:
        size *= 2
    nk = np.full(size, _EMPTY, dtype=np.int64)
    nv = np.zeros(size, dtype=np.int64)
    ns = np.full(size, -1, dtype=np.int64)
    nl = np.zeros(size, dtype=np.int32)
    for s in range(len(keys)):
        if keys[s] != _EMPTY:
            t = _find(nk, keys[s])
            nk[t], nv[t], ns[t], nl[t] = keys[s], vals[s], stamp[s], loc[s]
    return nk, nv, ns, nl


@njit(cache=True, nogil=True, inline="always")
def _better(c1, k1, c2, k2):  # pragma: no cover - compiled
    """Heap order: higher count first, then the smaller pair key (left id, then right id)."""
    return c1 > c2 or (c1 == c2 and k1 < k2)


@njit(cache=True, nogil=True)
def _push(hc, hk, hl, size, c, k, lst):  # pragma: no cover - compiled
    """Add an entry (the caller makes room: ``size < len(hc)``); return the new size."""
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if not _better(c, k, hc[p], hk[p]):
            break
        hc[i], hk[i], hl[i] = hc[p], hk[p], hl[p]
        i = p
    hc[i], hk[i], hl[i] = c, k, lst
    return size + 1


@njit(cache=True, nogil=True)
def _grown(a, n):  # pragma: no cover - compiled
    """``a`` if it holds ``n`` items, else a copy with room for at least ``n`` (doubling)."""
    if n <= len(a):
        return a
    size = max(len(a), 16)
    while size < n:
        size *= 2
    out = np.empty(size, dtype=a.dtype)
    out[: len(a)] = a
    return out


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
def _pairs_of_words(syms, wstart, wlen, wcount, w, ck, cd, cw):  # pragma: no cover - compiled
    """Write the pairs of words ``w, w+1, ...`` as changes (pair key, + word count, word) into ck, cd, cw, up
    to a word whose pairs do not fit; return (next word, number of changes)."""
    nc = 0
    while w < len(wlen):
        n = max(wlen[w] - 1, 0)
        if nc + n > len(ck):
            break
        a = wstart[w]
        for i in range(a, a + n):
            ck[nc] = (np.int64(syms[i]) << np.int64(32)) | np.int64(syms[i + 1])
            cd[nc] = wcount[w]
            cw[nc] = w
            nc += 1
        w += 1
    return w, nc


@njit(cache=True, nogil=True)
def _merge_words(
    syms, wstart, wlen, wcount, tok_len, pdata, q, q_end, a, b, new, max_length, ck, cd, cw
):  # pragma: no cover
    """Merge (a, b) into ``new`` in the words ``pdata[q:q_end]``, left to right in each word, writing the
    changed pairs as (key, delta, word or -1) into ck, cd, cw, in order: (prev, a) and (b, next) lose the
    word's count, (prev, new) and (new, next) gain it (the gains are listed with the word). Stops before a
    word whose changes might not fit (2 per symbol); return (next q, number of changes).
    """
    nc = 0
    new_len = tok_len[new]
    while q < q_end:
        w = pdata[q]
        size_w = wlen[w]
        if nc + 2 * size_w > len(ck):
            break
        cnt = wcount[w]
        base = wstart[w]
        i = 0
        while i < size_w:
            if syms[base + i] == a and i + 1 < size_w and syms[base + i + 1] == b:
                if i > 0:
                    prev = np.int64(syms[base + i - 1])
                    ck[nc], cd[nc], cw[nc] = (prev << np.int64(32)) | np.int64(a), -cnt, -1
                    nc += 1
                    if max_length < 0 or tok_len[prev] + new_len <= max_length:
                        ck[nc], cd[nc], cw[nc] = (prev << np.int64(32)) | np.int64(new), cnt, w
                        nc += 1
                syms[base + i] = new
                for k in range(i + 1, size_w - 1):
                    syms[base + k] = syms[base + k + 1]
                size_w -= 1
                if i < size_w - 1:
                    nxt = np.int64(syms[base + i + 1])
                    ck[nc], cd[nc], cw[nc] = (np.int64(b) << np.int64(32)) | nxt, -cnt, -1
                    nc += 1
                    if max_length < 0 or tok_len[nxt] + new_len <= max_length:
                        ck[nc], cd[nc], cw[nc] = (np.int64(new) << np.int64(32)) | nxt, cnt, w
                        nc += 1
            i += 1
        wlen[w] = size_w
        q += 1
    return q, nc


@njit(cache=True, nogil=True)
def _apply(
    ck, cd, cw, j, nc, step, pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs
):  # pragma: no cover
    """Apply the changes ``j..nc-1`` to the pair counts (a pair is inserted if absent, as Hugging Face does)
    and record each gain (pair, word) of this ``step``; return (next change, nb, nd, npairs).

    A pair's first record in the step gives it the next index among the step's distinct pairs (``loc``,
    valid while ``stamp`` is ``step``), where its key, number of words and last word are kept; a word is
    recorded once per pair (its changes come one after another). Stops early, before the change it
    returns, when the table is half full or the records or distinct pairs are full: the caller grows
    them and calls again from there.

    subtle: the probe is written out here, not called: a helper taking arrays costs numba a reference
    count per call, which was most of this loop's time.
    """
    mask = np.int64(len(pkeys) - 1)
    while j < nc:
        if 2 * npairs + 16 > len(pkeys) or nb == len(rloc) or nd == len(dkeys):
            break
        key = ck[j]
        s = _slot(key, mask)
        while pkeys[s] != key and pkeys[s] != _EMPTY:
            s = (s + 1) & mask
        if pkeys[s] == _EMPTY:
            pkeys[s] = key
            npairs += 1
        pvals[s] += cd[j]
        w = cw[j]
        if w >= 0:
            if stamp[s] != step:
                stamp[s] = step
                loc[s] = nd
                dkeys[nd] = key
                dcnt[nd] = 0
                dlast[nd] = -1
                nd += 1
            d = loc[s]
            if dlast[d] != w:
                dlast[d] = w
                dcnt[d] += 1
                rloc[nb] = d
                rword[nb] = w
                nb += 1
        j += 1
    return j, nb, nd, npairs


@njit(cache=True, nogil=True)
def _group(
    pkeys, pvals, rloc, rword, nb, dkeys, dcnt, nd, pdata, fill, pstart, plen, nlists, hc, hk, hl, hsize
):  # pragma: no cover
    """Turn one step's records into one word list and one heap entry per pair whose count is positive, in
    the order of the pairs' keys (the caller makes room: nb in pdata, nd lists and heap entries).

    Each list keeps its words in the order they were recorded. Return (fill of pdata, nlists, hsize).
    """
    order = np.argsort(dkeys[:nd])  # the keys are distinct: any sort gives the same order
    pos = np.empty(nd, dtype=np.int64)
    for r in range(nd):
        d = order[r]
        key = dkeys[d]
        count = pvals[_find(pkeys, key)]
        if count > 0:
            pos[d] = fill
            pstart[nlists] = fill
            plen[nlists] = dcnt[d]
            fill += dcnt[d]
            hsize = _push(hc, hk, hl, hsize, count, key, nlists)
            nlists += 1
        else:
            pos[d] = -1
    for i in range(nb):
        d = rloc[i]
        if pos[d] >= 0:
            pdata[pos[d]] = rword[i]
            pos[d] += 1
    return fill, nlists, hsize


@njit(cache=True, nogil=True)
def _apply_all(
    ck, cd, cw, nc, step, pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs
):  # pragma: no cover
    """:func:`_apply` all ``nc`` changes, growing the table, the records and the distinct pairs as needed."""
    j = 0
    while True:
        j, nb, nd, npairs = _apply(
            ck, cd, cw, j, nc, step, pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs
        )
        if j == nc:
            return pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs
        if 2 * npairs + 16 > len(pkeys):
            pkeys, pvals, stamp, loc = _grow_table(pkeys, pvals, stamp, loc, 2 * len(pkeys))
        if nb == len(rloc):
            rloc, rword = _grown(rloc, 2 * nb), _grown(rword, 2 * nb)
        if nd == len(dkeys):
            dkeys, dcnt, dlast = _grown(dkeys, 2 * nd), _grown(dcnt, 2 * nd), _grown(dlast, 2 * nd)


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
    # the pair table: key (left << 32 | right) -> count, and per pair the step of its last record and its
    # index among that step's distinct pairs
    pkeys = np.full(1 << 12, _EMPTY, dtype=np.int64)
    pvals = np.zeros(1 << 12, dtype=np.int64)
    stamp = np.full(1 << 12, -1, dtype=np.int64)
    loc = np.zeros(1 << 12, dtype=np.int32)
    npairs = 0
    nsym = 0
    for w in range(len(wlen)):
        nsym += max(wlen[w] - 1, 0)
    # changes to apply (key, delta, word), one step's records (distinct pair index, word), its distinct pairs
    ck = np.empty(max(min(nsym, 1 << 16), 16), dtype=np.int64)
    cd = np.empty(len(ck), dtype=np.int64)
    cw = np.empty(len(ck), dtype=np.int32)
    rloc = np.empty(max(nsym, 16), dtype=np.int32)
    rword = np.empty(len(rloc), dtype=np.int32)
    dkeys = np.empty(1 << 12, dtype=np.int64)
    dcnt = np.empty(len(dkeys), dtype=np.int64)
    dlast = np.empty(len(dkeys), dtype=np.int32)
    nb = nd = 0
    w = 0
    while w < len(wlen):  # step 0: the pairs of every word
        w, nc = _pairs_of_words(syms, wstart, wlen, wcount, w, ck, cd, cw)
        if nc == 0 and w < len(wlen):
            ck, cd, cw = _grown(ck, wlen[w]), _grown(cd, wlen[w]), _grown(cw, wlen[w])
        pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs = _apply_all(
            ck, cd, cw, nc, 0, pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs
        )
    # word lists (pdata[pstart[l]:pstart[l]+plen[l]]) and the heap of (count, key, list)
    pdata = np.empty(max(nb, 16), dtype=np.int32)
    pstart = np.empty(max(nd, 16), dtype=np.int64)
    plen = np.empty(max(nd, 16), dtype=np.int64)
    hc = np.empty(max(nd, 16), dtype=np.int64)
    hk = np.empty(max(nd, 16), dtype=np.int64)
    hl = np.empty(max(nd, 16), dtype=np.int64)
    fill, nlists, hsize = _group(
        pkeys, pvals, rloc, rword, nb, dkeys, dcnt, nd, pdata, 0, pstart, plen, 0, hc, hk, hl, 0
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
            hsize = _push(hc, hk, hl, hsize, current, key, lst)
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
        # merge the pair in every word of the entry's list; the pairs that gained get a list and an entry
        q, q_end = pstart[lst], pstart[lst] + plen[lst]
        nb = nd = 0
        while q < q_end:
            q, nc = _merge_words(
                syms, wstart, wlen, wcount, tok_len, pdata, q, q_end, a, b, new, max_length, ck, cd, cw
            )
            if nc == 0 and q < q_end:
                size_w = 2 * wlen[pdata[q]]
                ck, cd, cw = _grown(ck, size_w), _grown(cd, size_w), _grown(cw, size_w)
            pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs = _apply_all(
                ck, cd, cw, nc, m, pkeys, pvals, stamp, loc, rloc, rword, nb, dkeys, dcnt, dlast, nd, npairs
            )
        pdata = _grown(pdata, fill + nb)
        pstart, plen = _grown(pstart, nlists + nd), _grown(plen, nlists + nd)
        hc, hk, hl = _grown(hc, hsize + nd), _grown(hk, hsize + nd), _grown(hl, hsize + nd)
        fill, nlists, hsize = _group(
            pkeys, pvals, rloc, rword, nb, dkeys, dcnt, nd, pdata, fill, pstart, plen, nlists, hc, hk, hl, hsize
        )
    return _merge_result(lefts, rights, merged, m, units, uoff, n_tokens)
