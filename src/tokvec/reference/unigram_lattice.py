"""Twin of :mod:`tokvec.kernels.unigram_lattice`: plain loops over Python lists and dictionaries.

The lattice twin looks every substring up in a dictionary; forward-backward enumerates every path
through a word's lattice (brute force); Viterbi is the same dynamic programme as the kernel, with the
same tie-break, written out.
"""

from __future__ import annotations

import math

import numpy as np

from .unigram_train import add_expected


def build_lattice(wcps, woff, pcps, poff, max_len, cap):
    """The lattice of every word (see the kernel), by dictionary lookups; ``cap`` is not needed here."""
    pieces: dict[tuple[int, ...], int] = {}
    for p in range(len(poff) - 1):
        pieces.setdefault(tuple(pcps[poff[p] : poff[p + 1]].tolist()), p)
    wedge, starts, lens, ids = [0], [], [], []
    for w in range(len(woff) - 1):
        word = tuple(wcps[woff[w] : woff[w + 1]].tolist())
        for i in range(len(word)):
            found = [(k, pieces[word[i : i + k]]) for k in range(1, min(len(word) - i, max_len) + 1)
                     if word[i : i + k] in pieces]  # fmt: skip
            if not any(k == 1 for k, _ in found):
                found.append((1, -1))
            for k, p in found:
                starts.append(i)
                lens.append(k)
                ids.append(p)
        wedge.append(len(ids))
    return (np.array(wedge, dtype=np.int64), np.array(starts, dtype=np.int32), np.array(lens, dtype=np.uint8),
            np.array(ids, dtype=np.int32))  # fmt: skip


def compact_lattice(wedge, estart, elen, epiece, new_id):
    """Keep the edges of surviving pieces, renumbered (see the kernel)."""
    out_wedge, starts, lens, ids = [0], [], [], []
    for w in range(len(wedge) - 1):
        for k in range(wedge[w], wedge[w + 1]):
            p = int(epiece[k])
            if p < 0 or new_id[p] >= 0:
                starts.append(int(estart[k]))
                lens.append(int(elen[k]))
                ids.append(p if p < 0 else int(new_id[p]))
        out_wedge.append(len(ids))
    return (np.array(out_wedge, dtype=np.int64), np.array(starts, dtype=np.int32), np.array(lens, dtype=np.uint8),
            np.array(ids, dtype=np.int32))  # fmt: skip


def _out_edges(wedge, estart, elen, epiece, w) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for k in range(wedge[w], wedge[w + 1]):
        out.setdefault(int(estart[k]), []).append((int(estart[k] + elen[k]), int(epiece[k])))
    return out


def _paths(out, i: int, n: int):
    if i == n:
        yield []
        return
    for j, p in out.get(i, []):
        for rest in _paths(out, j, n):
            yield [p, *rest]


def lattice_expected(woff, wedge, estart, elen, epiece, wcount, logp, unk_logp):
    """Expected piece counts: every path weighted by its probability (see the kernel)."""
    counts = np.zeros(len(logp), dtype=np.float64)
    loglik = 0.0
    for w in range(len(woff) - 1):
        n = int(woff[w + 1] - woff[w])
        paths = list(_paths(_out_edges(wedge, estart, elen, epiece, w), 0, n))
        loglik += wcount[w] * add_expected(counts, paths, logp, unk_logp, wcount[w])
    return counts, loglik


def lattice_viterbi_freq(woff, wedge, estart, elen, epiece, wcount, logp, unk_logp):
    """Uses of each piece in the Viterbi segmentations (see the kernel, and its tie-break)."""
    freq = np.zeros(len(logp), dtype=np.float64)
    for w in range(len(woff) - 1):
        n = int(woff[w + 1] - woff[w])
        best = [-math.inf] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)  # (start, piece) of the best last edge
        for k in range(wedge[w], wedge[w + 1]):
            s, e, p = int(estart[k]), int(estart[k] + elen[k]), int(epiece[k])
            v = best[s] + (logp[p] if p >= 0 else unk_logp)
            if v > best[e]:
                best[e], back[e] = v, (s, p)
        j = n
        while j > 0:
            j, p = back[j]
            if p >= 0:
                freq[p] += wcount[w]
    return freq
