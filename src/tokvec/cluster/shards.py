"""Sharded outputs that survive interruption: atomic array files, one marker per finished input, a manifest last.

A sharded job (token shards, vector shards) writes into ``DIR/``:

- the shards of input file ``i`` as ``NNNNN-PPPP.*`` (file number, part number), each written to a
  temporary name and renamed into place, so a killed worker never leaves half a shard;
- ``DIR/parts/NNNNN.json`` once every shard of file ``i`` is in place: what was written, with the
  input's size and change time and the job's settings;
- ``DIR/manifest.json`` last, when every input is done: the settings, the inputs, the shards.

Run the same job again and every input whose marker matches is skipped (the job resumes); a
changed input file is done again; a folder that holds another job's shards is refused.

>>> import tempfile, numpy as np
>>> folder = tempfile.mkdtemp()
>>> info = save_array(folder + "/x.bin", np.arange(3, dtype="<u2"), raw=True)
>>> info["bytes"], np.fromfile(folder + "/x.bin", dtype="<u2").tolist()
(6, [0, 1, 2])
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import _io
from .._io import atomic_write
from ..errors import TokvecFileError
from .engine import map_ordered
from .sources import Source

MANIFEST = "manifest.json"


class _HashingFile:
    """A write-only file that hashes what passes through it (so a shard is not read back to hash it)."""

    def __init__(self, f: Any) -> None:
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.digest.update(view)
        self.size += len(view)
        return self.f.write(view)


def save_array(path: str, array: np.ndarray, *, raw: bool = False) -> dict[str, Any]:
    """Write ``array`` to ``path`` atomically (raw bytes, or ``.npy``); return its byte count and sha256."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        _io.register_temporary(tmp)  # a Ctrl-C in the command removes it
        with os.fdopen(fd, "wb") as f:
            out = _HashingFile(f)
            if raw:
                out.write(np.ascontiguousarray(array))
            else:
                np.save(out, array, allow_pickle=False)  # type: ignore[arg-type]
        os.replace(tmp, path)
        _io.release_temporary(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _io.release_temporary(tmp)
        raise
    return {"bytes": out.size, "sha256": out.digest.hexdigest()}


def write_json(path: str, obj: Any) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    atomic_write(path, (json.dumps(obj, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def run_sharded(
    sources: Sequence[Source],
    out_dir: str,
    job: dict[str, Any],
    task: Callable[..., dict[str, Any]],
    *,
    client: Any = None,
    label: str,
    progress: bool = False,
    shared: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run ``task(item, out_dir=..., job=..., **shared)`` for each input not yet done; write and return the manifest.

    ``item`` is ``(file number, source)``; the task writes its shards and returns
    ``{"documents", "tokens" or "rows", "shards": [...]}``; this function writes its marker (on the
    worker, so that a finished input counts even when the client is interrupted).
    """
    parts = os.path.join(out_dir, "parts")
    if not os.path.exists(out_dir):
        _io.track_folder(out_dir)  # a Ctrl-C before any shard is in place leaves no empty folder
    try:
        os.makedirs(parts, exist_ok=True)
    except OSError as e:
        raise TokvecFileError(f"cannot create {parts}: {e.strerror}") from None
    _check_folder(out_dir, job)
    done: dict[int, dict[str, Any]] = {}
    todo = []
    for i, source in enumerate(sources):
        marker = _read_marker(parts, i)
        if _finished(marker, source, job, out_dir):
            done[i] = marker
            continue
        todo.append((i, source))
    if todo and os.path.exists(os.path.join(out_dir, MANIFEST)):  # a file changed: the old manifest is no longer true
        os.unlink(os.path.join(out_dir, MANIFEST))
    run = functools.partial(_run_and_mark, task=task, out_dir=out_dir, job=job)
    results = map_ordered(
        client, run, todo, weights=[s.size for _, s in todo], label=label, progress=progress, shared=shared
    )  # fmt: skip
    done.update({i: r for (i, _), r in zip(todo, results, strict=True)})
    for name in os.listdir(out_dir):  # what a killed worker was writing when it died (never a shard)
        if name.startswith(".tmp-"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(out_dir, name))
    markers = [done[i] for i in range(len(sources))]
    manifest = job | {
        "files": [m["source"] | {k: v for k, v in m.items() if k not in ("source", "job", "shards")} for m in markers],
        "shards": [s for m in markers for s in m["shards"]],
    }
    for key in ("documents", "tokens", "rows"):
        if key in markers[0]:
            manifest[key] = sum(m[key] for m in markers)
    write_json(os.path.join(out_dir, MANIFEST), manifest)
    return manifest


def _run_and_mark(item: tuple[int, Source], *, task: Callable[..., dict], out_dir: str, job: dict, **shared) -> dict:
    i, source = item
    result = task(item, out_dir=out_dir, job=job, **shared)
    marker = {"source": source.key(), "job": job} | result
    path = os.path.join(out_dir, "parts", f"{i:05d}.json")
    write_json(path, marker)
    _io.keep_on_cancel(path)  # with its shards, this input is done: a Ctrl-C later keeps it, the job resumes
    return marker


def _finished(marker: dict[str, Any] | None, source: Source, job: dict[str, Any], out_dir: str) -> bool:
    """Tell whether ``marker`` says this input is done by this job, with every shard still in place."""
    if marker is None or marker.get("source") != source.key() or marker.get("job") != job:
        return False
    return all(os.path.exists(os.path.join(out_dir, f)) for s in marker["shards"] for f in s["files"])


def _read_marker(parts: str, i: int) -> dict[str, Any] | None:
    try:
        with open(os.path.join(parts, f"{i:05d}.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _check_folder(out_dir: str, job: dict[str, Any]) -> None:
    """Refuse a folder that holds another job's shards (another tokenizer or model, other settings)."""
    path = os.path.join(out_dir, MANIFEST)
    others = [path] if os.path.exists(path) else []
    others += sorted(os.path.join(out_dir, "parts", n) for n in os.listdir(os.path.join(out_dir, "parts")))
    for other in others[:2]:
        try:
            with open(other, encoding="utf-8") as f:
                theirs = json.load(f)
        except (OSError, ValueError):
            continue
        theirs = theirs.get("job", theirs)
        mine = {k: theirs.get(k) for k in job}
        if mine != job:
            diff = next(k for k in job if theirs.get(k) != job[k])
            raise TokvecFileError(
                f"{out_dir} holds the shards of another job ({other} has {diff}={theirs.get(diff)!r}, this job"
                f" {job[diff]!r}): write to a new folder, or empty this one"
            )


def shard_name(i: int, part: int) -> str:
    """Return the stem of part ``part`` of input file ``i``: ``NNNNN-PPPP``."""
    return f"{i:05d}-{part:04d}"
