"""Train a Unigram language model tokenizer (Kudo 2018), as SentencePiece does.

1. Seed: every character that the ``character_coverage`` keeps, and the substrings of the words (up to
   ``max_token_length`` characters) with the highest frequency x length, ``seed_size`` of them.
2. EM: forward-backward over each word's lattice gives the expected count of every piece; the new
   log-probability is digamma(count) - digamma(total) (SentencePiece's Bayesian estimate); pieces
   expected less than half a time drop out.
3. Prune: remove the pieces whose removal loses the least likelihood (their uses go to the Viterbi
   split of their own text), about 25% per round, until 1.1 x vocab_size remain; then keep the
   vocab_size best by log-probability. Characters are always kept.

Encoding is Viterbi (:meth:`UnigramResult.encode_word`); :meth:`UnigramResult.sample_word` draws a
segmentation for subword regularization (alpha, nbest, seed).

>>> r = train_unigram(["the cat sat on the mat"] * 20, vocab_size=30, progress=False)
>>> r.encode_word("▁the"), r.encode_word("▁cats")[:1]
(['▁the'], ['▁cat'])
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import ConfigError
from ...kernels import unigram_lattice as kl
from ...kernels import unigram_train as ku
from . import packed, wire
from .config import UnigramConfig, from_options
from .counting import count_for
from .progress import StepProgress
from .word_counts import WordCounts


@dataclass(frozen=True, eq=False)
class UnigramResult(wire.PipelineResult):
    """A trained Unigram model as plain data: ``pieces[id]`` and ``scores[id]`` (log-probabilities).

    ``tokenizer()`` is the pipeline Tokenizer (Unigram model, Metaspace pre-tokenizer and decoder);
    ``encode_word`` is the Viterbi segmentation of one word; ``encode`` and ``save`` use the pipeline.
    """

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    config: UnigramConfig
    pipeline_name = "trained-unigram"

    def vocab(self) -> dict[str, int]:
        """Return ``{piece: id}``."""
        return {p: i for i, p in enumerate(self.pieces)}

    def sample_word(self, word: str, *, alpha: float = 0.1, nbest: int = -1, seed: int = 0) -> list[str]:
        """Draw a segmentation with probability proportional to P(segmentation)^alpha (subword regularization).

        nbest < 0 samples from every segmentation (forward-filtering, backward-sampling); nbest > 0 from
        the nbest best ones (enumerated exactly, for short words). Same seed, same result.
        """
        rng = np.random.default_rng(seed)
        vocab = self.vocab()
        specials = set(self.config.special_tokens)
        n = len(word)
        L = self.config.max_token_length
        edges = [[(j, vocab[word[i:j]]) for j in range(i + 1, min(n, i + L) + 1)
                  if word[i:j] in vocab and word[i:j] not in specials] or [(i + 1, -1)] for i in range(n)]  # fmt: skip
        unk = min(self.scores) - 10.0
        lp = lambda p: alpha * (self.scores[p] if p >= 0 else unk)  # noqa: E731
        if nbest > 0:
            segs = []

            def walk(i: int, acc: list[int], score: float) -> None:
                if len(segs) > 10000:
                    return
                if i == n:
                    segs.append((score, list(acc)))
                    return
                for j, p in edges[i]:
                    acc.append(p)
                    walk(j, acc, score + lp(p))
                    acc.pop()

            walk(0, [], 0.0)
            segs.sort(key=lambda s: -s[0])
            segs = segs[:nbest]
            weights = np.exp(np.array([s for s, _ in segs]) - max(s for s, _ in segs))
            pick = segs[int(rng.choice(len(segs), p=weights / weights.sum()))][1]
        else:
            back = [-math.inf] * (n + 1)  # backward log-sums: all ways to finish from position i
            back[n] = 0.0
            for i in range(n - 1, -1, -1):
                back[i] = float(np.logaddexp.reduce([lp(p) + back[j] for j, p in edges[i]]))
            pick, i = [], 0
            while i < n:
                ws = np.array([lp(p) + back[j] - back[i] for j, p in edges[i]])
                k = int(rng.choice(len(ws), p=np.exp(ws) / np.exp(ws).sum()))
                pick.append(edges[i][k][1])
                i = edges[i][k][0]
        return [self.pieces[p] if p >= 0 else self.config.unk_token for p in pick]

    def to_json(self) -> dict[str, Any]:
        """Return the Hugging Face ``tokenizer.json`` object (model Unigram, Metaspace pre-tokenizer)."""
        from .export_bpe import added_tokens_json, pre_tokenizer_json
        from .normalize import normalizer_json

        c = self.config
        vocab = self.vocab()
        decoder = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
        return {
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": added_tokens_json(c.special_tokens, vocab),
            "normalizer": normalizer_json(c.normalizer),
            "pre_tokenizer": pre_tokenizer_json(c.pre_tokenizer, byte_level=False),
            "post_processor": None,
            "decoder": decoder if c.pre_tokenizer == "metaspace" else None,
            "model": {"type": "Unigram", "unk_id": vocab[c.unk_token],
                      "vocab": [[p, s] for p, s in zip(self.pieces, self.scores, strict=True)], "byte_fallback": False},
        }  # fmt: skip


def train_unigram(corpus: Iterable | pathlib.Path, *, progress: bool = True, **options) -> UnigramResult:
    """Count the words of ``corpus`` (texts as ``str``, files as ``pathlib.Path``) and train a Unigram model.

    Options are the fields of :class:`UnigramConfig`, or ``config=UnigramConfig(...)``.
    """
    config = from_options(UnigramConfig, options)
    return learn_unigram(count_for(config, corpus, progress=progress), config, progress=progress)


def learn_unigram(words: WordCounts, config: UnigramConfig, *, progress: bool = False) -> UnigramResult:
    """Train a Unigram model on counted words."""
    counts = words.counts
    wcps, woff = packed.pack_words(words)
    chars = _kept_characters(wcps, woff, counts, config.character_coverage)
    n_special = len(config.special_tokens)
    if config.vocab_size < len(chars) + n_special:
        raise ConfigError(
            f"vocab_size {config.vocab_size} is smaller than the {len(chars) + n_special} pieces every vocabulary"
            f" needs ({n_special} special tokens and {len(chars)} characters): raise vocab_size, or lower"
            " character_coverage"
        )
    pcps, poff, freqs, n_edges = _seed(wcps, woff, counts, chars, config)
    logp = np.log(freqs.astype(np.float64)) - math.log(int(freqs.sum()))
    lattice = kl.build_lattice(wcps, woff, pcps, poff, config.max_token_length, n_edges)
    target = config.vocab_size - n_special
    desired = max(int(target * 1.1), target)
    with StepProgress(None, label="Unigram EM rounds", enabled=progress) as bar:
        while True:
            for _ in range(config.em_iterations):
                pcps, poff, logp, lattice = _em(pcps, poff, logp, lattice, woff, counts)
            bar.update(1)
            if len(logp) <= desired:
                break
            size = max(desired, int(len(logp) * config.shrinking_factor))
            pcps, poff, logp, lattice = _prune(pcps, poff, logp, lattice, woff, counts, config, size)
    # final: the best ``target`` pieces by log-probability (ties: the smaller piece), characters always kept
    rank = packed.lexical_rank(pcps, poff)
    order = np.lexsort((rank, -logp, np.diff(poff) > 1))[:target]
    order = order[np.lexsort((rank[order], -logp[order]))]
    unk_score = 0.0
    out_pieces = list(config.special_tokens) + packed.spell(*packed.subset(pcps, poff, order))
    out_scores = [unk_score] * n_special + logp[order].tolist()
    return UnigramResult(tuple(out_pieces), tuple(out_scores), config)


def _kept_characters(wcps: np.ndarray, woff: np.ndarray, counts: np.ndarray, coverage: float) -> set[str]:
    """The most frequent characters (ties: the smaller code point) that cover ``coverage`` of all occurrences."""
    weights = np.repeat(counts, np.diff(woff)).astype(np.float64)  # exact: sums stay below 2^53
    freq = np.bincount(wcps, weights=weights).astype(np.int64)
    cps = np.flatnonzero(freq)
    cps = cps[np.lexsort((cps, -freq[cps]))]
    total = int(freq.sum())
    kept, acc = set(), 0
    for cp, f in zip(cps.tolist(), freq[cps].tolist(), strict=True):
        if kept and acc >= coverage * total:
            break
        kept.add(chr(cp))
        acc += f
    return kept


def _seed(wcps, woff, counts, chars: set[str], config: UnigramConfig):
    """Characters, and the substrings with the highest frequency x length (SentencePiece's seed score).

    Returns (pcps, poff, freq int64[P], n_edges): the pieces packed, how often each occurs, and the number of
    edges of the words' lattice.
    """
    allowed = np.zeros(0x110000, dtype=np.bool_)
    allowed[[ord(c) for c in chars]] = True
    ok = allowed[wcps]
    starts, lens, freq, occ = ku.substring_counts(wcps, woff, counts, ok, ord("▁"), config.max_token_length)
    single = lens == 1
    char_ids = np.flatnonzero(single)
    char_ids = char_ids[np.argsort(wcps[starts[char_ids]], kind="stable")]  # characters in code point order
    # subtle: only substrings seen at least twice (SentencePiece's seeds are the repeats of a suffix array); with
    # singletons the seed holds every rare word whole and EM starves the short pieces (9% more tokens per byte)
    multi = np.flatnonzero(~single & (freq >= 2))
    score = freq[multi] * lens[multi]
    best = multi[np.argsort(-score, kind="stable")[: config.seed_size]]
    chosen = np.concatenate((char_ids, best))
    n_edges = int(occ[chosen].sum() + (~ok).sum())  # every occurrence of a piece, and the unknown characters
    return (*packed.gather(wcps, starts[chosen], lens[chosen]), freq[chosen], n_edges)


def _em(pcps, poff, logp, lattice, woff, counts):
    unk = float(logp.min()) - 10.0
    expected, _ = kl.lattice_expected(woff, *lattice, counts, logp, unk)
    is_char = np.diff(poff) == 1
    keep = np.flatnonzero(is_char | (expected >= 0.5))
    kept = expected[keep]
    new_logp = ku.digamma_all(np.maximum(kept, 1e-9)) - ku.digamma(float(kept.sum()))
    # subtle: a character expected less than half a time scores like an unknown character (the lowest score
    # minus 10), as SentencePiece scores the characters it drops from the model and adds back at the end
    rare = kept < 0.5
    if rare.any() and not rare.all():
        new_logp[rare] = new_logp[~rare].min() - 10.0
    return (*packed.subset(pcps, poff, keep), new_logp, _renumber(lattice, keep, len(logp)))


def _prune(pcps, poff, logp, lattice, woff, counts, config, size):
    slots, phash = ku.build_piece_table(pcps, poff)
    keep = np.diff(poff) == 1  # characters (pieces of one character are all kept characters)
    unk = float(logp.min()) - 10.0
    freq = kl.lattice_viterbi_freq(woff, *lattice, counts, logp, unk)
    losses = ku.prune_losses(freq, pcps, poff, slots, phash, logp, unk, config.max_token_length, keep)
    # unused pieces go even below ``size`` (SentencePiece does the same): Viterbi never picks them
    order = np.lexsort((packed.lexical_rank(pcps, poff), -losses))[:size]  # ties: the smaller piece
    order = np.sort(order[losses[order] > -np.inf])
    return (*packed.subset(pcps, poff, order), logp[order], _renumber(lattice, order, len(logp)))


def _renumber(lattice, keep: np.ndarray, n: int):
    """The lattice of the pieces ``keep`` (increasing old ids), which become ids 0, 1, ..."""
    if len(keep) == n:  # nothing removed (later EM steps): the lattice stands
        return lattice
    new_id = np.full(n, -1, dtype=np.int64)
    new_id[keep] = np.arange(len(keep))
    return kl.compact_lattice(*lattice, new_id)
