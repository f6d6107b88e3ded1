"""Batch embedding requests from many clients into one model call: a short window and a token budget.

Each request is a job (its texts, their token counts, the embed options). One worker takes the
first job waiting, then every job that arrives within ``window`` seconds or is already queued, as
long as the batch stays within ``token_budget`` tokens and ``max_texts`` texts and the options
match; it runs the encoder once in a single worker thread (the model uses its own threads) and
hands each job its rows. While the model runs, new jobs queue up, so under load batches fill by
themselves and the window only matters when the server is quiet. Under load the window grows to a
tenth of the last model call (at most ``max_window``): clients answered together send their next
requests a few milliseconds apart, and a call of seconds would otherwise start on the first few
and leave the rest for a half-empty call after it. A job larger than the budget runs alone. A job
whose client went away is dropped before the model sees it.

>>> import asyncio, numpy as np
>>> class Ones:
...     name, dim, max_seq_length = "ones", 2, None
...     def embed(self, texts, **options):
...         return np.ones((len(texts), 2), dtype=np.float32)
>>> async def main():
...     batcher = Batcher(Ones())
...     batcher.start()
...     a, b = await asyncio.gather(batcher.embed(["x"], [1]), batcher.embed(["y", "z"], [1, 1]))
...     await batcher.stop()
...     return a.shape, b.shape, batcher.batches
>>> asyncio.run(main())
((1, 2), (2, 2), 1)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(eq=False)
class _Job:
    inputs: Sequence[Any]
    tokens: int
    options: tuple[tuple[str, Any], ...]
    future: asyncio.Future[np.ndarray] = field(repr=False)


class Batcher:
    """Run an encoder's ``embed`` (or ``embed_ids`` for token ids) on batches gathered across requests."""

    def __init__(
        self,
        encoder: Any,
        *,
        window: float = 0.002,
        token_budget: int = 16_384,
        max_texts: int = 512,
        max_window: float = 0.05,
    ) -> None:
        self.encoder = encoder
        self.window, self.token_budget, self.max_texts = window, token_budget, max_texts
        self.max_window = max(window, max_window)
        self._last_call = 0.0  # seconds the last model call took
        self.batches = 0  # model calls made (for the tests and the benchmark)
        self.texts = 0
        self._queue: asyncio.Queue[_Job] | None = None
        self._task: asyncio.Task[None] | None = None
        self._held: _Job | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="tokvec-embed")

    def start(self) -> None:
        """Start the worker on the running event loop."""
        self._queue = asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._work())

    async def stop(self) -> None:
        """Stop the worker; jobs still waiting fail with CancelledError."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def embed(self, inputs: Sequence[Any], tokens: Sequence[int], **options: Any) -> np.ndarray:
        """Return float32[len(inputs), dim]: texts, or token-id arrays with ``ids=True``."""
        if self._queue is None:
            raise RuntimeError("Batcher.start() must run first")
        future: asyncio.Future[np.ndarray] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(list(inputs), int(sum(tokens)), tuple(sorted(options.items())), future))
        return await future

    async def _next(self, timeout: float | None) -> _Job | None:
        assert self._queue is not None
        if self._held is not None:
            job, self._held = self._held, None
            return job
        if not self._queue.empty():
            return self._queue.get_nowait()
        if timeout is None:
            return await self._queue.get()
        if timeout <= 0:
            return None
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self._next(None)
            assert first is not None
            batch, tokens, count = [first], first.tokens, len(first.inputs)
            deadline = loop.time() + min(self.max_window, max(self.window, 0.1 * self._last_call))
            while tokens < self.token_budget and count < self.max_texts:
                job = await self._next(deadline - loop.time())
                if job is None:
                    break
                fits = tokens + job.tokens <= self.token_budget and count + len(job.inputs) <= self.max_texts
                if job.options != first.options or not fits:
                    self._held = job  # it starts the next batch
                    break
                batch.append(job)
                tokens, count = tokens + job.tokens, count + len(job.inputs)
            batch = [job for job in batch if not job.future.done()]  # clients that went away
            if batch:
                await self._run(batch, dict(first.options))

    async def _run(self, batch: list[_Job], options: dict[str, Any]) -> None:
        inputs = [x for job in batch for x in job.inputs]
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            vectors = await loop.run_in_executor(self._pool, self._call, inputs, options)
        except Exception as e:
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(e)
            return
        self._last_call = loop.time() - started
        self.batches += 1
        self.texts += len(inputs)
        start = 0
        for job in batch:
            end = start + len(job.inputs)
            if not job.future.done():
                job.future.set_result(vectors[start:end])
            start = end

    def _call(self, inputs: list[Any], options: dict[str, Any]) -> np.ndarray:
        if options.pop("ids", False):
            out = self.encoder.embed_ids([np.asarray(x, dtype=np.int64) for x in inputs], **options)
        else:
            out = self.encoder.embed(inputs, **options)
        out = np.asarray(out, dtype=np.float32)
        if out.shape[0] != len(inputs):
            raise RuntimeError(f"the encoder returned {out.shape[0]} vectors for {len(inputs)} inputs")
        return out
