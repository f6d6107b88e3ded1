"""Evaluation: splits, hidden songs, ranks with ties, the metrics worked out by hand, baselines counted by hand."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tokvec import UnknownNameError
from tokvec.recommend import (
    Catalogue,
    CoOccurrence,
    Playlists,
    Popularity,
    Queries,
    Transitions,
    evaluate,
    make_queries,
    sample_playlists,
    split_playlists,
)
from tokvec.recommend.evaluate import target_ranks


class Fixed:
    """A scorer that returns the same scores for every query."""

    name = "fixed"

    def __init__(self, scores: list[float]) -> None:
        self.scores = np.array(scores, dtype=np.float32)

    def score(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        return np.tile(self.scores, (len(bounds) - 1, 1))


def _playlists(seqs: list[list[int]], n: int = 6) -> Playlists:
    return Playlists.from_lists(seqs, Catalogue.from_keys([f"s{i}" for i in range(n)]))


def test_ranks_break_ties_by_lower_index() -> None:
    scores = np.array([[0.5, 1.0, 0.5, 0.0], [0.5, 1.0, 0.5, 0.0]], dtype=np.float32)
    assert target_ranks(scores, np.array([2, 0])).tolist() == [3, 2]


def test_metrics_worked_example() -> None:
    # items 0..5 scored 5, 4, 3, 2, 1, 0: item i ranks i + 1 unless the query holds better items
    queries = Queries(
        items=np.array([5, 0, 5], dtype=np.int32),  # query 0 is [5], query 1 is [0, 5]
        bounds=np.array([0, 1, 3]),
        targets=np.array([2, 0], dtype=np.int32),  # rank 3; the second hides an item it also holds: a miss
        n_items=6,
    )
    m = evaluate(Fixed([5, 4, 3, 2, 1, 0]), queries, k=2)
    assert (m.hit_rate, m.mrr, m.ndcg) == (0.0, 0.0, 0.0)
    m = evaluate(Fixed([5, 4, 3, 2, 1, 0]), queries, k=3)
    assert m.hit_rate == 0.5
    assert m.mrr == pytest.approx((1 / 3) / 2)
    assert m.ndcg == pytest.approx((1 / math.log2(4)) / 2)
    # top 3: query 0 (5 excluded) -> 0, 1, 2; query 1 (0, 5 excluded) -> 1, 2, 3
    assert m.coverage == pytest.approx(4 / 6)


def test_split_is_seeded_and_keeps_short_playlists_in_train() -> None:
    songs = sample_playlists()
    train, test = split_playlists(songs, test_fraction=0.1, seed=7)
    again, test_again = split_playlists(songs, test_fraction=0.1, seed=7)
    assert np.array_equal(test.items, test_again.items) and np.array_equal(train.items, again.items)
    other = split_playlists(songs, test_fraction=0.1, seed=8)[1]
    assert not np.array_equal(test.items, other.items)
    assert len(train) + len(test) == len(songs) and len(test) == 500
    mixed = _playlists([[0], [1, 2], [3, 4], [5]])
    train, test = split_playlists(mixed, test_fraction=0.5, seed=1)
    assert len(test) == 1 and sorted(len(p) for p in (train[i] for i in range(len(train)))) == [1, 1, 2]


def test_queries_hide_the_last_or_a_random_song() -> None:
    test = _playlists([[0, 1, 2], [3, 4]])
    q = make_queries(test, "last")
    assert q.targets.tolist() == [2, 4]
    assert [q.items[q.bounds[i] : q.bounds[i + 1]].tolist() for i in range(2)] == [[0, 1], [3]]
    q = make_queries(test, "random", seed=3)
    for i, playlist in enumerate([[0, 1, 2], [3, 4]]):
        query = q.items[q.bounds[i] : q.bounds[i + 1]].tolist()
        rest = list(playlist)
        rest.remove(int(q.targets[i]))
        assert query == rest
    with pytest.raises(UnknownNameError, match="choose one of last, random"):
        make_queries(test, "first")


@st.composite
def data(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]]]:
    song = st.integers(0, 5)
    train = draw(st.lists(st.lists(song, min_size=1, max_size=6), min_size=1, max_size=8))
    queries = draw(st.lists(st.lists(song, min_size=1, max_size=4), min_size=1, max_size=4))
    return train, queries


def _expected(train: list[list[int]], queries: list[list[int]], kind: str) -> np.ndarray:
    """The baselines' scores counted by hand: counts, plus popularity / (max + 1) to break ties."""
    popularity = Counter(s for p in train for s in p)
    top = max(popularity.values()) + 1
    out = np.zeros((len(queries), 6))
    for q, query in enumerate(queries):
        counts: Counter[int] = Counter()
        for p in train:
            if kind == "transitions":
                counts.update(b for a, b in itertools.pairwise(p) if a == query[-1] and a != b)
            else:  # every other song of a playlist, for each time a query song occurs in it
                for a in query:
                    for i, x in enumerate(p):
                        if x == a:
                            counts.update(b for j, b in enumerate(p) if j != i and b != a)
        for s in range(6):
            out[q, s] = counts[s] + popularity[s] / top
    return out


@SETTINGS
@given(data())
def test_baselines_equal_counting_by_hand(case: tuple[list[list[int]], list[list[int]]]) -> None:
    train_lists, query_lists = case
    train = _playlists(train_lists)
    items = np.array([s for q in query_lists for s in q], dtype=np.int32)
    bounds = np.cumsum([0] + [len(q) for q in query_lists])
    for cls, kind in ((Transitions, "transitions"), (CoOccurrence, "co-occurrence")):
        got = cls(train).score(items, bounds)
        np.testing.assert_allclose(got, _expected(train_lists, query_lists, kind), rtol=1e-6)
    popular = Popularity(train).score(items, bounds)
    assert popular[0].tolist() == np.bincount(train.items, minlength=6).tolist()
