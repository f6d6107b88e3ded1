"""Unigram language model kernels: piece lookup, Viterbi, pruning losses, digamma, seed substrings.

Words and pieces are code-point sequences: word w is ``wcps[woff[w]:woff[w+1]]`` (int32), piece p is
``pcps[poff[p]:poff[p+1]]``. A word's lattice has an edge for every piece that matches at every
position (pieces are at most ``max_len`` code points); a position where no piece of one character
matches gets an unknown edge of one character with log-probability ``unk_logp`` (piece id -1).

The piece table maps a rolling hash of a code-point sequence to piece ids: ``slots`` int64[2^k]
(piece id or -1), ``phash`` int64[P]. Forward-backward and the Viterbi counts over all words run on flat
lattices (:mod:`tokvec.kernels.unigram_lattice`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_MUL = np.int64(1099511628211)
_EMPTY = np.int64(-1)


@njit(cache=True, nogil=True, inline="always")
def _step(h, cp):  # pragma: no cover - compiled
    return (h ^ np.int64(cp)) * _MUL


@njit(cache=True, nogil=True)
def build_piece_table(pcps, poff):  # pragma: no cover - compiled
    """Return (slots int64[2^k], phash int64[P]) for the pieces (pcps int32, poff int64[P+1])."""
    n = len(poff) - 1
    phash = np.empty(n, dtype=np.int64)
    size = 16
    while size < 2 * n + 2:
        size *= 2
    slots = np.full(size, _EMPTY, dtype=np.int64)
    mask = np.int64(size - 1)
    for p in range(n):
        h = np.int64(7)
        for i in range(poff[p], poff[p + 1]):
            h = _step(h, pcps[i])
        phash[p] = h
        s = (h * np.int64(-7046029254386353131)) & mask
        while slots[s] != _EMPTY:
            s = (s + 1) & mask
        slots[s] = p
    return slots, phash


@njit(cache=True, nogil=True, inline="always")
def _lookup(slots, phash, pcps, poff, cps, lo, hi, h):  # pragma: no cover - compiled
    mask = np.int64(len(slots) - 1)
    s = (h * np.int64(-7046029254386353131)) & mask
    while slots[s] != _EMPTY:
        p = slots[s]
        if phash[p] == h and poff[p + 1] - poff[p] == hi - lo:
            same = True
            a = poff[p]
            for k in range(hi - lo):
                if pcps[a + k] != cps[lo + k]:
                    same = False
                    break
            if same:
                return p
        s = (s + 1) & mask
    return -1


@njit(cache=True, nogil=True)
def _edges(cps, lo, hi, slots, phash, pcps, poff, max_len, banned, es, ee, ep):  # pragma: no cover - compiled
    """Fill the lattice edges of ``cps[lo:hi]`` (starts/ends relative to lo); return their number."""
    m = 0
    for i in range(lo, hi):
        h = np.int64(7)
        single = False
        for j in range(i, min(hi, i + max_len)):
            h = _step(h, cps[j])
            p = _lookup(slots, phash, pcps, poff, cps, i, j + 1, h)
            if p >= 0 and p != banned:
                es[m], ee[m], ep[m] = i - lo, j + 1 - lo, p
                m += 1
                if j == i:
                    single = True
        if not single:
            es[m], ee[m], ep[m] = i - lo, i + 1 - lo, -1
            m += 1
    return m


@njit(cache=True, nogil=True)
def viterbi(cps, lo, hi, pcps, poff, slots, phash, logp, unk_logp, max_len, banned, out):  # pragma: no cover
    """Best segmentation of ``cps[lo:hi]`` (ties: the earlier-found edge, i.e. the shorter last piece
    at the smaller start). Writes piece ids (-1: unknown character) into ``out``; returns their number.
    """
    n = hi - lo
    es, ee, ep, best, back = _scratch(n, max_len)
    return _viterbi_into(
        cps, lo, hi, pcps, poff, slots, phash, logp, unk_logp, max_len, banned, out, es, ee, ep, best, back
    )


@njit(cache=True, nogil=True)
def _scratch(n, max_len):  # pragma: no cover - compiled
    cap = n * max_len + n
    return (np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64),
            np.empty(n + 1, dtype=np.float64), np.empty(n + 1, dtype=np.int64))  # fmt: skip


@njit(cache=True, nogil=True)
def _viterbi_into(
    cps, lo, hi, pcps, poff, slots, phash, logp, unk_logp, max_len, banned, out, es, ee, ep, best, back
):  # pragma: no cover
    """:func:`viterbi` with its scratch arrays given (edges: at least n * (max_len + 1); best, back: n + 1)."""
    n = hi - lo
    m = _edges(cps, lo, hi, slots, phash, pcps, poff, max_len, banned, es, ee, ep)
    best[: n + 1] = -np.inf
    back[: n + 1] = -1
    best[0] = 0.0
    for k in range(m):
        lp = logp[ep[k]] if ep[k] >= 0 else unk_logp
        v = best[es[k]] + lp
        if v > best[ee[k]]:
            best[ee[k]] = v
            back[ee[k]] = k
    t = 0
    j = n
    while j > 0:
        k = back[j]
        out[t] = ep[k]
        t += 1
        j = es[k]
    for a in range(t // 2):  # into reading order
        out[a], out[t - 1 - a] = out[t - 1 - a], out[a]
    return t


@njit(cache=True, nogil=True)
def prune_losses(freq, pcps, poff, slots, phash, logp, unk_logp, max_len, keep):  # pragma: no cover - compiled
    """The likelihood lost by removing each piece (SentencePiece's pruning rule).

    freq: float64[P], the uses of each piece in the Viterbi segmentations of all words
    (:func:`tokvec.kernels.unigram_lattice.lattice_viterbi_freq`). A piece's alternative is the
    Viterbi segmentation of its own text without it; removing it hands its uses to the
    alternative's pieces. keep: bool[P], pieces never removed (characters). Returns float64[P]:
    +inf for kept pieces, -inf for unused ones, else the loss (higher = more worth keeping).
    """
    P = len(logp)
    total = freq.sum()
    losses = np.empty(P, dtype=np.float64)
    alt = np.empty(64, dtype=np.int64)
    longest = 1
    for p in range(P):
        longest = max(longest, poff[p + 1] - poff[p])
    es, ee, ep, best, back = _scratch(longest, max_len)  # once: pieces are short, allocation would dominate
    for p in range(P):
        if keep[p]:
            losses[p] = np.inf
            continue
        if freq[p] == 0.0:
            losses[p] = -np.inf
            continue
        t = _viterbi_into(
            pcps,
            poff[p],
            poff[p + 1],
            pcps,
            poff,
            slots,
            phash,
            logp,
            unk_logp,
            max_len,
            p,
            alt,
            es,
            ee,
            ep,
            best,
            back,
        )
        logsum_alt = math.log(total + freq[p] * (t - 1))
        logprob_alt = 0.0
        for k in range(t):
            f = freq[alt[k]] if alt[k] >= 0 else 0.0
            logprob_alt += math.log(f + freq[p]) - logsum_alt
        logprob = math.log(freq[p]) - math.log(total)
        losses[p] = (freq[p] / total) * (logprob - logprob_alt)
    return losses


@njit(cache=True, nogil=True)
def digamma(x):  # pragma: no cover - compiled
    """The digamma function (recurrence, then the asymptotic series), as SentencePiece computes it."""
    result = 0.0
    while x < 7.0:
        result -= 1.0 / x
        x += 1.0
    x -= 0.5
    xx = 1.0 / x
    xx2 = xx * xx
    xx4 = xx2 * xx2
    return (
        result + math.log(x) + xx2 / 24.0 - 7.0 / 960.0 * xx4 + 31.0 / 8064.0 * xx4 * xx2 - 127.0 / 30720.0 * xx4 * xx4
    )


@njit(cache=True, nogil=True)
def digamma_all(x):  # pragma: no cover - compiled
    """:func:`digamma` of every element of float64[n]."""
    out = np.empty(len(x), dtype=np.float64)
    for i in range(len(x)):
        out[i] = digamma(x[i])
    return out


@njit(cache=True, nogil=True, inline="always")
def _mix(key):  # pragma: no cover - compiled
    h = key * np.int64(-7046029254386353131)
    h ^= h >> np.int64(32)
    h *= np.int64(-4658895280553007687)
    return h ^ (h >> np.int64(29))


@njit(cache=True, nogil=True)
def _grow(a, cap):  # pragma: no cover - compiled
    """A copy of ``a`` with room for ``cap`` elements (only the copied part is written)."""
    out = np.empty(cap, dtype=a.dtype)
    out[: len(a)] = a
    return out


@njit(cache=True, nogil=True)
def substring_counts(wcps, woff, wcount, ok, boundary, max_len):  # pragma: no cover - compiled
    """Count every substring of every word (up to ``max_len`` code points), weighted by word counts.

    ok: bool[len(wcps)], False where a character may not be part of a piece; boundary: a code point that
    may only start a piece (``▁``), or -1. Substrings are numbered in order of first appearance. Returns
    (starts int64[S] into wcps, lengths int32[S], counts int64[S], occurrences int64[S]: in how many places
    of the distinct words each substring is, unweighted).

    performance notes: a substring is keyed exactly by (the number of its prefix one shorter, its last
    code point), so extending it by one character is one probe with no comparison of code points. Against
    a rolling hash checked code point by code point at the first occurrence: 0.78-0.86x the time on 64 MB
    of ELTeC (same run), arrays grown without writing their spare room; the probes' cache misses remain.
    """
    cap = 1 << 14
    keys = np.empty(cap, dtype=np.int64)
    starts = np.empty(cap, dtype=np.int64)
    lens = np.empty(cap, dtype=np.int32)
    counts = np.empty(cap, dtype=np.int64)
    occ = np.empty(cap, dtype=np.int64)
    slots = np.full(1 << 16, -1, dtype=np.int32)
    n = 0
    for w in range(len(woff) - 1):
        lo, hi = woff[w], woff[w + 1]
        for i in range(lo, hi):
            if not ok[i]:
                continue
            parent = np.int64(-1)
            for j in range(i, min(hi, i + max_len)):
                if not ok[j] or (j > i and wcps[j] == boundary):
                    break
                key = ((parent + 1) << np.int64(21)) | np.int64(wcps[j])  # code points < 2^21
                mask = np.int64(len(slots) - 1)
                s = _mix(key) & mask
                while slots[s] >= 0 and keys[slots[s]] != key:
                    s = (s + 1) & mask
                q = slots[s]
                if q >= 0:
                    counts[q] += wcount[w]
                    occ[q] += 1
                    parent = np.int64(q)
                    continue
                if n == cap:
                    cap *= 2
                    keys, starts, lens = _grow(keys, cap), _grow(starts, cap), _grow(lens, cap)
                    counts, occ = _grow(counts, cap), _grow(occ, cap)
                keys[n], starts[n], lens[n], counts[n], occ[n] = key, i, j + 1 - i, wcount[w], 1
                slots[s] = n
                parent = np.int64(n)
                n += 1
                if 2 * n > len(slots):
                    slots = np.full(2 * len(slots), -1, dtype=np.int32)
                    mask = np.int64(len(slots) - 1)
                    for r in range(n):
                        s = _mix(keys[r]) & mask
                        while slots[s] >= 0:
                            s = (s + 1) & mask
                        slots[s] = r
    return starts[:n], lens[:n], counts[:n], occ[:n]
