"""The hand-written parts of the tasks against a second computation (scikit-learn, or MTEB's loops re-derived)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokvec.tasks.classification import undersample
from tokvec.tasks.pairs import best_threshold_scores
from tokvec.tasks.reranking import reciprocal_rank
from tokvec.tasks.retrieval import ndcg_at_k, rank_documents, recall_at_k, top_k

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def _loop_thresholds(scores, labels):
    """Best accuracy and F1 as MTEB's loops compute them: sort descending, cut after each of rows 0..n-2."""
    rows = sorted(zip(scores.tolist(), labels.tolist(), strict=True), key=lambda r: r[0], reverse=True)
    n, positives = len(rows), sum(labels.tolist())
    best_acc = best_f1 = 0.0
    tp, negatives_left = 0, n - positives
    for i in range(n - 1):
        if rows[i][1] == 1:
            tp += 1
        else:
            negatives_left -= 1
        best_acc = max(best_acc, (tp + negatives_left) / n)
        if tp:
            p, r = tp / (i + 1), tp / positives
            best_f1 = max(best_f1, 2 * p * r / (p + r))
    return best_acc, best_f1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-1, 1, allow_nan=False), st.integers(0, 1)),
        min_size=2,
        max_size=40,
        unique_by=lambda t: t[0],
    )
)
def test_best_threshold_matches_the_loop(rows):
    scores = np.array([r[0] for r in rows])
    labels = np.array([r[1] for r in rows])
    got = best_threshold_scores(scores, labels)
    assert got == pytest.approx(_loop_thresholds(scores, labels))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 60), st.integers(1, 3))
def test_ndcg_and_recall_match_scikit_learn(seed, n_docs, max_rel):
    rng = np.random.default_rng(seed)
    scores = rng.random(n_docs)  # distinct with probability 1
    relevance = rng.integers(0, max_rel + 1, n_docs) * (rng.random(n_docs) < 0.3)
    if relevance.sum() == 0:
        relevance[0] = 1
    ids = [f"d{i}" for i in range(n_docs)]
    order = np.argsort(-scores)
    ranked = {"q": [ids[i] for i in order]}
    qrels = {"q": {ids[i]: int(g) for i, g in enumerate(relevance) if g > 0}}
    for k in (1, 3, 10, n_docs):
        expected = sklearn_metrics.ndcg_score(relevance[None, :], scores[None, :], k=k)
        assert ndcg_at_k(ranked, qrels, k) == pytest.approx(expected)
        top = set(order[:k].tolist())
        assert recall_at_k(ranked, qrels, k) == pytest.approx(
            sum(1 for i in top if relevance[i] > 0) / int((relevance > 0).sum())
        )


def test_top_k_equals_a_full_sort():
    rng = np.random.default_rng(0)
    q, d = rng.standard_normal((7, 8)).astype(np.float32), rng.standard_normal((300, 8)).astype(np.float32)
    idx, sc = top_k(q, d, 10)
    full = np.argsort(-(q @ d.T), axis=1)[:, :10]
    assert (idx == full).all()
    assert np.allclose(sc, np.take_along_axis(q @ d.T, full, axis=1))
    assert top_k(q, d[:3], 10)[0].shape == (7, 3)


def test_rank_documents_drops_the_query_itself_and_breaks_ties_like_trec_eval():
    ranked = rank_documents(["a"], ["a", "b", "c"], np.array([[0, 1, 2]]), np.array([[0.9, 0.5, 0.5]]))
    assert ranked == {"a": ["c", "b"]}


def test_reciprocal_rank_and_map_on_a_worked_example():
    # candidates: relevant, irrelevant, relevant; scores put them at ranks 3, 1, 2
    scores, relevant = np.array([0.1, 0.9, 0.5]), np.array([True, False, True])
    assert reciprocal_rank(scores, relevant) == 0.5
    assert reciprocal_rank(scores, relevant, k=1) == 0.0
    # AP = mean of precision at each relevant hit: (1/2 + 2/3) / 2
    assert sklearn_metrics.average_precision_score(relevant, scores) == pytest.approx((1 / 2 + 2 / 3) / 2)


def test_undersampling_follows_mteb_compounded_shuffles():
    labels = ["a"] * 5 + ["b"] * 5
    order = np.arange(10)
    np.random.RandomState(42).shuffle(order)
    first = undersample(labels, 2, order)
    assert len(first) == 4 and sorted(labels[i] for i in first) == ["a", "a", "b", "b"]
    # the second run shuffles the already shuffled order with a fresh seed-42 state
    expected = order.copy()
    np.random.RandomState(42).shuffle(expected)
    np.random.RandomState(42).shuffle(order)
    assert (order == expected).all()
