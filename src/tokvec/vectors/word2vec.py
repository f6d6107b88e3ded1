"""Train word2vec (skip-gram or CBOW with negative sampling) and return :class:`KeyedVectors`.

The corpus is read once into word indices (:mod:`tokvec.vectors.corpus`): an array when small, else an unnamed
temporary file that each epoch reads back chunk by chunk. Each epoch cuts it into chunks of about 50,000
words (whole sentences) that the numba kernel trains on, one chunk per call,
on ``threads`` threads sharing the weights without locks (Hogwild). Each chunk's random stream is
seeded from (seed, epoch, chunk) and its learning rate from its position in the whole run, so with
``threads=1`` the result is bit-identical across runs; with more threads the order in which chunks
update shared rows varies, so results vary slightly (as in word2vec and gensim).

Defaults follow gensim's ``Word2Vec``: CBOW, 100 dimensions, window 5, 5 negatives, alpha 0.025
for both architectures (the original C tool uses 0.05 for CBOW), min_alpha 0.0001, sample 0.001,
min_count 5, 5 epochs.

Memory notes (eltec8, resident MB): importing this module 101-104 (numpy 25, numba 70); numba's first
kernel call (even from its cache) builds its target context, +62. Reading the corpus peaked at +65 and
left +29 (23 of them the uint16 corpus), the weights take 27: working memory 65 MiB against gensim's 40,
which re-reads its file each epoch. Now the corpus is spilled (``read_corpus(..., spill=True)``): the
indices go to a temporary file (page cache, not resident) as they are read, and each chunk of an epoch is
read back (``os.preadv``, ~100 KB) just before its kernel call, with its bounds shifted to start at 0 (the
kernel walks the same words and random stream: bit-identical to the in-memory path, tested). Reading now
peaks at +23 and leaves +6 (the vocabulary, after ``malloc_trim``), so all 11.7 M words, 1 epoch, 2 threads:
working memory 35 MiB (CBOW 34.9, skip-gram 35.3) against gensim's 40-41.

>>> sentences = [["the", "cat", "sat"], ["the", "dog", "sat"]] * 50
>>> kv = train_word2vec(sentences, Word2VecConfig(vector_size=8, min_count=1, epochs=2))
>>> kv.keys, kv.vectors.shape, kv.counts.tolist()
(['the', 'sat', 'cat', 'dog'], (4, 8), [100, 100, 50, 50])
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._progress import Progress
from ..errors import ConfigError as ConfigError  # defined in errors.py; the old name stays
from ..errors import TokvecError
from ..kernels import word2vec as kernel
from .config import Word2VecConfig as Word2VecConfig  # defined in config.py; the old name stays
from .corpus import Corpus, WordFile, read_corpus, read_words
from .keyed import KeyedVectors

CHUNK_WORDS = 50_000


def train_word2vec(
    sentences: Any,
    config: Word2VecConfig | None = None,
    *,
    initial: KeyedVectors | None = None,
    tokenizer: Any = None,
    progress: bool = False,
) -> KeyedVectors:
    """Train word vectors on ``sentences`` and return them with their counts, output weights and config.

    ``sentences``: an iterable of token lists, a path (or list of paths) of text files (one sentence
    per line; text8-style single lines are cut into 10,000-word sentences; .gz is fine), or texts
    or files of raw text when ``tokenizer`` (a tokvec tokenizer) is given. ``initial``: vectors from
    an earlier training to continue from, with their vocabulary fixed (words not in it are skipped).
    ``progress``: show a progress bar on stderr with words per second and the loss.
    """
    config = config or Word2VecConfig()
    if initial is not None:
        corpus = read_corpus(sentences, vocabulary=initial.keys, tokenizer=tokenizer, spill=True)
    else:
        corpus = read_corpus(
            sentences, min_count=config.min_count, max_vocab=config.max_vocab, tokenizer=tokenizer, spill=True
        )
    try:
        if not corpus.keys:
            raise TokvecError(
                f"train_word2vec: no word occurs at least min_count={config.min_count} times in the corpus "
                f"({corpus.raw_words:,} words read); lower min_count or give more text"
            )
        counts = corpus.counts
        if initial is not None and initial.counts.sum() > 0:
            counts = np.asarray(initial.counts)
        syn0, syn1neg = _initial_weights(len(corpus.keys), config, initial)
        _train(syn0, syn1neg, corpus, counts, config, progress=progress)
    finally:
        corpus.close()  # a spilled corpus: its temporary file goes now (also on Ctrl-C)
    out_counts = np.asarray(initial.counts) if initial is not None else corpus.counts
    keys = corpus.keys
    del corpus  # free the corpus array before the vectors are wrapped
    return KeyedVectors(keys, syn0, out_counts, output_vectors=syn1neg, config=config, copy=False)


def _initial_weights(n: int, config: Word2VecConfig, initial: KeyedVectors | None) -> tuple[np.ndarray, np.ndarray]:
    if initial is not None:
        if initial.vector_size != config.vector_size:
            raise ConfigError(
                f"initial vectors have {initial.vector_size} dimensions but vector_size={config.vector_size}; "
                "continue with the same vector_size"
            )
        syn0 = np.array(initial.vectors, dtype=np.float32, copy=True)
        out = initial.output_vectors
        syn1neg = np.zeros_like(syn0) if out is None else np.array(out, dtype=np.float32, copy=True)
        return syn0, syn1neg
    rng = np.random.default_rng(config.seed)
    syn0 = rng.random((n, config.vector_size), dtype=np.float32)
    syn0 -= np.float32(0.5)
    syn0 /= np.float32(config.vector_size)
    return syn0, np.zeros_like(syn0)


def keep_thresholds(counts: np.ndarray, sample: float) -> np.ndarray:
    """Return int64[V]: a word is kept when this is >= a uniform 32-bit draw (word2vec's formula).

    >>> (keep_thresholds(np.array([1000, 1]), 1e-3) / 2**32).round(4).tolist()
    [0.0326, 1.0]
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample <= 0:
        return np.full(len(counts), 1 << 32, dtype=np.int64)
    threshold = sample * counts.sum() if sample < 1.0 else sample
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = (np.sqrt(counts / threshold) + 1.0) * (threshold / counts)
    prob = np.where(counts > 0, np.minimum(prob, 1.0), 1.0)
    return np.round(prob * (1 << 32)).astype(np.int64)


def negative_table(counts: np.ndarray, exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the alias table (threshold int64[V], alias int32[V]) of ``count**exponent`` weights.

    Each of the V buckets holds 2**32 units of probability mass; the weights are scaled to
    ``V * 2**32`` units in all (rounded down; the most frequent word takes up the rounding).

    >>> threshold, alias = negative_table(np.array([3, 1]), 1.0)
    >>> (threshold / 2**32).tolist(), alias.tolist()
    ([1.0, 0.5], [0, 0])
    """
    weights = np.asarray(counts, dtype=np.float64) ** exponent
    weights[np.asarray(counts) <= 0] = 0.0
    total = weights.sum()
    if total <= 0:
        weights[:] = 1.0
        total = float(len(weights))
    n = len(weights)
    units = n * (1 << 32)
    mass = np.floor(weights / total * float(units)).astype(np.int64)
    # subtle: the units must add up exactly (the alias table needs it); float64 rounding leaves them a little off
    mass[int(np.argmax(mass))] += units - int(mass.sum())
    return kernel.alias_table(mass, np.int64(1 << 32))


def sigmoid_tables() -> tuple[np.ndarray, np.ndarray]:
    """Return word2vec's sigmoid table (float32[1000] over [-6, 6]) and -log sigmoid per label (float32[2, 1000])."""
    x = (np.arange(kernel.TABLE_SIZE) / kernel.TABLE_SIZE * 2 - 1) * kernel.MAX_EXP
    sig = 1.0 / (1.0 + np.exp(-x))
    loss = np.stack([-np.log(1.0 - sig), -np.log(sig)])
    return sig.astype(np.float32), loss.astype(np.float32)


def chunk_starts(bounds: np.ndarray, chunk_words: int = CHUNK_WORDS) -> np.ndarray:
    """Return the sentence indices that start chunks of about ``chunk_words`` words (and the end).

    >>> chunk_starts(np.array([0, 3, 6, 9, 12]), 5).tolist()
    [0, 2, 4]
    """
    n_sent = len(bounds) - 1
    marks = np.arange(0, int(bounds[-1]), chunk_words)
    starts = np.unique(np.searchsorted(bounds[:-1], marks, side="left"))
    return np.concatenate([starts[starts < n_sent], [n_sent]]).astype(np.int64)


def chunk_seed(seed: int, epoch: int, chunk: int) -> int:
    """Return a 48-bit generator state for one chunk (splitmix64 of seed, epoch and chunk)."""
    z = (seed * 0x9E3779B97F4A7C15 + epoch * 0xBF58476D1CE4E5B9 + chunk * 0x94D049BB133111EB + 1) % (1 << 64)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % (1 << 64)
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % (1 << 64)
    return (z ^ (z >> 31)) & ((1 << 48) - 1)


@dataclass
class _Tally:
    words: int = 0
    loss: float = 0.0
    examples: int = 0


def _train(
    syn0: np.ndarray,
    syn1neg: np.ndarray,
    corpus: Corpus,
    counts: np.ndarray,
    config: Word2VecConfig,
    *,
    progress: bool,
) -> None:
    keep = keep_thresholds(counts, config.sample)
    threshold, alias = negative_table(counts, config.ns_exponent)
    sig, loss_table = sigmoid_tables()
    bounds = corpus.bounds
    starts = chunk_starts(bounds)
    n_words = int(bounds[-1])
    total = max(n_words * config.epochs, 1)
    skipgram = config.architecture == "skipgram"

    spilled = isinstance(corpus.words, WordFile)

    def run(epoch: int, c: int) -> tuple[int, float, int]:
        first, last = int(starts[c]), int(starts[c + 1])
        words, local, lo, hi = corpus.words, bounds, first, last
        if spilled:  # this chunk's words alone, with its bounds from 0: the kernel walks the same words
            words = read_words(corpus.words, int(bounds[first]), int(bounds[last]))
            local, lo, hi = bounds[first : last + 1] - bounds[first], 0, last - first
        _rng, _kept, loss, examples = kernel.train_sentences(
            syn0, syn1neg, words, local, lo, hi, keep, threshold, alias, sig, loss_table,
            skipgram, config.window, config.negative, config.shrink_windows,
            config.alpha, config.min_alpha, epoch * n_words + int(bounds[first]), total,
            chunk_seed(config.seed, epoch, c),
        )  # fmt: skip
        return int(bounds[last] - bounds[first]), float(loss), int(examples)

    tally = _Tally()
    with TrainingProgress(total, config=config, enabled=progress) as bar:
        pool = ThreadPoolExecutor(config.threads) if config.threads > 1 else None
        try:
            for epoch in range(config.epochs):
                bar.epoch = epoch + 1
                jobs = range(len(starts) - 1)
                epochs = [epoch] * len(jobs)
                results = pool.map(run, epochs, jobs) if pool else map(run, epochs, jobs)
                for words, loss, examples in results:
                    tally.words += words
                    tally.loss += loss
                    tally.examples += examples
                    bar.loss = tally.loss / max(tally.examples, 1)
                    bar.set(tally.words)
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)


class TrainingProgress(Progress):
    """The progress bar of training: epoch, words done, words per second and the mean loss."""

    def __init__(self, total: int, *, config: Word2VecConfig, enabled: bool) -> None:
        super().__init__(total, label="word2vec", enabled=enabled)
        self.epochs = config.epochs
        self.epoch = 0
        self.loss = float("nan")

    def line(self, now: float, *, final: bool) -> str:
        """Return the status line (words instead of bytes)."""
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        frac = min(self.done / self.total, 1.0) if self.total else 1.0
        parts = [f"{self.label} epoch {self.epoch}/{self.epochs}", f"{frac:4.0%}"]
        if not final:
            parts.append(f"|{'█' * int(frac * 24):<24}|")
        parts.append(f"{self.done / 1e6:.2f}/{(self.total or 0) / 1e6:.2f} M words")
        parts.append(f"{rate / 1e3:,.0f}k words/s")
        parts.append(f"loss {self.loss:.3f}")
        parts.append(
            f"in {elapsed:.1f} s" if final else (f"ETA {int((self.total - self.done) / rate) if rate else 0} s")
        )
        return " ".join(parts)
