"""Strings packed as code points, for the Unigram trainer: ``cps`` int32 and ``off`` int64[n+1].

String k is ``cps[off[k]:off[k+1]]``. Training keeps its (up to a million) seed pieces packed, and
spells Python strings only for the pieces it returns.

>>> cps, off = pack(["ab", "▁c", "a"])
>>> spell(*subset(cps, off, np.array([2, 0]))), lexical_rank(cps, off).tolist()
(['a', 'ab'], [1, 2, 0])
"""

from __future__ import annotations

import numpy as np

from .word_counts import WordCounts


def pack(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return (cps, off) of ``strings``."""
    off = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in strings], out=off[1:])
    cps = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int32)
    return cps, off


def pack_words(words: WordCounts) -> tuple[np.ndarray, np.ndarray]:
    """Return (cps, off) of counted words, decoded in one piece."""
    text = words.data.tobytes().decode("utf-8")
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    lead = ((words.data & 0xC0) != 0x80).astype(np.int64)  # the first byte of every code point
    off = np.zeros(len(words) + 1, dtype=np.int64)
    if len(words):
        np.cumsum(np.add.reduceat(lead, words.offsets[:-1]), out=off[1:])  # words are never empty
    return cps, off


def gather(cps: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (cps, off) of the strings ``cps[starts[k]:starts[k]+lengths[k]]``."""
    off = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=off[1:])
    return cps[np.repeat(starts - off[:-1], lengths) + np.arange(off[-1])], off


def subset(cps: np.ndarray, off: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (cps, off) of the strings ``keep`` (int64 indices), in that order."""
    return gather(cps, off[keep], off[keep + 1] - off[keep])


def spell(cps: np.ndarray, off: np.ndarray) -> list[str]:
    """Return the strings as ``str``."""
    text = cps.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    bounds = off.tolist()
    return [text[bounds[k] : bounds[k + 1]] for k in range(len(bounds) - 1)]


def lexical_rank(cps: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Return int64[n]: each string's place in code point order (as Python sorts ``str``); strings are distinct.

    subtle: rows of big-endian (code point + 1), padded with zeros, compare as bytes (numpy ``S``) in the
    same order as the strings: a zero pad sorts a prefix first, and no code point + 1 is zero.
    """
    n = len(off) - 1
    lengths = np.diff(off)
    width = int(lengths.max()) if n else 1
    rows = np.zeros((n, width), dtype=">u4")
    rows[np.repeat(np.arange(n), lengths), np.arange(len(cps)) - np.repeat(off[:-1], lengths)] = cps + 1
    order = np.argsort(rows.view(f"S{4 * width}").ravel(), kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rank
