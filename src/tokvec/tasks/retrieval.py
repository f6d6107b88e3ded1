"""Retrieval: rank a corpus for each query by cosine similarity; nDCG@10 and recall@100 (MTEB's BEIR protocol).

As MTEB: a document is ``(title + " " + text).strip()``; queries and documents are embedded alike; the
1,000 best documents by cosine are kept per query, leaving out a document whose id equals the query's id;
the metrics follow trec_eval (pytrec_eval) as MTEB calls it: ranking by score, ties broken by the larger
document id first; nDCG with linear gains (the relevance) and log2 discounts against the ideal order of
the judged documents; recall@k over the relevant (relevance > 0) judgements; MRR@10 the reciprocal rank
of the first relevant document. Scores are means over the judged queries, x100.

>>> ranked = {"q": ["d2", "d1", "d3"]}
>>> round(ndcg_at_k(ranked, {"q": {"d1": 1, "d3": 1}}, 10), 4)
0.6934
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ..vectors.index import top_k as exact_top_k
from ._common import TaskResult, embed_texts, unit_rows
from .readers import RetrievalData


def ndcg_at_k(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int) -> float:
    """Return mean nDCG@k over the queries of ``qrels`` (a query absent from ``ranked`` scores 0)."""
    values = []
    for query, judged in qrels.items():
        gains = [judged.get(doc, 0) for doc in ranked.get(query, [])[:k]]
        dcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(gains) if g > 0)
        ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
        idcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
        values.append(dcg / idcg if idcg > 0 else 0.0)
    return float(np.mean(values))


def recall_at_k(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int) -> float:
    """Return mean recall@k: the share of each query's relevant documents among its first ``k``."""
    values = []
    for query, judged in qrels.items():
        relevant = {d for d, g in judged.items() if g > 0}
        if relevant:
            values.append(len(relevant.intersection(ranked.get(query, [])[:k])) / len(relevant))
    return float(np.mean(values)) if values else 0.0


def mrr_at_k(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]], k: int) -> float:
    """Return mean reciprocal rank of the first relevant document within the first ``k``."""
    values = []
    for query, judged in qrels.items():
        rr = 0.0
        for rank, doc in enumerate(ranked.get(query, [])[:k]):
            if judged.get(doc, 0) > 0:
                rr = 1.0 / (rank + 1)
                break
        values.append(rr)
    return float(np.mean(values))


def top_k(queries: np.ndarray, documents: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``k`` best rows of ``documents`` for each query (indices and scores, best first).

    :func:`tokvec.vectors.index.top_k` (block products folded into running top-k heaps); ``queries`` and
    ``documents`` are unit float32 rows, so the scores are cosines. Equal scores: the lower row first.
    """
    return exact_top_k(documents, queries, k)


def rank_documents(
    query_ids: list[str], doc_ids: list[str], indices: np.ndarray, scores: np.ndarray
) -> dict[str, list[str]]:
    """Turn top-k rows into ranked id lists, dropping a document with the query's id, trec_eval's tie order."""
    ranked = {}
    for i, query in enumerate(query_ids):
        hits = [(float(s), doc_ids[j]) for j, s in zip(indices[i].tolist(), scores[i].tolist(), strict=True)]
        hits = [h for h in hits if h[1] != query]
        hits.sort(reverse=True)  # subtle: trec_eval orders equal scores by document id, larger first
        ranked[query] = [doc for _, doc in hits]
    return ranked


def evaluate_retrieval(
    encoder: Encoder, data: RetrievalData, *, name: str = "retrieval", batch_size: int = 32, depth: int = 1000
) -> TaskResult:
    """Score ``encoder`` on a BEIR set (see the module docstring for the conventions)."""
    if not data.corpus:
        raise FormatError(f"{name}: the corpus is empty")
    start = time.perf_counter()
    doc_ids = list(data.corpus)
    texts = [(title + " " + text).strip() for title, text in data.corpus.values()]
    query_ids = list(data.queries)
    documents = unit_rows(embed_texts(encoder, texts, batch_size=batch_size))
    queries = unit_rows(embed_texts(encoder, [data.queries[q] for q in query_ids], batch_size=batch_size))
    indices, sims = top_k(queries, documents, depth + 1)  # one more, for a self-hit left out
    ranked = {q: docs[:depth] for q, docs in rank_documents(query_ids, doc_ids, indices, sims).items()}
    scores: dict[str, float] = {}
    for k in (1, 3, 5, 10, 100):
        scores[f"ndcg_at_{k}"] = ndcg_at_k(ranked, data.qrels, k) * 100
    for k in (1, 10, 100, 1000):
        scores[f"recall_at_{k}"] = recall_at_k(ranked, data.qrels, k) * 100
    scores["mrr_at_10"] = mrr_at_k(ranked, data.qrels, 10) * 100
    seconds = time.perf_counter() - start
    return TaskResult(name, "retrieval", "ndcg_at_10", scores["ndcg_at_10"], scores, seconds)
