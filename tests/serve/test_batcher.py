"""The batcher: requests waiting together share one model call, within the token budget, rows back in order."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from tokvec.serve.batcher import Batcher


class Rows:
    """An encoder whose vector of text "t7" is [7, 7]: anything misordered shows."""

    name, dim, max_seq_length = "rows", 2, None

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail

    def embed(self, texts, **options):
        if self.fail:
            raise ValueError("model broke")
        self.calls.append((list(texts), options))
        return np.array([[float(t[1:])] * 2 for t in texts], dtype=np.float32)


def _run(batcher: Batcher, jobs: list[list[str]], options: list[dict] | None = None):
    async def main():
        batcher.start()
        try:
            opts = options or [{}] * len(jobs)
            return await asyncio.gather(
                *(batcher.embed(j, [1] * len(j), **o) for j, o in zip(jobs, opts, strict=True)), return_exceptions=True
            )
        finally:
            await batcher.stop()

    return asyncio.run(main())


def test_waiting_jobs_share_one_call_and_get_their_own_rows():
    enc = Rows()
    jobs = [[f"t{10 * j + i}" for i in range(j % 4 + 1)] for j in range(12)]
    out = _run(Batcher(enc, window=0.05), jobs)
    assert len(enc.calls) == 1
    for job, vectors in zip(jobs, out, strict=True):
        assert vectors[:, 0].tolist() == [float(t[1:]) for t in job]


def test_the_token_budget_splits_batches():
    enc = Rows()
    jobs = [[f"t{j}", f"t{j + 100}"] for j in range(10)]
    out = _run(Batcher(enc, window=0.05, token_budget=4), jobs)
    assert [len(texts) for texts, _ in enc.calls] == [4] * 5
    assert [v[:, 0].tolist() for v in out] == [[j, j + 100] for j in range(10)]


def test_different_options_are_not_mixed():
    enc = Rows()
    out = _run(Batcher(enc, window=0.05), [["t1"], ["t2"], ["t3"]], [{}, {"long": "truncate"}, {}])
    assert all(not isinstance(o, Exception) for o in out)
    assert sorted(tuple(sorted(o.items())) for _, o in enc.calls) == [(), (), (("long", "truncate"),)]


def test_a_failing_model_fails_the_jobs_of_its_batch():
    out = _run(Batcher(Rows(fail=True)), [["t1"], ["t2"]])
    assert all(isinstance(o, ValueError) for o in out)


def test_embed_before_start_is_refused():
    with pytest.raises(RuntimeError, match="start"):
        asyncio.run(Batcher(Rows()).embed(["t1"], [1]))
