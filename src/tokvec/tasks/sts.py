"""Semantic textual similarity: Spearman correlation of cosine similarity with gold scores (MTEB's STS).

As MTEB: both sides embedded, cosine = 1 - paired cosine distance (scikit-learn), Pearson and Spearman
(scipy) against the gold scores for cosine, negated Manhattan and negated Euclidean distance; the main
score is the cosine Spearman x100.

>>> import numpy as np
>>> from tokvec.tasks.readers import SentencePairs
>>> class Letters:  # a toy encoder: counts of a, b, c
...     name, dim, max_seq_length = "letters", 3, None
...     def embed(self, texts, **options):
...         return np.array([[t.count(c) + 0.1 for c in "abc"] for t in texts], np.float32)
...     def fingerprint(self): return "letters"
>>> pairs = SentencePairs(["aa", "ab", "a"], ["aa", "cc", "b"], np.array([5.0, 0.0, 1.0]))
>>> evaluate_sts(Letters(), pairs).main_score
100.0
"""

from __future__ import annotations

import time

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ._common import TaskResult, embed_texts, require_sklearn
from .readers import SentencePairs


def evaluate_sts(encoder: Encoder, data: SentencePairs, *, name: str = "sts", batch_size: int = 64) -> TaskResult:
    """Score ``encoder`` on sentence pairs with gold similarity scores."""
    require_sklearn()
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics.pairwise import (
        paired_cosine_distances,
        paired_euclidean_distances,
        paired_manhattan_distances,
    )

    if len(data.sentences1) < 2:
        raise FormatError(f"{name}: a correlation needs at least 2 sentence pairs, got {len(data.sentences1)}")
    if np.ptp(data.scores) == 0:
        raise FormatError(f"{name}: every gold score is {data.scores[0]}; a correlation needs different scores")
    start = time.perf_counter()
    n = len(data.sentences1)
    vectors = embed_texts(encoder, [*data.sentences1, *data.sentences2], batch_size=batch_size)
    a, b = vectors[:n], vectors[n:]
    gold = data.scores
    scores: dict[str, float] = {}
    for metric, similarity in (
        ("cosine", 1 - paired_cosine_distances(a, b)),
        ("manhattan", -paired_manhattan_distances(a, b)),
        ("euclidean", -paired_euclidean_distances(a, b)),
    ):
        scores[f"{metric}_pearson"] = float(pearsonr(gold, similarity)[0]) * 100
        scores[f"{metric}_spearman"] = float(spearmanr(gold, similarity)[0]) * 100
    seconds = time.perf_counter() - start
    return TaskResult(name, "sts", "cosine_spearman", scores["cosine_spearman"], scores, seconds)
