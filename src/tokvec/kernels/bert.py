"""BERT in one pass: BertNormalizer, BertPreTokenizer and WordPiece over a batch of code points.

``cps``: uint32[N] holds every segment (a text, or a part of one between added tokens) back to
back; ``seg_bounds``: int64[S+1]. Per character, in ``tokenizers``' order:

1. ``clean`` removes characters flagged CONTROL and turns CLEAN_SPACE ones into " ";
2. ``chinese`` makes each CHINESE character a word of its own;
3. the character is replaced by its mapping (NFD without nonspacing marks, and/or lower case):
   ``map_idx[c]`` is -1 (unchanged) or k, the mapping being ``map_vals[map_off[k]:map_off[k+1]]``;
4. every mapped character that is WHITESPACE ends the word, PUNCTUATION is a word of its own,
   anything else extends the word.

Each normalized character remembers the original character it came from, which is its whole
alignment (``tokenizers`` aligns every output of a character to it), so token offsets are
positions in ``cps``. Flags are :mod:`tokvec.tokens.normalizers.hf_unicode`'s bits.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .bpe import _grow
from .wordpiece import word_tokens

WHITESPACE = 1
PUNCTUATION = 2
CONTROL = 4
CLEAN_SPACE = 8
CHINESE = 16


@njit(cache=True, nogil=True)
def normalize_split(cps, seg_bounds, flags, map_idx, map_off, map_vals, clean, chinese):  # pragma: no cover
    """Normalize and pre-tokenize (steps 1-4 of the module docstring).

    cps: uint32[N]; seg_bounds: int64[S+1]; flags: uint16[0x110000]; map_idx: int32[0x110000];
    map_off: int64[K+1]; map_vals: uint32[M]; clean, chinese: bool.
    Returns (ncp uint32[L], nsrc int64[L], word_bounds int64[W+1], seg_words int64[S+1]): the
    normalized characters of every word back to back, the position in ``cps`` each comes from,
    the words' bounds in ``ncp``, and each segment's first word.

    Performance notes: the loop is :func:`_normalize_split_run`, which returns when the arrays
    are full (this loop grows them); they start at one entry per character. They used to be sized
    for the widest replacement of every character (18 for bert-base-uncased: 2.8 GB of address
    space for 8 MB of text) and copied to their length at the end; pages never written take no
    memory, so the results are now views, not copies.
    """
    widest = 1
    for k in range(len(map_off) - 1):
        widest = max(widest, map_off[k + 1] - map_off[k])
    cap = len(cps) + widest + 16
    ncp = np.empty(cap, dtype=np.uint32)
    nsrc = np.empty(cap, dtype=np.int64)
    word_bounds = np.empty(cap + 1, dtype=np.int64)
    seg_words = np.empty(len(seg_bounds), dtype=np.int64)
    word_bounds[0] = 0
    s = 0
    i = seg_bounds[0] if len(seg_bounds) else 0
    n = w = 0
    while True:
        s, i, n, w = _normalize_split_run(
            cps, seg_bounds, flags, map_idx, map_off, map_vals, clean, chinese, widest,
            ncp, nsrc, word_bounds, seg_words, s, i, n, w,
        )  # fmt: skip
        if s >= len(seg_bounds) - 1:
            break
        size = 2 * len(ncp) + widest
        ncp, nsrc, word_bounds = _grow(ncp, size), _grow(nsrc, size), _grow(word_bounds, size + 1)
    seg_words[len(seg_bounds) - 1] = w
    return ncp[:n], nsrc[:n], word_bounds[: w + 1], seg_words


@njit(cache=True, nogil=True)
def _normalize_split_run(
    cps, seg_bounds, flags, map_idx, map_off, map_vals, clean, chinese, widest,
    ncp, nsrc, word_bounds, seg_words, s, i, n, w,
):  # pragma: no cover - compiled  # fmt: skip
    """The loop of :func:`normalize_split` from segment ``s`` at character ``i`` (``n`` characters
    and ``w`` words so far): return (s, i, n, w) when done (``s`` = the number of segments) or at
    the first character whose ``widest`` replacement might not fit."""
    while s < len(seg_bounds) - 1:
        if i <= seg_bounds[s]:
            i = seg_bounds[s]
            seg_words[s] = w
        while i < seg_bounds[s + 1]:
            if n + widest + 1 > len(ncp):  # subtle: w <= n (words are never empty), so word_bounds fits too
                return s, i, n, w
            c = cps[i]
            f = flags[c]
            if clean:
                if f & CONTROL:
                    i += 1
                    continue
                if f & CLEAN_SPACE:
                    c = np.uint32(32)
                    f = flags[32]
            lo = -1
            hi = -1
            k = map_idx[c]
            if k >= 0:
                lo, hi = map_off[k], map_off[k + 1]
            if chinese and (f & CHINESE):
                if n > word_bounds[w]:
                    w += 1
                    word_bounds[w] = n
                if k < 0:
                    ncp[n] = c
                    nsrc[n] = i
                    n += 1
                for j in range(lo, hi):
                    ncp[n] = map_vals[j]
                    nsrc[n] = i
                    n += 1
                if n > word_bounds[w]:
                    w += 1
                    word_bounds[w] = n
                i += 1
                continue
            m = 1 if k < 0 else hi - lo
            for j in range(m):
                o = c if k < 0 else map_vals[lo + j]
                g = flags[o]
                if g & WHITESPACE:
                    if n > word_bounds[w]:
                        w += 1
                        word_bounds[w] = n
                elif g & PUNCTUATION:
                    if n > word_bounds[w]:
                        w += 1
                        word_bounds[w] = n
                    ncp[n] = o
                    nsrc[n] = i
                    n += 1
                    w += 1
                    word_bounds[w] = n
                else:
                    ncp[n] = o
                    nsrc[n] = i
                    n += 1
            i += 1
        if n > word_bounds[w]:
            w += 1
            word_bounds[w] = n
        s += 1
    return s, i, n, w


@njit(cache=True, nogil=True)
def wordpiece_words(edges, node_id, cont_root, unk_id, max_chars, ncp, nsrc, word_bounds):  # pragma: no cover
    """WordPiece every word of :func:`normalize_split`'s output.

    Returns (ids int32[T], starts int64[T], ends int64[T], words int64[T], word_tokens int64[W+1]):
    offsets are positions in the original ``cps`` (``nsrc`` of the first and last character),
    ``words[t]`` the word of token t, ``word_tokens[w]`` the first token of word w.
    """
    n = len(ncp)
    ids = np.empty(n, dtype=np.int32)
    starts = np.empty(n, dtype=np.int64)
    ends = np.empty(n, dtype=np.int64)
    words = np.empty(n, dtype=np.int64)
    first = np.empty(len(word_bounds), dtype=np.int64)
    t = 0
    for w in range(len(word_bounds) - 1):
        first[w] = t
        lo, hi = word_bounds[w], word_bounds[w + 1]
        r = -1 - t
        if hi - lo <= max_chars:
            r = word_tokens(edges, node_id, cont_root, ncp, lo, hi, ids, starts, ends, t)
        if r < 0:
            t = -1 - r
            ids[t] = unk_id
            starts[t] = lo
            ends[t] = hi
            t += 1
        else:
            t = r
        for u in range(first[w], t):
            words[u] = w
            starts[u] = nsrc[starts[u]]
            ends[u] = nsrc[ends[u] - 1] + 1
    first[len(word_bounds) - 1] = t
    return ids[:t], starts[:t], ends[:t], words[:t], first  # views: the unwritten tails take no memory
