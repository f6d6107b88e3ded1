"""Bitext mining: find each sentence's translation among all sentences of the other language (MTEB's protocol).

Each sentence of ``sentences1`` is matched to its nearest neighbour by cosine in ``sentences2``; line
``i`` should match line ``i``. Scores (x100): scikit-learn's weighted precision, recall and F1 of the
predicted line numbers, and accuracy. Main score: F1.

>>> import numpy as np
>>> class Letters:
...     name, dim, max_seq_length = "letters", 3, None
...     def embed(self, texts, **options):
...         return np.array([[t.count(c) + 0.1 for c in "abc"] for t in texts], np.float32)
...     def fingerprint(self): return "letters"
>>> evaluate_bitext(Letters(), ["aa", "bb", "cc"], ["AaA", "bbb", "c"]).main_score  # 'AaA' is closest to 'aa'
100.0
"""

from __future__ import annotations

import time

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ._common import TaskResult, embed_texts, require_sklearn, unit_rows
from .retrieval import top_k


def evaluate_bitext(
    encoder: Encoder, sentences1: list[str], sentences2: list[str], *, name: str = "bitext", batch_size: int = 32
) -> TaskResult:
    """Score ``encoder`` on aligned translations (``sentences1[i]`` translates ``sentences2[i]``)."""
    require_sklearn()
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    if len(sentences1) != len(sentences2):
        raise FormatError(f"{name}: {len(sentences1)} sentences on one side and {len(sentences2)} on the other")
    if not sentences1:
        raise FormatError(f"{name}: no sentences")
    start = time.perf_counter()
    a = unit_rows(embed_texts(encoder, sentences1, batch_size=batch_size))
    b = unit_rows(embed_texts(encoder, sentences2, batch_size=batch_size))
    predicted = top_k(a, b, 1)[0][:, 0]
    gold = np.arange(len(sentences1))
    scores = {
        "precision": float(precision_score(gold, predicted, zero_division=0, average="weighted")) * 100,
        "recall": float(recall_score(gold, predicted, zero_division=0, average="weighted")) * 100,
        "f1": float(f1_score(gold, predicted, zero_division=0, average="weighted")) * 100,
        "accuracy": float(accuracy_score(gold, predicted)) * 100,
    }
    seconds = time.perf_counter() - start
    return TaskResult(name, "bitext", "f1", scores["f1"], scores, seconds)
