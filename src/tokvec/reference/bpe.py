"""Twin of :mod:`tokvec.kernels.bpe`: split with the regex, then merge with a plain loop.

This is the algorithm as one would explain it (compare tiktoken's ``_educational.py``): a piece
that is itself a token is taken whole (tiktoken's rule, when ``whole_first``); otherwise start from
its single bytes and, while some adjacent pair can merge, merge the pair of lowest priority, the
leftmost one on ties.

>>> singles = {bytes([x]): x for x in range(256)}
>>> pairs = {(97, 98): (0, 256), (256, 99): (1, 257)}  # a+b -> 256 first, then ab+c -> 257
>>> merge_steps(b"abc", singles, pairs)
[[97, 98, 99], [256, 99], [257]]
"""

from __future__ import annotations

import itertools

import numpy as np

from . import pretokenize
from .tables import pair_dict, whole_dict


def merge_steps(
    piece: bytes, singles: dict[bytes, int], pairs: dict[tuple[int, int], tuple[int, int]]
) -> list[list[int]]:
    """Return the parts of ``piece`` before the first merge and after each one.

    ``singles`` maps each single byte to its id; ``pairs`` maps an id pair to (priority, merged id).
    The pair merged is the one of lowest priority; ``min`` keeps the first (leftmost) of equals.
    """
    parts = [singles[bytes([x])] for x in piece]
    steps = [list(parts)]
    while True:
        candidates = [(pairs[p][0], k) for k, p in enumerate(itertools.pairwise(parts)) if p in pairs]
        if not candidates:
            return steps
        _, k = min(candidates)
        parts[k : k + 2] = [pairs[(parts[k], parts[k + 1])][1]]
        steps.append(list(parts))


def merge_piece(piece: bytes, singles: dict[bytes, int], pairs: dict[tuple[int, int], tuple[int, int]]) -> list[int]:
    """Return the ids of ``piece`` after every merge (see :func:`merge_steps`)."""
    return merge_steps(piece, singles, pairs)[-1]


def _merge(b: np.ndarray, lo: int, hi: int, byte_ids: np.ndarray, pairs: np.ndarray, ids: np.ndarray) -> int:
    singles = {bytes([x]): int(byte_ids[x]) for x in range(256)}
    out = merge_piece(bytes(b[lo:hi]), singles, pair_dict(pairs))
    ids[: len(out)] = out
    return len(out)


def _merge_short(b, lo, hi, byte_ids, pairs, ids, ranks, slots) -> int:
    """Twin of the quadratic merge: write the ids of ``b[lo:hi]`` to ``ids``, return their count."""
    return _merge(b, lo, hi, byte_ids, pairs, ids)


def _merge_long(b, lo, hi, byte_ids, pairs, ids) -> int:
    """Twin of the heap merge: write the ids of ``b[lo:hi]`` to ``ids``, return their count."""
    return _merge(b, lo, hi, byte_ids, pairs, ids)


def encode_docs(
    b: np.ndarray,
    doc_bounds: np.ndarray,
    cls: np.ndarray,
    grammar: int,
    piece_bounds: np.ndarray,
    byte_ids: np.ndarray,
    tok_bytes: np.ndarray,
    tok_off: np.ndarray,
    whole: np.ndarray,
    pairs: np.ndarray,
    whole_first: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Encode the documents ``b[doc_bounds[d]:doc_bounds[d+1]]``: ids int32[T] and counts int64[D].

    Pieces come from the split regex of ``grammar``, or from ``piece_bounds`` when ``grammar`` < 0.
    """
    tokens = whole_dict(whole, tok_bytes, tok_off)
    merges = pair_dict(pairs)
    singles = {bytes([x]): int(byte_ids[x]) for x in range(256)}
    ids: list[int] = []
    counts = []
    for lo, hi in zip(doc_bounds[:-1].tolist(), doc_bounds[1:].tolist(), strict=True):
        if grammar >= 0:
            bounds = pretokenize.split_bounds(b, lo, hi, cls, grammar).tolist()
        else:
            bounds = [x for x in piece_bounds.tolist() if lo <= x <= hi]
        before = len(ids)
        for start, end in itertools.pairwise(bounds):
            piece = bytes(b[start:end])
            if (whole_first or len(piece) == 1) and piece in tokens:
                ids.append(tokens[piece])
            else:
                ids += merge_piece(piece, singles, merges)
        counts.append(len(ids) - before)
    return np.array(ids, dtype=np.int32), np.array(counts, dtype=np.int64)


def token_offsets(ids: np.ndarray, tok_off: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Return int64[T, 2] byte offsets of tokens that tile their texts (restarting at 0 for each text)."""
    out = np.zeros((len(ids), 2), dtype=np.int64)
    for d in range(len(bounds) - 1):
        pos = 0
        for k in range(bounds[d], bounds[d + 1]):
            length = tok_off[ids[k] + 1] - tok_off[ids[k]]
            out[k] = (pos, pos + length)
            pos += length
    return out


def gather_bytes(ids: np.ndarray, tok_bytes: np.ndarray, tok_off: np.ndarray) -> np.ndarray:
    """Return uint8[...]: the bytes of the tokens ``ids`` concatenated."""
    data = b"".join(tok_bytes[tok_off[i] : tok_off[i + 1]].tobytes() for i in ids)
    return np.frombuffer(data, dtype=np.uint8).copy()
