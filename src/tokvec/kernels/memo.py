"""A memo of short code-point strings -> their tokens, local to one kernel call (BPE and Unigram words).

Rare words repeat: a chunk of at most ``MEMO_CPS`` code points that was tokenized once is looked up
the next time. Arrays (all made by :func:`new_memo`): ``memo`` int64[2 * size], slot s = (hash or -1,
entry); ``entries`` int64[4 * size // 2] = (key offset, key length, result offset, result count);
``keys`` uint32[size // 2 * MEMO_CPS]; results ``res_id`` int32, ``res_st``, ``res_en`` int64 (token
spans relative to the chunk's start), grown by the caller when :func:`fits` says so. At most half the
slots fill, so probe chains stay short; once full, new chunks are not remembered.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .cp_tables import cps_hash

MEMO_CPS = 24


@njit(cache=True, nogil=True)
def new_memo(n):  # pragma: no cover - compiled
    """The arrays of a memo for a text of ``n`` code points (1024 to 2^18 slots)."""
    size = 1024
    while size < (1 << 16) and size * 8 < n:
        size *= 2
    memo = np.full(2 * size, -1, dtype=np.int64)
    entries = np.empty(4 * (size // 2), dtype=np.int64)
    keys = np.empty(size // 2 * MEMO_CPS, dtype=np.uint32)
    res_id = np.empty(size * 4, dtype=np.int32)
    res_st = np.empty(size * 4, dtype=np.int64)
    res_en = np.empty(size * 4, dtype=np.int64)
    return memo, entries, keys, res_id, res_st, res_en


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def find(memo, entries, keys, cps, a, e):  # pragma: no cover - compiled
    """Look ``cps[a:e]`` (at most MEMO_CPS long) up: (hash, slot, entry); entry -1 when absent, and
    then ``slot`` is the empty slot where it goes."""
    m = e - a
    h = cps_hash(cps, a, e)
    mask = len(memo) // 2 - 1
    s = h & mask
    while memo[2 * s] != -1:
        if memo[2 * s] == h:
            en = memo[2 * s + 1]
            ko, kl = entries[4 * en], entries[4 * en + 1]
            if kl == m:
                same = True
                for j in range(m):
                    if keys[ko + j] != cps[a + j]:
                        same = False
                        break
                if same:
                    return h, s, en
        s = (s + 1) & mask
    return h, s, -1


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def room(memo, used):  # pragma: no cover - compiled
    """Whether the memo (``used`` entries) takes another one."""
    return used < len(memo) // 4


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def copy_result(entries, res_id, res_st, res_en, en, a, out_id, out_st, out_en, t):  # pragma: no cover - compiled
    """Append entry ``en``'s tokens, shifted to start at ``a``, at ``out[t:]``; return the new ``t``."""
    ro, rc = entries[4 * en + 2], entries[4 * en + 3]
    for j in range(rc):
        out_id[t + j] = res_id[ro + j]
        out_st[t + j] = res_st[ro + j] + a
        out_en[t + j] = res_en[ro + j] + a
    return t + rc


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def store(
    memo, entries, keys, res_id, res_st, res_en, used, res_used, h, slot, cps, a, e, ids, st, en, o, c
):  # pragma: no cover - compiled
    """Remember the ``c`` tokens ``ids[o:o+c]``, ``st``, ``en`` (absolute spans) of ``cps[a:e]`` in
    ``slot``; the caller checked :func:`room` and that ``res_used + c`` fits. Returns (used, res_used)."""
    m = e - a
    ko = used * MEMO_CPS
    for j in range(m):
        keys[ko + j] = cps[a + j]
    for j in range(c):
        res_id[res_used + j] = ids[o + j]
        res_st[res_used + j] = st[o + j] - a
        res_en[res_used + j] = en[o + j] - a
    entries[4 * used] = ko
    entries[4 * used + 1] = m
    entries[4 * used + 2] = res_used
    entries[4 * used + 3] = c
    memo[2 * slot] = h
    memo[2 * slot + 1] = used
    return used + 1, res_used + c


# ---------------------------------------------------------------- a cache of recent short words
CACHE_CPS = 6  # code points of up to 21 bits: 6 fit in two words
CACHE_SLOTS = 1 << 13  # 4 words a slot: 256 KB, stays in L2
_ID_BITS = np.int64(21)
_ID_MASK = (np.int64(1) << _ID_BITS) - np.int64(1)


@njit(cache=True, nogil=True)
def new_cache(n):  # pragma: no cover - compiled
    """A direct-mapped cache of recent words (16 to CACHE_SLOTS slots for a text of ``n`` code points):
    slot s = (key word 0, key word 1, length | count << 8 | cuts << 16, ids 21 bits each), -1 when empty."""
    size = 16
    while size < CACHE_SLOTS and size * 8 < n:
        size *= 2
    return np.full(4 * size, -1, dtype=np.int64)


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def cache_key(cps, a, e):  # pragma: no cover - compiled
    """Pack ``cps[a:e]`` (at most CACHE_CPS code points) into two words and hash them: (w0, w1, slot index)."""
    w0 = np.int64(0)
    w1 = np.int64(0)
    for j in range(e - a):
        c = np.int64(cps[a + j]) & _ID_MASK
        if j < 3:
            w0 |= c << (_ID_BITS * np.int64(j))
        else:
            w1 |= c << (_ID_BITS * np.int64(j - 3))
    h = (w0 ^ np.int64(e - a)) * np.int64(-7046029254386353131)
    h = (h ^ (h >> np.int64(29)) ^ w1) * np.int64(-7046029254386353131)
    return w0, w1, h ^ (h >> np.int64(32))


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def cache_get(cache, w0, w1, h, m, a, out_id, out_st, out_en, t):  # pragma: no cover - compiled
    """Append the cached tokens of the word keyed (w0, w1, length m) at ``out[t:]``, its spans from
    ``a``; return the new ``t``, or -1 when the slot holds another word."""
    s = 4 * (h & (len(cache) // 4 - 1))
    meta = cache[s + 2]
    if cache[s] != w0 or cache[s + 1] != w1 or (meta & 255) != m:
        return -1
    c = (meta >> np.int64(8)) & np.int64(255)
    cuts = meta >> np.int64(16)
    ids = cache[s + 3]
    pos = a
    for k in range(c):
        end = a + ((cuts >> (np.int64(5) * np.int64(k))) & np.int64(31))
        out_id[t + k] = (ids >> (_ID_BITS * np.int64(k))) & _ID_MASK
        out_st[t + k] = pos
        out_en[t + k] = end
        pos = end
    return t + c


@njit(cache=True, nogil=True, _nrt=False, forceinline=True)
def cache_put(cache, w0, w1, h, m, a, out_id, out_st, out_en, t0, c):  # pragma: no cover - compiled
    """Cache the ``c`` tokens ``out[t0:t0+c]`` of the word keyed (w0, w1, length m) that starts at
    ``a``, when they are at most 3, below 2^21 and tile the word in order (no byte tokens)."""
    if c < 1 or c > 3:
        return
    pos = a
    ids = np.int64(0)
    cuts = np.int64(0)
    for k in range(c):
        x = np.int64(out_id[t0 + k])
        if x < 0 or x > _ID_MASK or out_st[t0 + k] != pos or out_en[t0 + k] <= pos:
            return
        pos = out_en[t0 + k]
        ids |= x << (_ID_BITS * np.int64(k))
        cuts |= (pos - a) << (np.int64(5) * np.int64(k))
    if pos != a + m:
        return
    s = 4 * (h & (len(cache) // 4 - 1))
    cache[s] = w0
    cache[s + 1] = w1
    cache[s + 2] = np.int64(m) | (np.int64(c) << np.int64(8)) | (cuts << np.int64(16))
    cache[s + 3] = ids
