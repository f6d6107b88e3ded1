"""Choose the default recommender's options on a validation split (never on the test split).

For each data set: the same seeded train/test split as ``tokvec recommend evaluate`` (seed 1); the
training playlists are split again into fit and validation (seed 101). item2vec is trained on the
fit playlists for each word2vec option set; then every blend (weights, recency) is
scored on the validation queries of both protocols. The score of a candidate is its HitRate@10
divided by the best baseline's, averaged over data sets and protocols. Prints the best candidates.

    .venv/bin/python tools/tune_recommender.py ../shared/data/playlists/yes_small ../shared/data/playlists/yes_big
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import time

import numpy as np

from tokvec.recommend import BASELINES, PROTOCOLS, evaluate, make_queries, preset, read_playlists, split_playlists
from tokvec.recommend.evaluate import exclude_seen, target_ranks
from tokvec.recommend.item2vec import train_recommender

# a first, wider run (epochs 5/30, ns_exponent 0.75/-0.5, recency 0.5-1, weights 0-2 each) ranked the
# blends the same whatever the word2vec options; this run refines the weights around its best
WORD2VEC = [{"epochs": 5}]
RECENCY = [0.75, 1.0]
VECTOR_WEIGHTS = [0.0, 0.05, 0.1, 0.25, 0.5]
TRANSITION_WEIGHTS = [0.0, 0.25, 0.5, 1.0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="+")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    results: dict[tuple, list[float]] = {}
    for path in args.data:
        playlists = read_playlists(path)
        train, _test = split_playlists(playlists, test_fraction=0.1, seed=1)
        fit, validation = split_playlists(train, test_fraction=0.1, seed=101)
        queries = {p: make_queries(validation, p, seed=101) for p in PROTOCOLS}
        best = {p: max(evaluate(cls(fit), q).hit_rate for cls in BASELINES) for p, q in queries.items()}
        print(f"{playlists.name}: best baseline on validation {best}", flush=True)
        for options in WORD2VEC:
            start = time.perf_counter()
            rec = train_recommender(fit, preset("book").replace(**options))
            print(f"  trained {options} in {time.perf_counter() - start:.1f} s", flush=True)
            for protocol, q in queries.items():
                book = evaluate(rec, q).hit_rate
                results.setdefault((str(options), "book"), []).append(book / best[protocol])
                for recency in RECENCY:
                    parts = [
                        _scores(rec, q, recency, weights)
                        for weights in ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
                    ]
                    for v, t in itertools.product(VECTOR_WEIGHTS, TRANSITION_WEIGHTS):
                        c = 2.0  # only the ratios matter
                        scores = v * parts[0] + t * parts[1] + c * parts[2]
                        exclude_seen(scores, q.items, q.bounds)
                        hit = float((target_ranks(scores, q.targets) <= 10).mean())
                        key = (str(options), f"v={v} t={t} c={c} recency={recency}")
                        results.setdefault(key, []).append(hit / best[protocol])
    n = 2 * len(args.data)
    ranked = sorted(((np.mean(r), min(r), k) for k, r in results.items() if len(r) == n), reverse=True)
    print("mean HitRate@10 / best baseline (validation), worst cell, candidate:")
    for mean, worst, key in ranked[: args.top]:
        print(f"  {mean:.3f}  {worst:.3f}  {key[0]}  {key[1]}")
    print("the best candidate for each vector weight:")
    for v in VECTOR_WEIGHTS:
        mean, worst, key = next(r for r in ranked if r[2][1].startswith(f"v={v} "))
        print(f"  {mean:.3f}  {worst:.3f}  {key[0]}  {key[1]}")


def _scores(rec, queries, recency, weights) -> np.ndarray:
    config = rec.config.replace(
        recency=recency,
        vector_weight=weights[0],
        transition_weight=weights[1],
        cooccurrence_weight=weights[2],
    )
    return dataclasses.replace(rec, config=config).score(queries.items, queries.bounds)


if __name__ == "__main__":
    main()
