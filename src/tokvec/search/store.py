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
from .._checks import check_npz_sizes
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
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise FormatError(f"{path}: not JSON ({e.msg})") from None
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise FormatError(
            f"{path}: format {meta.get('format')!r} version {meta.get('version')!r}, expected {FORMAT} {VERSION}"
        )
    return meta


def load_index(cls: Any, folder: str | os.PathLike[str], encoder: Encoder) -> Any:
    """Read the index in ``folder``; ``encoder`` must be the model it was built with."""
    folder = pathlib.Path(folder)
    meta = read_manifest(folder)
    ids, texts = [], []
    with open(folder / "documents.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    vectors = np.load(folder / "vectors.npy", allow_pickle=False)
    check_npz_sizes(str(folder / "windows.npz"))
    with np.load(folder / "windows.npz", allow_pickle=False) as z:
        owner, spans = z["owner"], z["spans"]
    if len(ids) != meta["documents"] or not (len(owner) == len(spans) == len(vectors) == meta["windows"]):
        raise FormatError(f"{folder}: the files disagree on the number of documents or windows; rebuild the index")
    ann = None
    if meta.get("ann"):
        ann = HnswIndex.load(folder / "hnsw.faiss", meta.get("ann_params") or {}, count=len(vectors))
    meta = {k: v for k, v in meta.items() if k not in ("format", "version", "documents", "windows")}
    index = cls.__new__(cls)
    index.meta = meta
    index.check_encoder(encoder, str(folder))
    cls.__init__(index, encoder, meta, ids, texts, owner, spans, vectors, ann)
    return index
