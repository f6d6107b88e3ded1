"""Hash tables keyed by code-point strings (flat int64 arrays), for models over code points.

A code-point string table ``table``: int64[2 * size] (size a power of two, at most half full);
slot s holds ``table[2s]`` = the 64-bit hash of the string (or -1 when empty) and
``table[2s+1]`` = ``length << 32 | value``. Strings are stored elsewhere (``tok_cps``/``tok_off``:
string t is ``tok_cps[tok_off[t]:tok_off[t+1]]``) and every hit is checked against them, so hash
collisions cannot give a wrong answer.

Pairs of ints (a code point and a flag, two ids) use the pair table of :mod:`tokvec.kernels.tables`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .tables import mix

EMPTY = -1
_FNV_OFFSET = -3750763034362895579
_FNV_PRIME = 1099511628211


@njit(cache=True, nogil=True, inline="always")
def cps_hash(cps, lo, hi):  # pragma: no cover - compiled
    """Return a 64-bit hash (never -1) of ``cps[lo:hi]`` (uint32/int64[n])."""
    h = np.int64(_FNV_OFFSET)
    for i in range(lo, hi):
        h = (h ^ np.int64(cps[i])) * np.int64(_FNV_PRIME)
    h = mix(h ^ np.int64(hi - lo))
    if h == EMPTY:
        h = np.int64(0)
    return h


@njit(cache=True, nogil=True)
def cps_lookup(table, tok_cps, tok_off, cps, lo, hi):  # pragma: no cover - compiled
    """Return the value stored for the string ``cps[lo:hi]``, or -1.

    table: int64[2 * 2^k]; tok_cps: uint32[total]; tok_off: int64[V+1]; cps: uint32[n].
    """
    n = hi - lo
    h = cps_hash(cps, lo, hi)
    mask = (len(table) >> 1) - 1
    s = h & mask
    while True:
        k = table[2 * s]
        if k == EMPTY:
            return -1
        if k == h and (table[2 * s + 1] >> np.int64(32)) == n:
            t = table[2 * s + 1] & np.int64(0xFFFFFFFF)
            a = tok_off[t]
            same = tok_off[t + 1] - a == n
            if same:
                for j in range(n):
                    if tok_cps[a + j] != cps[lo + j]:
                        same = False
                        break
            if same:
                return t
        s = (s + 1) & mask


@njit(cache=True)
def build_cps_table(tok_cps, tok_off, include):  # pragma: no cover - compiled
    """Build the table of strings ``t`` with ``include[t]`` (bool[V]); the value of a string is ``t``.

    The first id of a repeated string wins. Returns int64[2 * 2^k].
    """
    count = 0
    for t in range(len(include)):
        if include[t]:
            count += 1
    size = 16
    while size < 2 * count + 2:
        size *= 2
    table = np.full(2 * size, EMPTY, dtype=np.int64)
    mask = size - 1
    for t in range(len(include)):
        if not include[t]:
            continue
        lo, hi = tok_off[t], tok_off[t + 1]
        if cps_lookup(table, tok_cps, tok_off, tok_cps, lo, hi) >= 0:
            continue
        h = cps_hash(tok_cps, lo, hi)
        s = h & mask
        while table[2 * s] != EMPTY:
            s = (s + 1) & mask
        table[2 * s] = h
        table[2 * s + 1] = (np.int64(hi - lo) << np.int64(32)) | np.int64(t)
    return table
