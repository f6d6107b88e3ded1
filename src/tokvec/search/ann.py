"""Approximate nearest neighbours through usearch's HNSW graph (inner product on unit vectors = cosine).

Performance notes (bench/search.py, 2 shared cores): hnswlib, usearch and faiss-cpu's HNSW were measured
on the same random unit vectors. usearch was chosen: it is maintained (releases through 2026; hnswlib's
last is 0.8.0 from 2023), small (no BLAS/OpenMP stack as faiss), takes our own 64-bit keys, adds
incrementally, and saves to its own binary file (no pickle). faiss-cpu stays a benchmark-only reference.

>>> import numpy as np
>>> v = np.eye(4, dtype=np.float32)
>>> ann = HnswIndex.build(v)
>>> ann.search(v[:2], 1)[0].tolist()
[[0], [1]]
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..errors import FormatError

EXTRA = "pip install 'tokvec[search]'"


def _usearch() -> Any:
    try:
        from usearch.index import Index
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"approximate search needs usearch: {EXTRA}") from e
    return Index


class HnswIndex:
    """An HNSW graph over unit float32 rows; keys are row numbers.

    ``connectivity`` (M) and ``expansion_add`` (efConstruction) shape the graph; ``expansion_search``
    (ef) trades speed for recall at query time and can be changed on a built index.
    """

    def __init__(self, index: Any, params: dict[str, int]) -> None:
        self._index = index
        self.params = params

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        *,
        connectivity: int = 32,
        expansion_add: int = 200,
        expansion_search: int = 200,
        threads: int = 0,
    ) -> HnswIndex:
        """Build the graph of ``vectors`` (rows of a float32 ``(n, dim)`` array, unit length)."""
        index = _usearch()(
            ndim=int(vectors.shape[1]),
            metric="ip",
            dtype="f32",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        params = {"connectivity": connectivity, "expansion_add": expansion_add, "expansion_search": expansion_search}
        ann = cls(index, params)
        ann.add(vectors, 0, threads=threads)
        return ann

    def __len__(self) -> int:
        return len(self._index)

    def add(self, vectors: np.ndarray, first_key: int, *, threads: int = 0) -> None:
        """Add ``vectors`` with keys ``first_key, first_key + 1, ...``."""
        if len(vectors):
            keys = np.arange(first_key, first_key + len(vectors), dtype=np.uint64)
            self._index.add(keys, np.ascontiguousarray(vectors, dtype=np.float32), threads=threads)

    def set_expansion_search(self, ef: int) -> None:
        """Set how many candidates a query keeps (ef): higher is slower and finds more true neighbours."""
        self._index.expansion_search = int(ef)
        self.params["expansion_search"] = int(ef)

    def search(self, queries: np.ndarray, k: int, *, threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rows, scores)``, each ``(n_queries, k')`` with ``k' = min(k, len)``, best first."""
        k = min(int(k), len(self))
        found = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k, threads=threads)
        keys = np.asarray(found.keys, dtype=np.int64).reshape(len(queries), -1)[:, :k]
        scores = 1.0 - np.asarray(found.distances, dtype=np.float32).reshape(len(queries), -1)[:, :k]
        return keys, scores  # subtle: a query that reaches fewer than k nodes pads keys with 2**64 - 1 -> -1

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the graph to ``path`` (usearch's own binary format)."""
        self._index.save(os.fspath(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str], params: dict[str, int], *, count: int) -> HnswIndex:
        """Read a graph saved by :meth:`save`; ``count`` is the number of rows it must hold."""
        index = _usearch().restore(os.fspath(path))
        if index is None or len(index) != count:
            raise FormatError(f"{path}: not a usearch index of {count} vectors; rebuild the index")
        index.expansion_search = int(params.get("expansion_search", 200))
        return cls(index, dict(params))
