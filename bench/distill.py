"""Distilling all-MiniLM-L6-v2: ``tokvec.distill`` against ``model2vec.distill`` in the same run, in turns.

Only the time to distill (256 PCA dimensions, Zipf weights, both), ``--rounds`` times in one process, with the
load average beside each round; bench/static.py also scores the tables. tokvec's teacher is loaded once before
the rounds (``tokvec.distill`` takes a loaded encoder); model2vec's ``distill`` loads the model itself, which its
time includes (its loading is about 1 s of it). Both run the same float32 arithmetic (every kept token as a
3-position sequence through the 6 layers), so the bench prints it, each side's GFLOP/s and the machine's
float32 matmul ceiling (numpy, all cores) measured in the same run: a ratio far below 1 needs the other side
to run well under that ceiling.

    .venv/bin/pip install --no-deps skeletoken   # model2vec's distill needs it
    .venv/bin/python bench/distill.py --rounds 2
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from _common import ROOT


def teacher_gflop(spec, sequences: int, length: int) -> float:  # type: ignore[no-untyped-def]
    """The teacher's float32 arithmetic for ``sequences`` inputs of ``length`` positions, in GFLOP."""
    h, i = spec.hidden, spec.intermediate
    per_layer = length * 2 * (4 * h * h + 2 * h * i) + 2 * 2 * length * length * h  # matmuls + attention
    return sequences * spec.layers * per_layer / 1e9


def matmul_ceiling() -> float:
    """GFLOP/s of numpy's float32 matmul on every core (49,152 x 384 by 384 x 1,536, best of 5)."""
    import numpy as np

    a = np.random.default_rng(0).random((49_152, 384), dtype=np.float32)
    w = np.random.default_rng(1).random((384, 1536), dtype=np.float32)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        a @ w
        best = min(best, time.perf_counter() - t)
    return 2 * a.shape[0] * a.shape[1] * w.shape[1] / best / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (tokvec, model2vec), default 2")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import tokvec
    from tokvec.embed.load import resolve_folder

    try:
        from model2vec.distill import distill as distill_m2v
    except ImportError as e:
        sys.exit(f"model2vec's distill is not importable ({e}): pip install model2vec and --no-deps skeletoken")
    teacher = tokvec.load_encoder("all-MiniLM-L6-v2")
    folder = resolve_folder("all-MiniLM-L6-v2")
    from tokvec.embed.batching import Specials

    specials = Specials.of(teacher.tokenizer)
    ratios = []
    for r in range(args.rounds):
        t = time.perf_counter()
        static = tokvec.distill(teacher, progress=False)
        ours = time.perf_counter() - t
        kept = int((abs(static.vectors.vectors).sum(axis=1) > 0).sum())
        gflop = teacher_gflop(teacher.spec.transformer, kept, len(specials.prefix) + 1 + len(specials.suffix))
        t = time.perf_counter()
        distill_m2v(folder, pca_dims=256)
        theirs = time.perf_counter() - t
        ratios.append(ours / theirs)
        load = "/".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"round {r + 1}: tokvec {ours:.2f} s, model2vec {theirs:.2f} s, ratio {ours / theirs:.3f}x, load {load}; "
              f"{kept:,} tokens, {gflop:,.0f} GFLOP: tokvec {gflop / ours:.0f} GFLOP/s, model2vec {gflop / theirs:.0f} "
              "(its loading included)", flush=True)  # fmt: skip
    print(f"float32 matmul ceiling of this machine (numpy, every core): {matmul_ceiling():.0f} GFLOP/s")
    met = "met" if max(ratios) < 0.5 else "NOT met"
    print(f"goal: tokvec under 0.5x of model2vec in every round: {met} ({', '.join(f'{x:.3f}x' for x in ratios)})")


if __name__ == "__main__":
    main()
