"""One process against a local Dask cluster of 1 and 2 workers: count, tokenize and train bpe on ELTeC.

ELTeC (64 MB of paragraphs) is cut into 8 plain-text parts of about 8 MB and repeated ``--repeat``
times (default 4: 32 files, 256 MB), as corpora come: many files of a few MB. Each job runs

- ``one``: in this process, one encoding thread (the baseline of speed-up and overhead);
- ``one-T``: in this process, with all cores as encoding threads (what ``tokvec count`` does by default);
- ``local:1`` and ``local:2``: a Dask ``LocalCluster`` of 1 or 2 worker processes, one thread each.

For the cluster rows the time is the job alone: the cluster's start and the workers' warm-up
(importing tokvec, loading the tokenizer and numba's cached code: a job on one file, then each job's
per-file work once on every worker, :func:`warm_worker`) are shown
apart as "start s", a cost paid once per cluster, not per job. Overhead is ``local:1 / one - 1``;
speed-up is ``one / local:2``. The load average is printed beside each figure: on a shared machine,
compare only ratios from the same run. Results are checked equal across the rows. ``--rounds N``
runs every measurement N times, in turns (one, local:1, local:2, then again), and keeps the fastest
of each: on a shared machine the least disturbed run is the closest to the work itself. The peak resident
size of the ``local:1`` worker is read during each job (VmHWM, reset before the job; Linux).

example:
  python bench/cluster.py --repeat 1 --jobs count      # 64 MB, count only (about a minute)
  python bench/cluster.py --json cluster.json          # 256 MB, count, tokenize and train bpe
  python bench/cluster.py --jobs train --rounds 3      # train bpe only, the best of 3 turns
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import time

from _common import ELTEC, BenchError, data_dir, progress, require

PARTS = 8


def make_corpus(source, folder: str, repeat: int, mb: float | None) -> list[str]:
    """Write ELTeC (its first ``mb`` MB) as PARTS plain files (cut at line ends), ``repeat`` times; return the paths."""
    with gzip.open(source, "rb") as f:
        data = f.read()
    if mb is not None:
        data = data[: data.index(b"\n", int(mb * 1e6)) + 1]
    cuts = [0]
    for k in range(1, PARTS):
        cuts.append(data.index(b"\n", len(data) * k // PARTS) + 1)
    cuts.append(len(data))
    paths = []
    for r in range(repeat):
        for k in range(PARTS):
            path = os.path.join(folder, f"eltec-{r}-{k}.txt")
            with open(path, "wb") as out:
                out.write(data[cuts[k] : cuts[k + 1]])
            paths.append(path)
    return paths


def run_job(job: str, paths: list[str], client, threads: int | None, scratch: str, args) -> tuple[float, object]:
    from tokvec.cluster import count_files, tokenize_files, train_files

    start = time.perf_counter()
    if job == "count":
        out = count_files(paths, [args.tokenizer], client=client, num_threads=threads)
        result = sum(r.tokens[args.tokenizer] for r in out)
    elif job == "tokenize":
        folder = tempfile.mkdtemp(dir=scratch)
        m = tokenize_files(paths, args.tokenizer, folder, client=client, num_threads=threads)
        result = [s["sha256"] for s in m["shards"]]
        shutil.rmtree(folder)
    else:
        result = train_files("bpe", paths, client=client, vocab_size=args.vocab).merges
    return time.perf_counter() - start, result


def warm_worker(jobs: list[str], path: str, tokenizer: str, vocab: int) -> None:
    """On a worker: load the tokenizer and run each job's per-file kernels once (numba's cached code, tables)."""
    import tokvec
    from tokvec.cluster.sources import expand
    from tokvec.cluster.train import TRAINERS, count_source
    from tokvec.tokens.trainers.config import from_options

    if "count" in jobs or "tokenize" in jobs:
        tokvec.load(tokenizer).encode_batch(["warm up, the workers"], num_threads=1)
    if "train" in jobs:
        count_source(expand([path])[0], config=from_options(TRAINERS["bpe"][0], {"vocab_size": vocab}))


def worker_peak_mib(reset: bool = False) -> float:
    """On a worker: its peak resident MiB (VmHWM) since the last reset; ``reset`` clears the peak first (Linux)."""
    if reset:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # 5: reset the peak resident size to the current one
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="the shared data folder (default: $TOKVEC_TEST_DATA)")
    parser.add_argument("--repeat", type=int, default=4, help="copies of ELTeC (default 4: 256 MB)")
    parser.add_argument("--mb", type=float, default=None, help="only the first MB of ELTeC (a quick look)")
    parser.add_argument("--jobs", default="count,tokenize,train", help="which jobs (default: all three)")
    parser.add_argument("--tokenizer", default="gpt2", help="for count and tokenize (default gpt2)")
    parser.add_argument("--vocab", type=int, default=4096, help="vocab size of train bpe (default 4096)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each measurement, fastest kept (default 1)")
    parser.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args()
    source = require(data_dir(args.data), ELTEC)
    from tokvec.cluster import connect

    jobs = [j for j in args.jobs.split(",") if j]
    scratch = tempfile.mkdtemp(prefix="tokvec-bench-cluster-")
    rows: list[dict] = []
    try:
        paths = make_corpus(source, scratch, args.repeat, args.mb)
        size = sum(os.path.getsize(p) for p in paths)
        progress(f"{len(paths)} files, {size / 1e6:.0f} MB in {scratch}")
        for job in jobs:  # warm this process's numba cache and tokenizer load, outside the clock
            run_job(job, paths[:1], None, 1, scratch, args)
        results: dict[str, object] = {}
        places = (("one", 1), ("one-T", None), ("local:1", 1), ("local:2", 1))
        for where, threads in [p for _ in range(max(1, args.rounds)) for p in places]:
            cluster_start = time.perf_counter()
            with connect(None if where.startswith("one") else where) as client:
                if client is not None:  # the workers import tokvec and load the tokenizer: once, outside the clock
                    for job in jobs:
                        run_job(job, paths[:1], client, 1, scratch, args)
                    # a job on one file warms one worker only: every worker does the per-file work once
                    client.run(warm_worker, jobs, paths[0], args.tokenizer, args.vocab)
                started = time.perf_counter() - cluster_start
                for job in jobs:
                    if where == "one-T" and job == "train":
                        continue  # counting words has no threads: the same as "one"
                    progress(f"{job} on {where} ...")
                    if client is not None:
                        client.run(worker_peak_mib, True)
                    seconds, result = run_job(job, paths, client, threads, scratch, args)
                    peaks = sorted(client.run(worker_peak_mib).values()) if client is not None else []
                    if job in results and results[job] != result:
                        raise BenchError(f"{job} on {where} differs from {job} in one process")
                    results.setdefault(job, result)
                    turn = 1 + sum(r["where"] == where and r["job"] == job for r in rows)
                    row = {"job": job, "where": where, "round": turn, "seconds": round(seconds, 2),
                           "MB/s": round(size / 1e6 / seconds, 1), "start_s": round(started, 2),
                           "load": round(os.getloadavg()[0], 2),
                           "worker_peak_mib": [round(p) for p in peaks]}  # fmt: skip
                    rows.append(row)
                    progress(str(row))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best = {}  # (job, where) -> the fastest row of the rounds
    for r in rows:
        key = (r["job"], r["where"])
        if key not in best or r["seconds"] < best[key]["seconds"]:
            best[key] = r
    print(f"{'job':<9} {'where':<8} {'seconds':>8} {'MB/s':>6} {'start s':>7} {'vs one':>7} {'load':>6}  all rounds")
    for (job, where), r in best.items():
        base = best[job, "one"]["seconds"]
        runs = " ".join(f"{x['seconds']:.2f}" for x in rows if (x["job"], x["where"]) == (job, where))
        print(f"{job:<9} {where:<8} {r['seconds']:>8.2f} {r['MB/s']:>6.1f} {r['start_s']:>7.2f}"
              f" {base / r['seconds']:>6.2f}x {r['load']:>6.2f}  {runs}")  # fmt: skip
    peaks = [p for r in rows if r["where"] == "local:1" for p in r["worker_peak_mib"]]
    if peaks:
        print("peak RSS of the local:1 worker during each job (MiB, every round): "
              + "; ".join(f"{j} " + " ".join(str(p) for r in rows if r["where"] == "local:1" and r["job"] == j
                                             for p in r["worker_peak_mib"]) for j in jobs))  # fmt: skip
    for job in jobs:
        t = {where: r["seconds"] for (j, where), r in best.items() if j == job}
        print(f"{job}: overhead on 1 worker {t['local:1'] / t['one'] - 1:+.1%}, speed-up on 2 workers"
              f" {t['one'] / t['local:2']:.2f}x (fastest of {max(1, args.rounds)})")  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "files": len(paths), "bytes": size, "cpus": os.cpu_count()}, f, indent=1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench/cluster.py: {e}", file=sys.stderr)
        sys.exit(2)
