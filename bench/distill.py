"""Distilling all-MiniLM-L6-v2: ``tokvec.distill`` against ``model2vec.distill`` in the same run, in turns.

Only the time to distill (256 PCA dimensions, Zipf weights, both), ``--rounds`` times in one process, with the
load average beside each round; bench/static.py also scores the tables. tokvec's teacher is loaded once before
the rounds (``tokvec.distill`` takes a loaded encoder); model2vec's ``distill`` loads the model itself, which its
time includes (its loading is about 1 s of it).

    .venv/bin/pip install --no-deps skeletoken   # model2vec's distill needs it
    .venv/bin/python bench/distill.py --rounds 2
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from _common import ROOT


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
    ratios = []
    for r in range(args.rounds):
        t = time.perf_counter()
        tokvec.distill(teacher, progress=False)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        distill_m2v(folder, pca_dims=256)
        theirs = time.perf_counter() - t
        ratios.append(ours / theirs)
        load = "/".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"round {r + 1}: tokvec {ours:.2f} s, model2vec {theirs:.2f} s, ratio {ours / theirs:.3f}x, load {load}",
              flush=True)  # fmt: skip
    met = "met" if max(ratios) < 0.5 else "NOT met"
    print(f"goal: tokvec under 0.5x of model2vec in every round: {met} ({', '.join(f'{x:.3f}x' for x in ratios)})")


if __name__ == "__main__":
    main()
