"""One evaluation table: data sets x methods x protocols, each metric averaged over seeded splits.

A method is a function ``(train playlists, seed) -> scorer``; :func:`standard_methods` gives the
baselines and tokvec's presets. Other methods (gensim in ``bench/recommend.py``) plug in the same way.

>>> from tokvec.recommend import sample_playlists
>>> rows = run_evaluation({"sample": sample_playlists()}, baseline_methods(), seeds=(1,))
>>> [(r.method, r.protocol) for r in rows][:2]
[('popularity', 'last'), ('popularity', 'random')]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .config import RecommenderConfig, preset
from .evaluate import BASELINES, PROTOCOLS, Scorer, evaluate, make_queries, split_playlists
from .item2vec import train_recommender
from .playlists import Playlists

Method = Callable[[Playlists, int], Scorer]


@dataclass(frozen=True)
class Row:
    """Mean (and standard deviation over seeds) of each metric of one method on one data set and protocol."""

    dataset: str
    method: str
    protocol: str
    hit_rate: float
    hit_rate_std: float
    mrr: float
    ndcg: float
    coverage: float
    seeds: int
    queries: int
    train_seconds: float

    def as_dict(self) -> dict[str, Any]:
        """Return the row as a plain dict (for JSON)."""
        return asdict(self)


def baseline_methods() -> dict[str, Method]:
    """Return the baselines: popularity, co-occurrence and transition counts."""
    return {cls.name: (lambda train, seed, cls=cls: cls(train)) for cls in BASELINES}


def item2vec_method(config: RecommenderConfig, *, progress: bool = False) -> Method:
    """Return a method that trains a tokvec recommender with ``config`` (and the split's seed)."""
    return lambda train, seed: train_recommender(train, config.replace(seed=seed), progress=progress)


def standard_methods(presets: Sequence[str] = ("book", "default")) -> dict[str, Method]:
    """Return the baselines and a tokvec recommender for each preset ('tokvec book', 'tokvec default')."""
    methods = baseline_methods()
    for name in presets:
        methods[f"tokvec {name}"] = item2vec_method(preset(name))
    return methods


def run_evaluation(
    datasets: Mapping[str, Playlists],
    methods: Mapping[str, Method],
    *,
    seeds: Sequence[int] = (1, 2, 3),
    test_fraction: float = 0.1,
    k: int = 10,
    log: Callable[[str], None] | None = None,
) -> list[Row]:
    """Evaluate every method on every data set with both protocols, one split per seed."""
    rows = []
    for dataset, playlists in datasets.items():
        per: dict[tuple[str, str], list[Any]] = {}
        for seed in seeds:
            train, test = split_playlists(playlists, test_fraction=test_fraction, seed=seed)
            queries = {p: make_queries(test, p, seed=seed) for p in PROTOCOLS}
            for method, make in methods.items():
                start = time.perf_counter()
                scorer = make(train, seed)
                seconds = time.perf_counter() - start
                for protocol, q in queries.items():
                    result = evaluate(scorer, q, k=k)
                    per.setdefault((method, protocol), []).append((result, seconds))
                    if log:
                        log(f"{dataset} seed {seed} {method} {protocol}: HitRate@{k} {result.hit_rate:.4f}")
        for (method, protocol), results in per.items():
            metrics = [r for r, _ in results]
            hit = np.array([m.hit_rate for m in metrics])
            rows.append(
                Row(
                    dataset,
                    method,
                    protocol,
                    float(hit.mean()),
                    float(hit.std(ddof=1)) if len(hit) > 1 else 0.0,
                    float(np.mean([m.mrr for m in metrics])),
                    float(np.mean([m.ndcg for m in metrics])),
                    float(np.mean([m.coverage for m in metrics])),
                    len(metrics),
                    int(np.mean([m.queries for m in metrics])),
                    float(np.mean([s for _, s in results])),
                )
            )
    return rows
