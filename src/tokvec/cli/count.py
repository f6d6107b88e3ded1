"""``tokvec count``: stream text files (plain or .gz) and count their tokens with one or more tokenizers.

The counts equal encoding each whole file as one text with special tokens read as ordinary text
(see :mod:`tokvec.analysis.stream` for how files are cut into documents without changing the count).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import tokvec

from .._io import open_binary
from .._progress import Progress
from ..analysis.stream import TextStats, open_stdin, raw_position, read_documents
from ..errors import TokvecFileError
from ._common import (
    add_command,
    add_format_option,
    add_tokenizer_option,
    format_table,
    print_json,
    tokenizer_names,
    warn,
)

_EXAMPLES = (
    "printf 'Hello world!\\nHallo Welt!\\n' > hello.txt",
    "tokvec count -t gpt2 hello.txt",
    "gzip -kf hello.txt && tokvec count -t gpt2,cl100k_base -t o200k_base hello.txt hello.txt.gz",
    "cat hello.txt | tokvec count -t cl100k_base --format json --quiet -",
)


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
            "lines": s.lines,
            "invalid_utf8_lines": s.invalid_lines,
            "tokens": dict(self.tokens),
            "bytes_per_token": {k: _ratio(s.bytes, n) for k, n in self.tokens.items()},
        }


def register(subparsers: Any) -> None:
    """Add the ``count`` verb."""
    p = add_command(
        subparsers,
        "count",
        summary="count the tokens of text files (plain or .gz) with one or more tokenizers",
        description=(
            "Count the tokens of each FILE ('-' for stdin) as if the whole file were encoded as one text,\n"
            "special-token text read as ordinary text. Files are streamed in chunks of about 8 MB and\n"
            "encoded on all cores. Prints tokens, bytes, characters and bytes per token per file and\n"
            "tokenizer (and totals when there are several files); a progress bar goes to stderr.\n"
            "Lines that are not valid UTF-8 are read with U+FFFD for the bad bytes, with a warning."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="text files, plain or gzip-compressed; '-' is stdin")
    add_tokenizer_option(p, several=True)
    add_format_option(p, ("table", "json"), "table or json")
    p.add_argument("--threads", type=int, default=None, metavar="N", help="encoding threads (default: all cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_count)


def run_count(args: argparse.Namespace) -> int:
    """Count every file with every tokenizer and print the table."""
    if args.threads is not None and args.threads < 1:
        args.parser.error(f"--threads must be at least 1, got {args.threads}")
    sizes = [_size(path) for path in args.files]  # a missing file fails before the slow part
    total = None if None in sizes else sum(s or 0 for s in sizes)
    given = tokenizer_names(args.tokenizer)
    loaded = [tokvec.load(name) for name in given]
    # a tokenizer's own name, unless two share one (two vocab.json files): then the name given
    short = [t.name for t in loaded]
    toks = {(t.name if short.count(t.name) == 1 else g): t for g, t in zip(given, loaded, strict=True)}
    results: list[FileCount] = []
    with Progress(total, label="count", enabled=not args.quiet) as bar:
        done = 0
        for path, size in zip(args.files, sizes, strict=True):
            results.append(_count_file(path, toks, args.threads, bar, done))
            done += size or results[-1].stats.bytes
    for r in results:
        if r.stats.invalid_lines:
            n = r.stats.invalid_lines
            warn(
                f"{r.path}: {n} line{' is' if n == 1 else 's are'} not valid UTF-8 (the first is line"
                f" {r.stats.first_invalid_line}); the bad bytes were read as U+FFFD"
            )
    _print(results, list(toks), args.format)
    return 0


def _count_file(
    path: str, toks: dict[str, tokvec.Tokenizer], threads: int | None, bar: Progress, done: int
) -> FileCount:
    result = FileCount(path, TextStats(), dict.fromkeys(toks, 0))
    f = open_stdin(sys.stdin.buffer) if path == "-" else open_binary(path)

    def moved() -> None:
        pos = raw_position(f) if path != "-" else None
        bar.set(done + (pos if pos is not None else result.stats.bytes))

    try:
        for docs in read_documents(f, result.stats, on_chunk=moved):
            for label, tok in toks.items():
                batch = tok.encode_batch(docs, num_threads=threads, disallowed_special=())
                result.tokens[label] += len(batch.ids)
    except (OSError, EOFError) as e:  # a truncated or corrupt .gz file
        raise TokvecFileError(f"cannot read {path}: {e}") from None
    finally:
        if path != "-":
            f.close()
    return result


def _print(results: list[FileCount], names: list[str], fmt: str) -> None:
    total = FileCount("total", TextStats(), {n: 0 for n in names})
    for r in results:
        for attr in ("bytes", "characters", "lines", "invalid_lines"):
            setattr(total.stats, attr, getattr(total.stats, attr) + getattr(r.stats, attr))
        for n in names:
            total.tokens[n] += r.tokens[n]
    if fmt == "json":
        whole = total.as_json()
        del whole["path"]
        print_json({"files": [r.as_json() for r in results], "total": whole})
        return
    shown = results + [total] if len(results) > 1 else results
    rows = [
        [r.path, n, r.tokens[n], r.stats.bytes, r.stats.characters, _ratio(r.stats.bytes, r.tokens[n])]
        for r in shown
        for n in names
    ]
    print(
        format_table(["file", "tokenizer", "tokens", "bytes", "characters", "bytes/token"], rows, numeric=[2, 3, 4, 5])
    )


def _size(path: str) -> int | None:
    if path == "-":
        return None
    try:
        return os.path.getsize(path)
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0
