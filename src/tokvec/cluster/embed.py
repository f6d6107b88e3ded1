"""Embed a corpus into vector shards: one task per input file, the model loaded once per worker.

Layout of ``DIR/`` (resuming as :mod:`tokvec.cluster.shards` says):

- ``NNNNN-PPPP.npy``: float32[n, dim], the vectors of part PPPP of input file NNNNN (at most
  ``shard_rows`` rows); ``np.load(path, mmap_mode="r")``;
- ``NNNNN-PPPP.ids.npy``: int64[n, 2], (file number, document number) of each row: the document
  number is the line number (from 0) of a text file or the record number of a JSON Lines file;
  blank documents are left out, so numbers may skip;
- ``manifest.json`` last: the model (name, fingerprint, dim), the inputs, the shards.

A document is a line without its line break, or a JSON record's field. The encoder is any object
that follows :class:`tokvec.embed.protocol.Encoder`; ``loader(model)`` builds it (by default
``tokvec.load_encoder``). Workers receive the model's name (or path) and the loader, never the
weights: each worker process loads the model on its first task and keeps it for the next ones.

>>> import pathlib, tempfile, numpy as np
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("one\\n\\nthree\\n")
>>> m = embed_files([str(folder / "a.txt")], "lengths", str(folder / "out"), loader=LengthEncoder)
>>> m["rows"], m["model"]["dim"]
(2, 2)
>>> np.load(folder / "out" / "00000-0000.ids.npy").tolist()
[[0, 0], [0, 2]]
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..embed.protocol import Encoder
from ..errors import TokvecError
from .shards import run_sharded, save_array, shard_name
from .sources import Source, expand, read_batches

SHARD_ROWS = 1 << 16
_ENCODERS: dict[tuple[str, str], Any] = {}


def default_loader(model: str, **options: Any) -> Encoder:
    """Load ``model`` with ``tokvec.load_encoder(model, **options)`` (a known name or a model folder)."""
    from ..embed import load_encoder

    return load_encoder(model, **options)


def encoder_for(model: str, loader: Callable[[str], Encoder]) -> Encoder:
    """Return the encoder of ``model``, loaded once per process."""
    key = (_name_of(loader), model)
    if key not in _ENCODERS:
        _ENCODERS.clear()  # one model at a time: a worker's memory holds one set of weights
        _ENCODERS[key] = loader(model)
    return _ENCODERS[key]


def _name_of(fn: Any) -> str:
    """Name a loader the same way in every process (a repr would hold a memory address)."""
    if isinstance(fn, functools.partial):
        return f"{_name_of(fn.func)}{fn.args!r}{sorted(fn.keywords.items())!r}"
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', type(fn).__qualname__)}"


def embed_files(
    files: Sequence[str],
    model: str,
    out_dir: str,
    *,
    client: Any = None,
    loader: Callable[[str], Encoder] = default_loader,
    field: str = "text",
    batch_size: int = 32,
    normalize: bool = False,
    shard_rows: int = SHARD_ROWS,
    num_threads: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Write the vector shards of ``files`` (paths or globs) into ``out_dir``; return the manifest.

    ``num_threads`` goes to ``Encoder.embed``; on a cluster it defaults to 1 (the workers are the parallelism).
    """
    if shard_rows < 1 or batch_size < 1:
        raise TokvecError(f"shard_rows and batch_size must be at least 1, got {shard_rows} and {batch_size}")
    sources = expand(files, field=field)
    encoder = encoder_for(model, loader)  # here too: the manifest names the model's dim and fingerprint
    job = {
        "format": "tokvec-vector-shards", "version": 1,
        "model": {"name": model, "fingerprint": encoder.fingerprint(), "dim": int(encoder.dim)},
        "dtype": "float32", "normalize": normalize, "batch_size": batch_size, "shard_rows": shard_rows,
    }  # fmt: skip
    threads = num_threads if num_threads is not None or client is None else 1
    task = functools.partial(embed_source, model=model, loader=loader, num_threads=threads)
    return run_sharded(sources, out_dir, job, task, client=client, label="embed", progress=progress)


def embed_source(
    item: tuple[int, Source],
    *,
    out_dir: str,
    job: dict[str, Any],
    model: str,
    loader: Callable[[str], Encoder],
    num_threads: int | None = None,
) -> dict[str, Any]:
    """Embed one input file and write its shards (the work of one task); return what was written."""
    i, source = item
    encoder = encoder_for(model, loader)
    if encoder.fingerprint() != job["model"]["fingerprint"]:
        raise TokvecError(
            f"the model {model!r} on this worker is not the one the job started with (fingerprint"
            f" {encoder.fingerprint()} != {job['model']['fingerprint']}): install the same model on every machine"
        )
    limit = job["shard_rows"]
    shards: list[dict[str, Any]] = []
    texts: list[str] = []
    numbers: list[int] = []
    seen = 0

    def flush(final: bool) -> None:
        while len(texts) >= limit or (final and texts):
            take, rest = texts[:limit], numbers[:limit]
            options = {"batch_size": job["batch_size"], "normalize": job["normalize"]}
            if num_threads is not None:
                options["num_threads"] = num_threads
            vectors = np.asarray(encoder.embed(take, **options), dtype=np.float32)
            ids = np.column_stack([np.full(len(rest), i, dtype=np.int64), np.asarray(rest, dtype=np.int64)])
            stem = shard_name(i, len(shards))
            info = save_array(os.path.join(out_dir, stem + ".npy"), vectors)
            save_array(os.path.join(out_dir, stem + ".ids.npy"), ids)
            shards.append({"name": stem, "files": [stem + ".npy", stem + ".ids.npy"], "rows": len(take),
                           "sha256": info["sha256"]})  # fmt: skip
            del texts[:limit], numbers[:limit]

    for docs in read_batches(source):
        for k, doc in enumerate(docs):
            text = doc.rstrip("\r\n")
            if text.strip():
                texts.append(text)
                numbers.append(seen + k)
        seen += len(docs)
        flush(final=False)
    flush(final=True)
    return {"documents": seen, "rows": sum(s["rows"] for s in shards), "shards": shards}


class LengthEncoder:
    """A tiny encoder for examples and tests: each text's (characters, words) as a float32 vector."""

    dim, max_seq_length = 2, None

    def __init__(self, name: str = "lengths") -> None:
        self.name = name

    def embed(self, texts: Sequence[str], **options: Any) -> np.ndarray:
        """Return float32[len(texts), 2]."""
        return np.array([[len(t), len(t.split())] for t in texts], dtype=np.float32).reshape(-1, 2)

    def fingerprint(self) -> str:
        """Return a fixed fingerprint (nothing is learned)."""
        return "lengths-v1"
