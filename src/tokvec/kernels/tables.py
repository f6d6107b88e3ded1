"""Open-addressing hash tables on arrays: byte strings -> token id, and id pairs -> merge.

Performance notes: a byte-string table whose slots hold token ids (the key bytes live in the
vocabulary's byte buffer) costs one hash and usually one ``memcmp`` per piece; the pair table is
keyed by ``left << 32 | right`` so a merge lookup never touches bytes. Both tables are at most half
full, so probe chains stay short.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EMPTY = -1
_FNV_OFFSET = -3750763034362895579  # 0xcbf29ce484222325 as int64
_FNV_PRIME = 1099511628211
_GOLDEN = -7046029254386353131  # 0x9e3779b97f4a7c15 as int64


@njit(cache=True, nogil=True, inline="always")
def hash_bytes(b, lo, hi):  # pragma: no cover - compiled
    """FNV-1a over ``b[lo:hi]`` with 64-bit wrap-around (int64)."""
    h = np.int64(_FNV_OFFSET)
    for i in range(lo, hi):
        h = (h ^ np.int64(b[i])) * np.int64(_FNV_PRIME)
    return h ^ (h >> np.int64(31))


@njit(cache=True, nogil=True, inline="always")
def hash_pair(key):  # pragma: no cover - compiled
    """Mix a 64-bit pair key."""
    h = key * np.int64(_GOLDEN)
    return h ^ (h >> np.int64(29))


@njit(cache=True, nogil=True)
def bytes_lookup(slots, tok_bytes, tok_off, b, lo, hi):  # pragma: no cover - compiled
    """Return the id whose bytes equal ``b[lo:hi]``, or -1.

    slots: int32[2^k] token ids or -1; tok_bytes: uint8[total]; tok_off: int64[V+1].
    """
    mask = len(slots) - 1
    s = hash_bytes(b, lo, hi) & mask
    length = hi - lo
    while True:
        t = slots[s]
        if t == EMPTY:
            return -1
        a = tok_off[t]
        if tok_off[t + 1] - a == length:
            same = True
            for k in range(length):
                if tok_bytes[a + k] != b[lo + k]:
                    same = False
                    break
            if same:
                return t
        s = (s + 1) & mask


@njit(cache=True)
def build_bytes_table(tok_bytes, tok_off, include):  # pragma: no cover - compiled
    """Build the slots of :func:`bytes_lookup` for the ids ``t`` with ``include[t]``.

    include: bool[V]. A later id with the same bytes does not replace an earlier one.
    """
    count = 0
    for t in range(len(include)):
        if include[t]:
            count += 1
    size = 16
    while size < 2 * count + 2:
        size *= 2
    slots = np.full(size, EMPTY, dtype=np.int32)
    mask = size - 1
    for t in range(len(include)):
        if not include[t]:
            continue
        lo, hi = tok_off[t], tok_off[t + 1]
        if bytes_lookup(slots, tok_bytes, tok_off, tok_bytes, lo, hi) >= 0:
            continue
        s = hash_bytes(tok_bytes, lo, hi) & mask
        while slots[s] != EMPTY:
            s = (s + 1) & mask
        slots[s] = t
    return slots


@njit(cache=True, nogil=True, inline="always")
def pair_lookup(keys, left, right):  # pragma: no cover - compiled
    """Return the slot of pair (left, right) in ``keys`` (int64[2^k], -1 empty), or -1."""
    key = (np.int64(left) << np.int64(32)) | np.int64(right)
    mask = len(keys) - 1
    s = hash_pair(key) & mask
    while True:
        k = keys[s]
        if k == key:
            return s
        if k == EMPTY:
            return -1
        s = (s + 1) & mask


@njit(cache=True)
def build_pair_table(lefts, rights, priorities, merged):  # pragma: no cover - compiled
    """Build ``(keys, priority, merged)`` tables for the merges ``(lefts[i], rights[i])``.

    lefts, rights, priorities, merged: int32[m]. The first occurrence of a pair wins.
    """
    size = 16
    while size < 2 * len(lefts) + 2:
        size *= 2
    keys = np.full(size, EMPTY, dtype=np.int64)
    prio = np.zeros(size, dtype=np.int32)
    res = np.zeros(size, dtype=np.int32)
    mask = size - 1
    for i in range(len(lefts)):
        if pair_lookup(keys, lefts[i], rights[i]) >= 0:
            continue
        key = (np.int64(lefts[i]) << np.int64(32)) | np.int64(rights[i])
        s = hash_pair(key) & mask
        while keys[s] != EMPTY:
            s = (s + 1) & mask
        keys[s] = key
        prio[s] = priorities[i]
        res[s] = merged[i]
    return keys, prio, res


@njit(cache=True)
def rank_merges(tok_bytes, tok_off, slots, is_rank):  # pragma: no cover - compiled
    """List every pair of tokens whose concatenation is a token (tiktoken's merge rule).

    A token ``t`` of n bytes gives the pairs (t[:k], t[k:]) for 0 < k < n where both halves are
    tokens. Returns int32 arrays (lefts, rights, priorities, merged) with priority = merged = t.
    is_rank: bool[V], the ids that are ranks (special tokens never merge).
    """
    total = 0
    for t in range(len(is_rank)):
        if is_rank[t]:
            total += max(tok_off[t + 1] - tok_off[t] - 1, 0)
    lefts = np.empty(total, dtype=np.int32)
    rights = np.empty(total, dtype=np.int32)
    ranks = np.empty(total, dtype=np.int32)
    m = 0
    for t in range(len(is_rank)):
        if not is_rank[t]:
            continue
        lo, hi = tok_off[t], tok_off[t + 1]
        for k in range(lo + 1, hi):
            a = bytes_lookup(slots, tok_bytes, tok_off, tok_bytes, lo, k)
            if a < 0:
                continue
            c = bytes_lookup(slots, tok_bytes, tok_off, tok_bytes, k, hi)
            if c < 0:
                continue
            lefts[m] = a
            rights[m] = c
            ranks[m] = t
            m += 1
    return lefts[:m].copy(), rights[:m].copy(), ranks[:m].copy(), ranks[:m].copy()
