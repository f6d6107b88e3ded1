"""Byte-pair encoding of pre-tokenized pieces, fused with the pre-tokenizer scan.

A piece is merged by repeatedly joining the adjacent pair of lowest priority, the leftmost one on
ties (tiktoken's and Hugging Face's rule). With ``whole_first`` a piece that is itself a token
becomes that token at once (tiktoken does this before merging).

Performance notes: pieces up to ``SHORT`` bytes use the quadratic scan that tiktoken uses (tiny
arrays, no allocation); longer pieces use a heap over a linked list, O(n log n), so one 8 MB run
of a repeated character stays linear-looking instead of quadratic.

Profile of one thread, issue 19 (``bench/profile_encode.py``, ELTeC 16 MB, quiet machine, 2026-12-04),
ns a piece, r50k / cl100k / o200k / Llama-3: the scan alone 21.4 / 23.1 / 26.9 / 22.5; the kernel
(scan, cache, whole-token table, memo and merges) 40.3 / 46.3 / 55.1 / 47.2, so 19-28 for the rest;
``encode_ordinary`` 39.6 / 47.3 / 56.0 / 46.5 (the Python around the kernel: within the noise, the
UTF-8 is a view of the string's own, :mod:`tokvec.tokens.utf8_view`). What each step gave:
- the cache of recent pieces in front of the table and the memo (8192 slots of 32 bytes, 256 KB, in
  L2; 83% of the pieces hit it) and helpers without reference counts (``leaf``): 1.12-1.43x (the
  first profile, loaded machine);
- issue 19: ``out`` is no longer grown inside the piece loop (:func:`_encode_run` returns when it is
  full): numba counted its references at every piece, 12-16% of the time (encode_docs on 16 MB,
  r50k 178 -> 140 ms, o200k 211 -> 164 ms); the result is not copied to trim it (its unwritten pages
  take no memory); a piece of up to 8 bytes is looked up by the key word the cache already made
  (:func:`~tokvec.kernels.tables.packed_lookup`); a one-byte piece is its byte's token; the tables
  sit on 2 MB pages (:mod:`tokvec._hugepages`, +2.7% on o200k).
- tried without a clear gain: a memo of 2^16 instead of 2^18 slots; caches of 2^14 and 2^15 slots
  (o200k and cl100k within 1%); scanning one piece ahead and prefetching its table slot (1.02-1.04x);
  one unaligned 8-byte load for the key (an LLVM intrinsic: within the noise, removed).
- the engine makes the ids' array, the memo and the cache with numpy, on 2 MB pages
  (:func:`scratch_sizes`): o200k 83.8 against 81.9 MB/s over three alternating pairs (+2%, near the
  noise; kept, as it removes some 10,000 page faults a call on 32 MB).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .pretokenize import piece_end
from .tables import bytes_lookup, mix, pack8, packed_lookup, pair_lookup
from .utf8 import leaf

SHORT = 96
NO_MERGE = np.int64(1) << np.int64(40)
LOW32 = np.int64(0xFFFFFFFF)
MEMO_BYTES = 16  # pieces up to this long are memoized within one call
MEMO_SLOTS = 1 << 18  # at most half of them filled: 128k pieces, 16 MB
CACHE_SLOTS = 1 << 13  # recent pieces -> ids, direct-mapped: 4 words a slot, 256 KB (fits L2)
CACHE_IDS = 3  # ids per cache slot, 21 bits each
ID_BITS = np.int64(21)
ID_MASK = (np.int64(1) << ID_BITS) - np.int64(1)


@leaf
def _pair(pairs, left, right):  # pragma: no cover - compiled
    """Return (priority, slot) of a pair; (NO_MERGE, -1) when the pair does not merge."""
    s = pair_lookup(pairs, left, right)
    if s < 0:
        return NO_MERGE, s
    return pairs[2 * s + 1] >> np.int64(32), s


@leaf
def _merge_short(b, lo, hi, byte_ids, pairs, ids, ranks, slots):  # pragma: no cover
    """Merge ``b[lo:hi]``; return the number of tokens, written to ``ids``.

    b: uint8[n]; byte_ids: int32[256]; pairs: pair table; ids: int32[>=m] (output);
    ranks, slots: int64[>=m] (scratch).
    """
    m = hi - lo
    for k in range(m):
        ids[k] = byte_ids[b[lo + k]]
    for k in range(m - 1):
        ranks[k], slots[k] = _pair(pairs, ids[k], ids[k + 1])
    while m > 1:
        best = NO_MERGE
        at = -1
        for k in range(m - 1):
            if ranks[k] < best:
                best = ranks[k]
                at = k
        if at < 0:
            break
        ids[at] = pairs[2 * slots[at] + 1] & LOW32
        for k in range(at + 1, m - 1):
            ids[k] = ids[k + 1]
            ranks[k] = ranks[k + 1]
            slots[k] = slots[k + 1]
        m -= 1
        if at > 0:
            ranks[at - 1], slots[at - 1] = _pair(pairs, ids[at - 1], ids[at])
        if at < m - 1:
            ranks[at], slots[at] = _pair(pairs, ids[at], ids[at + 1])
    return m


@leaf
def _heap_push(heap, size, key):  # pragma: no cover - compiled
    i = size
    heap[i] = key
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= heap[i]:
            break
        heap[parent], heap[i] = heap[i], heap[parent]
        i = parent
    return size + 1


@leaf
def _heap_pop(heap, size):  # pragma: no cover - compiled
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and heap[left + 1] < heap[left]:
            child = left + 1
        if heap[i] <= heap[child]:
            break
        heap[i], heap[child] = heap[child], heap[i]
        i = child
    return top, size


@njit(cache=True, nogil=True)
def _merge_long(b, lo, hi, byte_ids, pairs, ids):  # pragma: no cover - compiled
    """Heap version of :func:`_merge_short` (same result): key = priority << 32 | position."""
    m = hi - lo
    part = np.empty(m, dtype=np.int32)
    nxt = np.empty(m, dtype=np.int64)
    prv = np.empty(m, dtype=np.int64)
    alive = np.ones(m, dtype=np.bool_)
    heap = np.empty(3 * m + 1, dtype=np.int64)
    size = 0
    for k in range(m):
        part[k] = byte_ids[b[lo + k]]
        nxt[k] = k + 1 if k + 1 < m else -1
        prv[k] = k - 1
    for k in range(m - 1):
        r, _ = _pair(pairs, part[k], part[k + 1])
        if r < NO_MERGE:
            size = _heap_push(heap, size, (r << np.int64(32)) | np.int64(k))
    while size > 0:
        top, size = _heap_pop(heap, size)
        r = top >> np.int64(32)
        k = top & np.int64(0xFFFFFFFF)
        if not alive[k] or nxt[k] < 0:
            continue
        j = nxt[k]
        r_now, s = _pair(pairs, part[k], part[j])
        if r_now != r:
            continue  # stale entry: this pair changed since it was pushed
        part[k] = pairs[2 * s + 1] & LOW32
        alive[j] = False
        nxt[k] = nxt[j]
        if nxt[j] >= 0:
            prv[nxt[j]] = k
            r2, _ = _pair(pairs, part[k], part[nxt[k]])
            if r2 < NO_MERGE:
                size = _heap_push(heap, size, (r2 << np.int64(32)) | np.int64(k))
        p = prv[k]
        if p >= 0:
            r2, _ = _pair(pairs, part[p], part[k])
            if r2 < NO_MERGE:
                size = _heap_push(heap, size, (r2 << np.int64(32)) | np.int64(p))
    count = 0
    k = 0
    while k >= 0:
        ids[count] = part[k]
        count += 1
        k = nxt[k]
    return count


@njit(cache=True, nogil=True)
def _grow(a, need):  # pragma: no cover - compiled
    if need <= len(a):
        return a
    out = np.empty(max(need, 2 * len(a)), dtype=a.dtype)
    out[: len(a)] = a
    return out


@leaf
def _memo_key(b, lo, hi):  # pragma: no cover - compiled
    """Pack up to 16 bytes into two words."""
    n = hi - lo
    if n <= 8:
        return pack8(b, lo, n), np.int64(0)
    return pack8(b, lo, 8), pack8(b, lo + 8, n - 8)


@njit(cache=True, nogil=True, inline="always")
def _key_hash(w0, w1, m):  # pragma: no cover - compiled
    """Hash of a piece of ``m`` <= 16 bytes packed into ``w0, w1`` (w1 is 0 when m <= 8)."""
    if m <= 8:
        return mix(w0 ^ np.int64(m))
    return mix(w0 ^ mix(w1 ^ np.int64(m)))


@njit(cache=True, nogil=True)
def encode_docs(
    b, doc_bounds, cls, grammar, piece_bounds, byte_ids, tok_bytes, tok_off, whole, pairs, whole_first
):  # pragma: no cover
    """Encode documents ``b[doc_bounds[d]:doc_bounds[d+1]]`` for every d.

    b: uint8[n] UTF-8; doc_bounds: int64[D+1]; cls: uint8[0x110000]; grammar: a pretokenize
    grammar id, or -1 to use ``piece_bounds`` (int64[P+1], absolute piece boundaries that include
    every document boundary) instead of scanning; byte_ids: int32[256]; tok_bytes: uint8[total];
    tok_off: int64[V+1]; whole, pairs: the tables of :mod:`tokvec.kernels.tables`;
    whole_first: look a piece up whole before merging (tiktoken).
    Returns ids int32[T] and counts int64[D] (tokens per document). Byte-level tokens tile the
    text, so offsets follow from the ids (:func:`token_offsets`) and are not stored.

    Pieces of up to MEMO_BYTES bytes that need merging are remembered for the rest of this call
    (a table local to the call, filled to half of its size at most): rare words repeat. In front of
    both tables a direct-mapped cache (CACHE_SLOTS slots, fewer for short calls) keeps the ids of
    recent pieces of up to MEMO_BYTES bytes that give at most CACHE_IDS ids below 2^21; a slot is
    overwritten by the next piece that hashes to it. Neither changes a result.

    The work is in :func:`_encode_run`, which returns when ``out`` is full; this loop grows it.
    Performance notes: growing ``out`` inside the piece loop made numba count its references at
    every piece (12-16% of the time on ELTeC, all four encodings). The result is not copied to
    trim it: pages of ``out`` past the last token were never written, so they take no memory.
    """
    n_docs = len(doc_bounds) - 1
    out, memo, memo_ids, cache = scratch(doc_bounds[n_docs] - doc_bounds[0])
    return encode_docs_into(
        b, doc_bounds, cls, grammar, piece_bounds, byte_ids, tok_bytes, tok_off, whole, pairs, whole_first,
        out, memo, memo_ids, cache,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def scratch(n_bytes):  # pragma: no cover - compiled
    """The arrays :func:`encode_docs_into` works in for ``n_bytes`` of text: (out, memo, memo_ids, cache).

    :mod:`tokvec.tokens.engines.byte_level` makes the same ones with numpy (:func:`scratch_sizes`), whose
    arrays of 4 MB and more Linux backs with 2 MB pages.
    """
    n_out, n_memo, n_ids, n_cache = scratch_sizes(n_bytes)
    out = np.empty(n_out, dtype=np.int32)
    memo = np.full(n_memo, -1, dtype=np.int64)  # w0, w1, length | count << 8, first id
    memo_ids = np.empty(n_ids, dtype=np.int32)
    cache = np.full(n_cache, -1, dtype=np.int64)  # w0, w1, length | count << 8, ids 21 bits each
    return out, memo, memo_ids, cache


@njit(cache=True, nogil=True)
def scratch_sizes(n_bytes):  # pragma: no cover - compiled
    """Lengths of (out, memo, memo_ids, cache) for ``n_bytes`` of text."""
    memo_size = 16
    while memo_size < MEMO_SLOTS and memo_size * 32 < n_bytes:
        memo_size *= 2
    cache_size = 16
    while cache_size < CACHE_SLOTS and cache_size * 8 < n_bytes:
        cache_size *= 2
    return n_bytes // 3 + 16, 4 * memo_size, memo_size // 2 * MEMO_BYTES, 4 * cache_size


@njit(cache=True, nogil=True)
def encode_docs_into(
    b, doc_bounds, cls, grammar, piece_bounds, byte_ids, tok_bytes, tok_off, whole, pairs, whole_first,
    out, memo, memo_ids, cache,
):  # pragma: no cover - compiled  # fmt: skip
    """:func:`encode_docs` in the arrays of :func:`scratch` (``memo`` and ``cache`` all -1; ``out`` is
    grown, as a new array, when too small). Returns (ids, counts) as :func:`encode_docs`."""
    n_docs = len(doc_bounds) - 1
    counts = np.zeros(n_docs, dtype=np.int64)
    d = 0
    i = doc_bounds[0] if n_docs > 0 else 0
    t = t0 = pb = memo_used = 0
    while True:
        d, i, t, t0, pb, memo_used = _encode_run(
            b, doc_bounds, cls, grammar, piece_bounds, byte_ids, tok_bytes, tok_off, whole, pairs, whole_first,
            out, counts, memo, memo_ids, cache, d, i, t, t0, pb, memo_used,
        )  # fmt: skip
        if d >= n_docs:
            break
        out = _grow(out, max(2 * len(out), t + (doc_bounds[d + 1] - i) // 2 + 16))
    return out[:t], counts


@njit(cache=True, nogil=True)
def _encode_run(
    b, doc_bounds, cls, grammar, piece_bounds, byte_ids, tok_bytes, tok_off, whole, pairs, whole_first,
    out, counts, memo, memo_ids, cache, d, i, t, t0, pb, memo_used,
):  # pragma: no cover - compiled  # fmt: skip
    """The loop of :func:`encode_docs` from document ``d`` at byte ``i`` (``t0``: where its tokens
    start): return (d, i, t, t0, pb, memo_used), with ``d`` = the number of documents when done, else
    at the first piece that does not fit in ``out`` (nothing of it written)."""
    n_docs = len(doc_bounds) - 1
    memo_size = len(memo) // 4
    mask = memo_size - 1
    cmask = len(cache) // 4 - 1
    sid = np.empty(SHORT, dtype=np.int32)
    srank = np.empty(SHORT, dtype=np.int64)
    sslot = np.empty(SHORT, dtype=np.int64)
    while d < n_docs:
        base = doc_bounds[d]
        hi = doc_bounds[d + 1]
        if i < base:
            i = base
        if i == base:
            t0 = t
            if grammar < 0:
                while piece_bounds[pb] < base:
                    pb += 1
        while i < hi:
            if grammar < 0:
                e = piece_bounds[pb + 1]
            else:
                e = piece_end(b, i, hi, cls, grammar)
            m = e - i
            if t + m > len(out):
                return d, i, t, t0, pb, memo_used  # the caller grows out and calls again
            if grammar < 0:
                pb += 1
            if m == 1:  # one byte: its token, no hashing (every byte is a token)
                out[t] = byte_ids[b[i]]
                t += 1
                i = e
                continue
            h = np.int64(0)
            w0 = np.int64(0)
            w1 = np.int64(0)
            if 0 < m <= MEMO_BYTES:
                w0, w1 = _memo_key(b, i, e)
                h = _key_hash(w0, w1, m)
                cs = 4 * (h & cmask)
                if cache[cs] == w0 and cache[cs + 1] == w1 and (cache[cs + 2] & 255) == m:
                    c = cache[cs + 2] >> 8
                    packed = cache[cs + 3]
                    out[t] = packed & ID_MASK
                    if c > 1:
                        out[t + 1] = (packed >> ID_BITS) & ID_MASK
                        if c > 2:
                            out[t + 2] = (packed >> (2 * ID_BITS)) & ID_MASK
                    t += c
                    i = e
                    continue
            t1 = t
            tok = -1
            if 0 < m <= 8 and (whole_first or m == 1):
                tok = packed_lookup(whole, w0, m)  # the key word is the cache's w0
            elif whole_first:
                tok = bytes_lookup(whole, tok_bytes, tok_off, b, i, e)
            if tok >= 0:
                out[t] = tok
                t += 1
            elif m <= MEMO_BYTES:
                s = h & mask
                while memo[4 * s + 2] != -1:
                    if memo[4 * s] == w0 and memo[4 * s + 1] == w1 and (memo[4 * s + 2] & 255) == m:
                        break
                    s = (s + 1) & mask
                if memo[4 * s + 2] != -1:
                    c = memo[4 * s + 2] >> 8
                    f = memo[4 * s + 3]
                    for k in range(c):
                        out[t + k] = memo_ids[f + k]
                else:
                    c = _merge_short(b, i, e, byte_ids, pairs, sid, srank, sslot)
                    for k in range(c):
                        out[t + k] = sid[k]
                    if memo_used < memo_size // 2:
                        f = memo_used * MEMO_BYTES
                        for k in range(c):
                            memo_ids[f + k] = sid[k]
                        memo[4 * s] = w0
                        memo[4 * s + 1] = w1
                        memo[4 * s + 2] = np.int64(m) | (np.int64(c) << np.int64(8))
                        memo[4 * s + 3] = f
                        memo_used += 1
                t += c
            elif m <= SHORT:
                c = _merge_short(b, i, e, byte_ids, pairs, sid, srank, sslot)
                for k in range(c):
                    out[t + k] = sid[k]
                t += c
            else:
                t += _merge_long(b, i, e, byte_ids, pairs, out[t : t + m])
            if 0 < m <= MEMO_BYTES and t - t1 <= CACHE_IDS:
                packed = np.int64(0)
                fits = True
                for k in range(t - t1):
                    x = np.int64(out[t1 + k])
                    fits = fits and x <= ID_MASK
                    packed |= x << (ID_BITS * np.int64(k))
                if fits:
                    cs = 4 * (h & cmask)
                    cache[cs] = w0
                    cache[cs + 1] = w1
                    cache[cs + 2] = np.int64(m) | (np.int64(t - t1) << np.int64(8))
                    cache[cs + 3] = packed
            i = e
        counts[d] = t - t0
        d += 1
    return d, i, t, t0, pb, memo_used


@njit(cache=True, nogil=True)
def token_offsets(ids, tok_off, bounds):  # pragma: no cover - compiled
    """Return int64[T, 2] byte offsets of tokens that tile their texts.

    ids: int32[T]; tok_off: int64[V+1] (token t has tok_off[t+1] - tok_off[t] bytes);
    bounds: int64[D+1], where each text's tokens start (offsets restart at 0 for each text).
    """
    out = np.empty((len(ids), 2), dtype=np.int64)
    for d in range(len(bounds) - 1):
        pos = 0
        for k in range(bounds[d], bounds[d + 1]):
            out[k, 0] = pos
            pos += tok_off[ids[k] + 1] - tok_off[ids[k]]
            out[k, 1] = pos
    return out


@njit(cache=True, nogil=True)
def gather_bytes(ids, tok_bytes, tok_off):  # pragma: no cover - compiled
    """Concatenate the bytes of tokens ``ids`` (int32/int64[T], all valid) into uint8[...]."""
    total = 0
    for k in range(len(ids)):
        total += tok_off[ids[k] + 1] - tok_off[ids[k]]
    out = np.empty(total, dtype=np.uint8)
    j = 0
    for k in range(len(ids)):
        a = tok_off[ids[k]]
        z = tok_off[ids[k] + 1]
        out[j : j + z - a] = tok_bytes[a:z]
        j += z - a
    return out
