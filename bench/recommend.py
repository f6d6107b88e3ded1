"""Song recommendations: tokvec against gensim and the baselines, in the same run.

(1) Training time on yes_big (all playlists), the book's recipe (CBOW, vector 32, window 20,
    negative 50, min_count 1, 5 epochs, 1 thread): tokvec's word2vec and gensim's Word2Vec,
    interleaved, best of --repeat; goal: tokvec <= 0.5x gensim's time.
(2) The evaluation table (``tokvec recommend evaluate``'s protocol): popularity, co-occurrence,
    transitions, gensim with the book's recipe, tokvec with the book's recipe and tokvec's default,
    on yes_small, yes_big and MovieLens, both protocols, seeds 1-3. Goal (a): tokvec book = gensim
    book within the spread over seeds; goal (b): tokvec default > the best baseline everywhere on yes.

    .venv/bin/python bench/recommend.py                      # everything (about 15 minutes here)
    .venv/bin/python bench/recommend.py --datasets yes_small --seeds 1 --repeat 1   # a quick look
    .venv/bin/python bench/recommend.py --timing-only        # (1) only
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from _common import BenchError, data_dir, progress, require

from tokvec.recommend import Recommender, preset, read_playlists
from tokvec.recommend.report import Row, run_evaluation, standard_methods
from tokvec.vectors.word2vec import Word2VecConfig, train_word2vec

DATASETS = {
    "yes_small": "playlists/yes_small/train.txt",
    "yes_big": "playlists/yes_big/train.txt",
    "movielens": "movielens/ratings.csv",
}


def gensim_book(train, seed: int) -> Recommender:
    """gensim's Word2Vec with the book's recipe, scored exactly like tokvec's book preset."""
    from gensim.models import Word2Vec

    config = preset("book").replace(seed=seed)
    model = Word2Vec(train.sentences(), **_gensim_options(config))
    return Recommender.from_vectors(train, model.wv.index_to_key, model.wv.vectors, config)


def _gensim_options(config) -> dict:
    return {
        "sg": 1 if config.architecture == "skipgram" else 0,
        "vector_size": config.vector_size,
        "window": config.window,
        "negative": config.negative,
        "ns_exponent": config.ns_exponent,
        "sample": config.sample,
        "epochs": config.epochs,
        "min_count": config.min_count,
        "alpha": config.alpha,
        "min_alpha": config.min_alpha,
        "workers": config.threads,
        "seed": config.seed,
    }


def training_time(playlists, repeat: int) -> dict:
    """Best-of-``repeat`` training seconds of tokvec and gensim on the same sentences, interleaved."""
    from gensim.models import Word2Vec

    sentences = playlists.sentences()
    config = preset("book")
    train_word2vec(sentences[:200], Word2VecConfig(**config.replace(epochs=1).word2vec_options()))  # JIT warm-up
    ours, theirs = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        train_word2vec(sentences, Word2VecConfig(**config.word2vec_options()))
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        Word2Vec(sentences, **_gensim_options(config))
        theirs.append(time.perf_counter() - start)
        progress(f"training: tokvec {ours[-1]:.2f} s, gensim {theirs[-1]:.2f} s")
    return {"tokvec_s": min(ours), "gensim_s": min(theirs), "ratio": min(ours) / min(theirs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="the shared data folder (default: $TOKVEC_TEST_DATA or ../shared/data)")
    parser.add_argument("--datasets", default="yes_small,yes_big,movielens")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="training-time runs per library (best is kept)")
    parser.add_argument("--no-timing", action="store_true", help="skip (1)")
    parser.add_argument("--timing-only", action="store_true", help="run (1) only (reads yes_big alone)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    root = data_dir(args.data)
    names = [] if args.timing_only else [n.strip() for n in args.datasets.split(",") if n.strip()]
    try:
        paths = {n: require(root, DATASETS[n]) for n in names}
    except KeyError as e:
        raise BenchError(f"unknown data set {e}; choose from {', '.join(DATASETS)}") from None
    datasets = {n: read_playlists(p.parent if n.startswith("yes") else p) for n, p in paths.items()}
    out: dict = {}
    if not args.no_timing:
        big = datasets.get("yes_big") or read_playlists(require(root, DATASETS["yes_big"]).parent)
        out["training"] = timing = training_time(big, args.repeat)
        print(f"(1) training on yes_big, book recipe, 1 thread, best of {args.repeat}:")
        print(
            f"    tokvec {timing['tokvec_s']:.2f} s   gensim {timing['gensim_s']:.2f} s   ratio {timing['ratio']:.2f}x"
        )
    if args.timing_only:
        _write(args.json, out)
        return 0
    methods = standard_methods(("book", "default"))
    methods["gensim book"] = gensim_book
    rows = run_evaluation(datasets, methods, seeds=range(1, args.seeds + 1), log=progress)
    out["evaluation"] = [r.as_dict() for r in rows]
    print(f"(2) HitRate@10 (mean ± std over {args.seeds} seeds), MRR@10, NDCG@10, coverage, training seconds:")
    print(table(rows))
    print(goals(rows))
    _write(args.json, out)
    return 0


def _write(path: str | None, out: dict) -> None:
    if path:
        with open(path, "w") as f:
            json.dump(out, f, indent=1)


def table(rows: list[Row]) -> str:
    lines = [
        f"{'data':10} {'method':15} {'hide':6} {'HitRate@10':>17} {'MRR@10':>7} {'NDCG@10':>7} {'cover':>6} {'s':>6}"
    ]
    for r in rows:
        hit = f"{r.hit_rate:.4f} ± {r.hit_rate_std:.4f}"
        lines.append(
            f"{r.dataset:10} {r.method:15} {r.protocol:6} {hit:>17} {r.mrr:7.4f} {r.ndcg:7.4f} {r.coverage:6.3f}"
            f" {r.train_seconds:6.1f}"
        )
    return "\n".join(lines)


def goals(rows: list[Row]) -> str:
    """Say for each data set and protocol whether goals (a) and (b) hold."""
    lines = []
    cells = sorted({(r.dataset, r.protocol) for r in rows})
    for dataset, protocol in cells:
        by = {r.method: r for r in rows if r.dataset == dataset and r.protocol == protocol}
        a = by["tokvec book"].hit_rate - by["gensim book"].hit_rate
        spread = max(by["tokvec book"].hit_rate_std, by["gensim book"].hit_rate_std)
        best = max(("popularity", "co-occurrence", "transitions"), key=lambda m: by[m].hit_rate)
        b = by["tokvec default"].hit_rate / by[best].hit_rate
        lines.append(
            f"{dataset:10} {protocol:6} (a) tokvec book - gensim book = {a:+.4f} (spread {spread:.4f}):"
            f" {'equal' if abs(a) <= 2 * spread else 'DIFFERENT'};"
            f"  (b) tokvec default / best baseline ({best}) = {b:.3f}x: {'wins' if b > 1 else 'LOSES'}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(2)
