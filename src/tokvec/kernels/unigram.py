"""Unigram Viterbi over code points (sentencepiece's ``EncodeOptimized``, Hugging Face's ``Unigram``).

For each start position in text order, every piece that starts there (walked in a code-point trie)
offers the best path to its end a new score: best(start) + score(piece); a candidate replaces the
best path at its end only if strictly better, so on ties the path whose last piece starts first
wins. A start with no one-character piece offers the unknown piece (score ``unk_score``) over one
character. Backtracking gives the pieces; consecutive unknowns fuse into one with ``fuse_unk``, and
with byte fallback (``byte_ids[0] != -2``) an unknown becomes the ``<0xXX>`` tokens of its bytes if
every one of them has a token (Hugging Face's rule; sentencepiece's byte-fallback models have all 256).

``f32`` follows sentencepiece's arithmetic: every sum is rounded to float32, which decides ties such as
"lll" -> "l" "ll" (tried on FLORES: summing in float64 gave 6 lines in 206k that differ; Hugging
Face keeps float64 throughout).

Trie: ``trie`` is a pair table (node, code point) -> (0, child node) and ``node_ids[node]`` the piece
id that ends at a node (-1: none); the root is node 0.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .bpe_merges import _utf8
from .tables import pair_lookup


@njit(cache=True, nogil=True)
def viterbi(cps, bounds, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32):  # pragma: no cover
    """Segment every word ``cps[bounds[p]:bounds[p+1]]``; return (ids int32[T], starts int64[T], ends int64[T]).

    cps: uint32[N]; bounds: int64[P+1]; trie: pair table; node_ids: int32[nodes]; scores: float64[V]
    (the score a piece adds); unk_id: int; unk_score: float64; fuse_unk, f32: bool;
    byte_ids: int32[256] (all -2: no byte fallback; -1: that byte has no token).
    """
    n = len(cps)
    cap = n + 16
    out_id = np.empty(cap, dtype=np.int32)
    out_st = np.empty(cap, dtype=np.int64)
    out_en = np.empty(cap, dtype=np.int64)
    best = np.empty(n + 1, dtype=np.float64)
    back = np.empty(n + 1, dtype=np.int64)
    bid = np.empty(n + 1, dtype=np.int64)
    path = np.empty(n + 1, dtype=np.int64)
    buf = np.empty(4, dtype=np.uint8)
    unk32 = np.float32(unk_score)
    t = 0
    for p in range(len(bounds) - 1):
        lo, hi = bounds[p], bounds[p + 1]
        if hi <= lo:
            continue
        for k in range(lo, hi + 1):
            back[k] = -1
        best[lo] = 0.0
        for s in range(lo, hi):
            here = best[s]
            single = False
            node = 0
            j = s
            while j < hi:
                slot = pair_lookup(trie, node, cps[j])
                if slot < 0:
                    break
                node = trie[2 * slot + 1] & np.int64(0xFFFFFFFF)
                j += 1
                pid = node_ids[node]
                if pid < 0:
                    continue
                if f32:
                    cand = np.float64(np.float32(np.float32(scores[pid]) + np.float32(here)))
                else:
                    cand = scores[pid] + here
                if back[j] == -1 or cand > best[j]:
                    best[j] = cand
                    back[j] = s
                    bid[j] = pid
                if j == s + 1:
                    single = True
            if not single:
                if f32:
                    cand = np.float64(np.float32(unk32 + np.float32(here)))
                else:
                    cand = unk_score + here
                if back[s + 1] == -1 or cand > best[s + 1]:
                    best[s + 1] = cand
                    back[s + 1] = s
                    bid[s + 1] = unk_id
        # backtrack
        m = 0
        e = hi
        while e > lo:
            path[m] = e
            m += 1
            e = back[e]
        need = t + 4 * (hi - lo) + 4
        if need > len(out_id):
            size = max(need, 2 * len(out_id))
            a1 = np.empty(size, dtype=np.int32)
            a2 = np.empty(size, dtype=np.int64)
            a3 = np.empty(size, dtype=np.int64)
            a1[:t], a2[:t], a3[:t] = out_id[:t], out_st[:t], out_en[:t]
            out_id, out_st, out_en = a1, a2, a3
        run_lo = -1  # a run of unknown characters waiting to be written
        run_hi = -1
        for q in range(m, -1, -1):
            if q > 0:
                e = path[q - 1]
                s = back[e]
                pid = bid[e]
                if pid == unk_id:
                    if run_lo >= 0 and fuse_unk:
                        run_hi = e
                        continue
                    if run_lo < 0:
                        run_lo, run_hi = s, e
                        continue
            if run_lo >= 0:  # write the pending run: its bytes if all have tokens, else one unknown
                ok = byte_ids[0] != -2
                if ok:
                    for c in range(run_lo, run_hi):
                        k = _utf8(np.int64(cps[c]), buf)
                        for r in range(k):
                            if byte_ids[buf[r]] < 0:
                                ok = False
                if ok:
                    for c in range(run_lo, run_hi):
                        k = _utf8(np.int64(cps[c]), buf)
                        for r in range(k):
                            out_id[t], out_st[t], out_en[t] = byte_ids[buf[r]], c, c + 1
                            t += 1
                else:
                    out_id[t], out_st[t], out_en[t] = unk_id, run_lo, run_hi
                    t += 1
                run_lo = -1
                if q > 0 and pid == unk_id:  # an unknown that does not fuse starts a new run
                    run_lo, run_hi = s, e
                    continue
            if q > 0:
                out_id[t], out_st[t], out_en[t] = pid, s, e
                t += 1
    return out_id[:t].copy(), out_st[:t].copy(), out_en[:t].copy()
