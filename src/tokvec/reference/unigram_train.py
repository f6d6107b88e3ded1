"""Twin of :mod:`tokvec.kernels.unigram_train` by brute force: every segmentation of a word is enumerated.

:func:`viterbi` gives a best segmentation (a tie may pick another one than the kernel);
:func:`expected_counts` is the brute-force expectation that the lattice kernels are checked against;
:func:`prune_losses` writes the kernel's dynamic programme out, with its tie-break, so losses match.
"""

from __future__ import annotations

import math

import numpy as np


def _pieces(pcps, poff) -> dict[tuple[int, ...], int]:
    out: dict[tuple[int, ...], int] = {}
    for p in range(len(poff) - 1):
        out.setdefault(tuple(pcps[poff[p] : poff[p + 1]].tolist()), p)
    return out


def _segmentations(word: tuple[int, ...], pieces, max_len: int, banned: int):
    """Yield every segmentation as a list of piece ids (-1: an unknown character)."""
    if not word:
        yield []
        return
    options = []
    for k in range(1, min(len(word), max_len) + 1):
        p = pieces.get(word[:k], -1)
        if p >= 0 and p != banned:
            options.append((k, p))
    if not any(k == 1 for k, _ in options):
        options.insert(0, (1, -1))
    for k, p in options:
        for rest in _segmentations(word[k:], pieces, max_len, banned):
            yield [p, *rest]


def _score(seg, logp, unk_logp) -> float:
    return sum(logp[p] if p >= 0 else unk_logp for p in seg)


def viterbi(cps, lo, hi, pcps, poff, slots, phash, logp, unk_logp, max_len, banned, out) -> int:
    """The best segmentation of ``cps[lo:hi]`` by enumeration (see the kernel)."""
    segs = list(_segmentations(tuple(cps[lo:hi].tolist()), _pieces(pcps, poff), max_len, banned))
    best = max(segs, key=lambda s: _score(s, logp, unk_logp)) if segs else []
    out[: len(best)] = best
    return len(best)


def expected_counts(wcps, woff, wcount, pcps, poff, slots, phash, logp, unk_logp, max_len):
    """Expected piece counts: every segmentation weighted by its probability (see the kernel)."""
    counts = np.zeros(len(logp), dtype=np.float64)
    loglik = 0.0
    pieces = _pieces(pcps, poff)
    for w in range(len(woff) - 1):
        segs = list(_segmentations(tuple(wcps[woff[w] : woff[w + 1]].tolist()), pieces, max_len, -1))
        loglik += wcount[w] * add_expected(counts, segs, logp, unk_logp, wcount[w])
    return counts, loglik


def add_expected(counts: np.ndarray, segs: list[list[int]], logp, unk_logp: float, count: int) -> float:
    """Add each piece's uses in ``segs`` (all segmentations of one word), weighted by P(seg) x ``count``.

    Returns the word's log-probability, the log-sum over its segmentations (0.0 when there are none).
    """
    scores = [_score(s, logp, unk_logp) for s in segs]
    z = float(np.logaddexp.reduce(scores)) if scores else 0.0
    for s, sc in zip(segs, scores, strict=True):
        for p in s:
            if p >= 0:
                counts[p] += count * math.exp(sc - z)
    return z


def _dp_best(word: tuple[int, ...], pieces, logp, unk_logp, max_len: int, banned: int) -> list[int]:
    """The kernel's Viterbi, written out: edges by start, then length; a tie keeps the edge met first."""
    n = len(word)
    best = [-math.inf] * (n + 1)
    best[0] = 0.0
    back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
    for i in range(n):
        edges = [(k, pieces[word[i : i + k]]) for k in range(1, min(n - i, max_len) + 1)
                 if pieces.get(word[i : i + k], banned) != banned]  # fmt: skip
        if not any(k == 1 for k, _ in edges):
            edges.append((1, -1))
        for k, p in edges:
            v = best[i] + (logp[p] if p >= 0 else unk_logp)
            if v > best[i + k]:
                best[i + k], back[i + k] = v, (i, p)
    seg, j = [], n
    while j > 0:
        j, p = back[j]
        seg.append(p)
    return seg[::-1]


def prune_losses(freq, pcps, poff, slots, phash, logp, unk_logp, max_len, keep):
    """The likelihood lost by removing each piece, given its Viterbi uses ``freq`` (see the kernel)."""
    pieces = _pieces(pcps, poff)
    total = float(np.sum(freq))
    losses = np.empty(len(logp), dtype=np.float64)
    for p in range(len(logp)):
        if keep[p] or freq[p] == 0.0:
            losses[p] = math.inf if keep[p] else -math.inf
            continue
        alt = _dp_best(tuple(pcps[poff[p] : poff[p + 1]].tolist()), pieces, logp, unk_logp, max_len, p)
        logsum_alt = math.log(total + freq[p] * (len(alt) - 1))
        logprob_alt = sum(math.log((freq[q] if q >= 0 else 0.0) + freq[p]) - logsum_alt for q in alt)
        logprob = math.log(freq[p]) - math.log(total)
        losses[p] = (freq[p] / total) * (logprob - logprob_alt)
    return losses


def substring_counts(wcps, woff, wcount, ok, boundary, max_len):
    """Count every substring of every word in a dictionary, in order of first appearance (see the kernel)."""
    found: dict[tuple[int, ...], list[int]] = {}  # substring -> [start, count, occurrences]
    for w in range(len(woff) - 1):
        lo, hi = int(woff[w]), int(woff[w + 1])
        for i in range(lo, hi):
            for j in range(i, min(hi, i + max_len)):
                if not ok[j] or (j > i and wcps[j] == boundary):
                    break
                entry = found.setdefault(tuple(wcps[i : j + 1].tolist()), [i, 0, 0])
                entry[1] += int(wcount[w])
                entry[2] += 1
    column = lambda c: np.array([v[c] for v in found.values()], dtype=np.int64)  # noqa: E731
    return column(0), np.array([len(k) for k in found], dtype=np.int32), column(1), column(2)
