"""Unigram training lattices in flat arrays: built once from the seed pieces, then only shrunk.

Training only ever removes pieces, and characters are never removed, so the lattice of every word
under the seed vocabulary holds the lattice under every later vocabulary: each EM step and each
pruning round filters it (:func:`compact_lattice`) instead of looking every substring up again.

Layout, for words ``wcps[woff[w]:woff[w+1]]`` (int32 code points, ``woff`` int64[W+1]):
``wedge`` int64[W+1] (the edges of word w are ``wedge[w]:wedge[w+1]``), ``estart`` int32[E] (start
in the word), ``elen`` uint8[E] (length in code points), ``epiece`` int32[E] (piece id, -1 for an
unknown character). A word's edges come sorted by start, then by length; a position where no piece of
one character matches has an unknown edge of length 1, after that position's pieces (the order of
:func:`tokvec.kernels.unigram_train._edges`, so sums run in the same order).

performance notes (ELTeC 64 MB, vocab 32,000, 2 shared cores, so shares rather than seconds): EM and
pruning, when each step looked every substring of every word up again, took about 60% of training; now one
lookup pass builds the lattice (about 10%), and the 14 forward-backward passes over it still take about a
third: that is the exp/log1p of the log-space sums (17.7 M edges for the seed, 8.2 M at the end), which the
lattice does not remove. Skipping the log-add of a node's first edge (exact) is the one cheap cut found.
Walking the pieces' trie (stopping where no piece goes on) instead of hashing every substring into the
piece table: 0.94-0.96x the time of the lattice pass (same run); the probes' cache misses dominate both.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .unigram_train import _grow, _mix


@njit(cache=True, nogil=True)
def _child(tkeys, tslots, node, cp):  # pragma: no cover - compiled
    """Slot of the trie node below ``node`` by code point ``cp`` (tslots[slot] is -1 where there is none)."""
    key = ((node + 1) << np.int64(21)) | np.int64(cp)  # code points < 2^21
    mask = np.int64(len(tslots) - 1)
    s = _mix(key) & mask
    while tslots[s] >= 0 and tkeys[tslots[s]] != key:
        s = (s + 1) & mask
    return s, key


@njit(cache=True, nogil=True)
def _build_trie(pcps, poff):  # pragma: no cover - compiled
    """Return the trie of the pieces: (tkeys int64[T], tslots int32[2^k], tpiece int32[T]).

    Node t is keyed by (its parent node + 1) << 21 | its last code point (the root is -1); tslots maps
    keys to nodes by open addressing; tpiece[t] is the piece spelled by the path to t, or -1.
    """
    cap = 2 * (len(poff) - 1) + 16  # grown as needed (shared prefixes: about 1.5 nodes per piece on ELTeC)
    tkeys = np.empty(cap, dtype=np.int64)
    tpiece = np.empty(cap, dtype=np.int32)
    size = 16
    while size < 2 * cap:
        size *= 2
    tslots = np.full(size, -1, dtype=np.int32)
    n = 0
    for p in range(len(poff) - 1):
        node = np.int64(-1)
        for i in range(poff[p], poff[p + 1]):
            s, key = _child(tkeys, tslots, node, pcps[i])
            if tslots[s] < 0:
                if n == cap:
                    cap *= 2
                    tkeys, tpiece = _grow(tkeys, cap), _grow(tpiece, cap)
                tkeys[n], tpiece[n] = key, -1
                tslots[s] = n
                n += 1
                if 2 * n > len(tslots):
                    tslots = np.full(2 * len(tslots), -1, dtype=np.int32)
                    mask = np.int64(len(tslots) - 1)
                    for r in range(n):
                        t = _mix(tkeys[r]) & mask
                        while tslots[t] >= 0:
                            t = (t + 1) & mask
                        tslots[t] = r
                    s, key = _child(tkeys, tslots, node, pcps[i])
            node = np.int64(tslots[s])
        if node >= 0 and tpiece[node] < 0:  # a duplicate piece keeps its first id
            tpiece[node] = p
    return tkeys[:n], tslots, tpiece[:n]


@njit(cache=True, nogil=True)
def build_lattice(wcps, woff, pcps, poff, max_len, cap):  # pragma: no cover - compiled
    """Return (wedge int64[W+1], estart int32[E], elen uint8[E], epiece int32[E]) of every word.

    pcps int32, poff int64[P+1]: the pieces (at most ``max_len`` code points); cap: the number of edges to
    allocate for (grown when short; the trainer knows it exactly). The arrays returned may be views of
    longer ones. Substrings are followed down the pieces' trie, and not extended past a prefix of no piece.
    """
    tkeys, tslots, tpiece = _build_trie(pcps, poff)
    n_words = len(woff) - 1
    wedge = np.zeros(n_words + 1, dtype=np.int64)
    cap = cap + max_len + 1  # the worst case of one position beyond an exact count
    estart = np.empty(cap, dtype=np.int32)
    elen = np.empty(cap, dtype=np.uint8)
    epiece = np.empty(cap, dtype=np.int32)
    m = 0
    for w in range(n_words):
        lo, hi = woff[w], woff[w + 1]
        for i in range(lo, hi):
            if m + max_len + 1 > cap:  # room for this position's edges
                cap = 2 * cap
                estart = _grow(estart, cap)
                elen = _grow(elen, cap)
                epiece = _grow(epiece, cap)
            node = np.int64(-1)
            single = False
            for j in range(i, min(hi, i + max_len)):
                s, _ = _child(tkeys, tslots, node, wcps[j])
                if tslots[s] < 0:
                    break
                node = np.int64(tslots[s])
                p = tpiece[node]
                if p >= 0:
                    estart[m], elen[m], epiece[m] = i - lo, j + 1 - i, p
                    m += 1
                    if j == i:
                        single = True
            if not single:
                estart[m], elen[m], epiece[m] = i - lo, 1, -1
                m += 1
        wedge[w + 1] = m
    return wedge, estart[:m], elen[:m], epiece[:m]


@njit(cache=True, nogil=True)
def compact_lattice(wedge, estart, elen, epiece, new_id):  # pragma: no cover - compiled
    """Keep the edges of the pieces that survive, renumbered: new_id int64[P_old] (new id, or -1: removed).

    Unknown edges (piece -1) stay. Returns the four lattice arrays, views of the inputs.
    subtle: compacts in place (the inputs are overwritten), so that the largest lattice, the seed's, is never
    held twice; callers drop the old lattice.
    """
    t = 0
    start = wedge[0]
    for w in range(len(wedge) - 1):
        end = wedge[w + 1]
        for k in range(start, end):
            p = epiece[k]
            q = p if p < 0 else new_id[p]
            if p < 0 or q >= 0:
                estart[t], elen[t], epiece[t] = estart[k], elen[k], q
                t += 1
        start = end
        wedge[w + 1] = t
    return wedge, estart[:t], elen[:t], epiece[:t]


@njit(cache=True, nogil=True)
def lattice_expected(woff, wedge, estart, elen, epiece, wcount, logp, unk_logp):  # pragma: no cover - compiled
    """E-step: expected count of every piece over all words (forward-backward); and the log-likelihood.

    wcount int64[W]; logp float64[P]; unk_logp: the score of an unknown character.
    Returns (counts float64[P], loglik float).
    """
    counts = np.zeros(len(logp), dtype=np.float64)
    longest = 1
    for w in range(len(woff) - 1):
        longest = max(longest, woff[w + 1] - woff[w])
    alpha = np.empty(longest + 1, dtype=np.float64)
    beta = np.empty(longest + 1, dtype=np.float64)
    loglik = 0.0
    for w in range(len(woff) - 1):
        n = woff[w + 1] - woff[w]
        a, b = wedge[w], wedge[w + 1]
        alpha[: n + 1] = -np.inf
        alpha[0] = 0.0
        for k in range(a, b):
            s = estart[k]
            e = s + elen[k]
            v = alpha[s] + (logp[epiece[k]] if epiece[k] >= 0 else unk_logp)
            # subtle: logaddexp(-inf, v) is exactly v; skipping it saves a third of the exp/log1p calls
            alpha[e] = v if alpha[e] == -np.inf else np.logaddexp(alpha[e], v)
        beta[: n + 1] = -np.inf
        beta[n] = 0.0
        for k in range(b - 1, a - 1, -1):
            s = estart[k]
            v = beta[s + elen[k]] + (logp[epiece[k]] if epiece[k] >= 0 else unk_logp)
            beta[s] = v if beta[s] == -np.inf else np.logaddexp(beta[s], v)
        z = alpha[n]
        c = np.float64(wcount[w])
        loglik += c * z
        for k in range(a, b):
            p = epiece[k]
            if p >= 0:
                counts[p] += c * math.exp(alpha[estart[k]] + logp[p] + beta[estart[k] + elen[k]] - z)
    return counts, loglik


@njit(cache=True, nogil=True)
def lattice_viterbi_freq(woff, wedge, estart, elen, epiece, wcount, logp, unk_logp):  # pragma: no cover
    """Return float64[P]: how often each piece is used by the Viterbi segmentations, weighted by word counts.

    Ties: the edge met first (smaller start, then shorter) keeps a position's best score.
    """
    freq = np.zeros(len(logp), dtype=np.float64)
    longest = 1
    for w in range(len(woff) - 1):
        longest = max(longest, woff[w + 1] - woff[w])
    best = np.empty(longest + 1, dtype=np.float64)
    back = np.empty(longest + 1, dtype=np.int64)
    for w in range(len(woff) - 1):
        n = woff[w + 1] - woff[w]
        best[: n + 1] = -np.inf
        best[0] = 0.0
        for k in range(wedge[w], wedge[w + 1]):
            s = estart[k]
            v = best[s] + (logp[epiece[k]] if epiece[k] >= 0 else unk_logp)
            if v > best[s + elen[k]]:
                best[s + elen[k]] = v
                back[s + elen[k]] = k
        j = n
        while j > 0:
            k = back[j]
            if epiece[k] >= 0:
                freq[epiece[k]] += wcount[w]
            j = estart[k]
    return freq
