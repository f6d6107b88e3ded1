"""GloVe: tokvec against the Stanford reference (../shared/anchors/glove, built in a temporary folder), same run.

Both train on ELTeC in text8 form (eltec8.gz, 11.7 M words; ``--words N`` takes the first N) with vector 100,
window 10, x_max 10, alpha 0.75, 15 iterations, min_count 5, 2 threads. The reference runs its four programs
(vocab_count, cooccur, shuffle, glove) with their default memory settings; its time is the four together and
its peak memory the largest of the four (each program's own maximum resident size, from wait4). tokvec runs
in a fresh process (peak = VmHWM right after training, before evaluation is imported). Both are scored by
tokvec's evaluation: Google analogies among the 30,000 most frequent words and WS-353 Spearman. The
reference's ``<unk>`` row is dropped before scoring. Read the ratios of one run: this machine is shared.

    .venv/bin/python bench/glove.py --words 3000000     # the first 3 M words
    .venv/bin/python bench/glove.py                     # all 11.7 M words (long on a shared 2-core machine)
    .venv/bin/python bench/glove.py --words 3000000 --seeds 3   # and each side's spread over three seeds
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from _common import peak_mib

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))
ANCHOR = pathlib.Path(os.environ.get("TOKVEC_ANCHORS", ROOT.parent / "shared" / "anchors")) / "glove"
CORPUS = DATA / "text/eltec-eng/eltec8.gz"
_WRITE_CORPUS = """
import gzip, sys
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
    words = f.read().split()
n = int(sys.argv[3]) or len(words)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(" ".join(words[:n]) + "\\n")
print(len(words[:n]))
"""
SETTINGS = {"vector_size": 100, "window": 10, "x_max": 10.0, "alpha": 0.75, "epochs": 15, "min_count": 5}


def worker_tokvec(corpus: str, threads: int, seed: int) -> dict:
    """Train with tokvec in this process; return time, peak memory and quality."""
    from tokvec import GloveConfig, train_glove

    start = time.perf_counter()
    kv = train_glove(corpus, GloveConfig(**SETTINGS, threads=threads, seed=seed))
    seconds = time.perf_counter() - start
    peak = peak_mib()
    return {"seconds": seconds, "peak_mib": peak, **score(kv)}


def score(kv) -> dict:  # type: ignore[no-untyped-def]
    from tokvec.vectors import evaluate as ev

    analogies = ev.evaluate_analogies(kv, DATA / ev.ANALOGY_SET, restrict=30_000)
    ws = ev.evaluate_similarity(kv, DATA / ev.SIMILARITY_SETS["WS-353"])
    return {"analogy": analogies.accuracy, "ws353": ws.spearman, "keys": len(kv)}


def build_reference(folder: pathlib.Path) -> pathlib.Path:
    """Copy the reference's sources to ``folder`` and build them with its Makefile; return the build folder."""
    shutil.copytree(ANCHOR / "src", folder / "src")
    shutil.copy(ANCHOR / "Makefile", folder / "Makefile")
    subprocess.run(["make", "-s", "-C", str(folder)], check=True, capture_output=True)
    return folder / "build"


def _run(cmd: list[str], stdin: str | None, stdout: str | None, cwd: pathlib.Path) -> tuple[float, float]:
    """Run one program; return (seconds, its own peak resident MiB)."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for f in (fin, fout):
        if f is not subprocess.DEVNULL:
            f.close()
    if proc.returncode:
        raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024


def run_reference(build: pathlib.Path, corpus: str, work: pathlib.Path, threads: int, seed: int) -> dict:
    s = SETTINGS
    steps = [
        ("vocab_count", [str(build / "vocab_count"), "-min-count", str(s["min_count"]), "-verbose", "0"],
         corpus, "vocab.txt"),
        ("cooccur", [str(build / "cooccur"), "-vocab-file", "vocab.txt", "-verbose", "0",
                     "-window-size", str(s["window"])], corpus, "cooccurrence.bin"),
        ("shuffle", [str(build / "shuffle"), "-verbose", "0", "-seed", str(seed)], "cooccurrence.bin",
         "cooccurrence.shuf.bin"),
        ("glove", [str(build / "glove"), "-save-file", "vectors", "-threads", str(threads),
                   "-input-file", "cooccurrence.shuf.bin", "-x-max", str(s["x_max"]), "-alpha", str(s["alpha"]),
                   "-iter", str(s["epochs"]), "-vector-size", str(s["vector_size"]), "-binary", "0",
                   "-vocab-file", "vocab.txt", "-verbose", "0", "-seed", str(seed)], None, None),
    ]  # fmt: skip
    times, peaks = {}, {}
    for name, cmd, stdin, stdout in steps:
        stdin = stdin if stdin is None or os.path.isabs(stdin) else str(work / stdin)
        stdout = None if stdout is None else str(work / stdout)
        times[name], peaks[name] = _run(cmd, stdin, stdout, work)
    # subtle: scored in a child, so that this process stays small for the next seed's programs (a child's
    # ru_maxrss starts at the size of the parent it was forked from)
    cmd = [sys.executable, __file__, "--score", str(work / "vectors.txt")]
    scores = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    return {"seconds": sum(times.values()), "peak_mib": max(peaks.values()), "steps_s": times,
            "steps_mib": peaks, **scores}  # fmt: skip


def score_reference(path: str) -> dict:
    """Score the reference's text vectors (its ``<unk>`` row dropped)."""
    from tokvec import KeyedVectors

    kv = KeyedVectors.load(path, format="glove")
    kv = kv.restrict(len(kv) - 1) if kv.keys[-1] == "<unk>" else kv
    return score(kv)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, help="use only the first N words of the corpus")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=1, help="run both for seeds --seed .. --seed + N - 1 (spread)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--worker", metavar="CORPUS", help=argparse.SUPPRESS)
    ap.add_argument("--score", metavar="VECTORS", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.score:
        print(json.dumps(score_reference(args.score)))
        return 0
    if args.worker:
        print(json.dumps(worker_tokvec(args.worker, args.threads, args.seed)))
        return 0
    if not CORPUS.exists() or not (ANCHOR / "src").exists():
        print(f"bench: {CORPUS} or {ANCHOR}/src is missing", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-glove-") as tmp:
        work = pathlib.Path(tmp)
        build = build_reference(work / "reference")
        corpus = work / "corpus.txt"
        # subtle: the plain-text corpus is written by a child process; a parent that had held the corpus
        # would hand its resident size to every program it starts (ru_maxrss survives fork and exec)
        write = [sys.executable, "-c", _WRITE_CORPUS, str(CORPUS), str(corpus), str(args.words or 0)]
        n_words = int(subprocess.run(write, check=True, capture_output=True, text=True).stdout)
        loads = [os.getloadavg()]
        runs = []
        for seed in range(args.seed, args.seed + args.seeds):
            print(f"bench: tokvec on {n_words:,} words, seed {seed} ...", file=sys.stderr, flush=True)
            cmd = [sys.executable, __file__, "--threads", str(args.threads), "--seed", str(seed),
                   "--worker", str(corpus)]  # fmt: skip
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            ours = json.loads(done.stdout.strip().splitlines()[-1])
            loads.append(os.getloadavg())
            print(
                f"bench: reference (vocab_count, cooccur, shuffle, glove), seed {seed} ...", file=sys.stderr, flush=True
            )
            ref = run_reference(build, str(corpus), work, args.threads, seed)
            loads.append(os.getloadavg())
            runs.append((seed, ours, ref))
    print(f"GloVe on {n_words:,} words of eltec8: vector 100, window 10, x_max 10, 15 iterations, "
          f"{args.threads} threads")  # fmt: skip
    print(
        "load average (1, 5, 15 min) before and after each program: "
        + " / ".join("(" + ", ".join(f"{x:.1f}" for x in load) + ")" for load in loads)
    )
    print(f"{'':>10} {'seed':>4} {'seconds':>9} {'peak MiB':>9} {'analogy':>8} {'WS-353':>7} {'keys':>7}")
    for seed, ours, ref in runs:
        for name, r in (("tokvec", ours), ("reference", ref)):
            cells = f"{r['seconds']:9.1f} {r['peak_mib']:9.0f} {r['analogy']:8.4f} {r['ws353']:7.4f} {r['keys']:7}"
            print(f"{name:>10} {seed:4} {cells}")
        print("reference steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in ref["steps_s"].items()))
        print("reference steps (MiB): " + ", ".join(f"{k} {v:.0f}" for k, v in ref["steps_mib"].items()))

    def mean(side: int, key: str) -> float:
        return sum(r[side][key] for r in runs) / len(runs)

    def spread(side: int, key: str) -> float:
        return max(r[side][key] for r in runs) - min(r[side][key] for r in runs)

    ours, ref = runs[-1][1], runs[-1][2]
    what = f"means of {len(runs)} seeds" if len(runs) > 1 else f"seed {args.seed}"
    print(f"{what}: time tokvec / reference: {mean(1, 'seconds') / mean(2, 'seconds'):.2f}x (goal <= 0.5x); "
          f"peak memory: {mean(1, 'peak_mib') / mean(2, 'peak_mib'):.2f}x (goal <= 1); "
          f"analogy {100 * (mean(1, 'analogy') - mean(2, 'analogy')):+.2f} points (goal within 1); "
          f"WS-353 {mean(1, 'ws353') - mean(2, 'ws353'):+.3f} (goal within 0.02)")  # fmt: skip
    if len(runs) > 1:
        print(f"spread over seeds (max - min): WS-353 tokvec {spread(1, 'ws353'):.3f}, reference "
              f"{spread(2, 'ws353'):.3f}; analogy tokvec {100 * spread(1, 'analogy'):.2f}, reference "
              f"{100 * spread(2, 'analogy'):.2f} points")  # fmt: skip
    if args.json:
        payload = {"tokvec": ours, "reference": ref, "words": n_words, "loads": loads,
                   "runs": [{"seed": seed, "tokvec": o, "reference": r} for seed, o, r in runs]}  # fmt: skip
        pathlib.Path(args.json).write_text(json.dumps(payload, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
