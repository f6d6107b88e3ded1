"""Pair classification: is this pair a paraphrase? Average precision of similarity scores (MTEB's protocol).

Each pair is scored by cosine similarity, dot product, Euclidean distance and Manhattan distance
(distances ranked low-first); for each, the average precision (scikit-learn) and the best accuracy and F1
over all thresholds. The main score is the best average precision x100.

>>> import numpy as np
>>> best_threshold_scores(np.array([0.9, 0.8, 0.2, 0.1]), np.array([1, 0, 1, 0]))
(0.75, 0.8)
"""

from __future__ import annotations

import time

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ._common import TaskResult, embed_texts, require_sklearn
from .readers import SentencePairs


def best_threshold_scores(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Return the best accuracy and the best F1 of ``score > threshold`` over every threshold (higher = positive).

    As MTEB, the thresholds lie between consecutive sorted scores, never past the last one; ties in
    score are cut in sorted order (stable sort on the negated scores).
    """
    order = np.argsort(-scores, kind="stable")
    positive = labels[order].astype(np.int64)
    n = positive.shape[0]
    taken = np.arange(1, n)  # the top `taken` pairs are called positive
    true_positive = np.cumsum(positive)[:-1]
    negatives_left = (n - positive.sum()) - (taken - true_positive)
    accuracy = float(np.max((true_positive + negatives_left) / n)) if n > 1 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = true_positive / taken
        recall = true_positive / max(int(positive.sum()), 1)
        f1 = np.where(true_positive > 0, 2 * precision * recall / (precision + recall), 0.0)
    return accuracy, float(np.max(f1)) if n > 1 else 0.0


def evaluate_pairs(encoder: Encoder, data: SentencePairs, *, name: str = "pairs", batch_size: int = 32) -> TaskResult:
    """Score ``encoder`` on pairs labelled 1 (similar) or 0 (not)."""
    require_sklearn()
    from sklearn.metrics import average_precision_score
    from sklearn.metrics.pairwise import paired_cosine_distances

    labels = np.asarray(data.scores, dtype=np.int64)
    if len(set(labels.tolist())) < 2:
        raise FormatError(f"{name}: every pair has the label {labels[0] if len(labels) else None}; need 0s and 1s")
    start = time.perf_counter()
    n = len(data.sentences1)
    vectors = embed_texts(encoder, [*data.sentences1, *data.sentences2], batch_size=batch_size).astype(np.float64)
    a, b = vectors[:n], vectors[n:]
    similarities = {
        "cosine": 1 - paired_cosine_distances(a, b),
        "dot": np.einsum("ij,ij->i", a, b),
        "euclidean": -np.linalg.norm(a - b, axis=1),
        "manhattan": -np.abs(a - b).sum(axis=1),
    }
    scores: dict[str, float] = {}
    for metric, similarity in similarities.items():
        scores[f"{metric}_ap"] = float(average_precision_score(labels, similarity)) * 100
        accuracy, f1 = best_threshold_scores(similarity, labels)
        scores[f"{metric}_accuracy"] = accuracy * 100
        scores[f"{metric}_f1"] = f1 * 100
    scores["max_ap"] = max(scores[f"{m}_ap"] for m in similarities)
    seconds = time.perf_counter() - start
    return TaskResult(name, "pairs", "max_ap", scores["max_ap"], scores, seconds)
