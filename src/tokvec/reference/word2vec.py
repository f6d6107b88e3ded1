"""Twin of :mod:`tokvec.kernels.word2vec`: the same training step written plainly.

It walks the same random stream (Python integers, exact), so it keeps the same words, draws the
same windows and negatives and trains the same examples as the kernel. The float32 arithmetic is
the same up to rounding: the kernel is compiled with ``fastmath`` (its dot products sum in SIMD
lanes in an order the compiler picks, and multiply-adds may be fused), so weights agree to float32
rounding, not bit for bit (the kernel's performance notes say why). The kernel draws each position's
window and negatives one position early (to prefetch their rows); no draw depends on the weights, so
drawing them here just before each example walks the stream in the same order.
"""

from __future__ import annotations

import numpy as np

MAX_EXP = 6.0
_MASK48 = (1 << 48) - 1
_MASK32 = 0xFFFFFFFF


def lcg(rng: int) -> int:
    """Advance word2vec's 48-bit linear congruential generator."""
    return (rng * 25214903917 + 11) & _MASK48


def random32(rng: int) -> int:
    """The 32 random bits a draw reads from a state: bits 16..47."""
    return (rng >> 16) & 0xFFFFFFFF


def dot(a: np.ndarray, b: np.ndarray) -> np.float32:
    """Return ``a . b`` (float32[D]) in float32 (the kernel's order of additions is the compiler's)."""
    return np.float32(np.dot(a, b))


def draw_negative(threshold: np.ndarray, alias: np.ndarray, rng: int) -> int:
    """Draw from the alias table: bucket ``(r * V) >> 32``, kept when the low 32 bits are under its threshold."""
    x = random32(rng) * len(threshold)
    i = x >> 32
    return i if (x & _MASK32) < int(threshold[i]) else int(alias[i])


def alias_table(mass: np.ndarray, capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (threshold int64[V], alias int32[V]) by Vose's method; ``mass`` sums to ``V * capacity``."""
    left = [int(m) for m in mass]
    threshold = [int(capacity)] * len(left)
    alias = list(range(len(left)))
    small = [i for i, m in enumerate(left) if m < capacity]
    large = [i for i, m in enumerate(left) if m >= capacity]
    while small and large:
        s, big = small.pop(), large[-1]
        threshold[s], alias[s] = left[s], big
        left[big] -= capacity - left[s]
        if left[big] < capacity:
            small.append(large.pop())
    return np.array(threshold, dtype=np.int64), np.array(alias, dtype=np.int32)


def negative_step(
    inp: np.ndarray,
    syn1neg: np.ndarray,
    word: int,
    threshold: np.ndarray,
    alias: np.ndarray,
    sigmoid_table: np.ndarray,
    loss_table: np.ndarray,
    negative: int,
    alpha: np.float32,
    rng: int,
) -> tuple[np.ndarray, int, float]:
    """Train ``inp`` (float32[D]) to predict ``word``; return (gradient for the input, rng, loss)."""
    work = np.zeros(len(inp), dtype=np.float32)
    scale = len(sigmoid_table) / MAX_EXP / 2.0
    loss = 0.0
    targets: list[tuple[int, int]] = [(word, 1)]
    for _ in range(negative):
        rng = lcg(rng)
        target = draw_negative(threshold, alias, rng)
        if target != word:
            targets.append((target, 0))
    for target, label in targets:
        f = dot(inp, syn1neg[target])
        if f >= MAX_EXP:
            g = np.float32(label - 1) * alpha
            loss += float(loss_table[label, -1])
        elif f <= -MAX_EXP:
            g = np.float32(label) * alpha
            loss += float(loss_table[label, 0])
        else:
            idx = int((float(f) + MAX_EXP) * scale)
            g = (np.float32(label) - sigmoid_table[idx]) * alpha
            loss += float(loss_table[label, idx])
        work += g * syn1neg[target]
        syn1neg[target] += g * inp
    return work, rng, loss


def train_sentences(
    syn0: np.ndarray,
    syn1neg: np.ndarray,
    corpus: np.ndarray,
    bounds: np.ndarray,
    first: int,
    last: int,
    keep: np.ndarray,
    threshold: np.ndarray,
    alias: np.ndarray,
    sigmoid_table: np.ndarray,
    loss_table: np.ndarray,
    skipgram: bool,
    window: int,
    negative: int,
    shrink_windows: bool,
    alpha_start: float,
    alpha_end: float,
    words_before: int,
    words_total: int,
    rng: int,
) -> tuple[int, int, float, int]:
    """Train on sentences ``first..last-1`` in place; return ``(rng, kept_words, loss, examples)``."""
    rng = int(rng)
    done = kept_words = examples = 0
    loss = 0.0
    for s in range(first, last):
        lo, hi = int(bounds[s]), int(bounds[s + 1])
        progress = (words_before + done) / words_total
        alpha = np.float32(max(alpha_start - (alpha_start - alpha_end) * progress, alpha_end))
        done += hi - lo
        sent = []
        for w in corpus[lo:hi]:  # subsampling: one draw per word
            rng = lcg(rng)
            if keep[w] >= random32(rng):
                sent.append(int(w))
        kept_words += len(sent)
        for i, word in enumerate(sent):
            b = 0
            if shrink_windows:
                rng = lcg(rng)
                b = (random32(rng) * window) >> 32
            context = [j for j in range(max(0, i - window + b), min(len(sent), i + window + 1 - b)) if j != i]
            if skipgram:
                for j in context:  # each context word's vector predicts the centre word
                    work, rng, part = negative_step(
                        syn0[sent[j]], syn1neg, word, threshold, alias, sigmoid_table, loss_table, negative, alpha, rng
                    )
                    syn0[sent[j]] += work
                    loss += part
                    examples += 1
            elif context:  # CBOW: the mean of the context vectors predicts the centre word
                neu1 = np.zeros(syn0.shape[1], dtype=np.float32)
                for j in context:
                    neu1 += syn0[sent[j]]
                neu1 *= np.float32(1.0) / np.float32(len(context))
                work, rng, part = negative_step(
                    neu1, syn1neg, word, threshold, alias, sigmoid_table, loss_table, negative, alpha, rng
                )
                for j in context:
                    syn0[sent[j]] += work
                loss += part
                examples += 1
    return rng, kept_words, loss, examples
