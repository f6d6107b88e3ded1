"""Twins of :mod:`tokvec.kernels.tables`: the same questions answered with dictionaries."""

from __future__ import annotations

import numpy as np


def _tokens(tok_bytes: np.ndarray, tok_off: np.ndarray) -> list[bytes]:
    data = tok_bytes.tobytes()
    return [data[tok_off[t] : tok_off[t + 1]] for t in range(len(tok_off) - 1)]


def bytes_lookup(table: dict[bytes, int], tok_bytes, tok_off, b: np.ndarray, lo: int, hi: int) -> int:
    """Return the id of the bytes ``b[lo:hi]`` or -1 (``table`` from :func:`build_bytes_table`)."""
    return table.get(bytes(b[lo:hi]), -1)


def build_bytes_table(tok_bytes: np.ndarray, tok_off: np.ndarray, include: np.ndarray) -> dict[bytes, int]:
    """Map the bytes of every included id to the id (the first id wins on duplicates)."""
    table: dict[bytes, int] = {}
    for t, tok in enumerate(_tokens(tok_bytes, tok_off)):
        if include[t]:
            table.setdefault(tok, t)
    return table


def build_pair_table(lefts, rights, priorities, merged) -> dict[tuple[int, int], tuple[int, int]]:
    """Map (left, right) to (priority, merged id); the first occurrence of a pair wins."""
    table: dict[tuple[int, int], tuple[int, int]] = {}
    for a, b, p, m in zip(lefts.tolist(), rights.tolist(), priorities.tolist(), merged.tolist(), strict=True):
        table.setdefault((a, b), (p, m))
    return table


def rank_merges(tok_bytes: np.ndarray, tok_off: np.ndarray, table: dict[bytes, int], is_rank: np.ndarray):
    """Every (t[:k], t[k:]) of every rank t whose halves are both tokens, with priority = merged = t."""
    lefts, rights, ranks = [], [], []
    for t, tok in enumerate(_tokens(tok_bytes, tok_off)):
        if not is_rank[t]:
            continue
        for k in range(1, len(tok)):
            a, c = table.get(tok[:k], -1), table.get(tok[k:], -1)
            if a >= 0 and c >= 0:
                lefts.append(a)
                rights.append(c)
                ranks.append(t)
    arr = [np.array(x, dtype=np.int32) for x in (lefts, rights, ranks, ranks)]
    return arr[0], arr[1], arr[2], arr[3]
