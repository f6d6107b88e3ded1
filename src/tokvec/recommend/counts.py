"""Counts learned from sequences: item popularity, next-item transitions and co-occurrence, as CSR matrices.

>>> from tokvec.recommend import Catalogue, Playlists
>>> songs = Playlists.from_lists([[0, 1, 2], [0, 1]], Catalogue.from_keys(["a", "b", "c"]))
>>> t = SparseCounts.from_pairs(*pairs(songs, window=1), size=3)
>>> t.row(0), t.row(1)
((array([1], dtype=int32), array([2.], dtype=float32)), (array([2], dtype=int32), array([1.], dtype=float32)))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..kernels import recommend as kr
from .playlists import Playlists


@dataclass(frozen=True, eq=False)
class SparseCounts:
    """A square CSR matrix of counts: ``data[indptr[i]:indptr[i + 1]]`` at columns ``indices[...]`` is row ``i``."""

    indptr: np.ndarray  # int64[V + 1]
    indices: np.ndarray  # int32[nnz], sorted within a row
    data: np.ndarray  # float32[nnz]

    @classmethod
    def from_pairs(cls, rows: np.ndarray, columns: np.ndarray, *, size: int) -> SparseCounts:
        """Count each (row, column) pair of items below ``size``."""
        codes = rows.astype(np.int64) * size + columns.astype(np.int64)
        unique, counts = np.unique(codes, return_counts=True)
        indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(unique // size, minlength=size), out=indptr[1:])
        return cls(indptr, (unique % size).astype(np.int32), counts.astype(np.float32))

    @property
    def size(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the columns and counts of row ``i``."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.indices[lo:hi], self.data[lo:hi]

    def row_sums(self) -> np.ndarray:
        """Return the sum of every row (float64[V])."""
        rows = np.repeat(np.arange(self.size), np.diff(self.indptr))
        return np.bincount(rows, weights=self.data, minlength=self.size)

    def normalized(self) -> SparseCounts:
        """Return the matrix with every row divided by its sum (rows of a Markov chain)."""
        sums = self.row_sums()
        per_entry = np.repeat(sums, np.diff(self.indptr))
        return SparseCounts(self.indptr, self.indices, (self.data / np.maximum(per_entry, 1e-30)).astype(np.float32))

    def score(self, items: np.ndarray, bounds: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Return float32[Q, V]: for each query (``items[bounds[q]:bounds[q + 1]]``), the weighted sum of its rows."""
        return kr.sum_rows(
            self.indptr,
            self.indices,
            self.data,
            np.ascontiguousarray(items, dtype=np.int32),
            np.ascontiguousarray(bounds, dtype=np.int64),
            np.ascontiguousarray(weights, dtype=np.float32),
            self.size,
        )


def pairs(playlists: Playlists, *, window: int, symmetric: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return (left, right) items of every pair at most ``window`` apart (``window <= 0``: anywhere).

    ``symmetric`` adds each pair in both directions (co-occurrence); otherwise only left-before-right
    (``window=1``: transitions to the next item). An item paired with itself is dropped.
    """
    left, right = kr.window_pairs(playlists.items, playlists.bounds, window)
    keep = left != right
    left, right = left[keep], right[keep]
    if symmetric:
        return np.concatenate([left, right]), np.concatenate([right, left])
    return left, right


def transitions(playlists: Playlists) -> SparseCounts:
    """Count how often item ``j`` directly follows item ``i``."""
    return SparseCounts.from_pairs(*pairs(playlists, window=1), size=len(playlists.catalogue))


def cooccurrences(playlists: Playlists, *, window: int = 0) -> SparseCounts:
    """Count how often items ``i`` and ``j`` appear in one sequence, at most ``window`` apart (0: anywhere)."""
    return SparseCounts.from_pairs(*pairs(playlists, window=window, symmetric=True), size=len(playlists.catalogue))
