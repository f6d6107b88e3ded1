"""Static embeddings: tokvec-distilled vs model2vec-distilled vs the teacher (all-MiniLM-L6-v2), same run.

Distills the teacher with tokvec (Zipf weighting, and corpus weighting on the first 30 MB of ELTeC's English
novels) and with ``model2vec.distill`` (256 PCA dimensions, both), timing each; then scores each model and the
teacher with ``tokvec.tasks`` (MTEB's protocols): STSBenchmark (test, cosine Spearman x 100),
Banking77Classification (accuracy x 100, 10 experiments of logistic regression) and SciFact (nDCG@10 x 100),
and times inference on the STS-B test sentences: tokvec ``embed`` vs model2vec ``encode`` (one process, no
multiprocessing) vs the teacher's float32 path. ``--model2vec FOLDER`` reuses a saved model2vec distill
(its time is then not measured). The machine is shared: read the ratios of one run, beside the load averages printed.

    .venv/bin/pip install --no-deps skeletoken   # model2vec's distill needs it; its pins would downgrade tokenizers
    .venv/bin/python bench/static.py
    .venv/bin/python bench/static.py --model2vec /tmp/m2v     # reuse model2vec's distill
"""

from __future__ import annotations

import argparse
import csv
import os
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data")) / "embeddings-eval"


def _csv(path: pathlib.Path, header: bool) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[1:] if header else rows


def _novels(chars: int) -> list[str]:
    """The first ``chars`` characters of ELTeC's English novels, as paragraphs (a general corpus)."""
    import gzip

    path = DATA.parent / "text/eltec-eng/eltec-eng.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read(chars).splitlines()


class _Model2Vec:
    """model2vec's StaticModel as a tokvec encoder (name, dim, max_seq_length, embed, fingerprint)."""

    def __init__(self, model) -> None:  # type: ignore[no-untyped-def]
        self.model, self.name, self.max_seq_length = model, "model2vec distill", None
        self.dim = int(model.embedding.shape[1])

    def embed(self, texts: list[str], **_options: object) -> np.ndarray:
        return self.model.encode(list(texts), use_multiprocessing=False)

    def fingerprint(self) -> str:
        return "model2vec-distill"


TASKS = ("STSBenchmark", "Banking77Classification", "SciFact")


def rate(embed, texts: list[str], repeat: int) -> float:  # type: ignore[no-untyped-def]
    embed(texts[:100])
    start = time.perf_counter()
    for _ in range(repeat):
        embed(texts)
    return repeat * len(texts) / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model2vec", help="a saved model2vec distill of the teacher (skips distilling with model2vec)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20, help="passes over the STS-B sentences when timing")
    args = ap.parse_args()
    import torch

    import tokvec
    from tokvec.embed.load import resolve_folder

    torch.set_num_threads(args.threads)
    sts_test = _csv(DATA / "stsb/stsb-en-test.csv", header=False)
    loads = {"start": os.getloadavg()}
    teacher = tokvec.load_encoder("all-MiniLM-L6-v2")
    t = time.perf_counter()
    ours = tokvec.distill(teacher, num_threads=args.threads)
    seconds = {"tokvec distill": time.perf_counter() - t}
    corpus = _novels(30_000_000)
    t = time.perf_counter()
    ours_corpus = tokvec.distill(teacher, weighting="corpus", corpus=corpus, num_threads=args.threads)
    seconds["tokvec distill (corpus)"] = time.perf_counter() - t
    loads["after tokvec distill"] = os.getloadavg()
    from model2vec import StaticModel

    if args.model2vec:
        theirs = StaticModel.from_pretrained(args.model2vec)
    else:
        from model2vec.distill import distill

        t = time.perf_counter()
        theirs = distill(resolve_folder("all-MiniLM-L6-v2"), pca_dims=256)
        seconds["model2vec distill"] = time.perf_counter() - t
        loads["after model2vec distill"] = os.getloadavg()

    # the criterion: per-row cosine to model2vec's table, PCA signs normalised
    a = np.stack([ours.vectors[t] for t in theirs.tokens])
    b = np.asarray(theirs.embedding, dtype=np.float32)
    a *= np.sign((a * b).sum(axis=0))
    cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1) + 1e-30)

    from tokvec.tasks import run_task

    wrapped = _Model2Vec(theirs)
    m2v = wrapped.embed
    models = {"teacher": teacher, "tokvec distill": ours, "tokvec distill (corpus)": ours_corpus,
              "model2vec distill": wrapped}  # fmt: skip
    scores = {}
    for name, model in models.items():
        print(f"bench: scoring {name} on {', '.join(TASKS)} ...", file=sys.stderr, flush=True)
        scores[name] = [run_task(model, task, data=DATA.parent).main_score for task in TASKS]
    loads["after scoring"] = os.getloadavg()
    sentences = [s for r in sts_test for s in r[:2]]
    speed = {
        "tokvec embed, 1 thread": rate(lambda x: ours.embed(x, num_threads=1), sentences, args.repeat),
        f"tokvec embed, {args.threads} threads": rate(
            lambda x: ours.embed(x, num_threads=args.threads), sentences, args.repeat
        ),
        "model2vec encode": rate(m2v, sentences, args.repeat),
        "teacher float32": rate(lambda x: teacher.embed(x, num_threads=args.threads, progress=False), sentences, 1),
    }
    loads["end"] = os.getloadavg()
    print("all-MiniLM-L6-v2 distilled to 256 dimensions; load averages (1, 5, 15 min):")
    for k, v in loads.items():
        print(f"  {k}: {tuple(round(x, 1) for x in v)}")
    for k, v in seconds.items():
        print(f"{k}: {v:.1f} s")
    if "model2vec distill" in seconds:
        print(f"distill time tokvec / model2vec: {seconds['tokvec distill'] / seconds['model2vec distill']:.2f}x "
              "(goal < 0.5x)")  # fmt: skip
    print(f"rows equal to model2vec's table: min cosine {cos.min():.5f}, median {np.median(cos):.5f} over "
          f"{len(cos):,} tokens (goal >= 0.999)")  # fmt: skip
    print(f"{'model':<26} {'STS-B test':>10} {'Banking77':>10} {'SciFact':>10}")
    for name, row in scores.items():
        print(f"{name:<26} " + " ".join(f"{x:10.2f}" for x in row))
    print(f"{'inference (STS-B test sentences)':<40} {'sentences/s':>12}")
    for k, v in speed.items():
        print(f"{k:<40} {v:12,.0f}")
    base = speed["model2vec encode"]
    print(f"tokvec 1 thread / model2vec encode: {speed['tokvec embed, 1 thread'] / base:.2f}x (goal >= 2x); "
          f"tokvec / teacher float32: {speed['tokvec embed, 1 thread'] / speed['teacher float32']:.0f}x "
          "(goal >= 100x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
