"""Twins of :mod:`tokvec.kernels.tables`: the same functions, written plainly.

Lookups answer from dictionaries read out of the kernel's arrays (so they do not depend on the
probing that the kernel gets right or wrong); builds lay out the same open-addressing table with
Python integers, so the arrays they return equal the kernel's word for word.
"""

from __future__ import annotations

import numpy as np

EMPTY = -1
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 1099511628211
_GOLDEN = 0x9E3779B97F4A7C15
_LOW32 = 0xFFFFFFFF


def _int64(x: int) -> int:
    """Wrap a Python integer to a signed 64-bit value (what numba's int64 arithmetic does)."""
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x


def mix(h: int) -> int:
    """Scramble a 64-bit word (``h * golden`` wrapped, then xor its arithmetic shift by 29)."""
    h = _int64(h * _GOLDEN)
    return h ^ (h >> 29)


def pack8(b: np.ndarray, lo: int, n: int) -> int:
    """Return ``b[lo:lo+n]`` (n <= 8) as a little-endian int64."""
    return _int64(int.from_bytes(bytes(b[lo : lo + n]), "little"))


def key_word(b: np.ndarray, lo: int, hi: int) -> int:
    """The key of ``b[lo:hi]``: its bytes as a little-endian int64 (<= 8 bytes), else FNV-1a."""
    if hi - lo <= 8:
        return pack8(b, lo, hi - lo)
    data = bytes(b[lo:hi])
    h = _FNV_OFFSET
    for x in data:
        h = ((h ^ x) * _FNV_PRIME) & ((1 << 64) - 1)
    return _int64(h)


def token_list(tok_bytes: np.ndarray, tok_off: np.ndarray) -> list[bytes]:
    """The bytes of every id: ``tok_bytes[tok_off[t]:tok_off[t+1]]``."""
    data = tok_bytes.tobytes()
    return [data[tok_off[t] : tok_off[t + 1]] for t in range(len(tok_off) - 1)]


def whole_dict(whole: np.ndarray, tok_bytes: np.ndarray, tok_off: np.ndarray) -> dict[bytes, int]:
    """Read the whole-token table back as ``{token bytes: id}`` (every filled slot holds one id)."""
    tokens = token_list(tok_bytes, tok_off)
    metas = whole[1::2].tolist()
    return {tokens[meta & _LOW32]: meta & _LOW32 for meta in metas if meta != EMPTY}


def pair_dict(pairs: np.ndarray) -> dict[tuple[int, int], tuple[int, int]]:
    """Read the pair table back as ``{(left, right): (priority, merged id)}``."""
    out = {}
    for key, val in zip(pairs[0::2].tolist(), pairs[1::2].tolist(), strict=True):
        if key != EMPTY:
            out[(key >> 32, key & _LOW32)] = (val >> 32, val & _LOW32)
    return out


def bytes_lookup(whole: np.ndarray, tok_bytes: np.ndarray, tok_off: np.ndarray, b: np.ndarray, lo: int, hi: int) -> int:
    """Return the id whose bytes equal ``b[lo:hi]``, or -1."""
    return whole_dict(whole, tok_bytes, tok_off).get(bytes(b[lo:hi]), -1)


def _place(table: list[int], key: int, value: int, home: int, *, empty_word: int) -> None:
    """Linear probing: put (key, value) in the first free slot from ``home`` on.

    A slot is free when its word ``empty_word`` (0: the key, 1: the value) is EMPTY.
    """
    size = len(table) // 2
    s = home & (size - 1)
    while table[2 * s + empty_word] != EMPTY:
        s = (s + 1) & (size - 1)
    table[2 * s], table[2 * s + 1] = key, value


def _size_for(count: int) -> int:
    """Smallest power of two >= 16 with room for ``count`` keys at most half full."""
    size = 16
    while size < 2 * count + 2:
        size *= 2
    return size


def build_bytes_table(tok_bytes: np.ndarray, tok_off: np.ndarray, include: np.ndarray) -> np.ndarray:
    """Build the whole-token table of the ids ``t`` with ``include[t]``; the first id of equal bytes wins."""
    tokens = token_list(tok_bytes, tok_off)
    chosen: dict[bytes, int] = {}
    for t, tok in enumerate(tokens):
        if include[t]:
            chosen.setdefault(tok, t)
    size = _size_for(int(np.count_nonzero(include)))
    table = [EMPTY] * (2 * size)
    for tok, t in chosen.items():  # dicts keep insertion order: ids in increasing order, as the kernel
        kw = key_word(np.frombuffer(tok, dtype=np.uint8), 0, len(tok))
        _place(table, kw, (len(tok) << 32) | t, mix(kw ^ len(tok)), empty_word=1)
    return np.array(table, dtype=np.int64)


def pair_lookup(pairs: np.ndarray, left: int, right: int) -> int:
    """Return the slot whose key is the pair (left, right), or -1 (a scan, no hashing)."""
    key = (int(left) << 32) | int(right)
    hits = np.flatnonzero(pairs[0::2] == key)
    return int(hits[0]) if len(hits) else -1


def build_pair_table(lefts: np.ndarray, rights: np.ndarray, priorities: np.ndarray, merged: np.ndarray) -> np.ndarray:
    """Build the pair table: (left, right) -> priority << 32 | merged; the first occurrence of a pair wins."""
    chosen: dict[tuple[int, int], tuple[int, int]] = {}
    for a, c, p, m in zip(lefts.tolist(), rights.tolist(), priorities.tolist(), merged.tolist(), strict=True):
        chosen.setdefault((a, c), (p, m))
    size = _size_for(len(lefts))
    table = [EMPTY] * (2 * size)
    for (a, c), (p, m) in chosen.items():
        key = (a << 32) | c
        _place(table, key, (p << 32) | m, mix(key), empty_word=0)
    return np.array(table, dtype=np.int64)


def rank_merges(
    tok_bytes: np.ndarray, tok_off: np.ndarray, whole: np.ndarray, is_rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """List (t[:k], t[k:]) for every rank t and every cut k whose halves are both tokens.

    Returns int32 arrays (lefts, rights, priorities, merged), by t then k, with priority = merged = t.
    """
    ids = whole_dict(whole, tok_bytes, tok_off)
    rows = []
    for t, tok in enumerate(token_list(tok_bytes, tok_off)):
        if is_rank[t]:
            rows += [(ids[tok[:k]], ids[tok[k:]], t) for k in range(1, len(tok)) if tok[:k] in ids and tok[k:] in ids]
    lefts, rights, ranks = (np.array([r[i] for r in rows], dtype=np.int32) for i in range(3))
    return lefts, rights, ranks, ranks.copy()
