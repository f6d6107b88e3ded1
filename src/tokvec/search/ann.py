"""Approximate nearest neighbours through faiss' HNSW graph (inner product on unit vectors = cosine).

Performance notes (bench/search.py, 20,000 random 384-d unit vectors, 2 cores shared at load 11-15,
M=32, efConstruction=200, one query thread): faiss-cpu 58 s to build, recall@10 0.517 / 0.850 / 0.998
at ef 64 / 200 / 800 with 1,174 / 423 / 138 queries/s; hnswlib 61 s, 0.469 / 0.803 / 0.993 at 801 /
325 / 136 q/s; usearch 400 s, 0.475 / 0.800 / 0.991 at 42 / 20 / 24 q/s. faiss was chosen: the fastest
to build and to query at every recall in that run, maintained by Meta (1.15 in 2026; hnswlib's last
release is 0.8.0 from 2023), it adds incrementally with row numbers as ids, and writes its own binary
file (no pickle). Random vectors are the hard case for HNSW: real embeddings have far more structure.

>>> import numpy as np
>>> v = np.eye(4, dtype=np.float32)
>>> ann = HnswIndex.build(v)
>>> ann.search(v[:2], 1)[0].tolist()
[[0], [1]]
"""

from __future__ import annotations

import os
import struct
from typing import Any

import numpy as np

from ..errors import FormatError

EXTRA = "pip install 'tokvec[search]'"


def _faiss() -> Any:
    try:
        import faiss
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"approximate search needs faiss-cpu: {EXTRA}") from e
    return faiss


class HnswIndex:
    """An HNSW graph over unit float32 rows; a row's id is its number.

    ``connectivity`` (M) and ``expansion_add`` (efConstruction) shape the graph; ``expansion_search``
    (efSearch) trades speed for recall at query time and can be changed on a built index.
    """

    def __init__(self, index: Any, params: dict[str, int]) -> None:
        self._index = index
        self.params = params
        self._index.hnsw.efSearch = int(params.get("expansion_search", 200))

    @classmethod
    def build(
        cls, vectors: np.ndarray, *, connectivity: int = 32, expansion_add: int = 200, expansion_search: int = 200
    ) -> HnswIndex:
        """Build the graph of ``vectors`` (rows of a float32 ``(n, dim)`` array, unit length)."""
        faiss = _faiss()
        index = faiss.IndexHNSWFlat(int(vectors.shape[1]), connectivity, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = expansion_add
        params = {"connectivity": connectivity, "expansion_add": expansion_add, "expansion_search": expansion_search}
        ann = cls(index, params)
        ann.add(vectors, 0)
        return ann

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, vectors: np.ndarray, first_key: int) -> None:
        """Add ``vectors`` as rows ``first_key, first_key + 1, ...`` (``first_key`` must be ``len(self)``)."""
        if first_key != len(self):
            raise ValueError(f"rows are numbered in order: the next is {len(self)}, not {first_key}")
        if len(vectors):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def set_expansion_search(self, ef: int) -> None:
        """Set how many candidates a query keeps (efSearch): higher is slower and finds more true neighbours."""
        self._index.hnsw.efSearch = int(ef)
        self.params["expansion_search"] = int(ef)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rows, scores)``, each ``(n_queries, min(k, len))``, best first; a missing row is -1."""
        k = min(int(k), len(self))
        scores, rows = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return rows.astype(np.int64), scores.astype(np.float32)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the graph to ``path`` (faiss' own binary format)."""
        _faiss().write_index(self._index, os.fspath(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str], params: dict[str, int], *, count: int) -> HnswIndex:
        """Read a graph saved by :meth:`save`; ``count`` is the number of rows it must hold."""
        faiss = _faiss()
        if not os.path.isfile(path):
            raise FormatError(f"{path}: missing; rebuild the index")
        _check_layout(os.fspath(path))
        try:
            index = faiss.read_index(os.fspath(path))
        except (RuntimeError, MemoryError) as e:  # faiss' own checks of its format
            reason = str(e).strip().splitlines()[-1][:200] if str(e).strip() else type(e).__name__
            raise FormatError(f"{path}: not a readable faiss file ({reason}); rebuild the index") from None
        if not isinstance(index, faiss.IndexHNSWFlat) or index.ntotal != count:
            raise FormatError(f"{path}: not an HNSW graph of {count} vectors; rebuild the index")
        _check_graph(str(path), faiss, index)
        return cls(index, dict(params))


def _check_graph(path: str, faiss: Any, index: Any) -> None:
    """Check the arrays faiss' search walks (neighbour ids, per-node offsets and levels, the stored vectors).

    A neighbour id past the end would make a query read outside the vectors: recent faiss checks the ids
    on reading (validate_HNSW), older releases read them as they are; the node tables and the stored
    vectors are checked here for every release. Raises FormatError naming ``path``.
    """
    n, hnsw = int(index.ntotal), index.hnsw
    neighbors = faiss.vector_to_array(hnsw.neighbors).astype(np.int64)
    offsets = faiss.vector_to_array(hnsw.offsets).astype(np.int64)
    levels = faiss.vector_to_array(hnsw.levels).astype(np.int64)
    cum = faiss.vector_to_array(hnsw.cum_nneighbor_per_level).astype(np.int64)
    storage = faiss.downcast_index(index.storage)
    codes = faiss.vector_to_array(storage.codes) if isinstance(storage, faiss.IndexFlat) else None
    problem = None
    if codes is None or storage.ntotal != n or storage.d != index.d or len(codes) != n * index.d * 4:
        problem = "the stored vectors do not match the graph"
    elif len(levels) != n or len(offsets) != n + 1 or offsets[0] != 0 or offsets[-1] != len(neighbors):
        problem = "the node tables disagree on the number of nodes"
    elif n and (levels.min() < 1 or levels.max() >= len(cum) or levels.max() - 1 > hnsw.max_level):
        problem = "a node has a level outside the graph's"
    elif n and not np.array_equal(np.diff(offsets), cum[levels]):
        problem = "the neighbour lists have the wrong lengths"
    elif len(neighbors) and (neighbors.min() < -1 or neighbors.max() >= n):
        problem = f"a neighbour id lies outside 0..{n - 1}"
    elif not (-1 <= hnsw.entry_point < n) or (n and hnsw.entry_point < 0):
        problem = "the entry point lies outside the graph"
    if problem:
        raise FormatError(f"{path}: {problem} (corrupted or edited file?); rebuild the index")


# subtle: faiss allocates each array of its file at the size the file states (up to 2^40) before it reads the
# data, so a 1 kB file could ask for gigabytes; the layout is walked here first, every size checked against
# the bytes that follow. Layout (faiss' index_write.cpp): "IHNf", the index header, five arrays of the
# graph (assign_probas f8, cum_nneighbor_per_level i4, levels i4, offsets u8, neighbors i4), five int32,
# then the storage: "IxFI" or "IxF2", its header and its codes (bytes).
_HEADER = struct.Struct("<iqqqBi")  # d, ntotal, two unused, is_trained, metric_type
_GRAPH_ARRAYS = (8, 4, 4, 8, 4)


def _check_layout(path: str) -> None:
    """Refuse an HNSW file whose array sizes exceed the file, before faiss allocates them."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise FormatError(f"{path}: cannot be read ({e.strerror})") from None
    try:
        pos = _walk_header(data, 0, b"IHNf")
        for item in _GRAPH_ARRAYS:
            pos = _walk_array(data, pos, item)
        pos += 5 * 4
        pos = _walk_header(data, pos, b"IxFI", b"IxF2")
        _walk_array(data, pos, 1)
    except struct.error:
        raise FormatError(f"{path}: cut short (not a whole HNSW graph); rebuild the index") from None
    except ValueError as e:
        raise FormatError(f"{path}: {e} (corrupted or edited file?); rebuild the index") from None


def _walk_header(data: bytes, pos: int, *fourccs: bytes) -> int:
    if data[pos : pos + 4] not in fourccs:
        raise ValueError(f"expected {' or '.join(c.decode() for c in fourccs)} at byte {pos}, not an HNSW graph")
    metric = _HEADER.unpack_from(data, pos + 4)[-1]
    return pos + 4 + _HEADER.size + (4 if metric > 1 else 0)  # a metric_arg float follows the exotic metrics


def _walk_array(data: bytes, pos: int, item: int) -> int:
    (n,) = struct.unpack_from("<Q", data, pos)
    if n * item > len(data) - pos - 8:
        raise ValueError(f"an array at byte {pos} claims {n:,} entries ({n * item:,} bytes), more than the file holds")
    return pos + 8 + n * item
