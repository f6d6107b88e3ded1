"""Clustering: mini-batch k-means with k = the number of labels, scored by V-measure over seeded runs.

As MTEB's fast clustering: ``n_runs`` (10) bootstrap samples of ``sample_size`` (2,048) texts drawn with
replacement by ``random.Random(seed)``; each is clustered by scikit-learn's ``MiniBatchKMeans`` (batch
512, ``n_init="auto"``) with as many clusters as the sample has labels. The main score is the mean
V-measure x100; the standard deviation, minimum and maximum give the spread. Unlike MTEB (whose k-means
is unseeded), run ``r`` seeds k-means with ``seed + r``, so the same input gives the same scores.

>>> import numpy as np
>>> from tokvec.tasks.readers import LabelledTexts
>>> class Letters:
...     name, dim, max_seq_length = "letters", 2, None
...     def embed(self, texts, **options):
...         return np.array([["a" in t, "b" in t] for t in texts], np.float32) + 0.01 * len(texts[0])
...     def fingerprint(self): return "letters"
>>> data = LabelledTexts(["a", "aa", "aaa", "b", "bb", "bbb"], ["A", "A", "A", "B", "B", "B"])
>>> evaluate_clustering(Letters(), data, n_runs=2, sample_size=6).main_score
100.0
"""

from __future__ import annotations

import random
import time

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ._common import TaskResult, embed_texts, require_sklearn
from .readers import LabelledTexts


def evaluate_clustering(
    encoder: Encoder,
    data: LabelledTexts,
    *,
    name: str = "clustering",
    n_runs: int = 10,
    sample_size: int = 2048,
    kmeans_batch_size: int = 512,
    seed: int = 42,
    batch_size: int = 32,
) -> TaskResult:
    """Score ``encoder`` by how well k-means on its vectors recovers the labels (V-measure)."""
    require_sklearn()
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.metrics import v_measure_score

    if len(set(data.labels)) < 2:
        raise FormatError(f"{name}: every text has the label {data.labels[0]!r}; clustering needs at least two")
    start = time.perf_counter()
    vectors = embed_texts(encoder, data.texts, batch_size=batch_size)
    labels = np.array(data.labels, dtype=object)
    rng = random.Random(seed)
    measures = []
    for run in range(n_runs):
        rows = rng.choices(range(len(labels)), k=sample_size)
        sample_labels = labels[rows]
        k = len(set(sample_labels.tolist()))
        model = MiniBatchKMeans(n_clusters=k, batch_size=kmeans_batch_size, n_init="auto", random_state=seed + run)
        assigned = model.fit_predict(vectors[rows])
        measures.append(float(v_measure_score(sample_labels, assigned)) * 100)
    scores = {
        "v_measure": float(np.mean(measures)),
        "v_measure_std": float(np.std(measures)),
        "v_measure_min": float(np.min(measures)),
        "v_measure_max": float(np.max(measures)),
        "v_measures": measures,
    }
    seconds = time.perf_counter() - start
    return TaskResult(name, "clustering", "v_measure", scores["v_measure"], scores, seconds)
