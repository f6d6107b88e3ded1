"""Time against input size on inputs that make naive BPE quadratic: one long run of one character, and friends.

For each input (one repeated character "a", spaces, newlines, "a b " repeated, the digits 1234567890 repeated,
a repeated emoji) at each size (default 1, 2, 4, 8 MB of UTF-8) it times tokvec's `encode_ordinary` (best of
--repeat runs, one run when a run takes over 2 s) and prints the growth exponent log(t_max/t_min)/log(s_max/s_min),
which is log(t8/t1)/log(8) for the default sizes: 1 means linear, 2 quadratic. tiktoken, built from the same
rank file, runs on the same inputs for comparison while its time, extrapolated from the previous size with the
exponent seen so far, stays under --cap seconds; larger sizes are skipped and the table says so. Both libraries
first climb a ladder of smaller probe sizes (1/64, 1/16, 1/4 of the first size), so that no single run can take
much longer than the cap. Ids are compared wherever tiktoken ran (a mismatch exits 1).

example:
  python bench/pathological.py --sizes 0.25 0.5 1 --cases a emoji    # a quick look (a few seconds)
  python bench/pathological.py --encoding o200k --json patho.json    # every case, 1 to 8 MB
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from typing import Any

from _common import (
    ENCODINGS,
    MB,
    BenchError,
    data_dir,
    encoding_names,
    exponent,
    first_difference,
    load_ours,
    load_reference,
    machine,
    progress,
    table,
    timed,
    write_json,
)

CASES = {"a": "a", "spaces": " ", "newlines": "\n", "a-b": "a b ", "digits": "1234567890", "emoji": "\U0001f600"}
LINEAR = 1.5  # exponents up to this count as linear: larger inputs fall out of the caches; quadratic reads 2
SINGLE_RUN_OVER = 2.0  # seconds: a run longer than this is not repeated


@dataclass
class Ladder:
    """One library's timings on one case; decides whether the next size would run past the cap."""

    cap: float
    points: list[tuple[int, float]] = field(default_factory=list)  # (bytes, seconds) of every run so far
    skipped_at: int | None = None
    prediction: float = 0.0
    growth: float = 2.0

    def predict(self, size: int) -> float:
        """Extrapolate the time at ``size`` from the last size, with the exponent of the last two (2 at first)."""
        if not self.points:
            return 0.0
        (s1, t1), growth = self.points[-1], 2.0
        if len(self.points) >= 2:
            s0, t0 = self.points[-2]
            if t0 > 0.01 and t1 > 0:  # shorter times are mostly timer noise: stay with the cautious 2
                growth = min(3.0, max(1.0, math.log(t1 / t0) / math.log(s1 / s0)))
        self.growth = growth
        return t1 * (size / s1) ** growth

    def allows(self, size: int) -> bool:
        """Return False (and remember why) once a size is predicted to exceed the cap."""
        if self.skipped_at is not None:
            return False
        self.prediction = self.predict(size)
        if self.prediction > self.cap:
            self.skipped_at = size
            return False
        return True


def run_case(case: str, ours, ref, sizes: list[int], args: argparse.Namespace) -> dict[str, Any]:
    """Time both libraries on one case over the probe sizes and ``sizes``; compare ids where both ran."""
    unit = CASES[case]
    width = len(unit.encode("utf-8"))
    probes = sorted({max(width, sizes[0] // d) for d in (64, 16, 4)} - set(sizes))
    ladders = {"tokvec": Ladder(args.tokvec_cap), "tiktoken": Ladder(args.cap)}
    if args.no_tiktoken:
        ladders["tiktoken"].skipped_at = 0
    seconds: dict[str, dict[int, float]] = {"tokvec": {}, "tiktoken": {}}
    mismatches = []
    for size in probes + sizes:
        text = unit * max(1, size // width)
        results = {}
        for lib, tok in (("tokvec", ours), ("tiktoken", ref)):
            if not ladders[lib].allows(size):
                continue
            best, result = math.inf, None
            for _ in range(args.repeat):
                result = None
                t, result = timed(lambda: tok.encode_ordinary(text))  # noqa: B023
                best = min(best, t)
                if t > SINGLE_RUN_OVER:
                    break
            ladders[lib].points.append((size, best))
            seconds[lib][size] = best
            results[lib] = result
            if size in sizes:
                progress(f"{case} {size / MB:g} MB {lib}: {best:.3f} s")
        if len(results) == 2:
            k = first_difference(results["tokvec"].ids, results["tiktoken"])
            if k is not None:
                mismatches.append(f"{size / MB:.3g} MB at token {k}")
                progress(f"{case} {size / MB:g} MB: MISMATCH with tiktoken at token {k}")
    row: dict[str, Any] = {"case": case, "unit": unit, "mismatches": mismatches}
    for lib, ladder in ladders.items():
        ran = [s for s in sizes if s in seconds[lib]]
        row[lib] = {
            "seconds": {f"{s / MB:g}": seconds[lib][s] for s in ran},
            "exponent": exponent(ran, [seconds[lib][s] for s in ran]),
            "skipped_from_mb": None if ladder.skipped_at is None or not ladder.points else ladder.skipped_at / MB,
            "predicted_seconds": ladder.prediction if ladder.skipped_at else None,
            "predicted_with_exponent": ladder.growth if ladder.skipped_at else None,
            "probes": {f"{s / MB:g}": seconds[lib][s] for s in probes if s in seconds[lib]},
        }  # fmt: skip
    row["compared_sizes"] = len([s for s in probes + sizes if s in seconds["tiktoken"]])
    return row


def report(rows: list[dict[str, Any]], sizes: list[int], args: argparse.Namespace) -> None:
    """Print seconds per size, the exponents, the comparison, and notes on skipped tiktoken runs."""
    print(f"{args.encoding}: seconds of encode_ordinary per input size (MB of UTF-8, 1 MB = 10^6 bytes), best of "
          f"{args.repeat};\nexponent = log(t_last/t_first)/log(size_last/size_first): 1 = linear, 2 = quadratic; "
          "ratio = tiktoken's time / tokvec's at the largest size both ran\n")  # fmt: skip
    body, notes = [], []
    libs = ["tokvec"] if args.no_tiktoken else ["tokvec", "tiktoken"]
    for row in rows:
        for lib in libs:
            r = row[lib]
            cells = [r["seconds"].get(f"{s / MB:g}") for s in sizes]
            exp = r["exponent"]
            verdict = "-" if exp is None else f"{exp:.2f}" + ("" if round(exp, 2) <= LINEAR else " SUPERLINEAR")
            ratio, equal = "-", "-"
            both = [k for k in r["seconds"] if k in row["tokvec"]["seconds"]]
            if lib == "tiktoken" and both:
                ratio = f"{r['seconds'][both[-1]] / row['tokvec']['seconds'][both[-1]]:.2f}x"
            if lib == "tiktoken" and row["mismatches"]:
                equal = f"MISMATCH at {len(row['mismatches'])} sizes, first {row['mismatches'][0]}"
            elif lib == "tiktoken":
                equal = f"yes ({row['compared_sizes']} sizes)" if row["compared_sizes"] else "not run"
            cells = ["skip" if c is None else f"{c:.4f}" for c in cells]
            body.append([row["case"], lib, *cells, verdict, ratio, equal])
            if r["skipped_from_mb"] is not None:
                notes.append(f"{row['case']}: {lib} skipped from {r['skipped_from_mb']:.3g} MB on: predicted "
                             f"{r['predicted_seconds']:.3g} s (exponent {r['predicted_with_exponent']:.2f} from the "
                             f"previous sizes) > cap {ladder_cap(lib, args):g} s")  # fmt: skip
    print(table(["case", "library", *(f"{s / MB:g} MB" for s in sizes), "exponent", "ratio", "ids equal"], body))
    if notes:
        print("\n" + "\n".join(notes))
    for lib in libs:
        exps = [(row[lib]["exponent"], row["case"]) for row in rows if row[lib]["exponent"] is not None]
        if exps:
            worst, case = max(exps)
            verdict = "linear" if round(worst, 2) <= LINEAR else "SUPERLINEAR"
            print(f"{lib}: largest exponent {worst:.2f} ({case}): {verdict} (threshold {LINEAR})")
    print(f"\ncases: {', '.join(f'{k} = {v!r} repeated' for k, v in CASES.items())}")
    print("ids equal counts every size where both ran, the smaller probe sizes included")


def ladder_cap(lib: str, args: argparse.Namespace) -> float:
    return args.tokvec_cap if lib == "tokvec" else args.cap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoding", default="cl100k", help=f"one of {', '.join(ENCODINGS)} (default cl100k)")
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1", "2", "4", "8"],
        metavar="MB",
        help="input sizes in MB, space or comma separated (default 1 2 4 8)",
    )
    parser.add_argument(
        "--cases",
        nargs="+",
        default=list(CASES),
        choices=list(CASES),
        metavar="CASE",
        help=f"inputs to run (default all: {' '.join(CASES)})",
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per size (default 3)")
    parser.add_argument("--cap", type=float, default=20.0, help="skip tiktoken sizes predicted over N s (default 20)")
    parser.add_argument("--tokvec-cap", type=float, default=60.0, help="the same guard for tokvec (default 60 s)")
    parser.add_argument("--no-tiktoken", action="store_true", help="time tokvec alone")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument(
        "--data", metavar="DIR", help="the shared data folder (default: $TOKVEC_TEST_DATA or ../shared/data)"
    )
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(float(p) * MB) for v in args.sizes for p in v.split(",") if p.strip()})
    except ValueError:
        parser.error(f"--sizes takes numbers of MB, got {' '.join(args.sizes)!r}")
    if not sizes or sizes[0] <= 0 or args.repeat < 1:
        parser.error("--sizes must be above 0 and --repeat at least 1")
    try:
        args.encoding = encoding_names([args.encoding])[0]
        data = data_dir(args.data)
        progress(f"{args.encoding}: loading tokvec" + ("" if args.no_tiktoken else " and tiktoken"))
        ours = load_ours(args.encoding, data)
        ref = None if args.no_tiktoken else load_reference(args.encoding, data)
    except BenchError as e:
        print(f"pathological.py: error: {e}", file=sys.stderr)
        return 2
    ours.encode_ordinary("warm up the JIT: a b 123 \U0001f600\n\n  ")
    rows = [run_case(case, ours, ref, sizes, args) for case in dict.fromkeys(args.cases)]
    report(rows, sizes, args)
    if args.json:
        write_json(args.json, {"machine": machine(), "encoding": args.encoding, "sizes_mb": [s / MB for s in sizes],
                               "repeat": args.repeat, "cap_s": args.cap, "cases": rows})  # fmt: skip
    if any(row["mismatches"] for row in rows):
        print("\nFAILURE: tokvec's ids differ from tiktoken's (see MISMATCH above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
