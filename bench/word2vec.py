"""word2vec: tokvec against gensim in the same run, on ELTeC in text8 form (eltec8.gz, 11.7 M words).

Each (library, architecture, threads) trains in a fresh process (so peak memory is that library's alone, read
from /proc (VmHWM) right after training; tokvec's evaluation is imported only after that). Working memory is
measured as bench/encode.py does: after the imports each library trains once on a tiny corpus (its first
kernel call: numba loads its compiled code, gensim its C extension), the RSS then is the baseline, the peak is
reset to it (/proc/self/clear_refs), and working memory = the peak RSS of the real training minus that
baseline. The timed training: corpus file to vectors, end to end, with vector 100, window 5, negative 5,
sample 1e-3, min_count 5 and 5 epochs. Words per second = corpus words x epochs / seconds (wall clock), and
per CPU-second (user + system time of the process: on a machine whose cores other users keep busy, wall-clock
rates say more about the neighbours than about the code).
Both libraries' vectors are scored by tokvec's evaluation, which equals gensim's
(tests/vectors/test_formats_evaluate.py): Google analogies among the 30,000 most frequent words and
WS-353 Spearman. Read the ratios of one run: this machine is shared and noisy.

    .venv/bin/python bench/word2vec.py                      # the full run (long on a shared 2-core machine)
    .venv/bin/python bench/word2vec.py --words 2000000      # the first 2 M words only: a quick look
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

from _common import peak_mib, reset_peak, rss_mib

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))
CORPUS = DATA / "text/eltec-eng/eltec8.gz"
GOALS = {"skipgram": 1.6, "cbow": 1.8}  # issue 19: tokvec 2 threads over gensim 2 workers


def worker(lib: str, arch: str, threads: int, corpus: str, epochs: int, seed: int) -> dict:
    """Train in this process; return timing, peak memory and quality."""
    # subtle: only the library under test is imported before training (outside the timing, as before);
    # tokvec's evaluation comes after the peak is read, or gensim's peak would carry tokvec and numba (~65 MB)
    if lib == "tokvec":
        from tokvec import Word2VecConfig, train_word2vec
    else:
        from gensim.models import Word2Vec
        from gensim.models.word2vec import Text8Corpus
    # the first kernel call, outside the timing and below the working-memory baseline
    tiny = [["a", "b", "c", "d"]] * 20
    if lib == "tokvec":
        train_word2vec(tiny, Word2VecConfig(architecture=arch, min_count=1, epochs=1, threads=threads, seed=seed))
    else:
        Word2Vec(tiny, sg=1 if arch == "skipgram" else 0, vector_size=100, min_count=1, epochs=1, workers=threads)
    gc.collect()
    baseline = rss_mib()
    reset = reset_peak()
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    if lib == "tokvec":
        cfg = Word2VecConfig(architecture=arch, epochs=epochs, threads=threads, seed=seed)
        kv = train_word2vec(corpus, cfg)
        keys, vectors = kv.keys, kv.vectors
    else:
        model = Word2Vec(
            Text8Corpus(corpus), sg=1 if arch == "skipgram" else 0, vector_size=100, window=5, negative=5,
            sample=1e-3, min_count=5, epochs=epochs, workers=threads, seed=seed,
        )  # fmt: skip
        keys, vectors = list(model.wv.index_to_key), model.wv.vectors
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = peak_mib()  # VmHWM: ru_maxrss would survive exec and report the parent's size
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    import numpy as np

    from tokvec import KeyedVectors
    from tokvec.vectors import evaluate as ev

    kv = KeyedVectors(keys, np.asarray(vectors))
    analogies = ev.evaluate_analogies(kv, DATA / ev.ANALOGY_SET, restrict=30_000)
    ws = ev.evaluate_similarity(kv, DATA / ev.SIMILARITY_SETS["WS-353"])
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mib": peak,
        "baseline_mib": baseline,
        "work_mib": peak - baseline,
        "peak_reset": reset,
        "analogy": analogies.accuracy,
        "ws353": ws.spearman,
        "keys": len(keys),
    }


def count_words(path: str) -> int:
    from tokvec.vectors.corpus import read_corpus

    return read_corpus(path, min_count=1).raw_words


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, help="use only the first N words of the corpus")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--architectures", nargs="+", default=["skipgram", "cbow"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--worker", nargs=4, metavar=("LIB", "ARCH", "THREADS", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        lib, arch, threads, corpus = args.worker
        print(json.dumps(worker(lib, arch, int(threads), corpus, args.epochs, args.seed)))
        return 0
    if not CORPUS.exists():
        print(f"bench: {CORPUS} is missing (set TOKVEC_TEST_DATA to the shared data folder)", file=sys.stderr)
        return 2
    corpus = str(CORPUS)
    tmp = None
    if args.words:
        import gzip

        tmp = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)  # noqa: SIM115
        with gzip.open(CORPUS, "rt") as f:
            words = f.read(args.words * 12).split()[: args.words]
        tmp.write(" ".join(words))
        tmp.close()
        corpus = tmp.name
    n_words = args.words or count_words(corpus)
    warm = [sys.executable, __file__, "--epochs", "1", "--worker", "tokvec", "cbow", "1", corpus]
    subprocess.run(warm, check=True, capture_output=True) if args.words else None  # compile the kernels once
    rows = []
    for arch in args.architectures:
        for threads in args.threads:
            result = {}
            for lib in ("tokvec", "gensim"):
                cmd = [sys.executable, __file__, "--epochs", str(args.epochs), "--seed", str(args.seed),
                       "--worker", lib, arch, str(threads), corpus]  # fmt: skip
                print(f"bench: {lib} {arch} threads={threads} ...", file=sys.stderr, flush=True)
                done = subprocess.run(cmd, check=True, capture_output=True, text=True)
                result[lib] = json.loads(done.stdout.strip().splitlines()[-1])
                result[lib]["words_per_s"] = n_words * args.epochs / result[lib]["seconds"]
                result[lib]["words_per_cpu_s"] = n_words * args.epochs / result[lib]["cpu_seconds"]
            rows.append((arch, threads, result))
    if tmp:
        os.unlink(tmp.name)
    print(f"word2vec on {n_words:,} words of eltec8, {args.epochs} epochs, vector 100, window 5, negative 5")
    head = ("arch", "thr", "tokvec w/s", "gensim w/s", "ratio", "w/cpu-s ratio", "tokvec MiB", "gensim MiB",
            "tokvec work", "gensim work", "analogy t/g", "WS-353 t/g")  # fmt: skip
    print("MiB: peak = peak RSS; work = peak minus the RSS after imports and a first tiny training")
    print("  ".join(f"{h:>12}" for h in head))
    for arch, threads, r in rows:
        t, g = r["tokvec"], r["gensim"]
        cells = (arch, threads, f"{t['words_per_s']:,.0f}", f"{g['words_per_s']:,.0f}",
                 f"{t['words_per_s'] / g['words_per_s']:.2f}x", f"{t['words_per_cpu_s'] / g['words_per_cpu_s']:.2f}x",
                 f"{t['peak_mib']:.0f}", f"{g['peak_mib']:.0f}", f"{t['work_mib']:.0f}", f"{g['work_mib']:.0f}",
                 f"{t['analogy']:.3f}/{g['analogy']:.3f}", f"{t['ws353']:.3f}/{g['ws353']:.3f}")  # fmt: skip
        print("  ".join(f"{c!s:>12}" for c in cells))
    by = {(a, th): r for a, th, r in rows}
    for arch in args.architectures:
        if (arch, 2) in by:
            r2 = by[(arch, 2)]
            print(f"{arch}: tokvec 2 threads / gensim 2 workers = "
                  f"{r2['tokvec']['words_per_s'] / r2['gensim']['words_per_s']:.2f}x "
                  f"(goal >= {GOALS[arch]}x); working memory {r2['tokvec']['work_mib']:.0f} MiB against gensim's "
                  f"{r2['gensim']['work_mib']:.0f} (goal: no more)")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
