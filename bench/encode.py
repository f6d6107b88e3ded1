"""Encoding throughput and peak memory of tokvec against tiktoken, in the same run, on ELTeC (64 MB).

Both libraries are built from the same rank file and pattern (tiktoken offline, without special tokens).
For each encoding it measures (a) one thread on the whole text as one string (`encode_ordinary`),
(b) the 218,610 lines as a batch on --threads threads (`encode_batch` against tiktoken's
`encode_ordinary_batch`), each the best of --repeat runs after a warm-up, runs of the two libraries
interleaved; the ids must be identical (a mismatch prints MISMATCH and exits 1). Then (c) the peak RSS
of each library in a fresh process that loads its tokenizer and encodes the whole text once on one thread.
Machines here are shared and noisy: compare the ratios, which come from the same run.

With --dropin it times the tiktoken drop-in instead (`tokvec.tiktoken.Encoding`, lists of ints as tiktoken returns
them): `encode` (one thread, the list conversion included) and `encode_batch` against tiktoken's same calls, both
built from the same rank file, pattern and special tokens (the default special-token check runs on both sides).

example:
  python bench/encode.py --encodings cl100k --mb 4 --repeat 1      # a quick look (about 10 s)
  python bench/encode.py --dropin --encodings cl100k o200k         # the drop-in against tiktoken
  python bench/encode.py --json encode.json                        # everything (about 10 minutes)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from typing import Any

from _common import (
    ENCODINGS,
    MB,
    BenchError,
    data_dir,
    encoding_names,
    first_difference,
    load_ours,
    load_reference,
    machine,
    pattern_of,
    plain_ranks,
    proc_status,
    progress,
    rank_file,
    read_eltec,
    reset_peak,
    split_lines,
    table,
    timed,
    write_json,
)

GOALS = {"single": 3.0, "batch": 5.0}  # tokvec / tiktoken throughput
DROPIN_GOALS = {"single": 2.0, "batch": 5.0}  # tokvec.tiktoken / tiktoken, lists of ints on both sides
MEMORY_FLAG = "--_memory-child"


def throughput(name: str, text: str, lines: list[str], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Time both libraries on one encoding, single string and batch; compare their ids."""
    data = data_dir(args.data)
    progress(f"{name}: loading both tokenizers and warming up (JIT, thread pools)")
    ours, ref = load_ours(name, data), load_reference(name, data)
    warm = lines[:2000]
    ours.encode_ordinary("".join(warm))
    ours.encode_batch(warm, num_threads=args.threads, disallowed_special=())
    ref.encode_ordinary("".join(warm))
    ref.encode_ordinary_batch(warm, num_threads=args.threads)
    size = len(text.encode("utf-8")) / MB
    modes = {
        "single": (lambda: ours.encode_ordinary(text), lambda: ref.encode_ordinary(text)),
        "batch": (
            lambda: ours.encode_batch(lines, num_threads=args.threads, disallowed_special=()),
            lambda: ref.encode_ordinary_batch(lines, num_threads=args.threads),
        ),
    }
    rows = []
    for mode, (run_ours, run_ref) in modes.items():
        best = {"tokvec": float("inf"), "tiktoken": float("inf")}
        last: dict[str, Any] = {}
        for k in range(args.repeat):  # interleaved, so that drift of the machine hits both sides alike
            for lib, run in (("tokvec", run_ours), ("tiktoken", run_ref)):
                last[lib] = None  # free the previous result before timing
                seconds, last[lib] = timed(run)
                best[lib] = min(best[lib], seconds)
                progress(f"{name} {mode} {lib} run {k + 1}/{args.repeat}: {seconds:.2f} s, {size / seconds:.1f} MB/s")
        equal, where = compare(mode, last["tokvec"], last["tiktoken"], lines)
        del last
        if not equal:
            progress(f"{name} {mode}: MISMATCH with tiktoken: {where}")
        rows.append({
            "encoding": name, "mode": mode, "threads": 1 if mode == "single" else args.threads, "mb": size,
            "tokvec_mb_s": size / best["tokvec"], "tiktoken_mb_s": size / best["tiktoken"],
            "ratio": best["tiktoken"] / best["tokvec"], "ids_equal": equal, "mismatch": where,
        })  # fmt: skip
    return rows


def dropin_pair(name: str, data):
    """Return (tokvec.tiktoken Encoding, tiktoken Encoding) from the same rank file, pattern and special tokens."""
    import tiktoken

    import tokvec
    import tokvec.tiktoken as dropin

    ranks = plain_ranks(rank_file(name, data))
    specials = dict(tokvec.load(rank_file(name, data)).special_tokens)
    kwargs = {"pat_str": pattern_of(name), "mergeable_ranks": ranks, "special_tokens": specials}
    return dropin.Encoding(name, **kwargs), tiktoken.Encoding(name, **kwargs)


def dropin_throughput(name: str, text: str, lines: list[str], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Time the drop-in's encode and encode_batch against tiktoken's (lists of ints on both sides)."""
    import os

    progress(f"{name}: building both drop-in encodings and warming up")
    ours, ref = dropin_pair(name, data_dir(args.data))
    warm = lines[:2000]
    for enc in (ours, ref):
        enc.encode("".join(warm))
        enc.encode_batch(warm, num_threads=args.threads)
    size = len(text.encode("utf-8")) / MB
    tok = ours.tokenizer  # tokvec's own API (arrays, no lists), for the cost of the drop-in's lists
    modes = {
        "single": (lambda: ours.encode(text), lambda: ref.encode(text), lambda: tok.encode(text)),
        "batch": (
            lambda: ours.encode_batch(lines, num_threads=args.threads),
            lambda: ref.encode_batch(lines, num_threads=args.threads),
            lambda: tok.encode_batch(lines, num_threads=args.threads),
        ),
    }
    rows = []
    for mode, (run_ours, run_ref, run_api) in modes.items():
        best = {"tokvec": float("inf"), "tiktoken": float("inf"), "api": float("inf")}
        last: dict[str, Any] = {}
        for k in range(args.repeat):
            for lib, run in (("tokvec", run_ours), ("tiktoken", run_ref), ("api", run_api)):
                last[lib] = None
                seconds, last[lib] = timed(run)
                best[lib] = min(best[lib], seconds)
                progress(f"{name} drop-in {mode} {lib} run {k + 1}/{args.repeat}: {seconds:.2f} s")
        equal = last["tokvec"] == last["tiktoken"] and (last["api"].tolist() if mode == "batch" else
                                                        last["api"].ids.tolist()) == last["tiktoken"]  # fmt: skip
        where = None if equal else "the lists differ"
        del last
        rows.append({
            "encoding": name, "mode": mode, "threads": 1 if mode == "single" else args.threads, "mb": size,
            "tokvec_mb_s": size / best["tokvec"], "tiktoken_mb_s": size / best["tiktoken"],
            "ratio": best["tiktoken"] / best["tokvec"], "ids_equal": equal, "mismatch": where,
            "load": os.getloadavg()[0], "api_mb_s": size / best["api"], "api_ratio": best["tiktoken"] / best["api"],
        })  # fmt: skip
    return rows


def compare(mode: str, got, want, lines: list[str]) -> tuple[bool, str | None]:
    """Compare tokvec's result with tiktoken's; return (equal, where they first differ)."""
    import numpy as np

    if mode == "single":
        k = first_difference(got.ids, want)
        return k is None, None if k is None else f"token {k} of {len(want)} (tokvec {len(got.ids)} tokens)"
    lengths = np.fromiter(map(len, want), dtype=np.int64, count=len(want))
    flat = [i for ids in want for i in ids]
    if len(lengths) == len(got) and np.array_equal(lengths, got.lengths()) and first_difference(got.ids, flat) is None:
        return True, None
    bad = next(k for k in range(len(want)) if k >= len(got) or got[k].ids.tolist() != want[k])
    return False, f"line {bad + 1}: {lines[bad][:60]!r}"


def memory_child(name: str, lib: str, args: argparse.Namespace, pattern: str) -> None:
    """In a fresh process: load one library, then encode the whole text once; print RSS figures as JSON."""
    data = data_dir(args.data)
    if lib == "tokvec":
        tok = load_ours(name, data)
    else:  # subtle: not through tokvec, so that the tiktoken process does not import numpy and numba
        tok = load_reference(name, data, pattern)
    tok.encode_ordinary("warm up: hello world")
    baseline = current_rss()
    text = read_eltec(data, args.mb)
    with_text, peak = current_rss(), max_rss()
    reset = reset_peak()  # so that the peak of reading the text does not hide the encoding's own
    ids = tok.encode_ordinary(text)
    encoding_peak = max_rss()
    figures = {"baseline": baseline, "with_text": with_text, "peak": max(peak, encoding_peak), "reset": reset}
    print(json.dumps(figures | {"encoding_peak": encoding_peak, "tokens": len(ids)}))


def load_now() -> float:
    """Return the 1-minute load average (the machines are shared: print it beside every figure)."""
    import os

    return os.getloadavg()[0]


def max_rss() -> int:
    """Return this process's peak resident set size in bytes.

    subtle: ru_maxrss also counts the address space before exec, i.e. the parent (this benchmark, with
    the text and a tokenizer loaded) that spawned the child, so on Linux read VmHWM, which starts afresh at exec.
    """
    status = proc_status("VmHWM")
    if status is not None:
        return status
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def current_rss() -> int:
    """Return this process's resident set size in bytes now (Linux), else the peak."""
    status = proc_status("VmRSS")
    return max_rss() if status is None else status


def memory(name: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Run one fresh process per library and collect their RSS figures."""
    rows = []
    for lib in ("tokvec", "tiktoken"):
        progress(f"{name}: peak memory of {lib} in a fresh process")
        cmd = [sys.executable, __file__, MEMORY_FLAG, lib, "--encodings", name, "--data", str(data_dir(args.data))]
        cmd += ["--pattern", pattern_of(name)] + (["--mb", str(args.mb)] if args.mb is not None else [])
        done = subprocess.run(cmd, capture_output=True, text=True)
        row: dict[str, Any] = {"encoding": name, "library": lib}
        try:
            row |= json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            row["error"] = f"exit {done.returncode}: {done.stderr.strip()[-500:]}"
            progress(f"{name}: the {lib} memory process failed: {row['error']}")
        rows.append(row)
    return rows


def report(rows: list[dict[str, Any]], mem: list[dict[str, Any]], args: argparse.Namespace, lines: int) -> bool:
    """Print the tables and the goal lines; return whether the goals hold (informational only)."""
    size = rows[0]["mb"]
    print(f"ELTeC: {size:.1f} MB of UTF-8 (1 MB = 10^6 bytes), {lines:,} lines; best of {args.repeat} runs each\n")
    label = {"single": "single (1 thread)", "batch": f"batch ({args.threads} threads)"}
    if args.dropin:
        label = {"single": "drop-in encode (1 thread)", "batch": f"drop-in encode_batch ({args.threads} threads)"}
    print(table(
        ["encoding", "mode", "tokvec MB/s", "tiktoken MB/s", "ratio", "ids equal", "load avg"],
        [[r["encoding"], label[r["mode"]], f"{r['tokvec_mb_s']:.1f}", f"{r['tiktoken_mb_s']:.1f}",
          f"{r['ratio']:.2f}x", "yes" if r["ids_equal"] else "MISMATCH", f"{r.get('load', load_now()):.2f}"]
         for r in rows],
    ))  # fmt: skip
    if args.dropin:
        print("\ntokvec's own API in the same run (Tokenizer.encode / encode_batch: arrays, no lists):")
        print(", ".join(f"{r['encoding']} {r['mode']} {r['api_mb_s']:.1f} MB/s = {r['api_ratio']:.2f}x" for r in rows))
    if mem:
        mib = 2**20
        print("\nmemory, MiB: a fresh process per library; baseline = RSS after imports + tokenizer load; peak = peak")
        print(
            "RSS of the process after reading the text and encoding it once on one thread; increase = peak - baseline;"
        )
        print("encode = peak while encoding over the RSS with the text read (the encoder's own working memory)\n")
        body = []
        for m in mem:
            if "error" in m:
                body.append([m["encoding"], m["library"], "failed", "-", "-", "-", "-"])
                continue
            encode = f"{(m['encoding_peak'] - m['with_text']) / mib:.0f}" if m["reset"] else "?"
            body.append([m["encoding"], m["library"], f"{m['baseline'] / mib:.0f}", f"{m['peak'] / mib:.0f}",
                         f"{(m['peak'] - m['baseline']) / mib:.0f}", encode, f"{m['tokens']:,}"])  # fmt: skip
        print(table(["encoding", "library", "baseline", "peak", "increase", "encode", "tokens"], body))
    print()
    for r in rows:
        if not r["ids_equal"]:
            print(f"MISMATCH {r['encoding']} {label[r['mode']]}: first difference at {r['mismatch']}")
    met_all = True
    for mode, goal in (DROPIN_GOALS if args.dropin else GOALS).items():
        chosen = [r for r in rows if r["mode"] == mode]
        met = all(r["ratio"] >= goal for r in chosen)
        met_all &= met
        each = ", ".join(f"{r['encoding']} {r['ratio']:.2f}x" for r in chosen)
        print(f"goal: {label[mode]} ratio >= {goal:.0f}x: {'met' if met else 'NOT met'} ({each})")
    return met_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--encodings",
        nargs="+",
        default=list(ENCODINGS),
        metavar="NAME",
        help=f"encodings to run, space or comma separated (default: {' '.join(ENCODINGS)})",
    )
    parser.add_argument("--mb", type=float, help="use only the first N MB of ELTeC, cut after a line (default: all)")
    parser.add_argument("--threads", type=int, default=2, help="threads of both libraries in batch mode (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="take the best of N runs of each side (default 3)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory measurement")
    parser.add_argument("--dropin", action="store_true", help="time tokvec.tiktoken against tiktoken (no memory)")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument(
        "--data", metavar="DIR", help="the shared data folder (default: $TOKVEC_TEST_DATA or ../shared/data)"
    )
    parser.add_argument(MEMORY_FLAG, choices=["tokvec", "tiktoken"], dest="memory_child", help=argparse.SUPPRESS)
    parser.add_argument("--pattern", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.threads < 1 or (args.mb is not None and args.mb <= 0):
        parser.error("--repeat and --threads must be at least 1, --mb above 0")
    try:
        names = encoding_names(args.encodings)
        if args.memory_child:
            memory_child(names[0], args.memory_child, args, args.pattern)
            return 0
        progress(f"reading ELTeC from {data_dir(args.data)}" + (f" (first {args.mb} MB)" if args.mb else ""))
        text = read_eltec(data_dir(args.data), args.mb)
        lines = split_lines(text)
        rows, mem = [], []
        for name in names:
            if args.dropin:
                rows += dropin_throughput(name, text, lines, args)
                continue
            rows += throughput(name, text, lines, args)
            if not args.no_memory:
                mem += memory(name, args)
    except BenchError as e:
        print(f"encode.py: error: {e}", file=sys.stderr)
        return 2
    goals_met = report(rows, mem, args, len(lines))
    equal = all(r["ids_equal"] for r in rows)
    if args.json:
        write_json(args.json, {"machine": machine(), "lines": len(lines), "repeat": args.repeat, "throughput": rows,
                               "memory": mem, "goals": DROPIN_GOALS if args.dropin else GOALS,
                               "goals_met": goals_met, "ids_equal": equal, "dropin": args.dropin})  # fmt: skip
    if not equal:
        print("\nFAILURE: tokvec's ids differ from tiktoken's (see MISMATCH above)", file=sys.stderr)
    failed_memory = any("error" in m for m in mem)
    return 1 if not equal or failed_memory else 0


if __name__ == "__main__":
    sys.exit(main())
