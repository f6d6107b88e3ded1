"""Byte-pair encoding of pre-tokenized pieces, fused with the pre-tokenizer scan.

A piece is merged by repeatedly joining the adjacent pair of lowest priority, the leftmost one on
ties (tiktoken's and Hugging Face's rule). With ``whole_first`` a piece that is itself a token
becomes that token at once (tiktoken does this before merging).

Performance notes: pieces up to ``SHORT`` bytes use the quadratic scan that tiktoken uses (tiny
arrays, no allocation); longer pieces use a heap over a linked list, O(n log n), so one 8 MB run
of a repeated character stays linear-looking instead of quadratic.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .pretokenize import piece_end
from .tables import bytes_lookup, pair_lookup

SHORT = 96
NO_MERGE = np.int64(1) << np.int64(40)


@njit(cache=True, nogil=True, inline="always")
def _priority(keys, prio, left, right):  # pragma: no cover - compiled
    s = pair_lookup(keys, left, right)
    if s < 0:
        return NO_MERGE
    return np.int64(prio[s])


@njit(cache=True, nogil=True)
def _merge_short(b, lo, hi, byte_ids, keys, prio, res, ids, pos, ranks):  # pragma: no cover
    """Merge ``b[lo:hi]``; return the number of parts, written to ``ids`` and ``pos`` (starts)."""
    m = hi - lo
    for k in range(m):
        ids[k] = byte_ids[b[lo + k]]
        pos[k] = lo + k
    for k in range(m - 1):
        ranks[k] = _priority(keys, prio, ids[k], ids[k + 1])
    while m > 1:
        best = NO_MERGE
        at = -1
        for k in range(m - 1):
            if ranks[k] < best:
                best = ranks[k]
                at = k
        if at < 0:
            break
        ids[at] = res[pair_lookup(keys, ids[at], ids[at + 1])]
        for k in range(at + 1, m - 1):
            ids[k] = ids[k + 1]
            pos[k] = pos[k + 1]
            ranks[k] = ranks[k + 1]
        m -= 1
        if at > 0:
            ranks[at - 1] = _priority(keys, prio, ids[at - 1], ids[at])
        if at < m - 1:
            ranks[at] = _priority(keys, prio, ids[at], ids[at + 1])
    return m


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
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
def _merge_long(b, lo, hi, byte_ids, keys, prio, res, ids, pos):  # pragma: no cover - compiled
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
        r = _priority(keys, prio, part[k], part[k + 1])
        if r < NO_MERGE:
            size = _heap_push(heap, size, (r << np.int64(32)) | np.int64(k))
    while size > 0:
        top, size = _heap_pop(heap, size)
        r = top >> np.int64(32)
        k = top & np.int64(0xFFFFFFFF)
        if not alive[k] or nxt[k] < 0:
            continue
        j = nxt[k]
        s = pair_lookup(keys, part[k], part[j])
        if s < 0 or np.int64(prio[s]) != r:
            continue  # stale entry: this pair changed since it was pushed
        part[k] = res[s]
        alive[j] = False
        nxt[k] = nxt[j]
        if nxt[j] >= 0:
            prv[nxt[j]] = k
            r2 = _priority(keys, prio, part[k], part[nxt[k]])
            if r2 < NO_MERGE:
                size = _heap_push(heap, size, (r2 << np.int64(32)) | np.int64(k))
        p = prv[k]
        if p >= 0:
            r2 = _priority(keys, prio, part[p], part[k])
            if r2 < NO_MERGE:
                size = _heap_push(heap, size, (r2 << np.int64(32)) | np.int64(p))
    count = 0
    k = 0
    while k >= 0:
        ids[count] = part[k]
        pos[count] = lo + k
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


@njit(cache=True, nogil=True)
def _grow2(a, need):  # pragma: no cover - compiled
    if need <= a.shape[0]:
        return a
    out = np.empty((max(need, 2 * a.shape[0]), 2), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@njit(cache=True, nogil=True)
def encode_docs(
    b,
    doc_bounds,
    cls,
    grammar,
    piece_bounds,
    byte_ids,
    tok_bytes,
    tok_off,
    slots,
    keys,
    prio,
    res,
    whole_first,
):  # pragma: no cover - compiled
    """Encode documents ``b[doc_bounds[d]:doc_bounds[d+1]]`` for every d.

    b: uint8[n] UTF-8; doc_bounds: int64[D+1]; cls: uint8[0x110000]; grammar: a pretokenize
    grammar id, or -1 to use ``piece_bounds`` (int64[P+1], absolute piece boundaries that include
    every document boundary) instead of scanning; byte_ids: int32[256]; tok_bytes: uint8[total];
    tok_off: int64[V+1]; slots: int32[2^k] (whole-token table); keys/prio/res: pair table;
    whole_first: look a piece up whole before merging (tiktoken).
    Returns ids int32[T], offsets int64[T, 2] (byte start and end, relative to each document)
    and counts int64[D] (tokens per document).
    """
    n_docs = len(doc_bounds) - 1
    cap = (doc_bounds[n_docs] - doc_bounds[0]) // 3 + 16
    out_ids = np.empty(cap, dtype=np.int32)
    out_off = np.empty((cap, 2), dtype=np.int64)
    counts = np.zeros(n_docs, dtype=np.int64)
    sid = np.empty(SHORT, dtype=np.int32)
    spos = np.empty(SHORT, dtype=np.int64)
    srank = np.empty(SHORT, dtype=np.int64)
    t = 0
    pb = 0
    for d in range(n_docs):
        base = doc_bounds[d]
        hi = doc_bounds[d + 1]
        i = base
        if grammar < 0:
            while piece_bounds[pb] < base:
                pb += 1
        t0 = t
        while i < hi:
            if grammar < 0:
                pb += 1
                e = piece_bounds[pb]
            else:
                e = piece_end(b, i, hi, cls, grammar)
            m = e - i
            if t + m > len(out_ids):
                out_ids = _grow(out_ids, t + m)
                out_off = _grow2(out_off, t + m)
            tok = -1
            if whole_first or m == 1:
                tok = bytes_lookup(slots, tok_bytes, tok_off, b, i, e)
            if tok >= 0:
                out_ids[t] = tok
                out_off[t, 0] = i - base
                out_off[t, 1] = e - base
                t += 1
            else:
                if m <= SHORT:
                    c = _merge_short(b, i, e, byte_ids, keys, prio, res, sid, spos, srank)
                    for k in range(c):
                        out_ids[t + k] = sid[k]
                        out_off[t + k, 0] = spos[k] - base
                    for k in range(c - 1):
                        out_off[t + k, 1] = spos[k + 1] - base
                else:
                    lid = np.empty(m, dtype=np.int32)
                    lpos = np.empty(m, dtype=np.int64)
                    c = _merge_long(b, i, e, byte_ids, keys, prio, res, lid, lpos)
                    for k in range(c):
                        out_ids[t + k] = lid[k]
                        out_off[t + k, 0] = lpos[k] - base
                    for k in range(c - 1):
                        out_off[t + k, 1] = lpos[k + 1] - base
                out_off[t + c - 1, 1] = e - base
                t += c
            i = e
        counts[d] = t - t0
    return out_ids[:t].copy(), out_off[:t].copy(), counts


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
