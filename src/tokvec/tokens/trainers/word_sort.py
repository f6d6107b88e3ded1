"""Word tables as numpy arrays: add up repeated words and sort them by bytes, without a dictionary.

A table is ``data`` (uint8, the words one after another), ``offsets`` (int64[W+1]) and ``counts``
(int64[W]), as :class:`~tokvec.tokens.trainers.counting.WordCounts` holds it. Counting a file and
merging the tables of many files (on a cluster) both end here, so they give one process's order.

>>> data, offsets, counts = sum_words(np.frombuffer(b"bab", np.uint8), np.array([0, 1, 2, 3]), np.array([1, 1, 2]))
>>> data.tobytes(), offsets.tolist(), counts.tolist()
(b'ab', [0, 1, 2], [1, 3])
"""

from __future__ import annotations

import numpy as np

_KEY_BYTES = 16  # the first bytes of a word, compared as two big-endian uint64 keys
_GATHER = 1 << 20  # words copied per block by sum_words


def sum_words(data: np.ndarray, offsets: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (data, offsets, counts) of the distinct non-empty words, sorted by bytes, their counts summed.

    The order is Python's ``sorted`` of ``bytes``, from three numpy sort keys: the first 16 bytes
    (zero-padded, as two big-endian uint64), then the length for words of at most 16 bytes, or
    17 + the word's rank among the distinct longer words (sorted in Python; they are few).
    subtle: that is exact. A word of at most 16 bytes is fully in its keys; where its padded keys
    equal a longer word's, it is a prefix of that word (so first), and its length (<= 16) is less.

    Performance notes: on ELTeC (8 tables of 38 k words into 107 k) this takes 0.05 s against 0.5 s
    for adding the tables in a dictionary and sorting its keys.
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    starts, lengths = offsets[:-1], np.diff(offsets)
    if np.any(lengths <= 0):
        keep = np.flatnonzero(lengths > 0)
        starts, lengths, counts = starts[keep], lengths[keep], counts[keep]
    n = len(lengths)
    if n == 0:
        return np.zeros(0, dtype=np.uint8), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    hi = np.zeros(n, dtype=np.uint64)
    lo = np.zeros(n, dtype=np.uint64)
    last = len(data) - 1
    for j in range(_KEY_BYTES):
        byte = np.where(j < lengths, data[np.minimum(starts + j, last)], 0).astype(np.uint64)
        if j < 8:
            hi = (hi << np.uint64(8)) | byte
        else:
            lo = (lo << np.uint64(8)) | byte
    third = lengths.copy()
    long = np.flatnonzero(lengths > _KEY_BYTES)
    if len(long):
        raw = data.tobytes()
        words = [raw[a:b] for a, b in zip(starts[long].tolist(), (starts[long] + lengths[long]).tolist(), strict=True)]
        rank = {w: k for k, w in enumerate(sorted(set(words)))}
        third[long] = _KEY_BYTES + 1 + np.fromiter((rank[w] for w in words), dtype=np.int64, count=len(words))
    order = np.lexsort((third, lo, hi))
    hi, lo, third = hi[order], lo[order], third[order]
    first = np.ones(n, dtype=bool)
    first[1:] = (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1]) | (third[1:] != third[:-1])
    heads = np.flatnonzero(first)
    summed = np.add.reduceat(counts[order], heads)
    pick = order[heads]
    new_len = lengths[pick]
    new_off = np.zeros(len(pick) + 1, dtype=np.int64)
    np.cumsum(new_len, out=new_off[1:])
    new_data = np.empty(new_off[-1], dtype=np.uint8)
    for a in range(0, len(pick), _GATHER):  # in blocks: the index array is 8 bytes per byte gathered
        b = min(a + _GATHER, len(pick))
        shift = np.repeat(starts[pick[a:b]] - new_off[a:b], new_len[a:b])
        new_data[new_off[a] : new_off[b]] = data[shift + np.arange(new_off[a], new_off[b])]
    return new_data, new_off, summed.astype(np.int64, copy=False)


def prefix_words(data: np.ndarray, offsets: np.ndarray, prefix: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return (data, offsets) of the words with ``prefix`` in front of each (``data`` holds just the words).

    >>> d, o = prefix_words(np.frombuffer(b"abc", np.uint8), np.array([0, 1, 3]), b"_")
    >>> d.tobytes(), o.tolist()
    (b'_a_bc', [0, 2, 5])
    """
    lengths = np.diff(offsets)
    p = len(prefix)
    new_off = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths + p, out=new_off[1:])
    out = np.empty(new_off[-1], dtype=np.uint8)
    out[np.repeat(new_off[:-1] + p - offsets[:-1], lengths) + np.arange(offsets[-1] - offsets[0]) + offsets[0]] = data[
        offsets[0] : offsets[-1]
    ]
    for k, b in enumerate(prefix):
        out[new_off[:-1] + k] = b
    return out, new_off
