"""Documents for the index: ids and texts from Python values or from files (.jsonl, .txt, a folder).

>>> normalize_documents(["first text", "second"], ids=None)
(['0', '1'], ['first text', 'second'])
>>> normalize_documents({"a": "x", "b": "y"}, ids=None)
(['a', 'b'], ['x', 'y'])
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence

from .._io import read_utf8
from ..errors import FormatError, TokvecFileError


def normalize_documents(
    documents: Mapping[str, str] | Sequence[str], *, ids: Sequence[str] | None, first_id: int = 0
) -> tuple[list[str], list[str]]:
    """Return ``(ids, texts)``: a mapping gives both; a sequence takes ``ids`` or numbers from ``first_id``."""
    if isinstance(documents, str):
        raise TypeError("documents must be a list of texts or a mapping id -> text, not one string")
    if isinstance(documents, Mapping):
        if ids is not None:
            raise TypeError("give ids either as the keys of a mapping or as ids=, not both")
        doc_ids, texts = [str(k) for k in documents], list(documents.values())
    else:
        texts = list(documents)
        doc_ids = [str(i) for i in ids] if ids is not None else [str(first_id + i) for i in range(len(texts))]
        if len(doc_ids) != len(texts):
            raise FormatError(f"{len(doc_ids)} ids for {len(texts)} documents")
    if not texts:
        raise FormatError("the corpus is empty: give at least one document")
    seen: dict[str, int] = {}
    for i, (doc_id, text) in enumerate(zip(doc_ids, texts, strict=True)):
        if not isinstance(text, str):
            raise TypeError(f"document {doc_id!r} (#{i}) is a {type(text).__name__}, not a string")
        if not text.strip():
            raise FormatError(f"document {doc_id!r} (#{i}) is empty; drop it or give it text")
        if doc_id in seen:
            raise FormatError(f"duplicate document id {doc_id!r} (#{seen[doc_id]} and #{i})")
        seen[doc_id] = i
    return doc_ids, texts


def read_documents(
    path: str | os.PathLike[str], *, text_field: str = "text", id_field: str | None = None
) -> tuple[list[str], list[str]]:
    """Read documents: ``.jsonl`` (one object a line), ``.txt`` (one document a line), or a folder of .txt/.md.

    JSON lines take the text from ``text_field`` (a BEIR corpus's ``title`` is put in front) and the id from
    ``id_field`` (default: ``_id`` or ``id`` when present, else the line number); ``.txt`` ids are line
    numbers (from 1); a folder's ids are the file paths relative to it.
    """
    name = os.fspath(path)
    if os.path.isdir(name):
        ids, texts = [], []
        for root, dirs, files in os.walk(name):
            dirs.sort()
            for file in sorted(files):
                if file.lower().endswith((".txt", ".md")):
                    full = os.path.join(root, file)
                    texts.append(read_utf8(full))
                    ids.append(os.path.relpath(full, name))
        if not ids:
            raise FormatError(f"{name}: no .txt or .md files in this folder")
        return ids, texts
    if not os.path.isfile(name):
        raise TokvecFileError(f"{name}: no such file or folder")
    lines = read_utf8(name).splitlines()
    if not name.lower().endswith((".jsonl", ".json")):
        pairs = [(str(n), line) for n, line in enumerate(lines, 1) if line.strip()]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    ids, texts = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise FormatError(f"{name} line {number}: not JSON ({e.msg})") from None
        except RecursionError:
            raise FormatError(f"{name} line {number}: JSON nested too deeply") from None
        if not isinstance(record, dict) or text_field not in record:
            raise FormatError(f"{name} line {number}: no field {text_field!r} (choose it with --text-field)")
        key = id_field or next((k for k in ("_id", "id") if k in record), None)
        if id_field and id_field not in record:
            raise FormatError(f"{name} line {number}: no field {id_field!r} (choose it with --id-field)")
        text = str(record[text_field] or "")
        if text_field == "text" and record.get("title"):
            text = f"{record['title']} {text}".strip()
        ids.append(str(record[key]) if key else str(number))
        texts.append(text)
    return ids, texts
