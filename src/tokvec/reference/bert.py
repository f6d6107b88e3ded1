"""Twin of :mod:`tokvec.kernels.bert`, written plainly: characters in, words and tokens out."""

from __future__ import annotations

import numpy as np

from . import wordpiece as rw

WHITESPACE, PUNCTUATION, CONTROL, CLEAN_SPACE, CHINESE = 1, 2, 4, 8, 16


def normalize_split(cps, seg_bounds, flags, map_idx, map_off, map_vals, clean, chinese):
    """Same as the kernel: (ncp uint32[L], nsrc int64[L], word_bounds int64[W+1], seg_words int64[S+1])."""
    words: list[list[tuple[int, int]]] = []  # each word: (normalized code point, source position)
    seg_words = []
    for s in range(len(seg_bounds) - 1):
        seg_words.append(len(words))
        current: list[tuple[int, int]] = []

        def close() -> None:
            nonlocal current
            if current:
                words.append(current)
            current = []

        for i in range(int(seg_bounds[s]), int(seg_bounds[s + 1])):
            c = int(cps[i])
            if clean and flags[c] & CONTROL:
                continue
            if clean and flags[c] & CLEAN_SPACE:
                c = 32
            k = int(map_idx[c])
            mapped = [c] if k < 0 else [int(x) for x in map_vals[map_off[k] : map_off[k + 1]]]
            if chinese and flags[c] & CHINESE:
                close()
                current = [(o, i) for o in mapped]
                close()
                continue
            for o in mapped:
                if flags[o] & WHITESPACE:
                    close()
                elif flags[o] & PUNCTUATION:
                    close()
                    current = [(o, i)]
                    close()
                else:
                    current.append((o, i))
        close()
    seg_words.append(len(words))
    flat = [x for w in words for x in w]
    bounds = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=bounds[1:])
    return (
        np.array([o for o, _ in flat], dtype=np.uint32),
        np.array([i for _, i in flat], dtype=np.int64),
        bounds,
        np.array(seg_words, dtype=np.int64),
    )


def wordpiece_words(edges, node_id, cont_root, unk_id, max_chars, ncp, nsrc, word_bounds):
    """Same as the kernel: (ids, starts, ends, words, word_tokens) with offsets in the original positions."""
    ids, starts, ends = rw.encode_words(edges, node_id, cont_root, unk_id, max_chars, ncp, word_bounds)
    words = np.searchsorted(word_bounds, starts, side="right") - 1
    first = np.searchsorted(words, np.arange(len(word_bounds)), side="left").astype(np.int64)
    if len(ids):
        starts, ends = nsrc[starts], nsrc[ends - 1] + 1
    return ids, starts.astype(np.int64), ends.astype(np.int64), words.astype(np.int64), first
