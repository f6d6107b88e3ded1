"""Twin of :mod:`tokvec.kernels.bpe_merges`: each word whole, merged with a plain loop (no cuts, no memo).

>>> from tokvec.reference.tables import pair_dict
>>> symbols = [(0, 0, 1), (1, 1, 2), (2, 2, 3)]  # ids 0 1 2 over three characters
>>> merge_symbols(symbols, {(0, 1): (0, 5), (5, 2): (1, 6)})
[(6, 0, 3)]
"""

from __future__ import annotations

import itertools

import numpy as np

from .tables import pair_dict


def merge_symbols(
    symbols: list[tuple[int, int, int]], pairs: dict[tuple[int, int], tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Merge (id, start, end) symbols: the adjacent pair of lowest priority, leftmost on ties, until none."""
    symbols = list(symbols)
    while True:
        candidates = [
            (pairs[(a[0], b[0])][0], k) for k, (a, b) in enumerate(itertools.pairwise(symbols)) if (a[0], b[0]) in pairs
        ]
        if not candidates:
            return symbols
        _, k = min(candidates)
        a, b = symbols[k], symbols[k + 1]
        symbols[k : k + 2] = [(pairs[(a[0], b[0])][1], a[1], b[2])]


def word_symbols(word, lo, chars, byte_ids, prefix, suffix, unk_id, fuse_unk):
    """The initial (id, start, end) symbols of ``word`` (code points, starting at position ``lo``)."""
    out: list[tuple[int, int, int]] = []
    unk: list[int] | None = None
    for k, cp in enumerate(word):
        variant = (1 if k > 0 else 0) | (2 if k == len(word) - 1 else 0)
        pos = lo + k
        if (variant, cp) in chars:
            if unk is not None:
                out.append((unk_id, unk[0], unk[1]))
                unk = None
            out.append((chars[(variant, cp)][1], pos, pos + 1))
            continue
        if byte_ids[0] != -2:
            data = (prefix if variant & 1 else b"") + chr(cp).encode("utf-8", "surrogatepass")
            data += suffix if variant & 2 else b""
            if all(byte_ids[x] >= 0 for x in data):
                out.extend((int(byte_ids[x]), pos, pos + 1) for x in data)
                continue
        if unk_id >= 0:
            if unk is not None and fuse_unk:
                unk[1] = pos + 1
            else:
                if unk is not None:
                    out.append((unk_id, unk[0], unk[1]))
                unk = [pos, pos + 1]
    if unk is not None:
        out.append((unk_id, unk[0], unk[1]))
    return out


def encode_words(
    cps, bounds, chars, pairs, byte_ids, prefix, suffix, unk_id, fuse_unk, ignore_merges, whole, tok_cps, tok_off,
    bigrams, split,
):  # fmt: skip
    """Same signature and result as the kernel (``bigrams``/``split`` are speed-ups and ignored here)."""
    char_map = pair_dict(chars)
    pair_map = pair_dict(pairs)
    whole_map = {}
    if ignore_merges:
        from .cp_tables import cps_dict

        whole_map = cps_dict(whole, tok_cps, tok_off)
    pre, suf = bytes(prefix), bytes(suffix)
    ids, starts, ends = [], [], []
    for p in range(len(bounds) - 1):
        lo, hi = int(bounds[p]), int(bounds[p + 1])
        word = [int(c) for c in cps[lo:hi]]
        if not word:
            continue
        if ignore_merges and tuple(word) in whole_map:
            ids.append(whole_map[tuple(word)])
            starts.append(lo)
            ends.append(hi)
            continue
        symbols = word_symbols(word, lo, char_map, byte_ids, pre, suf, int(unk_id), fuse_unk)
        for i, a, z in merge_symbols(symbols, pair_map):
            ids.append(i)
            starts.append(a)
            ends.append(z)
    return np.array(ids, dtype=np.int32), np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
