"""word2vec quality over seeds: tokvec against gensim, same corpus, same options, one seed after another.

One run of a seed says little (on the first 3 M words of eltec8, skip-gram analogy accuracy moves by
about 1 point from seed to seed); this script trains both libraries with each seed, 1 thread, and
prints each pair, the mean and standard deviation of each library, and of the paired difference.
Options as bench/word2vec.py: vector 100, window 5, negative 5, sample 1e-3, min_count 5, 5 epochs;
Google analogies among the 30,000 most frequent words and WS-353 Spearman, scored by tokvec.

    .venv/bin/python bench/word2vec_seeds.py --words 3000000 --seeds 1 2 3 4 5 6   # ~10 min on 1 core
"""

from __future__ import annotations

import argparse
import gzip
import os
import pathlib
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))
CORPUS = DATA / "text/eltec-eng/eltec8.gz"


def score(keys: list[str], vectors: object) -> tuple[float, float]:
    """Return (analogy accuracy, WS-353 Spearman) of these vectors."""
    import numpy as np

    from tokvec.vectors import evaluate as ev
    from tokvec.vectors.keyed import KeyedVectors

    kv = KeyedVectors(list(keys), np.asarray(vectors))
    analogy = ev.evaluate_analogies(kv, DATA / ev.ANALOGY_SET, restrict=30_000).accuracy
    return analogy, ev.evaluate_similarity(kv, DATA / ev.SIMILARITY_SETS["WS-353"]).spearman


def train(lib: str, corpus: str, arch: str, seed: int) -> tuple[float, float]:
    """Train one library with ``seed`` on 1 thread and score it."""
    if lib == "tokvec":
        from tokvec import Word2VecConfig, train_word2vec

        kv = train_word2vec(corpus, Word2VecConfig(architecture=arch, seed=seed, threads=1))
        return score(kv.keys, kv.vectors)
    from gensim.models import Word2Vec
    from gensim.models.word2vec import Text8Corpus

    model = Word2Vec(
        Text8Corpus(corpus), sg=1 if arch == "skipgram" else 0, vector_size=100, window=5, negative=5,
        sample=1e-3, min_count=5, epochs=5, workers=1, seed=seed,
    )  # fmt: skip
    return score(model.wv.index_to_key, model.wv.vectors)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=3_000_000, help="use the first N words of eltec8")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--architecture", default="skipgram", choices=["skipgram", "cbow"])
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"bench: {CORPUS} is missing (set TOKVEC_TEST_DATA to the shared data folder)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "words.txt")
        with gzip.open(CORPUS, "rt") as f:
            pathlib.Path(corpus).write_text(" ".join(f.read(args.words * 12).split()[: args.words]))
        rows = []
        for seed in args.seeds:
            t, g = train("tokvec", corpus, args.architecture, seed), train("gensim", corpus, args.architecture, seed)
            rows.append((seed, t, g))
            print(f"seed {seed}: analogy {t[0]:.4f} / {g[0]:.4f}  WS-353 {t[1]:.4f} / {g[1]:.4f}", flush=True)

    def spread(values: list[float], sign: str = "") -> str:
        sd = statistics.stdev(values) if len(values) > 1 else float("nan")
        return f"{statistics.mean(values):{sign}.4f} (sd {sd:.4f})"

    print(f"{args.architecture}, first {args.words:,} words of eltec8, 1 thread, {len(rows)} seeds")
    for i, name in enumerate(("analogy", "WS-353")):
        t = [r[1][i] for r in rows]
        g = [r[2][i] for r in rows]
        diff = [a - b for a, b in zip(t, g, strict=True)]
        print(f"{name}: tokvec {spread(t)}, gensim {spread(g)}, tokvec - gensim {spread(diff, '+')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
