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

from . import memo as mm
from .bpe import _grow
from .bpe_merges import _utf8
from .tables import pair_lookup


@njit(cache=True, nogil=True)
def viterbi(cps, bounds, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32):  # pragma: no cover
    """Segment every word ``cps[bounds[p]:bounds[p+1]]``; return (ids int32[T], starts int64[T], ends int64[T]).

    cps: uint32[N]; bounds: int64[P+1]; trie: pair table; node_ids: int32[nodes]; scores: float64[V]
    (the score a piece adds); unk_id: int; unk_score: float64; fuse_unk, f32: bool;
    byte_ids: int32[256] (all -2: no byte fallback; -1: that byte has no token).

    Performance notes (t5-small, 8 MB of ELTeC: 1.4 M words, 88 k distinct; one thread, quiet machine):
    0.49 s before issue 19, 0.22 s now. Each step was measured alone:
    - the loop is :func:`_viterbi_run`, which never rebinds an array; growing the output inside the
      word loop made numba count the references of all three at every word;
    - words of up to ``memo.MEMO_CPS`` code points are remembered for the rest of the call
      (:mod:`tokvec.kernels.memo`): a word's pieces do not depend on where it stands (0.49 -> 0.33 s
      with the first change);
    - the Viterbi scratch (best, back, piece of each position) is sized for the longest word and
      indexed from the word's start: sized for the whole text, the writes of the rare words that
      miss the memo fell on fresh pages all over 256 MB, one page fault each (0.33 -> 0.22 s);
    - tried: a direct-mapped cache of recent words of up to 6 code points in front of the memo, as
      the byte-level kernel has (no faster: the memo's probes of frequent words hit the CPU cache
      anyway), and a memo of 2^18 instead of 2^16 slots (no change); neither kept.
    """
    n = len(cps)
    cap = n + 16
    out_id = np.empty(cap, dtype=np.int32)
    out_st = np.empty(cap, dtype=np.int64)
    out_en = np.empty(cap, dtype=np.int64)
    scratch = 64  # the longest word so far + 1: positions count from the word's start
    best = np.empty(scratch, dtype=np.float64)
    back = np.empty(scratch, dtype=np.int64)
    bid = np.empty(scratch, dtype=np.int64)
    path = np.empty(scratch, dtype=np.int64)
    memo, entries, keys, res_id, res_st, res_en = mm.new_memo(n)
    p = t = used = res_used = 0
    while True:
        p, t, used, res_used, need, need_at = _viterbi_run(
            p, t, used, res_used, cps, bounds, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32,
            best, back, bid, path, out_id, out_st, out_en, memo, entries, keys, res_id, res_st, res_en,
        )  # fmt: skip
        if need == 0:
            break
        if need == 1:
            out_id, out_st, out_en = _grow(out_id, need_at), _grow(out_st, need_at), _grow(out_en, need_at)
        elif need == 3:
            scratch = 2 * need_at
            best, back = np.empty(scratch, dtype=np.float64), np.empty(scratch, dtype=np.int64)
            bid, path = np.empty(scratch, dtype=np.int64), np.empty(scratch, dtype=np.int64)
        else:
            res_id, res_st, res_en = _grow(res_id, need_at), _grow(res_st, need_at), _grow(res_en, need_at)
    if t < len(out_id) * 3 // 4:
        return out_id[:t].copy(), out_st[:t].copy(), out_en[:t].copy()
    return out_id[:t], out_st[:t], out_en[:t]


@njit(cache=True, nogil=True)
def _viterbi_run(
    p, t, used, res_used, cps, bounds, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32,
    best, back, bid, path, out_id, out_st, out_en, memo, entries, keys, res_id, res_st, res_en,
):  # pragma: no cover - compiled  # fmt: skip
    """The word loop of :func:`viterbi` from word ``p``: (p, t, used, res_used, need, need_at) with need
    0 at the end, else 1 (the output), 2 (the memo's results) or 3 (the scratch of one word) and the
    size that array needs."""
    buf = np.empty(4, dtype=np.uint8)
    while p < len(bounds) - 1:
        lo, hi = bounds[p], bounds[p + 1]
        if hi <= lo:
            p += 1
            continue
        if t + 4 * (hi - lo) + 4 > len(out_id):
            return p, t, used, res_used, 1, t + 4 * (hi - lo) + 4
        t0 = t
        remember = False
        h = slot = np.int64(0)
        if hi - lo <= mm.MEMO_CPS:
            h, slot, en = mm.find(memo, entries, keys, cps, lo, hi)
            if en >= 0:
                t = mm.copy_result(entries, res_id, res_st, res_en, en, lo, out_id, out_st, out_en, t)
                p += 1
                continue
            remember = mm.room(memo, used)
            if remember and res_used + 4 * (hi - lo) + 4 > len(res_id):
                return p, t, used, res_used, 2, res_used + 4 * (hi - lo) + 4
        if hi - lo + 1 > len(best):
            return p, t, used, res_used, 3, hi - lo + 1
        t = _segment(
            cps, lo, hi, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32,
            best, back, bid, path, buf, out_id, out_st, out_en, t,
        )  # fmt: skip
        if remember:
            used, res_used = mm.store(
                memo, entries, keys, res_id, res_st, res_en, used, res_used, h, slot, cps, lo, hi,
                out_id, out_st, out_en, t0, t - t0,
            )  # fmt: skip
        p += 1
    return p, t, used, res_used, 0, 0


@njit(cache=True, nogil=True)
def _segment(
    cps, lo, hi, trie, node_ids, scores, unk_id, unk_score, fuse_unk, byte_ids, f32,
    best, back, bid, path, buf, out_id, out_st, out_en, t,
):  # pragma: no cover - compiled  # fmt: skip
    """Viterbi over the word ``cps[lo:hi]``; its tokens go to ``out[t:]`` (room for 4 per code point
    and 4 more); return the new ``t``."""
    unk32 = np.float32(unk_score)
    for k in range(hi - lo + 1):
        back[k] = -1
    best[0] = 0.0
    for s in range(lo, hi):
        here = best[s - lo]
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
            if back[j - lo] == -1 or cand > best[j - lo]:
                best[j - lo] = cand
                back[j - lo] = s
                bid[j - lo] = pid
            if j == s + 1:
                single = True
        if not single:
            if f32:
                cand = np.float64(np.float32(unk32 + np.float32(here)))
            else:
                cand = unk_score + here
            if back[s + 1 - lo] == -1 or cand > best[s + 1 - lo]:
                best[s + 1 - lo] = cand
                back[s + 1 - lo] = s
                bid[s + 1 - lo] = unk_id
    # backtrack
    m = 0
    e = hi
    while e > lo:
        path[m] = e
        m += 1
        e = back[e - lo]
    run_lo = -1  # a run of unknown characters waiting to be written
    run_hi = -1
    for q in range(m, -1, -1):
        if q > 0:
            e = path[q - 1]
            s = back[e - lo]
            pid = bid[e - lo]
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
    return t
