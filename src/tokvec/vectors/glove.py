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

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .._progress import Progress
from ..errors import TokvecError
from ..kernels import glove as kernel
from .cooccur import count_cooccurrences
from .corpus import read_corpus
from .keyed import KeyedVectors
from .word2vec import ConfigError

BLOCK_RECORDS = 1 << 20
_OUTPUTS = ("sum", "word")


@dataclass(frozen=True, kw_only=True)
class GloveConfig:
    """Options of :func:`train_glove` (the reference's flags in brackets).

    vector_size; window [-window-size]; symmetric (left and right context); min_count; max_vocab;
    x_max and alpha (of the weighting ``f(x) = min(1, (x / x_max) ** alpha)``); eta (the initial
    learning rate); grad_clip; epochs [-iter]; threads; seed; memory_mb (the counting budget
    [-memory], in MiB); output_vectors: "sum" (W + W~, [-model 2]) or "word" (W, [-model 1]).
    """

    vector_size: int = 50
    window: int = 15
    symmetric: bool = True
    min_count: int = 5
    max_vocab: int | None = None
    x_max: float = 100.0
    alpha: float = 0.75
    eta: float = 0.05
    grad_clip: float = 100.0
    epochs: int = 25
    threads: int = 1
    seed: int = 1
    memory_mb: float = 64.0
    output_vectors: str = "sum"

    def __post_init__(self) -> None:
        for name in ("vector_size", "window", "min_count", "epochs", "threads"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be an integer >= 1, got {value!r}")
        if self.max_vocab is not None and (not isinstance(self.max_vocab, int) or self.max_vocab < 1):
            raise ConfigError(f"max_vocab must be None or an integer >= 1, got {self.max_vocab!r}")
        for name in ("x_max", "alpha", "eta", "grad_clip"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise ConfigError(f"{name} must be a finite number > 0, got {value!r}")
        if not (isinstance(self.memory_mb, int | float) and self.memory_mb >= 1):
            raise ConfigError(f"memory_mb must be at least 1 (MiB), got {self.memory_mb!r}")
        if self.output_vectors not in _OUTPUTS:
            raise ConfigError(f"output_vectors must be 'sum' (W + W~) or 'word' (W only), got {self.output_vectors!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ConfigError(f"seed must be an integer, got {self.seed!r}")

    def as_dict(self) -> dict[str, Any]:
        """Return the options as a plain dict (for JSON)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


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
    w1, w2, logx, weight = co.rows, co.cols, co.logx, co.weight
    del co
    kernel.shuffle_records(w1, w2, logx, weight, np.uint64(config.seed % (1 << 64)))
    rng = np.random.default_rng(config.seed)
    W = rng.random((2 * n_vocab, config.vector_size + 1), dtype=np.float32)
    W -= np.float32(0.5)
    W /= np.float32(config.vector_size)
    gradsq = np.ones_like(W)
    _train(W, gradsq, w1, w2, logx, weight, n_vocab, config, progress=progress)
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
    weight: np.ndarray,
    n_vocab: int,
    config: GloveConfig,
    *,
    progress: bool,
) -> None:
    n = len(w1)
    starts = list(range(0, n, BLOCK_RECORDS)) or [0]

    def run(start: int) -> tuple[int, float]:
        stop = min(start + BLOCK_RECORDS, n)
        cost = kernel.train_records(W, gradsq, w1, w2, logx, weight, start, stop, n_vocab, config.eta, config.grad_clip)
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
