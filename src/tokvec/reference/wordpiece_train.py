"""Twin of :mod:`tokvec.kernels.wordpiece_train`: every step scores every pair and takes the best.

Same signature and results as :func:`tokvec.kernels.wordpiece_train.train_wordpiece_merges`.
"""

from __future__ import annotations

import itertools

import numpy as np

from .bpe_train import merged_token


def train_wordpiece_merges(
    syms, wstart, wlen, wcount, units, uoff, n_tokens, vocab_size, min_frequency, prefix_unit, progress
):
    """Merge the pair with the highest freq(ab) / (freq(a) freq(b)); ties: higher freq(ab), smaller pair."""
    words = [syms[wstart[w] : wstart[w] + wlen[w]].tolist() for w in range(len(wlen))]
    counts = wcount.tolist()
    contents = [tuple(units[uoff[t] : uoff[t + 1]].tolist()) for t in range(n_tokens)]
    ids: dict[tuple[int, ...], int] = {}
    for t, c in enumerate(contents):
        ids.setdefault(c, t)
    merges = []
    while n_tokens < vocab_size:
        freq: dict[int, int] = {}
        pairs: dict[tuple[int, int], int] = {}
        for word, c in zip(words, counts, strict=True):
            for t in word:
                freq[t] = freq.get(t, 0) + c
            for p in itertools.pairwise(word):
                pairs[p] = pairs.get(p, 0) + c
        live = [(p, c) for p, c in pairs.items() if c >= max(min_frequency, 1)]
        if not live:
            break
        # float division exactly as the kernel computes it: count / (freq(a) * freq(b))
        (a, b), _ = max(live, key=lambda pc: (pc[1] / (float(freq[pc[0][0]]) * float(freq[pc[0][1]])), pc[1],
                                             -pc[0][0], -pc[0][1]))  # fmt: skip
        new = merged_token(contents, ids, a, b, prefix_unit)
        if new == n_tokens:
            n_tokens += 1
        merges.append((a, b, new))
        progress[0] = len(merges)
        for word in words:
            i = 0
            while i < len(word) - 1:
                if word[i] == a and word[i + 1] == b:
                    word[i : i + 2] = [new]
                i += 1
    for w, word in enumerate(words):
        wlen[w] = len(word)
        syms[wstart[w] : wstart[w] + len(word)] = word
    arr = lambda k: np.array([m[k] for m in merges], dtype=np.int32)  # noqa: E731
    out_off = np.zeros(n_tokens + 1, dtype=np.int64)
    np.cumsum([len(c) for c in contents], out=out_off[1:])
    out_units = np.array([u for c in contents for u in c], dtype=np.int32)
    return arr(0), arr(1), arr(2), out_units, out_off, n_tokens
