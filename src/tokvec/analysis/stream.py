"""Read a large text in chunks and cut it into documents whose token counts add up to the whole text's.

Encoding a file line by line does not give the file's token count: the split patterns join runs of
whitespace across lines (cl100k spells ``"\\n\\n"`` as one token), so each cut has to fall where no
pre-token can cross it, for every built-in pattern (r50k, cl100k, o200k, llama3):

- after a newline that follows a non-space and precedes a non-space other than ``/`` (o200k's
  punctuation run ``[\\r\\n/]*`` takes ``".\\n/"``; a line that ends in spaces is kept, because
  GPT-2's ``\\s+$`` would take ``"  \\n"`` whole at the end of a document but not inside one), or
- before ``\\r`` or ``\\n`` that follows a letter or digit (no pattern joins a letter to a line break;
  this also cuts files with ``\\r\\n`` line ends).

Python's ``\\s`` counts more characters as space than Unicode's White_Space, so it errs on the side
of not cutting. A custom (regex) pattern may join more; its counts can then differ slightly.
``tests/analysis/test_stream.py`` checks the rule against whole-text encoding on generated text.

>>> cut_documents("One.\\nTwo  \\nthree\\n", 3)
(['One.\\n', 'Two  \\nthree'], '\\n')
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

CHUNK_BYTES = 8 << 20
_PARTS = 256  # documents per chunk: enough for encode_batch to balance its threads
_CUT = re.compile(r"(?<=\S\n)(?=[^\s/])|(?<=[^\W_])(?=[\r\n])")


@dataclass
class TextStats:
    """What was read: UTF-8 bytes, characters (after U+FFFD replacement), words, lines and invalid lines."""

    bytes: int = 0
    characters: int = 0
    words: int = 0  # runs of non-space characters (str.split); a chunk ends at a line break, so none is cut
    lines: int = 0
    invalid_lines: int = 0
    first_invalid_line: int = 0


def cut_documents(text: str, parts: int) -> tuple[list[str], str]:
    """Cut ``text`` at safe points near ``parts`` evenly spaced targets; return (documents, the rest).

    The rest is what follows the last safe point: it must go in front of the next chunk.
    """
    docs: list[str] = []
    start = 0
    step = max(len(text) // max(parts, 1), 1)
    target = step
    while target < len(text):
        m = _CUT.search(text, max(target, start + 1))
        if m is None:
            break
        docs.append(text[start : m.start()])
        start = m.start()
        target = start + step
    return docs, text[start:]


def read_documents(
    f: BinaryIO,
    stats: TextStats,
    *,
    chunk_bytes: int = CHUNK_BYTES,
    on_chunk: Callable[[], None] | None = None,
) -> Iterator[list[str]]:
    """Yield lists of documents from ``f``; their token counts add up to the whole stream's.

    Reads ``chunk_bytes`` at a time, ending chunks at a line break (so no character is cut),
    updates ``stats`` and calls ``on_chunk`` after each read (for a progress bar).
    """
    head = b""
    rest = ""
    while True:
        block = f.read(chunk_bytes)
        if block:
            data = head + block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                head = data
                if on_chunk:
                    on_chunk()
                continue
            data, head = data[:cut], data[cut:]
        else:
            data, head = head, b""
        if data:
            text = _decode(data, stats)
            docs, rest = cut_documents(rest + text, _PARTS)
            if on_chunk:
                on_chunk()
            if docs:
                yield docs
        if not block:
            break
    if rest:
        yield [rest]


def open_stdin(stream: BinaryIO) -> BinaryIO:
    """Return ``stream``, unzipped on the fly when it starts with the gzip magic bytes."""
    peek = getattr(stream, "peek", None)
    if peek is not None and peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def raw_position(f: BinaryIO) -> int | None:
    """Return how far into the file on disk ``f`` has read (the compressed file for ``.gz``), if known."""
    raw = getattr(f, "fileobj", f)
    try:
        return raw.tell()
    except (AttributeError, OSError, ValueError):
        return None


def _decode(data: bytes, stats: TextStats) -> str:
    stats.bytes += len(data)
    first_line = stats.lines + 1
    stats.lines += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        bad = []
        for k, line in enumerate(data.split(b"\n")):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(k)
        if not stats.invalid_lines:
            stats.first_invalid_line = first_line + bad[0]
        stats.invalid_lines += len(bad)
        text = data.decode("utf-8", "replace")  # newlines are ASCII: the same as replacing line by line
    stats.characters += len(text)
    stats.words += len(text.split())
    return text
