"""Run the fuzz targets: ``python tests/fuzz/run.py --seconds 60 [TARGET ...]`` (``make fuzz``).

With atheris installed each target runs coverage-guided in its own process (libFuzzer's mutations
plus the structural ones of ``targets.mutate``), for ``--seconds`` each; without it, or with
``--quick``, the structural mutations alone run in this process. Prints the executions per target;
a finding is saved under ``tests/fuzz/crashes/`` and the status is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))  # the repository root: tests.fuzz is importable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--seconds", type=float, default=60.0, help="time per target (default: 60)")
    parser.add_argument("--quick", action="store_true", help="structural mutations only, in this process")
    parser.add_argument("--atheris-target", help=argparse.SUPPRESS)  # the child process of one target
    args = parser.parse_args()
    if args.atheris_target:
        return _atheris_child(args.atheris_target, args.seconds)
    from tests.fuzz.targets import TARGETS, Finding, quick_run

    names = args.targets or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(TARGETS)}")
    try:
        import atheris  # noqa: F401

        guided = not args.quick
    except ImportError:
        guided = False
    failed = False
    for name in names:
        start = time.monotonic()
        if guided:
            cmd = [sys.executable, __file__, "--atheris-target", name, "--seconds", str(args.seconds)]
            result = subprocess.run(cmd, capture_output=True, text=True)
            runs = _executions(result.stderr)
            ok = result.returncode == 0
            detail = "" if ok else result.stderr[-2000:]
        else:
            try:
                runs, ok, detail = quick_run(TARGETS[name], args.seconds), True, ""
            except Finding as e:
                runs, ok, detail = -1, False, str(e)
        failed |= not ok
        mode = "atheris" if guided else "structural"
        status = "ok" if ok else "FINDING"
        print(f"{name:24} {mode:10} {runs:>8} executions in {time.monotonic() - start:6.1f} s  {status}")
        if detail:
            print(detail)
    return 1 if failed else 0


def _executions(log: str) -> int:
    for line in reversed(log.splitlines()):
        if line.startswith("#") and ("DONE" in line or "pulse" in line or "NEW" in line or "REDUCE" in line):
            return int(line[1:].split()[0])
    return 0


def _atheris_child(name: str, seconds: float) -> int:
    import atheris

    from tests.fuzz.mutate import mutate
    from tests.fuzz.targets import TARGETS

    target = TARGETS[name]
    seeds = target.seeds()
    for seed in seeds:  # compiles (or loads) the kernels the target needs, before instrumenting
        target.run(seed)
    _instrument_tokvec(atheris)
    corpus_dir = os.path.join(HERE, "corpus", name)
    os.makedirs(corpus_dir, exist_ok=True)
    for i, seed in enumerate(seeds):
        with open(os.path.join(corpus_dir, f"seed-{i}"), "wb") as f:
            f.write(seed)
    rng = random.Random(1)

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng.seed(seed)
        if rng.random() < 0.5:
            return mutate(data, target.kind, rng, max_size)[:max_size]
        return atheris.Mutate(data, max_size)

    crashes = os.path.join(HERE, "crashes")
    os.makedirs(crashes, exist_ok=True)
    argv = [sys.argv[0], corpus_dir, f"-max_total_time={int(max(seconds, 1))}",
            f"-max_len={max([4096, *(2 * len(s) for s in seeds)])}", "-rss_limit_mb=4096",
            f"-artifact_prefix={crashes}/{name}-", "-timeout=30", "-print_final_stats=1"]  # fmt: skip
    atheris.Setup(argv, target.run, custom_mutator=custom_mutator)
    atheris.Fuzz()
    return 0


def _instrument_tokvec(atheris) -> None:
    """Instrument tokvec's Python functions for coverage; not the numba kernels (they would not compile)."""
    import inspect
    import types

    done = set()

    def visit(func) -> None:
        if isinstance(func, staticmethod | classmethod):
            func = func.__func__
        if isinstance(func, property):
            for f in (func.fget, func.fset):
                if f is not None:
                    visit(f)
            return
        if isinstance(func, types.FunctionType) and id(func) not in done and func.__module__.startswith("tokvec"):
            done.add(id(func))
            with contextlib.suppress(Exception):  # a function atheris cannot rewrite stays as it is
                atheris.instrument_func(func)

    for name, module in list(sys.modules.items()):
        if not name.startswith("tokvec") or name.startswith(("tokvec.kernels", "tokvec.reference")) or module is None:
            continue
        for obj in list(vars(module).values()):
            if inspect.isclass(obj) and obj.__module__ == name:
                for member in list(vars(obj).values()):
                    visit(member)
            elif getattr(obj, "__module__", None) == name:
                visit(obj)


if __name__ == "__main__":
    sys.exit(main())
