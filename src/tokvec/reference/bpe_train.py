"""Twin of :mod:`tokvec.kernels.bpe_train`: Hugging Face's BpeTrainer loop with dicts, sets and heapq.

Same signature and results as :func:`tokvec.kernels.bpe_train.train_merges`.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np


def _merge_word(word: list[int], a: int, b: int, new: int, tok_len: list[int], max_length: int):
    """Merge (a, b) left to right in ``word`` (in place); return the (pair, +1/-1) changes."""
    changes = []
    i = 0
    while i < len(word):
        if word[i] == a and i + 1 < len(word) and word[i + 1] == b:
            if i > 0:
                changes.append(((word[i - 1], a), -1))
                if max_length < 0 or tok_len[word[i - 1]] + tok_len[new] <= max_length:
                    changes.append(((word[i - 1], new), 1))
            word[i : i + 2] = [new]
            if i < len(word) - 1:
                changes.append(((b, word[i + 1]), -1))
                if max_length < 0 or tok_len[word[i + 1]] + tok_len[new] <= max_length:
                    changes.append(((new, word[i + 1]), 1))
        i += 1
    return changes


def merged_token(
    contents: list[tuple[int, ...]], ids: dict[tuple[int, ...], int], a: int, b: int, prefix_unit: int
) -> int:
    """Return the id of a merged with b (a's units, then b's without a leading prefix unit); a new one is appended."""
    right = contents[b]
    if prefix_unit >= 0 and right[:1] == (prefix_unit,):
        right = right[1:]
    content = contents[a] + right
    if content not in ids:
        ids[content] = len(contents)
        contents.append(content)
    return ids[content]


def train_merges(
    syms, wstart, wlen, wcount, units, uoff, n_tokens, vocab_size, min_frequency, max_length, prefix_unit, progress
):
    """Learn merges: highest pair count first, then the smallest (left id, right id); see the kernel."""
    words = [syms[wstart[w] : wstart[w] + wlen[w]].tolist() for w in range(len(wlen))]
    counts = wcount.tolist()
    contents = [tuple(units[uoff[t] : uoff[t + 1]].tolist()) for t in range(n_tokens)]
    ids = {}
    for t, c in enumerate(contents):
        ids.setdefault(c, t)
    tok_len = [1] * n_tokens
    pair_counts: dict[tuple[int, int], int] = {}
    where: dict[tuple[int, int], set[int]] = {}
    for w, word in enumerate(words):
        for p in itertools.pairwise(word):
            pair_counts[p] = pair_counts.get(p, 0) + counts[w]
            where.setdefault(p, set()).add(w)
    # heap entries: (-count, pair, tie, words); ``tie`` keeps heapq away from comparing sets
    heap = [(-pair_counts[p], p, k, ws) for k, (p, ws) in enumerate(sorted(where.items())) if pair_counts[p] > 0]
    heapq.heapify(heap)
    tie = len(heap)
    merges = []
    while n_tokens < vocab_size and heap:
        neg, p, _, ws = heapq.heappop(heap)
        if -neg != pair_counts[p]:
            tie += 1
            heapq.heappush(heap, (-pair_counts[p], p, tie, ws))
            continue
        if -neg < 1 or -neg < min_frequency:
            break
        a, b = p
        new = merged_token(contents, ids, a, b, prefix_unit)
        if new == n_tokens:
            tok_len.append(tok_len[a] + tok_len[b])
            n_tokens += 1
        merges.append((a, b, new))
        progress[0] = len(merges)
        gained: dict[tuple[int, int], set[int]] = {}
        for w in ws:
            for q, change in _merge_word(words[w], a, b, new, tok_len, max_length):
                pair_counts[q] = pair_counts.get(q, 0) + change * counts[w]
                if change > 0:
                    gained.setdefault(q, set()).add(w)
        for q, qs in sorted(gained.items()):
            if pair_counts[q] > 0:
                tie += 1
                heapq.heappush(heap, (-pair_counts[q], q, tie, qs))
        for w in ws:
            wlen[w] = len(words[w])
            syms[wstart[w] : wstart[w] + wlen[w]] = words[w]
    arr = lambda k: np.array([m[k] for m in merges], dtype=np.int32)  # noqa: E731
    out_off = np.zeros(n_tokens + 1, dtype=np.int64)
    np.cumsum([len(c) for c in contents], out=out_off[1:])
    out_units = np.array([u for c in contents for u in c], dtype=np.int32)
    return arr(0), arr(1), arr(2), out_units, out_off, n_tokens
