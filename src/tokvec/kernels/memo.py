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
