"""Counting pre-tokens: split documents with the numba scanner and count each distinct piece.

The count table is an open-addressing hash table over a growing arena of distinct words; every
array of it goes in and comes back out, so the caller streams a corpus chunk by chunk with bounded
memory (the distinct words, not the corpus). Counts are int64.

State: ``slots`` int64[2^k] (word index or -1), ``hashes`` int64[cap] (hash of each word),
``wbytes`` uint8[cap_bytes] (the words' bytes, one after another), ``woff`` int64[cap+1] (word w is
``wbytes[woff[w]:woff[w+1]]``), ``wcount`` int64[cap], ``n`` (number of distinct words).

Performance notes: hashing with FNV-1a while comparing against the arena measured faster than
packing short words into int64 keys here, because most pieces are new to the cache line anyway.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .pretokenize import piece_end
from .utf8 import decode_at

_EMPTY = np.int64(-1)
_FNV_OFFSET = np.int64(-3750763034362895579)
_FNV_PRIME = np.int64(1099511628211)


@njit(cache=True, nogil=True)
def piece_bounds(buf, doc_bounds, cls, grammar):  # pragma: no cover - compiled
    """Return int64[P+1], the boundaries of the pieces of every document.

    buf: uint8[N] UTF-8; doc_bounds: int64[D+1] (documents tile ``buf[doc_bounds[0]:doc_bounds[-1]]``);
    cls: uint8[0x110000]; grammar: a split grammar of :mod:`tokvec.kernels.pretokenize`.
    Pieces never cross a document boundary; empty documents give no piece.
    """
    out = np.empty(doc_bounds[-1] - doc_bounds[0] + 1, dtype=np.int64)
    out[0] = doc_bounds[0]
    k = 0
    for d in range(len(doc_bounds) - 1):
        i, hi = doc_bounds[d], doc_bounds[d + 1]
        while i < hi:
            i = piece_end(buf, i, hi, cls, grammar)
            k += 1
            out[k] = i
    return out[: k + 1].copy()


@njit(cache=True, nogil=True, inline="always")
def _hash(buf, lo, hi):  # pragma: no cover - compiled
    h = _FNV_OFFSET
    for i in range(lo, hi):
        h = (h ^ np.int64(buf[i])) * _FNV_PRIME
    return h


@njit(cache=True, nogil=True)
def _rehash(hashes, n, size):  # pragma: no cover - compiled
    slots = np.full(size, _EMPTY, dtype=np.int64)
    mask = np.int64(size - 1)
    for w in range(n):
        s = hashes[w] & mask
        while slots[s] != _EMPTY:
            s = (s + 1) & mask
        slots[s] = w
    return slots


@njit(cache=True, nogil=True)
def word_spans(buf, doc_bounds, wtable):  # pragma: no cover - compiled
    """Return (starts, ends), int64[P] each: the matches of ``\\w+|[^\\w\\s]+`` in every document.

    buf: uint8[N] UTF-8; doc_bounds: int64[D+1]; wtable: uint8[0x110000], bit 1 = ``\\w``, bit 2 = ``\\s``.
    Whitespace is dropped (Hugging Face's ``Whitespace`` pre-tokenizer). More generally: the maximal runs of
    one class ``wtable[cp] & 3`` other than 2, class 2 dropped; a table of 1 everywhere and 2 at the
    characters that ``str.isspace`` gives the words of ``str.split()`` (SentencePiece-style counting).
    """
    n = doc_bounds[-1] - doc_bounds[0]
    starts = np.empty(n, dtype=np.int64)
    ends = np.empty(n, dtype=np.int64)
    k = 0
    for d in range(len(doc_bounds) - 1):
        i, hi = doc_bounds[d], doc_bounds[d + 1]
        while i < hi:
            cp, w = decode_at(buf, i)
            kind = wtable[cp] & 3
            if kind == 2:  # whitespace
                i += w
                continue
            j = i + w
            while j < hi:
                cp2, w2 = decode_at(buf, j)
                if (wtable[cp2] & 3) != kind:
                    break
                j += w2
            starts[k] = i
            ends[k] = j
            k += 1
            i = j
    return starts[:k].copy(), ends[:k].copy()


@njit(cache=True, nogil=True)
def count_spans(buf, starts, ends, slots, hashes, wbytes, woff, wcount, n):  # pragma: no cover - compiled
    """Add one to the count of every piece ``buf[starts[k]:ends[k]]`` (empty pieces skipped).

    buf: uint8[N]; starts, ends: int64[P]; the table state is described in the module docstring.
    Returns the state ``(slots, hashes, wbytes, woff, wcount, n)`` (arrays may be new).
    """
    mask = np.int64(len(slots) - 1)
    for k in range(len(starts)):
        lo, hi = starts[k], ends[k]
        if hi <= lo:
            continue
        h = _hash(buf, lo, hi)
        s = h & mask
        found = -1
        while slots[s] != _EMPTY:
            w = slots[s]
            if hashes[w] == h and woff[w + 1] - woff[w] == hi - lo:
                a = woff[w]
                same = True
                for j in range(hi - lo):
                    if wbytes[a + j] != buf[lo + j]:
                        same = False
                        break
                if same:
                    found = w
                    break
            s = (s + 1) & mask
        if found >= 0:
            wcount[found] += 1
            continue
        if n + 2 > len(wcount):
            cap = 2 * len(wcount)
            hashes = np.concatenate((hashes, np.empty(cap - len(hashes), dtype=np.int64)))
            wcount = np.concatenate((wcount, np.zeros(cap - len(wcount), dtype=np.int64)))
            woff = np.concatenate((woff, np.empty(cap + 1 - len(woff), dtype=np.int64)))
        if woff[n] + (hi - lo) > len(wbytes):
            wbytes = np.concatenate((wbytes, np.empty(len(wbytes) + hi - lo, dtype=np.uint8)))
        a = woff[n]
        for j in range(hi - lo):
            wbytes[a + j] = buf[lo + j]
        woff[n + 1] = a + hi - lo
        hashes[n] = h
        wcount[n] = 1
        slots[s] = n
        n += 1
        if 2 * n > len(slots):
            slots = _rehash(hashes, n, 2 * len(slots))
            mask = np.int64(len(slots) - 1)
    return slots, hashes, wbytes, woff, wcount, n
