"""One local Dask cluster of 2 worker processes for all cluster tests (it takes a few seconds to start)."""

from __future__ import annotations

import gzip
import random

import pytest


@pytest.fixture(scope="session")
def client():
    pytest.importorskip("distributed", reason="the cluster tests need dask.distributed (pip install 'tokvec[cluster]')")
    from tokvec.cluster import connect

    with connect("local:2") as c:
        yield c


WORDS = (  # noqa: SIM905 - a line of words reads better than a list of 67 strings
    "the of and to in is was that for it with as his on be at by had not are but from or have an they which one you"
    " were her all she there would their we him been has when who will more no if out so said what up its about"
    " naïve café Grüße 東京 👋 don't it's 12 345 6.78 -- ... \t tab"
).split(" ")


def make_text(seed: int, lines: int) -> str:
    """Return ``lines`` lines of random words (some blank, some without a final newline)."""
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        n = rng.choice([0, 1, 3, 8, 15, 30])
        out.append(" ".join(rng.choice(WORDS) for _ in range(n)) + rng.choice(["\n", "\n", "\n", "\r\n", "  \n"]))
    return "".join(out)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """Six files: plain, .gz, a .jsonl and a .jsonl.gz, one file without a final newline, one empty."""
    import json

    folder = tmp_path_factory.mktemp("corpus")
    (folder / "a.txt").write_text(make_text(1, 400), encoding="utf-8", newline="")
    (folder / "b.txt.gz").write_bytes(gzip.compress(make_text(2, 600).encode("utf-8")))
    (folder / "c.txt").write_text(make_text(3, 300) + "no newline at the end", encoding="utf-8", newline="")
    (folder / "d.txt").write_bytes(b"")
    records = [json.dumps({"id": k, "text": make_text(10 + k, 3)}) for k in range(80)]
    (folder / "e.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (folder / "f.jsonl.gz").write_bytes(gzip.compress("\n".join(records[:30]).encode("utf-8")))
    return folder
