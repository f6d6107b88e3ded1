"""Offline evaluation: a seeded split of playlists, a hidden song per test playlist, every song ranked.

Protocols: ``"last"`` hides the last song (what comes next?), ``"random"`` hides a song at a random
position (what is missing?); the rest of the playlist, in order, is the query. Metrics at ``k`` (10):
HitRate (the hidden song is in the top k), MRR (1/rank, 0 beyond k), NDCG (1/log2(rank + 1), 0
beyond k) and catalogue coverage (the share of all songs that appear in some top-k list). Songs
already in the query are never recommended (``exclude_seen``), for every method alike.

>>> from tokvec.recommend import sample_playlists
>>> train, test = split_playlists(sample_playlists(), test_fraction=0.2, seed=1)
>>> queries = make_queries(test, "last", seed=1)
>>> result = evaluate(Popularity(train), queries)
>>> 0.0 < result.hit_rate < 0.5
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..errors import UnknownNameError
from ..kernels import recommend as kr
from .config import RecommenderConfigError
from .counts import SparseCounts, cooccurrences, transitions
from .playlists import Playlists

PROTOCOLS = ("last", "random")


class Scorer(Protocol):
    """Anything that scores every catalogue item for a batch of queries (higher is better)."""

    name: str

    def score(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Return float32[Q, V] for the queries ``items[bounds[q]:bounds[q + 1]]``."""
        ...


@dataclass(frozen=True, eq=False)
class Queries:
    """Test cases: query ``q`` is ``items[bounds[q]:bounds[q + 1]]`` (in playlist order); ``targets[q]`` is hidden."""

    items: np.ndarray  # int32[N]
    bounds: np.ndarray  # int64[Q + 1]
    targets: np.ndarray  # int32[Q]
    n_items: int  # size of the catalogue

    def __len__(self) -> int:
        return len(self.targets)


@dataclass(frozen=True)
class Metrics:
    """Quality of one method on one set of queries (all at ``k``)."""

    hit_rate: float
    mrr: float
    ndcg: float
    coverage: float
    queries: int
    k: int = 10


def split_playlists(playlists: Playlists, *, test_fraction: float = 0.1, seed: int = 1) -> tuple[Playlists, Playlists]:
    """Split into (train, test): ``test_fraction`` of the playlists with at least 2 songs go to test.

    Shorter playlists always stay in train (they cannot hide a song and keep a query).
    """
    if not 0.0 < test_fraction < 1.0:
        raise RecommenderConfigError(f"test_fraction must be between 0 and 1 (both excluded), got {test_fraction}")
    eligible = np.flatnonzero(playlists.lengths() >= 2)
    rng = np.random.default_rng(seed)
    n_test = round(test_fraction * len(eligible))
    if n_test < 1 or n_test >= len(eligible):
        raise RecommenderConfigError(
            f"{playlists.name or 'the playlists'}: {len(eligible)} playlists with 2 or more songs are too few to hold"
            f" out {test_fraction:.0%} for testing and train on the rest; give more playlists or a larger"
            " --test-fraction"
        )
    test = np.sort(rng.choice(eligible, size=n_test, replace=False))
    is_test = np.zeros(len(playlists), dtype=bool)
    is_test[test] = True
    return playlists.subset(np.flatnonzero(~is_test)), playlists.subset(test)


def make_queries(test: Playlists, protocol: str, *, seed: int = 1) -> Queries:
    """Hide one song of every test playlist: the last (``"last"``) or one at a random position (``"random"``)."""
    if protocol not in PROTOCOLS:
        raise UnknownNameError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")
    lengths = test.lengths()
    if len(lengths) and lengths.min() < 2:
        raise ValueError("every test playlist needs at least 2 songs")
    if protocol == "last":
        hidden = lengths - 1
    else:
        hidden = np.random.default_rng(seed).integers(0, lengths)
    positions = test.bounds[:-1] + hidden
    keep = np.ones(len(test.items), dtype=bool)
    keep[positions] = False
    bounds = test.bounds - np.arange(len(test.bounds))
    bounds[0] = 0
    return Queries(test.items[keep], bounds, test.items[positions].astype(np.int32), len(test.catalogue))


def evaluate(scorer: Scorer, queries: Queries, *, k: int = 10, batch_size: int = 512) -> Metrics:
    """Rank every catalogue item for every query and measure where the hidden one lands.

    Ties between equal scores go to the lower item index, in the ranks and in the top-k lists alike.
    """
    hits = reciprocal = gain = 0.0
    shown = np.zeros(queries.n_items, dtype=bool)
    for lo in range(0, len(queries), batch_size):
        hi = min(lo + batch_size, len(queries))
        b0, b1 = queries.bounds[lo], queries.bounds[hi]
        items, bounds = queries.items[b0:b1], queries.bounds[lo : hi + 1] - b0
        scores = np.array(scorer.score(items, bounds), dtype=np.float32)
        exclude_seen(scores, items, bounds)
        ranks = target_ranks(scores, queries.targets[lo:hi])
        found = ranks <= k
        hits += found.sum()
        reciprocal += (1.0 / ranks[found]).sum()
        gain += (1.0 / np.log2(ranks[found] + 1.0)).sum()
        top = kr.top_k_rows(scores, k)
        shown[top[top >= 0]] = True
    n = max(len(queries), 1)
    coverage = float(shown.mean()) if queries.n_items else 0.0
    return Metrics(float(hits / n), float(reciprocal / n), float(gain / n), coverage, len(queries), k)


def exclude_seen(scores: np.ndarray, items: np.ndarray, bounds: np.ndarray) -> None:
    """Set the scores of each query's own items to -inf, in place."""
    rows = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    scores[rows, items] = -np.inf


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Return the 1-based rank of ``targets[q]`` in row ``q`` (ties: the lower index ranks first)."""
    rows = np.arange(len(targets))
    own = scores[rows, targets][:, None]
    before = np.arange(scores.shape[1])[None, :] < targets[:, None]
    return 1 + (scores > own).sum(axis=1) + ((scores == own) & before).sum(axis=1)


class Popularity:
    """Baseline: the songs most often played in the training playlists, the same for everyone."""

    name = "popularity"

    def __init__(self, train: Playlists) -> None:
        self.counts = train.counts().astype(np.float32)

    def score(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.counts, (len(bounds) - 1, len(self.counts))).copy()


class _CountBaseline:
    """Scores from sums of count rows; popularity breaks ties (it adds less than one count)."""

    name = ""
    counts: SparseCounts

    def __init__(self, train: Playlists) -> None:
        popularity = train.counts().astype(np.float64)
        self.tie_break = (popularity / (popularity.max() + 1.0)).astype(np.float32)

    def _weights(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def score(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        scores = self.counts.score(items, bounds, self._weights(items, bounds))
        scores += self.tie_break
        return scores


class CoOccurrence(_CountBaseline):
    """Baseline: songs that shared a playlist with the query's songs, by count, summed over the query."""

    name = "co-occurrence"

    def __init__(self, train: Playlists) -> None:
        super().__init__(train)
        self.counts = cooccurrences(train)

    def _weights(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        return np.ones(len(items), dtype=np.float32)


class Transitions(_CountBaseline):
    """Baseline: first-order Markov chain, the songs that most often followed the query's last song."""

    name = "transitions"

    def __init__(self, train: Playlists) -> None:
        super().__init__(train)
        self.counts = transitions(train)

    def _weights(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        weights = np.zeros(len(items), dtype=np.float32)
        weights[bounds[1:][np.diff(bounds) > 0] - 1] = 1.0
        return weights


BASELINES = (Popularity, CoOccurrence, Transitions)
