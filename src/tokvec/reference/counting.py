"""Twin of :mod:`tokvec.kernels.counting`: the split regex per document, and a dict of counts.

``count_spans`` keeps the kernel's state layout (words in order of first appearance, FNV-1a hashes,
linear probing), so that both return the same words and counts.
"""

from __future__ import annotations

import numpy as np

from .pretokenize import split_bounds


def piece_bounds(buf: np.ndarray, doc_bounds: np.ndarray, cls: np.ndarray, grammar: int) -> np.ndarray:
    """Return the piece boundaries of every document (see the kernel)."""
    out = [int(doc_bounds[0])]
    for d in range(len(doc_bounds) - 1):
        out += split_bounds(buf, int(doc_bounds[d]), int(doc_bounds[d + 1]), cls, grammar)[1:].tolist()
    return np.array(out, dtype=np.int64)


def word_spans(buf: np.ndarray, doc_bounds: np.ndarray, wtable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (starts, ends) of the runs of word characters and of other non-space characters."""
    starts, ends = [], []
    for d in range(len(doc_bounds) - 1):
        lo = int(doc_bounds[d])
        text = buf[lo : int(doc_bounds[d + 1])].tobytes().decode("utf-8")
        pos, kinds = lo, []
        for ch in text:
            kinds.append((wtable[ord(ch)] & 3, pos, pos + len(ch.encode("utf-8"))))
            pos = kinds[-1][2]
        k = 0
        while k < len(kinds):
            j = k
            while j + 1 < len(kinds) and kinds[j + 1][0] == kinds[k][0]:
                j += 1
            if kinds[k][0] != 2:
                starts.append(kinds[k][1])
                ends.append(kinds[j][2])
            k = j + 1
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def count_spans(buf, starts, ends, slots, hashes, wbytes, woff, wcount, n):
    """Add one to the count of every non-empty piece; return the state (words in first-seen order)."""
    words = {wbytes[woff[w] : woff[w + 1]].tobytes(): w for w in range(n)}
    counts = wcount[:n].tolist()
    order = [wbytes[woff[w] : woff[w + 1]].tobytes() for w in range(n)]
    data = buf.tobytes()
    for k in range(len(starts)):
        piece = data[starts[k] : ends[k]]
        if not piece:
            continue
        if piece in words:
            counts[words[piece]] += 1
        else:
            words[piece] = len(order)
            order.append(piece)
            counts.append(1)
    n = len(order)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(w) for w in order], out=offsets[1:])
    new_hashes = np.array([_fnv1a(w) for w in order], dtype=np.int64)
    size = len(slots)
    while 2 * n > size:
        size *= 2
    new_slots = np.full(size, -1, dtype=np.int64)
    for w in range(n):  # linear probing from the hash's low bits, as the kernel does
        s = int(new_hashes[w]) & (size - 1)
        while new_slots[s] != -1:
            s = (s + 1) & (size - 1)
        new_slots[s] = w
    all_bytes = np.frombuffer(b"".join(order), dtype=np.uint8).copy()
    return new_slots, new_hashes, all_bytes, offsets, np.array(counts, dtype=np.int64), n


def _fnv1a(data: bytes) -> int:
    """64-bit FNV-1a, as a signed int64."""
    h = 0xCBF29CE484222325
    for x in data:
        h = ((h ^ x) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h - (1 << 64) if h >= 1 << 63 else h
