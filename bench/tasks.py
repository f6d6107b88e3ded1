"""Every embedding task for each encoder, with MTEB's published figure beside it and the seconds taken.

Encoders: tokvec's all-MiniLM-L6-v2 (``tokvec.load_encoder``, when it is on main), the same model through
sentence-transformers (the reference), and averaged GloVe 6B 50d vectors (the 2,446-word sample). Vectors
are cached in bench/results/cache, so a second run times only the scoring; ``--no-cache`` embeds afresh.

    python bench/tasks.py [--tasks STSBenchmark,SciFact] [--encoders st,tokvec,glove] [--no-cache]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from _common import ROOT, data_dir, progress
from _encoders import AveragedVectors, CachedEncoder, sentence_transformer, tokvec_encoder

DEFAULT_TASKS = (
    "STSBenchmark,Banking77Classification,AGNewsClassification,Banking77Clustering,SciFact,MRPC,WikiQA,"
    "FLORES:deu_Latn-eng_Latn"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", default=DEFAULT_TASKS)
    parser.add_argument("--encoders", default="tokvec,st,glove")
    parser.add_argument("--data", help="the shared data folder (default $TOKVEC_TEST_DATA or ../shared/data)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import tokvec.tasks as tasks
    from tokvec.vectors.formats import load

    data = data_dir(args.data)
    encoders = {}
    for name in args.encoders.split(","):
        if name == "tokvec":
            enc = tokvec_encoder()
        elif name == "st":
            enc = sentence_transformer()
        elif name == "glove":
            path = data / "embeddings-eval/glove-sample/glove.6B.50d.first2446.utf8.txt"
            enc = AveragedVectors(load(path, format="glove"), "glove-6B-50d-2446") if path.is_file() else None
        else:
            raise SystemExit(f"unknown encoder {name!r}: tokvec, st or glove")
        if enc is None:
            progress(f"{name}: not available, skipped")
            continue
        encoders[name] = enc if args.no_cache else CachedEncoder(enc)
    rows = []
    for name, enc in encoders.items():
        for task in args.tasks.split(","):
            progress(f"{name} {task} ...")
            start = time.perf_counter()
            r = tasks.run_task(enc, task, data=data)
            seconds = time.perf_counter() - start
            published = tasks.PUBLISHED.get(task) if name in ("tokvec", "st") else None
            rows.append({"encoder": name, "task": task, "metric": r.main_metric, "score": round(r.main_score, 2),
                         "mteb": published, "seconds": round(seconds, 1), "load": os.getloadavg()[0],
                         "scores": r.as_dict()["scores"]})  # fmt: skip
            progress(f"{name} {task}: {r.main_score:.2f} in {seconds:.1f} s (load {os.getloadavg()[0]:.1f})")
    print(f"{'encoder':8} {'task':30} {'metric':16} {'score':>7} {'MTEB':>7} {'seconds':>8} {'load':>5}")
    for r in rows:
        mteb = "" if r["mteb"] is None else f"{r['mteb']:.2f}"
        print(f"{r['encoder']:8} {r['task']:30} {r['metric']:16} {r['score']:7.2f} {mteb:>7} "
              f"{r['seconds']:8.1f} {r['load']:5.1f}")  # fmt: skip
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
