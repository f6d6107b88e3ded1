"""Twins of :mod:`tokvec.kernels.cp_tables`: hashing and lookups written plainly.

>>> import numpy as np
>>> cps = np.array([104, 105, 105], dtype=np.uint32)
>>> off = np.array([0, 2, 3], dtype=np.int64)
>>> table = build_cps_table(cps, off, np.array([True, True]))
>>> cps_lookup(table, cps, off, np.array([104, 105], dtype=np.uint32), 0, 2), sorted(cps_dict(table, cps, off).items())
(0, [((104, 105), 0), ((105,), 1)])
"""

from __future__ import annotations

import numpy as np

from .tables import _int64, mix

EMPTY = -1
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 1099511628211


def cps_hash(cps: np.ndarray, lo: int, hi: int) -> int:
    """Return the kernel's 64-bit hash of ``cps[lo:hi]`` (FNV over code points, mixed with the length)."""
    h = _FNV_OFFSET
    for c in cps[lo:hi].tolist():
        h = ((h ^ c) * _FNV_PRIME) & ((1 << 64) - 1)
    h = mix(_int64(h) ^ (hi - lo))
    return 0 if h == EMPTY else h


def cps_dict(table: np.ndarray, tok_cps: np.ndarray, tok_off: np.ndarray) -> dict[tuple[int, ...], int]:
    """Read a code-point string table back as ``{code points: value}``."""
    out = {}
    for meta in table[1::2].tolist():
        if meta == EMPTY:
            continue
        t = meta & 0xFFFFFFFF
        out[tuple(tok_cps[tok_off[t] : tok_off[t + 1]].tolist())] = t
    return out


def cps_lookup(table, tok_cps, tok_off, cps, lo, hi) -> int:
    """Return the value stored for ``cps[lo:hi]``, or -1 (a dictionary lookup)."""
    return cps_dict(table, tok_cps, tok_off).get(tuple(cps[lo:hi].tolist()), -1)


def build_cps_table(tok_cps, tok_off, include) -> np.ndarray:
    """Lay out the same table as the kernel: linear probing from ``hash & mask``, first id wins."""
    ids = [t for t in range(len(include)) if include[t]]
    size = 16
    while size < 2 * len(ids) + 2:
        size *= 2
    table = np.full(2 * size, EMPTY, dtype=np.int64)
    seen = set()
    for t in ids:
        key = tuple(tok_cps[tok_off[t] : tok_off[t + 1]].tolist())
        if key in seen:
            continue
        seen.add(key)
        h = cps_hash(tok_cps, int(tok_off[t]), int(tok_off[t + 1]))
        s = h & (size - 1)
        while table[2 * s] != EMPTY:
            s = (s + 1) & (size - 1)
        table[2 * s] = h
        table[2 * s + 1] = (len(key) << 32) | t
    return table
