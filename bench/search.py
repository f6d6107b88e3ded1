"""Search quality and speed: SciFact through the index, and exact vs approximate search on random unit vectors.

Part 1 (``--scifact``): SciFact's corpus in a ``tokvec.search.Index`` (documents whole, as MTEB embeds
them) gives nDCG@10 exactly (it must equal the retrieval task's), with the HNSW graph, and hybrid
(BM25 + dense by reciprocal rank fusion). Vectors come from bench/results/cache (bench/tasks.py fills it).

Part 2: ``--n`` random 384-d unit vectors (default 1,000,000; 200,000 or less on a loaded machine), or with
``--eltec`` a real set (every distinct paragraph of ELTeC's English novels embedded by a static encoder distilled
from all-MiniLM-L6-v2, ``--queries`` of them held out), 1,000 queries:
tokvec's exact path (block products folded into top-k heaps) against faiss' flat index (both the best of
three runs after a warm-up), and
recall@10 / queries per second / build time / index memory / single-query p50 and p99 latency of HNSW in
usearch, hnswlib and faiss (tokvec's choice). Every figure is printed with the load average.

    python bench/search.py [--n 200000] [--queries 1000] [--threads 2] [--scifact] [--encoder st|tokvec]
    python bench/search.py --eltec --libraries faiss,hnswlib
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from _common import ROOT, data_dir, progress
from _encoders import CACHE, CachedEncoder, sentence_transformer, tokvec_encoder


def load() -> str:
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def scifact(data, encoder_name: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from tokvec.search import Index
    from tokvec.tasks import read_beir
    from tokvec.tasks.retrieval import ndcg_at_k, recall_at_k

    enc = CachedEncoder(sentence_transformer() if encoder_name == "st" else tokvec_encoder())
    beir = read_beir(data / "embeddings-eval/scifact")
    ids = list(beir.corpus)
    texts = [(t + " " + x).strip() for t, x in beir.corpus.values()]
    qids = list(beir.queries)
    queries = [beir.queries[q] for q in qids]

    def score(index, **kw):
        start = time.perf_counter()
        found = index.search(queries, top_k=101, **kw)
        seconds = time.perf_counter() - start
        ranked = {q: [h.doc_id for h in hits if h.doc_id != q][:100] for q, hits in zip(qids, found, strict=True)}
        return ndcg_at_k(ranked, beir.qrels, 10) * 100, recall_at_k(ranked, beir.qrels, 100) * 100, seconds

    start = time.perf_counter()
    exact = Index.build(enc, texts, ids=ids, chunk=None, bm25=True)
    progress(f"SciFact index built in {time.perf_counter() - start:.1f} s ({load()})")
    ann = Index.build(enc, texts, ids=ids, chunk=None, ann="hnsw", bm25=False)
    print(f"SciFact through tokvec.search.Index ({enc.name}; MTEB publishes nDCG@10 64.51) {load()}")
    print(f"{'mode':24} {'nDCG@10':>8} {'R@100':>7} {'seconds':>8}")
    modes = (("exact dense", exact, {}), ("HNSW dense (faiss)", ann, {}), ("BM25 alone", exact, {"mode": "bm25"}),
             ("hybrid BM25+dense RRF", exact, {"mode": "hybrid"}))  # fmt: skip
    for label, index, kw in modes:
        ndcg, recall, seconds = score(index, **kw)
        print(f"{label:24} {ndcg:8.2f} {recall:7.2f} {seconds:8.2f}")


def random_vectors(n: int, nq: int, dim: int = 384) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, dim), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = rng.standard_normal((nq, dim), dtype=np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q


def eltec_vectors(data, nq: int) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct paragraph of ELTeC's English novels through a static encoder distilled from all-MiniLM-L6-v2
    (unit rows); ``nq`` paragraphs drawn with seed 0 are held out as the queries. The distilled model is kept in
    bench/results/cache/static-minilm (distilled once)."""
    import gzip

    sys.path.insert(0, str(ROOT / "src"))
    import tokvec

    folder = CACHE / "static-minilm"
    if not (folder / "model.safetensors").is_file():
        progress("distilling all-MiniLM-L6-v2 (once; kept in bench/results/cache/static-minilm) ...")
        tokvec.distill(tokvec.load_encoder("all-MiniLM-L6-v2")).save(folder)
    encoder = tokvec.load_encoder(str(folder))
    with gzip.open(data / "text/eltec-eng/eltec-eng.txt.gz", "rt", encoding="utf-8") as f:
        paragraphs = list(dict.fromkeys(line.strip() for line in f if line.strip()))
    start = time.perf_counter()
    vectors = np.asarray(encoder.embed(paragraphs, num_threads=2), dtype=np.float32)
    progress(f"{len(paragraphs):,} paragraphs embedded in {time.perf_counter() - start:.1f} s ({load()})")
    keep = np.linalg.norm(vectors, axis=1) > 0  # a paragraph of unknown tokens only has no vector
    vectors = vectors[keep]
    order = np.random.default_rng(0).permutation(len(vectors))
    return np.ascontiguousarray(vectors[order[nq:]]), np.ascontiguousarray(vectors[order[:nq]])


def ann_bench(x: np.ndarray, q: np.ndarray, what: str, threads: int, efs: list[int], libraries: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from tokvec.tasks.retrieval import top_k

    n, nq = len(x), len(q)
    print(f"\n{n:,} {what}, {nq} queries, {threads} build threads, 1 query thread; {load()}")

    def best_of_3(run) -> float:  # seconds of the fastest of three runs, after a warm-up call
        run(q[:20])
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run(q)
            times.append(time.perf_counter() - start)
        return min(times)

    truth, _ = top_k(q, x, 10)
    exact_qps = nq / best_of_3(lambda v: top_k(v, x, 10))
    heads = f"{'build s':>8} {'MiB':>7} {'recall@10':>9} {'qps':>9} {'x exact':>7} {'p50 ms':>7} {'p99 ms':>7}"
    print(f"{'method':28} {heads}")
    print(f"{'tokvec exact (batched)':28} {0:8.1f} {x.nbytes / 2**20:7.0f} {1:9.3f} {exact_qps:9.0f} {1:7.1f}")
    try:
        import faiss

        faiss.omp_set_num_threads(threads)
        flat = faiss.IndexFlatIP(x.shape[1])
        flat.add(x)
        qps = nq / best_of_3(lambda v, index=flat: index.search(v, 10))
        name = "faiss IndexFlatIP (batched)"
        print(f"{name:28} {0:8.1f} {x.nbytes / 2**20:7.0f} {1:9.3f} {qps:9.0f} {qps / exact_qps:7.2f}  {load()}")
        del flat
    except ImportError:
        progress("faiss-cpu is not installed: no flat comparison")

    def recall(found: np.ndarray) -> float:
        return float(np.mean([len(set(a.tolist()) & set(b.tolist())) / 10 for a, b in zip(found, truth, strict=True)]))

    def report(name, build_s, mib, search_batch, search_one):
        for ef in efs:
            start = time.perf_counter()
            found = search_batch(ef)
            qps = nq / (time.perf_counter() - start)
            lat = []
            for i in range(min(nq, 200)):
                t = time.perf_counter()
                search_one(q[i : i + 1])
                lat.append((time.perf_counter() - t) * 1000)
            p50, p99 = np.percentile(lat, [50, 99])
            print(f"{name + f' ef={ef}':28} {build_s:8.1f} {mib:7.0f} {recall(found):9.3f} {qps:9.0f} "
                  f"{qps / exact_qps:7.1f} {p50:7.2f} {p99:7.2f}  {load()}")  # fmt: skip

    import importlib.util

    missing = [lib for lib in libraries if lib != "none" and importlib.util.find_spec(lib) is None]
    if missing:
        progress(f"not installed, skipped: {', '.join(missing)} (pip install {' '.join(missing)})")
        libraries = [lib for lib in libraries if lib not in missing]
    if "usearch" in libraries:
        from usearch.index import Index as UIndex

        start = time.perf_counter()
        u = UIndex(ndim=x.shape[1], metric="ip", dtype="f32", connectivity=32, expansion_add=200)
        u.add(np.arange(n, dtype=np.uint64), x, threads=threads)
        build = time.perf_counter() - start

        def ubatch(ef):
            u.expansion_search = ef
            return np.asarray(u.search(q, 10, threads=1).keys, dtype=np.int64)

        report("usearch M=32", build, u.memory_usage / 2**20, ubatch, lambda v: u.search(v, 10, threads=1))
        del u
    if "hnswlib" in libraries:
        import hnswlib

        start = time.perf_counter()
        h = hnswlib.Index(space="ip", dim=x.shape[1])
        h.init_index(max_elements=n, M=32, ef_construction=200, random_seed=1)
        h.add_items(x, np.arange(n), num_threads=threads)
        build = time.perf_counter() - start

        def hbatch(ef):
            h.set_ef(ef)
            return h.knn_query(q, k=10, num_threads=1)[0].astype(np.int64)

        mib = (x.nbytes + n * 32 * 2 * 4) / 2**20  # vectors + level-0 links (estimate)
        report("hnswlib M=32", build, mib, hbatch, lambda v: h.knn_query(v, k=10, num_threads=1))
        del h
    if "faiss" in libraries:
        import faiss

        faiss.omp_set_num_threads(threads)
        start = time.perf_counter()
        f = faiss.IndexHNSWFlat(x.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        f.hnsw.efConstruction = 200
        f.add(x)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)

        def fbatch(ef):
            f.hnsw.efSearch = ef
            return f.search(q, 10)[1]

        mib = (x.nbytes + n * 32 * 2 * 8) / 2**20  # vectors + level-0 links (estimate)
        report("faiss HNSWFlat M=32", build, mib, fbatch, lambda v: f.search(v, 10))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ef", default="64,200,800", help="HNSW search widths (ef), comma-separated")
    parser.add_argument("--libraries", default="usearch,hnswlib,faiss")
    parser.add_argument("--scifact", action="store_true", help="also run SciFact through the index")
    parser.add_argument("--encoder", default="st", choices=("st", "tokvec"))
    parser.add_argument("--eltec", action="store_true", help="ELTeC's paragraphs (static encoder), not random vectors")
    parser.add_argument("--data")
    args = parser.parse_args()
    efs, libraries = [int(e) for e in args.ef.split(",")], args.libraries.split(",")
    if args.scifact:
        scifact(data_dir(args.data), args.encoder)
    if args.eltec:
        x, q = eltec_vectors(data_dir(args.data), args.queries)
        what = f"ELTeC English paragraphs ({x.shape[1]}-d, static all-MiniLM-L6-v2 distill)"
        ann_bench(x, q, what, args.threads, efs, libraries)
    elif args.n:
        x, q = random_vectors(args.n, args.queries)
        ann_bench(x, q, "random 384-d unit vectors", args.threads, efs, libraries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
