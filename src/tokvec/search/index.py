"""A semantic search index over documents: exact (one matrix product), approximate (HNSW) or hybrid (+ BM25).

Documents are embedded whole (``chunk=None``: the encoder truncates long ones) or in token windows
(``chunk="tokens"``: ``encoder.embed_chunks``), each window with its character span. A document scores
as its best window, and a hit carries that window's span, for highlighting. The index keeps the model's
name and fingerprint: it refuses to load, add or be saved with another model. ``add`` grows the index
in place (it is a store, the one mutable object of tokvec); everything else leaves it as it is.

>>> import numpy as np
>>> class Letters:
...     name, dim, max_seq_length = "letters", 3, None
...     def embed(self, texts, **options):
...         return np.array([[t.count(c) + 0.01 for c in "abc"] for t in texts], np.float32)
...     def fingerprint(self): return "letters-v1"
>>> index = Index.build(Letters(), {"x": "aaa b", "y": "cc c", "z": "bb"}, chunk=None)
>>> [(h.doc_id, round(h.score, 2)) for h in index.search("ccc", top_k=2)]
[('y', 1.0), ('z', 0.01)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..embed.load import load_encoder
from ..embed.protocol import Encoder
from ..errors import FormatError, ModelMismatchError
from ..kernels import topk
from ..vectors.index import top_k as exact_top_k
from .ann import HnswIndex
from .documents import normalize_documents
from .hybrid import Bm25, rrf

MODES = ("dense", "hybrid", "bm25")


@dataclass(frozen=True)
class Hit:
    """A document found for a query: its id, score, and the best window's character span and text."""

    doc_id: str
    score: float
    span: tuple[int, int]
    text: str


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.ascontiguousarray(m / np.where(norms == 0, 1, norms))


def embed_documents(
    encoder: Encoder, texts: list[str], chunk: str | None, *, batch_size: int = 32
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(owner, spans, unit vectors)`` of the windows of ``texts`` (one window per text without chunking)."""
    if chunk is None:
        vectors = encoder.embed(texts, batch_size=batch_size)
        spans = np.array([[0, len(t)] for t in texts], dtype=np.int64).reshape(-1, 2)
        return np.arange(len(texts), dtype=np.int64), spans, _unit(vectors)
    if chunk != "tokens":
        raise ValueError(f"chunk must be 'tokens' or None, not {chunk!r}")
    if not hasattr(encoder, "embed_chunks"):
        raise TypeError(
            f"encoder {encoder.name!r} cannot cut texts into token windows (no embed_chunks); use chunk=None"
        )
    chunks = encoder.embed_chunks(texts)
    owner = np.asarray(chunks.text_index, dtype=np.int64)
    missing = np.setdiff1d(np.arange(len(texts)), owner)
    if missing.size:
        raise FormatError(f"encoder {encoder.name!r} made no window for document #{int(missing[0])}")
    order = np.argsort(owner, kind="stable")  # windows of one text are consecutive, in text order
    return owner[order], np.asarray(chunks.spans, dtype=np.int64)[order], _unit(chunks.vectors)[order]


class Index:
    """Documents, their window vectors, and the ways to search them; build with :meth:`build`."""

    def __init__(self, encoder: Encoder, meta: dict[str, Any], doc_ids: list[str], texts: list[str],
                 owner: np.ndarray, spans: np.ndarray, vectors: np.ndarray, ann: HnswIndex | None) -> None:  # fmt: skip
        self.encoder = encoder
        self.meta = meta
        self.doc_ids, self.texts = doc_ids, texts
        self.owner, self.spans, self.vectors = owner, spans, vectors
        self.ann = ann
        self._rows = {d: i for i, d in enumerate(doc_ids)}
        self._bm25 = Bm25(texts) if meta.get("bm25") else None
        self._refresh()

    def _refresh(self) -> None:
        self.starts = np.searchsorted(self.owner, np.arange(len(self.doc_ids))).astype(np.int64)
        self.ends = np.append(self.starts[1:], len(self.owner))

    @classmethod
    def build(cls, encoder: Encoder, documents: Mapping[str, str] | Sequence[str], *, ids: Sequence[str] | None = None,
              chunk: str | None = "tokens", ann: str | None = None, bm25: bool = True, batch_size: int = 32,
              ann_params: dict[str, int] | None = None) -> Index:  # fmt: skip
        """Embed ``documents`` (texts, or a mapping id -> text) and index them.

        ``ann="hnsw"`` adds an HNSW graph (faiss) for large indexes; ``bm25`` (default) keeps BM25 for
        ``mode="hybrid"``. An empty corpus, an empty document or a repeated id is an error.
        """
        if ann not in (None, "hnsw"):
            raise ValueError(f"ann must be None (exact search) or 'hnsw', not {ann!r}")
        doc_ids, texts = normalize_documents(documents, ids=ids)
        owner, spans, vectors = embed_documents(encoder, texts, chunk, batch_size=batch_size)
        graph = HnswIndex.build(vectors, **(ann_params or {})) if ann else None
        meta = {"model": encoder.name, "fingerprint": encoder.fingerprint(), "dim": int(encoder.dim), "chunk": chunk,
                "ann": ann, "ann_params": graph.params if graph else None, "bm25": bool(bm25)}  # fmt: skip
        return cls(encoder, meta, doc_ids, texts, owner, spans, vectors, graph)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def document(self, doc_id: str) -> str:
        """Return the text of document ``doc_id``."""
        row = self._rows.get(doc_id)
        if row is None:
            raise KeyError(f"no document {doc_id!r} in the index")
        return self.texts[row]

    def check_encoder(self, encoder: Encoder, what: str) -> None:
        """Raise ModelMismatchError unless ``encoder`` is the model the index was built with."""
        if (encoder.name, encoder.fingerprint()) != (self.meta["model"], self.meta["fingerprint"]):
            raise ModelMismatchError(
                f"{what}: the index was built with {self.meta['model']!r} (fingerprint {self.meta['fingerprint']}), "
                f"not {encoder.name!r} (fingerprint {encoder.fingerprint()}); use that model or rebuild the index"
            )

    def add(self, documents: Mapping[str, str] | Sequence[str], *, ids: Sequence[str] | None = None) -> None:
        """Embed and add more documents (in place); their ids must be new."""
        doc_ids, texts = normalize_documents(documents, ids=ids, first_id=len(self.doc_ids))
        clash = [d for d in doc_ids if d in self._rows]
        if clash:
            raise FormatError(f"duplicate document id {clash[0]!r}: it is already in the index")
        owner, spans, vectors = embed_documents(self.encoder, texts, self.meta["chunk"])
        first_chunk = len(self.owner)
        self.owner = np.concatenate([self.owner, owner + len(self.doc_ids)])
        self.spans = np.concatenate([self.spans, spans])
        self.vectors = np.concatenate([self.vectors, vectors])
        for d in doc_ids:
            self._rows[d] = len(self._rows)
        self.doc_ids, self.texts = self.doc_ids + doc_ids, self.texts + texts
        if self.ann is not None:
            self.ann.add(vectors, first_chunk)
        if self.meta.get("bm25"):
            self._bm25 = Bm25(self.texts)
        self._refresh()

    def search(self, query: str | Sequence[str], top_k: int = 10, *, mode: str = "dense",
               exact: bool | None = None) -> list[Hit] | list[list[Hit]]:  # fmt: skip
        """Return the ``top_k`` best documents for a query (a list of hits) or for each of several queries.

        ``mode``: ``dense`` (cosine of the best window), ``bm25`` (lexical), or ``hybrid`` (reciprocal rank
        fusion of the two top-100 lists). ``exact`` (default: exact unless the index has an ANN graph).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        single = isinstance(query, str)
        queries = [query] if single else list(query)
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, not {top_k}")
        vectors = _unit(self.encoder.embed(queries)) if queries else np.zeros((0, self.vectors.shape[1]), np.float32)
        if mode == "dense":
            found = self.search_vectors(vectors, top_k, exact=exact)
        else:
            if self._bm25 is None:
                raise ValueError("this index keeps no BM25 (built with bm25=False); use mode='dense'")
            found = self._fused(queries, vectors, top_k, mode, exact)
        return found[0] if single else found

    def search_vectors(self, queries: np.ndarray, top_k: int, *, exact: bool | None = None) -> list[list[Hit]]:
        """Search with query vectors (already embedded, float32 ``(n, dim)``)."""
        queries = _unit(queries)
        if exact is False and self.ann is None:
            raise ValueError("this index has no ANN graph (built with ann=None); search exactly")
        if exact is False or (exact is None and self.ann is not None):
            return [self._hits(rows, scores) for rows, scores in self._approximate(queries, top_k)]
        return [self._hits(rows, scores) for rows, scores in self._exact(queries, top_k)]

    def _exact(self, queries: np.ndarray, top_k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        k = min(top_k, len(self.doc_ids))
        if len(self.owner) == len(self.doc_ids):  # one window a document: rows are documents
            rows, scores = exact_top_k(self.vectors, queries, k)
            return [(rows[i], scores[i]) for i in range(len(queries))]
        out = []
        for start in range(0, len(queries), 256):
            sims = queries[start : start + 256] @ self.vectors.T
            per_doc = np.maximum.reduceat(sims, self.starts, axis=1)  # each document's best window
            best_s = np.full((len(sims), k), -np.inf, dtype=np.float32)
            best_d = np.full((len(sims), k), -1, dtype=np.int64)
            topk.fold_block(per_doc, 0, 0, len(sims), best_s, best_d)
            topk.sort_heaps(best_s, best_d)
            for i in range(len(sims)):
                docs = best_d[i][best_d[i] >= 0]
                best = [self.starts[d] + int(np.argmax(sims[i, self.starts[d] : self.ends[d]])) for d in docs]
                out.append((np.array(best, dtype=np.int64), best_s[i][: len(docs)]))
        return out

    def _approximate(self, queries: np.ndarray, top_k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        assert self.ann is not None
        out = []
        want = min(top_k, len(self.doc_ids))
        factor = 1 if len(self.owner) == len(self.doc_ids) else 4
        for q in queries:
            k = min(len(self.owner), want * factor)
            while True:
                rows, scores = self.ann.search(q[None, :], k)
                keep = rows[0] >= 0
                rows, scores = rows[0][keep], scores[0][keep]
                _, first = np.unique(self.owner[rows], return_index=True)
                first.sort()  # the best window of each document, in rank order
                if len(first) >= want or k >= len(self.owner):
                    break
                k = min(len(self.owner), k * 4)
            out.append((rows[first][:want], scores[first][:want]))
        return out

    def _hits(self, rows: np.ndarray, scores: np.ndarray) -> list[Hit]:
        hits = []
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            doc = int(self.owner[row])
            a, b = (int(x) for x in self.spans[row])
            hits.append(Hit(self.doc_ids[doc], float(score), (a, b), self.texts[doc][a:b]))
        return hits

    def _fused(self, queries: list[str], vectors: np.ndarray, top_k: int, mode: str,
               exact: bool | None) -> list[list[Hit]]:  # fmt: skip
        assert self._bm25 is not None
        depth = max(100, top_k)
        dense = self.search_vectors(vectors, depth, exact=exact)
        lexical_rows, _ = self._bm25.top(queries, depth)
        out = []
        for q, hits, rows in zip(vectors, dense, lexical_rows, strict=True):
            lexical = [self.doc_ids[r] for r in rows.tolist() if r >= 0]
            fused = rrf([[h.doc_id for h in hits], lexical]) if mode == "hybrid" else rrf([lexical])
            by_id = {h.doc_id: h for h in hits}
            result = []
            for doc_id, score in fused[:top_k]:
                hit = by_id.get(doc_id) or self._best_window(doc_id, q)
                result.append(Hit(hit.doc_id, score, hit.span, hit.text))
            out.append(result)
        return out

    def _best_window(self, doc_id: str, query: np.ndarray) -> Hit:
        d = self._rows[doc_id]
        sims = self.vectors[self.starts[d] : self.ends[d]] @ query
        row = self.starts[d] + int(np.argmax(sims))
        return self._hits(np.array([row]), np.array([float(sims.max())]))[0]

    def save(self, folder: str) -> None:
        """Write the index to ``folder`` (atomic; see :mod:`tokvec.search.store`)."""
        from .store import save_index

        save_index(self, folder)

    @classmethod
    def load(cls, folder: str, encoder: Encoder | None = None) -> Index:
        """Read an index saved by :meth:`save`; ``encoder`` (default: ``tokvec.load_encoder`` of the stored
        model name) must be the model it was built with, else ModelMismatchError."""
        from .store import load_index, read_manifest

        if encoder is None:
            encoder = load_encoder(read_manifest(folder)["model"])
        return load_index(cls, folder, encoder)
