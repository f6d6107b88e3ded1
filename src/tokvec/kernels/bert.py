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
    """
    widest = 1
    for k in range(len(map_off) - 1):
        widest = max(widest, map_off[k + 1] - map_off[k])
    cap = len(cps) * widest + 1
    ncp = np.empty(cap, dtype=np.uint32)
    nsrc = np.empty(cap, dtype=np.int64)
    word_bounds = np.empty(cap + 1, dtype=np.int64)
    seg_words = np.empty(len(seg_bounds), dtype=np.int64)
    word_bounds[0] = 0
    w = 0  # words closed so far
    n = 0  # normalized characters so far
    for s in range(len(seg_bounds) - 1):
        seg_words[s] = w
        for i in range(seg_bounds[s], seg_bounds[s + 1]):
            c = cps[i]
            f = flags[c]
            if clean:
                if f & CONTROL:
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
        if n > word_bounds[w]:
            w += 1
            word_bounds[w] = n
    seg_words[len(seg_bounds) - 1] = w
    return ncp[:n].copy(), nsrc[:n].copy(), word_bounds[: w + 1].copy(), seg_words


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
    return ids[:t].copy(), starts[:t].copy(), ends[:t].copy(), words[:t].copy(), first
