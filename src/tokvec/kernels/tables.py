"""Open-addressing hash tables on flat int64 arrays: byte strings -> token id, id pairs -> merge.

Both tables keep a slot's key and value side by side (two int64 words), so a probe touches one
cache line. Performance notes (cl100k, ELTeC): separate key/priority/result arrays cost three
cache misses per pair lookup and made merging 3x slower; pieces of up to 8 bytes (most words)
are keyed by their bytes packed into one int64, so a lookup never reads the vocabulary's bytes.
Tables are at most half full, so probe chains stay short. The lookups compile with ``leaf`` (no
reference counts of their array arguments; see :mod:`tokvec.kernels.pretokenize`); on English
text most lookups are served before they get here, by the cache of recent pieces in
:func:`tokvec.kernels.bpe.encode_docs`.

Whole-token table ``whole``: int64[2 * size]; slot s holds ``whole[2s]`` = the packed bytes (up to
8 bytes) or a 64-bit hash (longer), and ``whole[2s+1]`` = ``length << 32 | id``, or -1 when empty.
Pair table ``pairs``: int64[2 * size]; ``pairs[2s]`` = ``left << 32 | right`` (-1 when empty) and
``pairs[2s+1]`` = ``priority << 32 | merged id``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .utf8 import leaf

EMPTY = -1
_FNV_OFFSET = -3750763034362895579  # 0xcbf29ce484222325 as int64
_FNV_PRIME = 1099511628211
_GOLDEN = -7046029254386353131  # 0x9e3779b97f4a7c15 as int64
_LOW32 = 0xFFFFFFFF


@njit(cache=True, nogil=True, inline="always")
def mix(h):  # pragma: no cover - compiled
    """Scramble a 64-bit word so that its low bits index a table."""
    h = h * np.int64(_GOLDEN)
    return h ^ (h >> np.int64(29))


@leaf
def pack8(b, lo, n):  # pragma: no cover - compiled
    """Pack ``b[lo:lo+n]`` (n <= 8) little-endian into an int64.

    Performance notes: reading 8 bytes unconditionally and masking has no data-dependent loop
    exit and packs random lengths twice as fast as a loop, but inside the whole-token lookup on
    ELTeC the plain loop measured faster, so only the memo key uses this.
    """
    if lo + 8 <= len(b):
        w = (
            np.int64(b[lo])
            | (np.int64(b[lo + 1]) << np.int64(8))
            | (np.int64(b[lo + 2]) << np.int64(16))
            | (np.int64(b[lo + 3]) << np.int64(24))
            | (np.int64(b[lo + 4]) << np.int64(32))
            | (np.int64(b[lo + 5]) << np.int64(40))
            | (np.int64(b[lo + 6]) << np.int64(48))
            | (np.int64(b[lo + 7]) << np.int64(56))
        )
        if n < 8:
            w &= (np.int64(1) << np.int64(8 * n)) - np.int64(1)
        return w
    w = np.int64(0)
    for k in range(n):
        w |= np.int64(b[lo + k]) << np.int64(8 * k)
    return w


@leaf
def key_word(b, lo, hi):  # pragma: no cover - compiled
    """The key word of ``b[lo:hi]``: its bytes packed little-endian (<= 8 bytes) or FNV-1a."""
    n = hi - lo
    if n <= 8:
        w = np.int64(0)
        for k in range(n):
            w |= np.int64(b[lo + k]) << np.int64(8 * k)
        return w
    h = np.int64(_FNV_OFFSET)
    for i in range(lo, hi):
        h = (h ^ np.int64(b[i])) * np.int64(_FNV_PRIME)
    return h


@leaf
def bytes_lookup(whole, tok_bytes, tok_off, b, lo, hi):  # pragma: no cover - compiled
    """Return the id whose bytes equal ``b[lo:hi]``, or -1.

    whole: int64[2 * 2^k] (see module doc); tok_bytes: uint8[total]; tok_off: int64[V+1];
    b: uint8[n]; 0 <= lo <= hi <= n.
    """
    n = hi - lo
    kw = key_word(b, lo, hi)
    if n <= 8:  # the key word is the bytes themselves: equal keys are equal pieces
        return packed_lookup(whole, kw, n)
    mask = (len(whole) >> 1) - 1
    s = mix(kw ^ np.int64(n)) & mask
    while True:
        meta = whole[2 * s + 1]
        if meta == EMPTY:
            return -1
        if whole[2 * s] == kw and (meta >> np.int64(32)) == n:
            t = meta & np.int64(_LOW32)
            a = tok_off[t]
            same = True
            for k in range(n):
                if tok_bytes[a + k] != b[lo + k]:
                    same = False
                    break
            if same:
                return t
        s = (s + 1) & mask


@leaf
def packed_lookup(whole, kw, n):  # pragma: no cover - compiled
    """:func:`bytes_lookup` of a piece of ``n`` <= 8 bytes given as its key word ``kw`` (:func:`pack8`)."""
    mask = (len(whole) >> 1) - 1
    s = mix(kw ^ np.int64(n)) & mask
    while True:
        meta = whole[2 * s + 1]
        if meta == EMPTY:
            return -1
        if whole[2 * s] == kw and (meta >> np.int64(32)) == n:
            return meta & np.int64(_LOW32)
        s = (s + 1) & mask


@njit(cache=True)
def build_bytes_table(tok_bytes, tok_off, include):  # pragma: no cover - compiled
    """Build the whole-token table for the ids ``t`` with ``include[t]`` (bool[V]).

    A later id with the same bytes does not replace an earlier one. Returns int64[2 * 2^k].
    """
    count = 0
    for t in range(len(include)):
        if include[t]:
            count += 1
    size = 16
    while size < 2 * count + 2:
        size *= 2
    whole = np.full(2 * size, EMPTY, dtype=np.int64)
    mask = size - 1
    for t in range(len(include)):
        if not include[t]:
            continue
        lo, hi = tok_off[t], tok_off[t + 1]
        if bytes_lookup(whole, tok_bytes, tok_off, tok_bytes, lo, hi) >= 0:
            continue
        kw = key_word(tok_bytes, lo, hi)
        s = mix(kw ^ np.int64(hi - lo)) & mask
        while whole[2 * s + 1] != EMPTY:
            s = (s + 1) & mask
        whole[2 * s] = kw
        whole[2 * s + 1] = (np.int64(hi - lo) << np.int64(32)) | np.int64(t)
    return whole


@leaf
def pair_lookup(pairs, left, right):  # pragma: no cover - compiled
    """Return the slot of pair (left, right) in ``pairs`` (int64[2 * 2^k]), or -1.

    Its priority is ``pairs[2*slot+1] >> 32`` and the merged id ``pairs[2*slot+1] & 0xFFFFFFFF``.
    """
    key = (np.int64(left) << np.int64(32)) | np.int64(right)
    mask = (len(pairs) >> 1) - 1
    s = mix(key) & mask
    while True:
        k = pairs[2 * s]
        if k == key:
            return s
        if k == EMPTY:
            return -1
        s = (s + 1) & mask


@njit(cache=True)
def build_pair_table(lefts, rights, priorities, merged):  # pragma: no cover - compiled
    """Build the pair table for the merges ``(lefts[i], rights[i])`` (int32[m] each, and
    ``priorities``, ``merged``). The first occurrence of a pair wins. Returns int64[2 * 2^k].
    """
    size = 16
    while size < 2 * len(lefts) + 2:
        size *= 2
    pairs = np.full(2 * size, EMPTY, dtype=np.int64)
    mask = size - 1
    for i in range(len(lefts)):
        if pair_lookup(pairs, lefts[i], rights[i]) >= 0:
            continue
        key = (np.int64(lefts[i]) << np.int64(32)) | np.int64(rights[i])
        s = mix(key) & mask
        while pairs[2 * s] != EMPTY:
            s = (s + 1) & mask
        pairs[2 * s] = key
        pairs[2 * s + 1] = (np.int64(priorities[i]) << np.int64(32)) | np.int64(merged[i])
    return pairs


@njit(cache=True)
def rank_merges(tok_bytes, tok_off, whole, is_rank):  # pragma: no cover - compiled
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
            a = bytes_lookup(whole, tok_bytes, tok_off, tok_bytes, lo, k)
            if a < 0:
                continue
            c = bytes_lookup(whole, tok_bytes, tok_off, tok_bytes, k, hi)
            if c < 0:
                continue
            lefts[m] = a
            rights[m] = c
            ranks[m] = t
            m += 1
    return lefts[:m].copy(), rights[:m].copy(), ranks[:m].copy(), ranks[:m].copy()
