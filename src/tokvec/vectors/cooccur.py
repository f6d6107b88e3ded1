"""Count word-word co-occurrences for GloVe in bounded memory: a dense block, sorted runs, merged on disk if need be.

As the Stanford reference's ``cooccur``: pairs of frequent words (rank product under ``max_product``)
are added up in a dense block; the other pairs are buffered, and each full buffer is sorted and reduced
into a run. Runs stay in memory while they fit in the budget; past it they are written to a temporary
folder and read back memory-mapped, and the final k-way merge adds equal pairs up. The budget
``memory_mb`` is split as the reference splits its ``-memory``: about half for the dense block, an eighth
for the buffer, the rest for runs held in memory.

>>> import numpy as np
>>> from tokvec.vectors.corpus import read_corpus
>>> c = count_cooccurrences(read_corpus([["a", "b", "a"]], min_count=1), window=2)
>>> [(int(a), int(b), round(float(np.exp(x)), 3)) for a, b, x in zip(c.rows, c.cols, c.logx)]
[(0, 0, 1.0), (0, 1, 2.0), (1, 0, 2.0)]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .. import _io
from .._progress import Progress
from ..kernels import glove as kernel
from .corpus import Corpus

_RECORD_BYTES = 16  # int64 key + float64 value, in the buffer and the runs
_CHUNK_WORDS = 10_000
_GROUPS = 1024  # row groups that the merge of spilled runs reads back in bands


@dataclass(frozen=True)
class Cooccurrences:
    """Co-occurrence records sorted by (row, col): ``rows``, ``cols`` (int32[R]) and ``logx`` (log of the count,
    float32[R]); ``runs``: sorted runs merged (the dense block not counted); ``spilled``: whether they went to
    disk; ``x_max`` and ``alpha``: the weighting, which :attr:`weight` computes (training computes it per record)."""

    rows: np.ndarray
    cols: np.ndarray
    logx: np.ndarray
    runs: int
    spilled: bool
    x_max: float = 100.0
    alpha: float = 0.75

    @property
    def weight(self) -> np.ndarray:
        """GloVe's ``f(x) = min(1, x / x_max) ** alpha`` of every record, float32[R] (a new array)."""
        log_x_max = np.float32(np.log(self.x_max))
        return np.exp(np.minimum(np.float32(self.alpha) * (self.logx - log_x_max), np.float32(0.0)))


def dense_layout(n_vocab: int, max_product: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (width, offsets), int64[V] each: row ``a`` of the dense block holds columns ``< width[a]``.

    >>> [x.tolist() for x in dense_layout(4, 4)]
    [[4, 2, 1, 1], [0, 4, 6, 7]]
    """
    ranks = np.arange(1, n_vocab + 1, dtype=np.int64)
    width = np.minimum(max(int(max_product), 1) // ranks, n_vocab)
    offsets = np.concatenate([[0], np.cumsum(width)[:-1]]).astype(np.int64)
    return width, offsets


def max_product_for(n_vocab: int, entries: int) -> int:
    """Return the largest rank product whose dense block has at most ``entries`` cells (binary search)."""
    lo, hi = 1, max(n_vocab * n_vocab, 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        width, _ = dense_layout(n_vocab, mid)
        if int(width.sum()) <= entries:
            lo = mid
        else:
            hi = mid - 1
    return lo


class _Runs:
    """Sorted runs in one preallocated in-memory store; once it is full they go to two files in a temporary folder.

    Each run spilled to disk keeps where its row groups start (``_GROUPS`` groups of rows), so the final
    merge reads back one band of rows at a time, from every run, within the budget.
    """

    def __init__(self, budget: int, n_vocab: int, tmpdir: str | None) -> None:
        self.capacity = max(budget // _RECORD_BYTES, 1)
        self.keys = np.empty(self.capacity, dtype=np.int64)
        self.vals = np.empty(self.capacity, dtype=np.float64)
        self.fill = 0
        self.starts = [0]  # of the runs in the store
        self.n_vocab = n_vocab
        self.group_rows = -(-max(n_vocab, 1) // _GROUPS)
        self.tmpdir = tmpdir
        self.folder: tempfile.TemporaryDirectory[str] | None = None
        self.disk: list[tuple[int, np.ndarray]] = []  # (file offset in records, group edges) per spilled run
        self.disk_records = 0
        self.count = 0

    def add(self, keys: np.ndarray, vals: np.ndarray) -> None:
        self.count += 1
        if self.fill + len(keys) > self.capacity:
            self._spill()
        if len(keys) > self.capacity:
            self._write(keys, vals)
            return
        self.keys[self.fill : self.fill + len(keys)] = keys
        self.vals[self.fill : self.fill + len(keys)] = vals
        self.fill += len(keys)
        self.starts.append(self.fill)

    def _write(self, keys: np.ndarray, vals: np.ndarray) -> None:
        if self.folder is None:
            self.folder = tempfile.TemporaryDirectory(prefix="tokvec-glove-", dir=self.tmpdir)
            _io.register_temporary(self.folder.name)  # a Ctrl-C exits without running its finalizer
        edges = np.searchsorted(keys, np.arange(_GROUPS + 1, dtype=np.int64) * self.group_rows * self.n_vocab)
        for name, array in (("keys.bin", keys), ("vals.bin", vals)):
            with open(os.path.join(self.folder.name, name), "ab") as f:
                array.tofile(f)
        self.disk.append((self.disk_records, edges.astype(np.int64)))
        self.disk_records += len(keys)

    def _spill(self) -> None:
        for r in range(len(self.starts) - 1):
            lo, hi = self.starts[r], self.starts[r + 1]
            self._write(self.keys[lo:hi], self.vals[lo:hi])
        self.fill, self.starts = 0, [0]

    @property
    def spilled(self) -> bool:
        return self.folder is not None

    def in_memory(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the store's runs (keys, vals, starts) when nothing was spilled."""
        return self.keys[: self.fill], self.vals[: self.fill], np.array(self.starts, dtype=np.int64)

    def bands(self) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
        """Spill what is left, then yield (first row, end row, keys, vals, starts) band by band from disk."""
        self._spill()
        self.keys = self.vals = np.zeros(0)  # subtle: free the store before reading bands back
        if self.folder is None:
            return
        sizes = np.zeros(_GROUPS, dtype=np.int64)
        for _, edges in self.disk:
            sizes += np.diff(edges)
        band_budget = max(self.capacity, 1)
        g = 0
        with (
            open(os.path.join(self.folder.name, "keys.bin"), "rb") as fk,
            open(os.path.join(self.folder.name, "vals.bin"), "rb") as fv,
        ):
            while g < _GROUPS:
                g1, total = g, 0
                while g1 < _GROUPS and (g1 == g or total + sizes[g1] <= band_budget):
                    total += int(sizes[g1])
                    g1 += 1
                keys, vals = np.empty(total, np.int64), np.empty(total, np.float64)
                starts = [0]
                for offset, edges in self.disk:
                    lo, n = starts[-1], int(edges[g1] - edges[g])
                    for f, array in ((fk, keys), (fv, vals)):
                        f.seek((offset + int(edges[g])) * 8)
                        f.readinto(memoryview(array[lo : lo + n]).cast("B"))
                    starts.append(lo + n)
                row_lo, row_hi = g * self.group_rows, min(g1 * self.group_rows, self.n_vocab)
                yield row_lo, row_hi, keys, vals, np.array(starts, dtype=np.int64)
                g = g1

    def close(self) -> None:
        if self.folder is not None:
            self.folder.cleanup()
            _io.release_temporary(self.folder.name)


def count_cooccurrences(
    corpus: Corpus,
    *,
    window: int = 15,
    symmetric: bool = True,
    x_max: float = 100.0,
    alpha: float = 0.75,
    memory_mb: float = 64.0,
    tmpdir: str | None = None,
    progress: bool = False,
) -> Cooccurrences:
    """Count the 1/distance-weighted co-occurrences of ``corpus`` (windows stay inside sentences) as GloVe records."""
    n_vocab = len(corpus.keys)
    budget = int(memory_mb * (1 << 20))
    dense_entries = max(budget // 2 // 8, 1)
    width, offsets = dense_layout(n_vocab, max_product_for(n_vocab, dense_entries))
    dense = np.zeros(int(width.sum()), dtype=np.float64)
    per_word = 2 * window if symmetric else window
    room = per_word * _CHUNK_WORDS
    capacity = max(budget // 8 // _RECORD_BYTES, 2 * room)
    keys = np.empty(capacity, dtype=np.int64)
    vals = np.empty(capacity, dtype=np.float64)
    runs = _Runs(budget - budget // 2 - budget // 8, n_vocab, tmpdir)
    bounds = corpus.bounds
    n_sent = len(bounds) - 1
    fill = 0
    try:
        with Progress(int(bounds[-1]), label="glove counting", enabled=progress) as bar:
            s = 0
            while s < n_sent:
                # whole sentences up to about _CHUNK_WORDS words (a sentence has at most 10,000)
                stop = int(np.searchsorted(bounds, bounds[s] + _CHUNK_WORDS, side="right")) - 1
                stop = min(max(stop, s + 1), n_sent)
                if fill + per_word * int(bounds[stop] - bounds[s]) > capacity:
                    runs.add(*kernel.sort_reduce(keys, vals, fill))
                    fill = 0
                fill = kernel.count_window(
                    corpus.words, bounds, s, stop, window, symmetric, width, offsets, dense, keys, vals, fill
                )
                bar.set(int(bounds[stop]))
                s = stop
            if fill:
                runs.add(*kernel.sort_reduce(keys, vals, fill))
        del keys, vals
        fixed = (dense, width, offsets)
        # two passes over the bands (one band when nothing was spilled): count, then fill the exact-size output
        counts = [
            kernel.merge_runs(k, v, st, *fixed, lo, hi, *_records(0)) for lo, hi, k, v, st in _bands(runs, n_vocab)
        ]
        out = _records(sum(counts))
        at = 0
        for (lo, hi, k, v, st), n in zip(_bands(runs, n_vocab), counts, strict=True):
            kernel.merge_runs(k, v, st, *fixed, lo, hi, *(a[at : at + n] for a in out))
            at += n
        spilled, n_runs = runs.spilled, runs.count
    finally:
        runs.close()
    return Cooccurrences(*out, runs=n_runs, spilled=spilled, x_max=float(x_max), alpha=float(alpha))


def _bands(runs: _Runs, n_vocab: int) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
    if runs.spilled:
        return runs.bands()
    return iter([(0, n_vocab, *runs.in_memory())])


def _records(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.empty(n, np.int32), np.empty(n, np.int32), np.empty(n, np.float32)
