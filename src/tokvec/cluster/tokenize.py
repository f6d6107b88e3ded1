"""Tokenize a corpus into token shards that training code reads directly (nanoGPT style).

Layout of ``DIR/`` (see :mod:`tokvec.cluster.shards` for resuming):

- ``NNNNN-PPPP.bin``: the token ids of part PPPP of input file NNNNN, concatenated, flat
  little-endian ``uint16`` when every id fits (vocabulary of at most 65,536), else ``uint32``:
  ``np.memmap(path, dtype=manifest["dtype"], mode="r")``;
- ``NNNNN-PPPP.idx.npy``: int64[D+1], where document ``d`` of the shard starts (``idx[d]``) and
  ends (``idx[d+1]``) in the ``.bin``; ``np.load(path)``;
- ``manifest.json`` (written last): tokenizer name, sha256 and vocabulary size, dtype, the inputs
  with their documents and tokens, each shard with its counts and sha256.

A document is a line with its ``\\n`` (or a JSON record's field), encoded as ordinary text (no
special tokens added; special-token text stays text), so the ``.bin`` of a byte-level tokenizer
decodes back to the file. ``eot=True`` appends the end-of-text token after each document. A shard
closes at the first document boundary past ``shard_tokens`` tokens.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Hello world!\\nBye\\n")
>>> m = tokenize_files([str(folder / "a.txt")], "gpt2", str(folder / "out"))
>>> m["dtype"], m["tokens"], [s["name"] for s in m["shards"]]
('uint16', 7, ['00000-0000'])
>>> ids, starts = read_shard(str(folder / "out"), "00000-0000")
>>> ids.tolist(), starts.tolist()
([15496, 995, 0, 198, 3886, 68, 198], [0, 4, 7])
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..analysis.adapt import batch_ids, batch_lengths, encode_plain_batch
from ..errors import TokvecError
from .shards import MANIFEST, run_sharded, save_array, shard_name
from .sources import Source, expand, read_batches
from .tokenizers import TokenizerSpec, load_spec

SHARD_TOKENS = 1 << 27  # 128 Mi tokens: 256 MiB of uint16 per shard
EOT_NAMES = ("<|endoftext|>", "<|end_of_text|>", "</s>", "[SEP]", "<eos>")


def tokenize_files(
    files: Sequence[str],
    tokenizer: str,
    out_dir: str,
    *,
    client: Any = None,
    field: str = "text",
    shard_tokens: int = SHARD_TOKENS,
    eot: bool = False,
    num_threads: int | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Write the token shards of ``files`` (paths or globs) into ``out_dir``; return the manifest.

    One task per input file; inputs already done (their marker matches) are skipped.
    """
    if shard_tokens < 1:
        raise TokvecError(f"shard_tokens must be at least 1, got {shard_tokens}")
    sources = expand(files, field=field)
    spec = TokenizerSpec.of(tokenizer)
    tok = load_spec(spec)
    vocab = int(tok.vocab_size)
    job = {
        "format": "tokvec-token-shards", "version": 1,
        "tokenizer": {"name": spec.label, "sha256": spec.sha256, "vocab_size": vocab},
        "dtype": "uint16" if vocab <= 1 << 16 else "uint32", "eot": _eot_id(tok) if eot else None,
        "shard_tokens": shard_tokens,
    }  # fmt: skip
    threads = num_threads if num_threads is not None or client is None else 1
    task = functools.partial(tokenize_source, num_threads=threads)
    return run_sharded(
        sources, out_dir, job, task, client=client, label="tokenize", progress=progress, shared={"spec": spec}
    )


def _eot_id(tok: Any) -> int:
    for name in EOT_NAMES:
        i = tok.token_to_id(name)
        if i is not None:
            return int(i)
    raise TokvecError(f"the tokenizer has no end-of-text token ({', '.join(EOT_NAMES)}): leave out eot (--eot)")


def tokenize_source(
    item: tuple[int, Source], *, out_dir: str, job: dict[str, Any], spec: TokenizerSpec, num_threads: int | None
) -> dict[str, Any]:
    """Encode one input file and write its shards (the work of one task); return what was written."""
    i, source = item
    tok = load_spec(spec)
    dtype = np.dtype(job["dtype"]).newbyteorder("<")
    limit, eot = job["shard_tokens"], job["eot"]
    shards: list[dict[str, Any]] = []
    ids_buf: list[np.ndarray] = []
    len_buf: list[np.ndarray] = []
    held = 0

    def flush(final: bool) -> None:
        nonlocal ids_buf, len_buf, held
        ids, lens = (
            np.concatenate(ids_buf or [np.zeros(0, np.int64)]),
            np.concatenate(len_buf or [np.zeros(0, np.int64)]),
        )
        ends = np.cumsum(lens)
        start = 0  # in documents
        while start < len(lens):
            base = ends[start - 1] if start else 0
            k = int(np.searchsorted(ends, base + limit, side="left"))  # the document that reaches the limit
            if k >= len(lens) and not final:
                break
            stop = min(k + 1, len(lens))
            shards.append(
                _write(out_dir, shard_name(i, len(shards)), ids[base : ends[stop - 1]], lens[start:stop], dtype)
            )
            start = stop
        rest = ends[start - 1] if start else 0
        ids_buf, len_buf = [ids[rest:]], [lens[start:]]
        held = len(ids) - rest

    for docs in read_batches(source):
        batch = encode_plain_batch(tok, docs, num_threads=num_threads)
        ids, lens = batch_ids(batch), batch_lengths(batch)
        if eot is not None:
            ids = np.insert(ids, np.cumsum(lens), eot)
            lens = lens + 1
        ids = ids.astype(dtype)  # held as 2 or 4 bytes a token, not 8
        ids_buf.append(ids)
        len_buf.append(lens)
        held += len(ids)
        if held >= limit:
            flush(final=False)
    flush(final=True)
    return {
        "documents": sum(s["documents"] for s in shards),
        "tokens": sum(s["tokens"] for s in shards),
        "shards": shards,
    }


def _write(out_dir: str, stem: str, ids: np.ndarray, lens: np.ndarray, dtype: np.dtype) -> dict[str, Any]:
    starts = np.zeros(len(lens) + 1, dtype=np.int64)
    np.cumsum(lens, out=starts[1:])
    info = save_array(os.path.join(out_dir, stem + ".bin"), ids.astype(dtype, copy=False), raw=True)
    save_array(os.path.join(out_dir, stem + ".idx.npy"), starts)
    return {
        "name": stem, "files": [stem + ".bin", stem + ".idx.npy"], "documents": len(lens), "tokens": len(ids),
        "sha256": info["sha256"],
    }  # fmt: skip


def read_shard(out_dir: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (token ids as a read-only memmap, int64 document starts) of shard ``name`` in ``out_dir``."""
    with open(os.path.join(out_dir, MANIFEST), encoding="utf-8") as f:
        dtype = np.dtype(json.load(f)["dtype"]).newbyteorder("<")
    path = os.path.join(out_dir, name + ".bin")
    ids = np.memmap(path, dtype=dtype, mode="r") if os.path.getsize(path) else np.zeros(0, dtype)
    return ids, np.load(os.path.join(out_dir, name + ".idx.npy"))
