"""Twin of :mod:`tokvec.kernels.bpe`: split with the regex, then merge with a plain loop.

This is the algorithm as one would explain it: start from single bytes; while some adjacent pair
can merge, merge the pair of lowest priority (the leftmost one on ties).
"""

from __future__ import annotations

import itertools

import numpy as np

from . import pretokenize


def merge_piece(piece: bytes, ranks: dict[bytes, int], pairs: dict[tuple[int, int], tuple[int, int]]) -> list[int]:
    """Merge one piece: ``ranks`` maps single bytes to ids, ``pairs`` maps id pairs to (priority, merged)."""
    parts = [ranks[bytes([x])] for x in piece]
    while len(parts) > 1:
        candidates = [(pairs[p][0], k) for k, p in enumerate(itertools.pairwise(parts)) if p in pairs]
        if not candidates:
            break
        _, k = min(candidates)
        parts[k : k + 2] = [pairs[(parts[k], parts[k + 1])][1]]
    return parts


def encode_docs(
    b, doc_bounds, cls, grammar, piece_bounds, byte_ids, tok_bytes, tok_off, whole, pairs, whole_first
) -> tuple[np.ndarray, np.ndarray]:
    """Same arguments and results as the kernel, except ``whole``/``pairs`` are the dictionaries of
    :mod:`tokvec.reference.tables` (``whole``: bytes -> id; ``pairs``: (a, b) -> (priority, merged))."""
    singles = {bytes([x]): int(byte_ids[x]) for x in range(256)}
    ids: list[int] = []
    counts = []
    for d in range(len(doc_bounds) - 1):
        lo, hi = int(doc_bounds[d]), int(doc_bounds[d + 1])
        if grammar >= 0:
            bounds = pretokenize.split_bounds(b, lo, hi, cls, grammar).tolist()
        else:
            bounds = [int(x) for x in piece_bounds if lo <= x <= hi]
        before = len(ids)
        for k in range(len(bounds) - 1):
            piece = bytes(b[bounds[k] : bounds[k + 1]])
            if (whole_first or len(piece) == 1) and piece in whole:
                ids.append(whole[piece])
            else:
                ids.extend(merge_piece(piece, singles, pairs))
        counts.append(len(ids) - before)
    return np.array(ids, dtype=np.int32), np.array(counts, dtype=np.int64)


def token_offsets(ids: np.ndarray, tok_off: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Byte offsets of tokens that tile their texts (restarting at 0 for each text)."""
    out = np.zeros((len(ids), 2), dtype=np.int64)
    for d in range(len(bounds) - 1):
        pos = 0
        for k in range(bounds[d], bounds[d + 1]):
            out[k] = (pos, pos + tok_off[ids[k] + 1] - tok_off[ids[k]])
            pos = out[k, 1]
    return out


def gather_bytes(ids: np.ndarray, tok_bytes: np.ndarray, tok_off: np.ndarray) -> np.ndarray:
    """Concatenate the bytes of ``ids``."""
    data = b"".join(tok_bytes[tok_off[i] : tok_off[i + 1]].tobytes() for i in ids)
    return np.frombuffer(data, dtype=np.uint8).copy()
