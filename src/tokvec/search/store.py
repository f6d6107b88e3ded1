"""Save and load a search index as a folder: no pickle, written beside the target and swapped in at the end.

Layout: ``index.json`` (format, version, the model's name and fingerprint, dim, chunking, ANN parameters,
counts), ``documents.jsonl`` (one ``{"id", "text"}`` a line), ``vectors.npy`` (unit float32 window vectors),
``windows.npz`` (each window's document row and character span), and ``hnsw.faiss`` when the index has
an ANN graph. The folder is written under a temporary name in the same parent, then renamed into place;
an existing folder is replaced only if it holds a tokvec index (or nothing).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import tempfile
from typing import Any

import numpy as np

from .. import _io
from .._checks import check_array, npy_array, npz_arrays
from ..embed.protocol import Encoder
from ..errors import FormatError, TokvecFileError
from .ann import HnswIndex

FORMAT, VERSION = "tokvec-index", 1
MANIFEST = "index.json"


def save_index(index: Any, folder: str | os.PathLike[str]) -> None:
    """Write ``index`` to ``folder`` atomically (see the module docstring)."""
    target = pathlib.Path(folder)
    if target.exists() and not (target / MANIFEST).is_file() and any(target.iterdir()):
        raise TokvecFileError(f"{target}: exists and is not a tokvec index; choose another folder or empty it")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    _io.register_temporary(tmp)  # a Ctrl-C while it is written removes it (tokvec.cli.main.run)
    try:
        meta = {**index.meta, "format": FORMAT, "version": VERSION, "documents": len(index.doc_ids),
                "windows": len(index.owner)}  # fmt: skip
        with open(tmp / "documents.jsonl", "w", encoding="utf-8") as f:
            for doc_id, text in zip(index.doc_ids, index.texts, strict=True):
                f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        np.save(tmp / "vectors.npy", index.vectors, allow_pickle=False)
        np.savez(tmp / "windows.npz", owner=index.owner, spans=index.spans)
        if index.ann is not None:
            meta["ann_params"] = index.ann.params
            index.ann.save(tmp / "hnsw.faiss")
        (tmp / MANIFEST).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            os.replace(target, old)
        os.replace(tmp, target)
        _io.release_temporary(tmp, created=None if old is not None else target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _io.release_temporary(tmp)
        raise


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the ``index.json`` of ``folder`` (checked to be a tokvec index of a known version)."""
    path = pathlib.Path(folder) / MANIFEST
    if not path.is_file():
        raise TokvecFileError(f"{folder}: not a tokvec index (no {MANIFEST}); build one with `tokvec search build`")
    try:
        meta = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise FormatError(f"{path}: not JSON ({e})") from None
    if not isinstance(meta, dict):
        raise FormatError(f"{path}: must be a JSON object, not {type(meta).__name__}")
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise FormatError(
            f"{path}: format {meta.get('format')!r} version {meta.get('version')!r}, expected {FORMAT} {VERSION}"
        )
    _check_manifest(str(path), meta)
    return meta


# the manifest's fields: name -> (what it must be, the test)
_FIELDS: dict[str, tuple[str, Any]] = {
    "model": ("text", lambda v: isinstance(v, str)),
    "fingerprint": ("text", lambda v: isinstance(v, str)),
    "dim": ("a whole number from 1", lambda v: _whole(v) and v >= 1),
    "documents": ("a whole number", lambda v: _whole(v) and v >= 0),
    "windows": ("a whole number", lambda v: _whole(v) and v >= 0),
    "chunk": ("null or 'tokens'", lambda v: v in (None, "tokens")),
    "ann": ("null or 'hnsw'", lambda v: v in (None, "hnsw")),
    "bm25": ("true or false", lambda v: isinstance(v, bool)),
    "ann_params": ("null or an object of whole numbers from 1 to 2^31-1",
                   lambda v: v is None or (isinstance(v, dict) and all(_whole(x) and 1 <= x < 2**31
                                                                        for x in v.values()))),
}  # fmt: skip


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_manifest(path: str, meta: dict[str, Any]) -> None:
    for name, (what, ok) in _FIELDS.items():
        if name not in meta and name in ("bm25", "ann_params", "ann"):
            continue  # optional
        if name not in meta or not ok(meta[name]):
            raise FormatError(f"{path}: {name} must be {what}, not {meta.get(name)!r} (corrupted or edited file?)")


def _read_documents(path: pathlib.Path) -> tuple[list[str], list[str]]:
    """Return the ids and texts of ``documents.jsonl`` (one ``{"id", "text"}`` object a line)."""
    ids, texts = [], []
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TokvecFileError(f"{path}: missing; rebuild the index") from None
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    for n, line in enumerate(data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"), 1):
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as e:
            raise FormatError(f"{path} line {n}: not a JSON line ({e})") from None
        if not (isinstance(record, dict) and isinstance(record.get("id"), str) and isinstance(record.get("text"), str)):
            raise FormatError(f'{path} line {n}: expected {{"id": text, "text": text}}')
        ids.append(record["id"])
        texts.append(record["text"])
    if len(set(ids)) != len(ids):
        raise FormatError(f"{path}: a document id appears twice (corrupted or edited file?)")
    return ids, texts


def _check_windows(folder: pathlib.Path, texts: list[str], owner: Any, spans: Any, vectors: Any, dim: int) -> None:
    """Check what the search kernels index with: owners sorted and covering every document, spans inside texts."""
    where = str(folder / "windows.npz")
    owner = check_array(where, "owner", owner, kind="iu", ndim=1)
    spans = check_array(where, "spans", spans, kind="iu", ndim=2, shape=(len(owner), 2))
    check_array(str(folder / "vectors.npy"), "vectors", vectors, kind="f", ndim=2, shape=(len(owner), dim))
    owner64 = owner.astype(np.int64)
    if len(owner) and ((np.diff(owner64) < 0).any() or owner64[0] != 0 or owner64[-1] != len(texts) - 1
                       or (np.diff(owner64) > 1).any()):  # fmt: skip
        raise FormatError(f"{where}: owner must run 0, 0, 1, ... {len(texts) - 1} with every document (corrupted?)")
    if not texts or not len(owner):
        raise FormatError(f"{folder}: the index holds no documents or no windows (corrupted or edited file?)")
    lengths = np.array([len(t) for t in texts], dtype=np.int64)[owner64] if len(owner) else np.zeros(0, np.int64)
    a, b = spans[:, 0].astype(np.int64), spans[:, 1].astype(np.int64)
    bad = (a < 0) | (a > b) | (b > lengths)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise FormatError(f"{where}: window {row} spans {a[row]}..{b[row]}, outside its document (corrupted?)")


def load_index(cls: Any, folder: str | os.PathLike[str], encoder: Encoder) -> Any:
    """Read the index in ``folder``; ``encoder`` must be the model it was built with."""
    folder = pathlib.Path(folder)
    meta = read_manifest(folder)
    ids, texts = _read_documents(folder / "documents.jsonl")
    vectors = npy_array(str(folder / "vectors.npy"), "index vectors")
    z = npz_arrays(str(folder / "windows.npz"), "index windows")
    owner, spans = z.get("owner"), z.get("spans")
    if owner is None or spans is None:
        raise FormatError(f"{folder / 'windows.npz'}: expected the arrays owner and spans; rebuild the index")
    _check_windows(folder, texts, owner, spans, vectors, meta["dim"])
    if len(ids) != meta["documents"] or not (len(owner) == len(spans) == len(vectors) == meta["windows"]):
        raise FormatError(f"{folder}: the files disagree on the number of documents or windows; rebuild the index")
    owner, spans, vectors = owner.astype(np.int64), spans.astype(np.int64), vectors.astype(np.float32, copy=False)
    ann = None
    if meta.get("ann"):
        ann = HnswIndex.load(folder / "hnsw.faiss", meta.get("ann_params") or {}, count=len(vectors))
    meta = {k: v for k, v in meta.items() if k not in ("format", "version", "documents", "windows")}
    index = cls.__new__(cls)
    index.meta = meta
    index.check_encoder(encoder, str(folder))
    if int(getattr(encoder, "dim", meta["dim"])) != meta["dim"]:
        raise FormatError(f"{folder}: the index has {meta['dim']} dimensions, the model {encoder.dim}; rebuild it")
    cls.__init__(index, encoder, meta, ids, texts, owner, spans, vectors, ann)
    return index
