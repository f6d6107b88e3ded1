"""Classification with MTEB's protocol: few labelled examples per class, logistic regression, mean accuracy.

For each of ``n_experiments`` (10) runs, the training row indices are shuffled in place (the same array
each run, so the shuffles compound) by a NumPy random state seeded with ``seed`` (42) afresh each run:
MTEB reseeds NumPy's global state when each run's evaluator is made. The first ``samples_per_label`` (8)
rows of every label in that order train ``LogisticRegression(max_iter=100)`` on the embeddings; it
predicts the whole test set. Scores are the means over runs of accuracy, macro F1 and weighted F1,
x100; the spread of the accuracy is kept too.

>>> import numpy as np
>>> from tokvec.tasks.readers import LabelledTexts
>>> class Letters:
...     name, dim, max_seq_length = "letters", 2, None
...     def embed(self, texts, **options):
...         return np.array([[t.count("a"), t.count("b")] for t in texts], np.float32)
...     def fingerprint(self): return "letters"
>>> train = LabelledTexts(["a", "aa", "b", "bb"], ["A", "A", "B", "B"])
>>> test = LabelledTexts(["aaa", "bbb"], ["A", "B"])
>>> evaluate_classification(Letters(), train, test, n_experiments=2).main_score
100.0
"""

from __future__ import annotations

import time
import warnings
from collections import Counter

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError
from ._common import TaskResult, embed_texts, require_sklearn
from .readers import LabelledTexts


def undersample(labels: list[str], samples_per_label: int, order: np.ndarray) -> np.ndarray:
    """Return the first ``samples_per_label`` indices of each label, walking ``order``.

    >>> undersample(["a", "b", "a", "a"], 2, np.array([3, 2, 1, 0])).tolist()
    [3, 2, 1]
    """
    taken: Counter[str] = Counter()
    chosen = []
    for i in order.tolist():
        if taken[labels[i]] < samples_per_label:
            taken[labels[i]] += 1
            chosen.append(i)
    return np.array(chosen, dtype=np.int64)


def evaluate_classification(
    encoder: Encoder,
    train: LabelledTexts,
    test: LabelledTexts,
    *,
    name: str = "classification",
    n_experiments: int = 10,
    samples_per_label: int = 8,
    seed: int = 42,
    max_iter: int = 100,
    batch_size: int = 32,
) -> TaskResult:
    """Score ``encoder`` by logistic regression on few examples per label (MTEB's protocol)."""
    require_sklearn()
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    classes = set(train.labels)
    if len(classes) < 2:
        raise FormatError(
            f"{name}: the training texts have a single label ({next(iter(classes), None)!r}); "
            "classification needs at least two"
        )
    if not test.texts:
        raise FormatError(f"{name}: the test set is empty")
    unseen = sorted(set(test.labels) - classes)
    if unseen:
        raise FormatError(f"{name}: test labels {unseen[:5]} never occur in the training texts")
    start = time.perf_counter()
    order = np.arange(len(train.labels))
    runs = []
    for _ in range(n_experiments):
        np.random.RandomState(seed).shuffle(order)
        runs.append(undersample(train.labels, samples_per_label, order))
    needed = np.unique(np.concatenate(runs))
    train_vectors = np.zeros((len(train.texts), int(encoder.dim)), dtype=np.float32)
    train_vectors[needed] = embed_texts(encoder, [train.texts[i] for i in needed.tolist()], batch_size=batch_size)
    test_vectors = embed_texts(encoder, test.texts, batch_size=batch_size)
    y_train = np.array(train.labels, dtype=object)
    accuracy, f1, f1_weighted = [], [], []
    for rows in runs:
        clf = LogisticRegression(random_state=seed, max_iter=max_iter)
        with warnings.catch_warnings():  # subtle: max_iter=100 stops before convergence, as in MTEB
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(train_vectors[rows], y_train[rows])
        predicted = clf.predict(test_vectors)
        accuracy.append(accuracy_score(test.labels, predicted) * 100)
        f1.append(f1_score(test.labels, predicted, average="macro") * 100)
        f1_weighted.append(f1_score(test.labels, predicted, average="weighted") * 100)
    scores = {
        "accuracy": float(np.mean(accuracy)),
        "accuracy_std": float(np.std(accuracy)),
        "accuracy_min": float(np.min(accuracy)),
        "accuracy_max": float(np.max(accuracy)),
        "f1": float(np.mean(f1)),
        "f1_weighted": float(np.mean(f1_weighted)),
        "accuracy_per_experiment": [float(a) for a in accuracy],
    }
    seconds = time.perf_counter() - start
    return TaskResult(name, "classification", "accuracy", scores["accuracy"], scores, seconds)
