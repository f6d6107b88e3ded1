"""Semantic search over documents: exact, approximate (HNSW via faiss) and hybrid (BM25 + dense, RRF).

Needs faiss-cpu for ``ann="hnsw"`` and bm25s for BM25 (``pip install 'tokvec[search]'``).

>>> from tokvec.search import Index, Hit
>>> Hit("a", 0.5, (0, 3), "abc").span
(0, 3)
"""

from .documents import read_documents
from .hybrid import rrf
from .index import Hit, Index

__all__ = ["Hit", "Index", "read_documents", "rrf"]
