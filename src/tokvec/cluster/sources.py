"""Input files of a job: plain text, ``.gz``, and JSON Lines with a text field; globs expanded in order.

A **document** is a line of a text file (its ``\\n`` kept, as the trainers read files) or the
``field`` of a record of a ``.jsonl`` / ``.ndjson`` file (plain or ``.gz``). Files are read in
batches of whole documents (about 8 MB), so memory stays bounded on any file size. Every error
names the file (and the line of a bad JSON record).

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.jsonl").write_text('{"text": "one"}\\n{"text": "two"}\\n')
>>> [s.path.endswith("a.jsonl") for s in expand([str(folder / "*.jsonl")])]
[True]
>>> list(read_batches(expand([str(folder / "a.jsonl")])[0]))
[['one', 'two']]
"""

from __future__ import annotations

import glob
import json
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .._io import open_binary
from ..errors import FormatError, TokvecFileError

BATCH_BYTES = 8 << 20
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


@dataclass(frozen=True)
class Source:
    """One input file: its absolute path, the name it was given by, its size and change time (for resuming),
    and the JSON field when it is JSON Lines."""

    path: str
    name: str
    size: int
    mtime_ns: int
    field: str | None = None

    @property
    def is_jsonl(self) -> bool:
        """Tell whether documents are JSON records (else lines of text)."""
        return self.field is not None

    def key(self) -> dict[str, object]:
        """Return what identifies this input in a manifest (a changed file is not resumed)."""
        return {"path": self.name, "size": self.size, "mtime_ns": self.mtime_ns, "field": self.field}


def expand(patterns: Sequence[str], *, field: str = "text") -> list[Source]:
    """Return the files that ``patterns`` (paths or globs) name, each once, in the order given (globs sorted).

    Files ending ``.jsonl``/``.ndjson`` (optionally ``.gz``) are read as JSON Lines with ``field``.
    """
    paths: list[str] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            found = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
            if not found:
                raise TokvecFileError(f"{pattern}: no file matches this pattern")
            paths += found
        elif os.path.isfile(pattern):
            paths.append(pattern)
        else:
            raise TokvecFileError(f"{pattern}: no such file (give text, .gz or .jsonl files, or a glob)")
    sources = []
    given = {os.path.abspath(p): p for p in reversed(paths)}  # each file once, under the first name given
    for p in dict.fromkeys(os.path.abspath(p) for p in paths):
        st = os.stat(p)
        jsonl = p.endswith(JSONL_SUFFIXES)
        sources.append(Source(p, given[p], st.st_size, st.st_mtime_ns, field if jsonl else None))
    if not sources:
        raise TokvecFileError("no input files given")
    return sources


def read_batches(source: Source, *, batch_bytes: int = BATCH_BYTES) -> Iterator[list[str]]:
    """Yield lists of documents of ``source`` (bad UTF-8 bytes read as U+FFFD), about ``batch_bytes`` each."""
    lineno = 0
    try:
        with open_binary(source.path) as f:
            head = b""
            while True:
                block = f.read(batch_bytes)
                data = head + block
                cut = data.rfind(b"\n") + 1 if block else len(data)
                data, head = data[:cut], data[cut:]
                if data:
                    lines = split_lines(data.decode("utf-8", "replace"))
                    if source.field is None:
                        yield lines
                    else:
                        yield _records(source, lines, lineno)
                    lineno += len(lines)
                if not block:
                    return
    except (OSError, EOFError, zlib.error) as e:
        if isinstance(e, TokvecFileError):
            raise
        raise TokvecFileError(f"cannot read {source.name}: {e} (is it a truncated or corrupt .gz file?)") from None


def split_lines(text: str) -> list[str]:
    """Cut ``text`` after each ``\\n`` (``str.splitlines`` would also cut at ``\\r``, ``\\x0b``, ``\\u2028``, ...).

    >>> split_lines("a\\r\\nb\\n\\nc")
    ['a\\r\\n', 'b\\n', '\\n', 'c']
    """
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _records(source: Source, lines: list[str], first: int) -> list[str]:
    texts = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise FormatError(
                f"{source.name} line {first + k + 1}: not a JSON record ({e.msg}); is it JSON Lines?"
            ) from None
        value = record.get(source.field) if isinstance(record, dict) else None
        if not isinstance(value, str):
            keys = ", ".join(map(str, record)) if isinstance(record, dict) else "none"
            raise FormatError(
                f"{source.name} line {first + k + 1}: the record has no text field {source.field!r} (its keys:"
                f" {keys}); pick it with --field"
            )
        texts.append(value)
    return texts


def total_bytes(sources: Sequence[Source]) -> int:
    """Return the size on disk of all ``sources``."""
    return sum(s.size for s in sources)
