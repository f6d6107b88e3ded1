"""Train GloVe (Pennington et al., 2014) as the Stanford reference does, and return :class:`KeyedVectors`.

The four programs of the reference become one function: the vocabulary (``vocab_count``: min_count,
max_vocab), the 1/distance-weighted symmetric co-occurrence counts (``cooccur``, in bounded memory: see
:mod:`tokvec.vectors.cooccur`), one shuffle of the records (``shuffle``, seeded) and AdaGrad on the
weighted least-squares objective (``glove``: x_max, alpha, eta, gradient clip, the same initialisation
``(U(0, 1) - 0.5) / D`` and squared gradients starting at 1). Each iteration runs the shuffled records
in blocks, on ``threads`` threads sharing the weights without locks (Hogwild, as the reference's
pthreads). With ``threads=1`` and a seed the result is bit-identical across runs; with more the
order of updates varies. The output is W + W~ (the reference's ``-model 2``), or W alone with
``output_vectors="word"``. Unlike the reference no ``<unk>`` row is appended, and a text8-style single
line is read as 10,000-word sentences (windows stop at their ends: on 3 M words of eltec8, 8,493,979
co-occurring pairs against the reference's 8,496,920).

Defaults are the reference's (vector 50, window 15, 25 iterations, x_max 100, alpha 0.75, eta 0.05),
with min_count 5 as in its demo.

>>> sentences = [["the", "cat", "sat"], ["the", "dog", "sat"]] * 50
>>> kv = train_glove(sentences, GloveConfig(vector_size=8, min_count=1, epochs=2))
>>> kv.keys, kv.vectors.shape
(['the', 'sat', 'cat', 'dog'], (4, 8))
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .._progress import Progress
from ..errors import ConfigError as ConfigError  # defined in errors.py; the old name stays
from ..errors import TokvecError
from ..kernels import glove as kernel
from .config import GloveConfig as GloveConfig  # defined in config.py; the old name stays
from .cooccur import count_cooccurrences
from .corpus import read_corpus
from .keyed import KeyedVectors

BLOCK_RECORDS = 1 << 20


def train_glove(
    corpus: Any,
    config: GloveConfig | None = None,
    *,
    tokenizer: Any = None,
    tmpdir: str | None = None,
    progress: bool = False,
) -> KeyedVectors:
    """Train GloVe vectors on ``corpus`` and return them with their counts and config.

    ``corpus``: an iterable of token lists, a path (or list of paths) of text files (one sentence per
    line; text8-style single lines are cut into 10,000-word sentences; .gz is fine), or texts or files
    of raw text when ``tokenizer`` is given. ``tmpdir``: where counting spills its runs when they pass
    the memory budget. ``progress``: progress bars on stderr (counting, then training with the cost).
    """
    config = config or GloveConfig()
    data = read_corpus(corpus, min_count=config.min_count, max_vocab=config.max_vocab, tokenizer=tokenizer)
    if not data.keys:
        raise TokvecError(
            f"train_glove: no word occurs at least min_count={config.min_count} times in the corpus "
            f"({data.raw_words:,} words read); lower min_count or give more text"
        )
    keys, counts, n_vocab = data.keys, data.counts, len(data.keys)
    co = count_cooccurrences(
        data, window=config.window, symmetric=config.symmetric, x_max=config.x_max, alpha=config.alpha,
        memory_mb=config.memory_mb, tmpdir=tmpdir, progress=progress,
    )  # fmt: skip
    del data
    w1, w2, logx = co.rows, co.cols, co.logx
    del co
    kernel.shuffle_records(w1, w2, logx, np.uint64(config.seed % (1 << 64)))
    rng = np.random.default_rng(config.seed)
    W = rng.random((2 * n_vocab, config.vector_size + 1), dtype=np.float32)
    W -= np.float32(0.5)
    W /= np.float32(config.vector_size)
    gradsq = np.ones_like(W)
    _train(W, gradsq, w1, w2, logx, n_vocab, config, progress=progress)
    dims = config.vector_size
    vectors = W[:n_vocab, :dims].copy()
    if config.output_vectors == "sum":
        vectors += W[n_vocab:, :dims]
    return KeyedVectors(keys, vectors, counts, config=config, copy=False)


def _train(
    W: np.ndarray,
    gradsq: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    logx: np.ndarray,
    n_vocab: int,
    config: GloveConfig,
    *,
    progress: bool,
) -> None:
    n = len(w1)
    starts = list(range(0, n, BLOCK_RECORDS)) or [0]

    def run(start: int) -> tuple[int, float]:
        stop = min(start + BLOCK_RECORDS, n)
        cost = kernel.train_records(W, gradsq, w1, w2, logx, start, stop, n_vocab, config.eta, config.grad_clip,
                                    config.x_max, config.alpha)  # fmt: skip
        return stop - start, float(cost)

    with GloveProgress(max(n * config.epochs, 1), epochs=config.epochs, enabled=progress) as bar:
        pool = ThreadPoolExecutor(config.threads) if config.threads > 1 else None
        try:
            for epoch in range(config.epochs):
                bar.epoch = epoch + 1
                done, cost = 0, 0.0
                for records_done, block_cost in pool.map(run, starts) if pool else map(run, starts):
                    done += records_done
                    cost += block_cost
                    bar.cost = cost / max(done, 1)
                    bar.set(epoch * n + done)
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)


class GloveProgress(Progress):
    """The progress bar of GloVe training: iteration, records done and the mean cost of this iteration."""

    def __init__(self, total: int, *, epochs: int, enabled: bool) -> None:
        super().__init__(total, label="glove", enabled=enabled)
        self.epochs = epochs
        self.epoch = 0
        self.cost = float("nan")

    def line(self, now: float, *, final: bool) -> str:
        """Return the status line (records instead of bytes)."""
        elapsed = max(now - self._start, 1e-9)
        frac = min(self.done / self.total, 1.0) if self.total else 1.0
        parts = [f"{self.label} iter {self.epoch}/{self.epochs}", f"{frac:4.0%}"]
        if not final:
            parts.append(f"|{'█' * int(frac * 24):<24}|")
        parts.append(f"{self.done / 1e6:.1f}/{(self.total or 0) / 1e6:.1f} M records")
        parts.append(f"cost {self.cost:.4f}")
        rate = self.done / elapsed
        parts.append(f"in {elapsed:.1f} s" if final else f"ETA {int((self.total - self.done) / rate) if rate else 0} s")
        return " ".join(parts)
