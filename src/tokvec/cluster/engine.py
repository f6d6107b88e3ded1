"""Run one function over many work items: in this process, or on a Dask cluster, with the same results.

``connect(where)`` opens the engine: ``None`` (this process, no Dask needed), ``"local"`` or
``"local:N"`` (a Dask ``LocalCluster`` of N worker processes on this machine, one thread each), or
a scheduler address (``tcp://host:8786``). :func:`map_ordered` then runs ``fn(item)`` for every
item and returns the results in the order of the items, whichever worker finished first; that
order is what makes the cluster's results equal to one process's.

Workers of a local cluster keep glibc's malloc defaults (see :func:`connect`); start the workers of a
cluster of your own the same way, or counting takes some 7-27% more CPU (ELTeC, on a loaded machine)::

    DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON='{"MALLOC_TRIM_THRESHOLD_": None}' dask worker tcp://host:8786

Faults: when a worker dies, Dask runs its tasks again on another worker (each task is a pure
function of its item, and every file a task writes is renamed into place whole), so the job still
finishes. An exception raised inside a task (a corrupt file) cancels the rest and is raised here.

>>> with connect(None) as client:
...     map_ordered(client, abs, [-2, 1, -3])
[2, 1, 3]
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .._progress import Progress
from ..errors import ClusterError, TokvecError


def parse_where(where: str) -> tuple[str, int | None]:
    """Split ``local[:N]`` into ("local", N) and return ("address", None) for anything else.

    >>> parse_where("local:2"), parse_where("tcp://10.0.0.5:8786")
    (('local', 2), ('tcp://10.0.0.5:8786', None))
    """
    if where == "local":
        return "local", os.cpu_count() or 1
    if where.startswith("local:"):
        try:
            n = int(where[6:])
        except ValueError:
            n = 0
        if n < 1:
            raise ClusterError(f"--cluster {where!r}: write local:N with N >= 1 worker processes, e.g. local:2")
        return "local", n
    return where, None


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            "running on a cluster needs Dask: pip install 'tokvec[cluster]' (dask.distributed), on every machine"
        ) from None
    return distributed


@contextlib.contextmanager
def connect(where: str | None, *, quiet: bool = True) -> Iterator[Any]:
    """Yield a Dask ``Client`` for ``where`` (``local[:N]`` or a scheduler address), or None for this process."""
    if where is None:
        yield None
        return
    distributed = _dask()
    kind, n = parse_where(where)
    if kind == "local":
        import logging

        import dask

        # subtle: Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, and setting it fixes glibc's mmap
        # threshold at 128 KiB: every large buffer (a chunk of a file, its piece bounds) is then mapped and faulted in
        # anew. Counting 16 ELTeC files took 3x the page faults of one process (355 k against 117 k) and +7-27% CPU;
        # local workers keep glibc's defaults, as one process has them.
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR if quiet else logging.WARNING,
            )  # fmt: skip
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = distributed.Client(kind, timeout="30s")
    except (OSError, TimeoutError) as e:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {kind}: {e}. Start one with `dask scheduler` and workers with"
            f" `dask worker {kind}`, or use --cluster local:N"
        ) from None
    with client:
        yield client


def map_ordered(
    client: Any,
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    weights: Sequence[int] | None = None,
    label: str = "",
    progress: bool = False,
    shared: Mapping[str, Any] | None = None,
    on_result: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """Return ``[fn(item, **shared) for item in items]``, run here (``client=None``) or as one Dask task per item.

    ``shared`` values (a tokenizer's files) go to each worker once, not with every task. ``weights``
    (bytes per item) drive the progress bar; ``on_result(index, result)`` is called as each item
    finishes (in completion order on a cluster).
    """
    shared = dict(shared or {})
    weights = list(weights) if weights is not None else [1] * len(items)
    results: list[Any] = [None] * len(items)
    with Progress(sum(weights), label=label, enabled=progress) as bar:
        if client is None:
            for k, item in enumerate(items):
                results[k] = fn(item, **shared)
                bar.update(weights[k])
                if on_result is not None:
                    on_result(k, results[k])
            return results
        distributed = _dask()
        # pure=False: a task that writes files must run even when an equal one ran before
        futures = client.map(fn, list(items), pure=False, **_scatter(client, shared))
        index = {f.key: k for k, f in enumerate(futures)}
        try:
            for future in distributed.as_completed(futures):
                k = index[future.key]
                results[k] = future.result()  # re-raises a task's exception (its type and message)
                future.release()
                bar.update(weights[k])
                if on_result is not None:
                    on_result(k, results[k])
        except BaseException:
            client.cancel(futures)
            raise
    return results


def _scatter(client: Any, shared: dict[str, Any]) -> dict[str, Any]:
    # subtle: broadcast, so that every worker holds a copy and no task waits on a transfer from another worker
    return {k: client.scatter(v, broadcast=True, hash=False) for k, v in shared.items()}


def map_reduce(
    client: Any,
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    combine: Callable[[list[Any]], Any],
    *,
    fanin: int = 8,
    weights: Sequence[int] | None = None,
    label: str = "",
    progress: bool = False,
    shared: Mapping[str, Any] | None = None,
) -> Any:
    """Return ``combine`` of ``fn(item, **shared)`` over all items; ``combine`` must not care about order or grouping.

    ``combine`` runs as a tree, ``fanin`` parts at a time: here as the results come (at most ``fanin``
    results per level are held), on a cluster on the workers, so the client receives one result.
    """
    if not items:
        raise TokvecError("no input files given")
    shared = dict(shared or {})
    weights = list(weights) if weights is not None else [1] * len(items)
    with Progress(sum(weights), label=label, enabled=progress) as bar:
        if client is None:
            levels: list[list[Any]] = [[]]  # the same tree as on a cluster: fanin parts make one at the next level
            for k, item in enumerate(items):
                levels[0].append(fn(item, **shared))
                bar.update(weights[k])
                for depth in range(len(levels)):
                    if len(levels[depth]) < fanin:
                        break
                    if depth + 1 == len(levels):
                        levels.append([])
                    levels[depth + 1].append(combine(levels[depth]))
                    levels[depth] = []
            rest = [part for level in levels for part in level]
            return rest[0] if len(rest) == 1 else combine(rest)
        distributed = _dask()
        futures = client.map(fn, list(items), pure=False, **_scatter(client, shared))
        level = futures
        while len(level) > 1:
            level = [client.submit(combine, level[i : i + fanin], pure=False) for i in range(0, len(level), fanin)]
        index = {f.key: k for k, f in enumerate(futures)}
        try:
            for future in distributed.as_completed(futures):
                if future.status == "error":
                    future.result()  # re-raises a task's exception at once, before the merges wait on it
                # subtle: a finished part is not fetched: it stays on its worker for the merges
                bar.update(weights[index[future.key]])
            return level[0].result()
        except BaseException:
            client.cancel([*futures, *level])
            raise
