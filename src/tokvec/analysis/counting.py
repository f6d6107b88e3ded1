"""Count the tokens of text files (plain or .gz, or stdin) with several tokenizers, streamed.

The counts equal encoding each whole file as one text with special-token text read as ordinary
text and no special tokens added (see :mod:`tokvec.analysis.stream` for how files are cut into
documents without changing the count of the byte-level tokenizers).

>>> import io, tokvec
>>> counts = count_streams({"gpt2": tokvec.load("gpt2")}, [("hello.txt", io.BytesIO(b"Hello world!\\n"))])
>>> counts[0].tokens, counts[0].stats.words
({'gpt2': 4}, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ..errors import TokvecFileError
from .adapt import batch_lengths, encode_plain_batch
from .stream import TextStats, raw_position, read_documents


@dataclass
class FileCount:
    """The counts of one file: what was read, and the tokens of each tokenizer (by name)."""

    path: str
    stats: TextStats
    tokens: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Return the counts as a JSON object."""
        s = self.stats
        return {
            "path": self.path,
            "bytes": s.bytes,
            "characters": s.characters,
            "words": s.words,
            "lines": s.lines,
            "invalid_utf8_lines": s.invalid_lines,
            "tokens": dict(self.tokens),
            "bytes_per_token": {k: ratio(s.bytes, n) for k, n in self.tokens.items()},
        }


def count_streams(
    toks: Mapping[str, Any],
    streams: Iterable[tuple[str, BinaryIO]],
    *,
    num_threads: int | None = None,
    on_position: Callable[[int], None] | None = None,
) -> list[FileCount]:
    """Count each ``(label, binary stream)`` with every tokenizer of ``toks`` (label -> tokenizer).

    ``on_position`` receives how far into the current stream (on disk, for .gz) reading has come.
    """
    results = []
    for path, f in streams:
        result = FileCount(path, TextStats(), dict.fromkeys(toks, 0))

        def moved(f: BinaryIO = f, result: FileCount = result) -> None:
            if on_position is not None:
                pos = raw_position(f)
                on_position(pos if pos is not None else result.stats.bytes)

        try:
            for docs in read_documents(f, result.stats, on_chunk=moved):
                for label, tok in toks.items():
                    batch = encode_plain_batch(tok, docs, num_threads=num_threads)
                    result.tokens[label] += int(batch_lengths(batch).sum())
        except TokvecFileError:
            raise  # already names the file
        except (OSError, EOFError) as e:  # a truncated or corrupt .gz file
            raise TokvecFileError(f"cannot read {path}: {e}") from None
        results.append(result)
    return results


def total_of(results: list[FileCount], names: Iterable[str]) -> FileCount:
    """Add the counts of several files."""
    total = FileCount("total", TextStats(), dict.fromkeys(names, 0))
    for r in results:
        for attr in ("bytes", "characters", "words", "lines", "invalid_lines"):
            setattr(total.stats, attr, getattr(total.stats, attr) + getattr(r.stats, attr))
        for n in total.tokens:
            total.tokens[n] += r.tokens[n]
    return total


def ratio(a: int, b: int) -> float:
    """Return ``a / b`` rounded to 3 places (0 when ``b`` is 0)."""
    return round(a / b, 3) if b else 0.0
