"""Count the tokens of many files with several tokenizers: one task per file, totals added on the client.

A text file is counted by :func:`tokvec.analysis.counting.count_streams`, exactly as ``tokvec count``
counts it in one process (the whole file as one text); a JSON Lines file counts each record's text
as one document. Only the counts travel back (a few numbers per file), never the text.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
>>> _ = path.write_text("Hello world!\\n")
>>> [(r.tokens, r.stats.bytes) for r in count_files([str(path)], ["gpt2"])]
[({'gpt2': 4}, 13)]
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from .._io import open_binary
from ..analysis.adapt import batch_lengths, encode_plain_batch
from ..analysis.counting import FileCount, count_streams
from ..analysis.stream import TextStats
from ..errors import TokvecFileError
from .engine import map_ordered
from .sources import Source, expand, read_batches
from .tokenizers import TokenizerSpec, load_spec


def count_files(
    files: Sequence[str],
    tokenizers: Sequence[str] | Mapping[str, str],
    *,
    client: Any = None,
    field: str = "text",
    num_threads: int | None = None,
    progress: bool = False,
) -> list[FileCount]:
    """Count every file (paths or globs) with every tokenizer (names, or ``{label: name or path}``).

    ``client`` is a Dask client (see :func:`tokvec.cluster.connect`) or None for this process.
    ``num_threads`` is per task; on a cluster it defaults to 1 (the workers are the parallelism).
    """
    sources = expand(files, field=field)
    named = dict(tokenizers) if isinstance(tokenizers, Mapping) else {n: n for n in tokenizers}
    specs = {label: TokenizerSpec.of(name) for label, name in named.items()}
    threads = num_threads if num_threads is not None or client is None else 1
    task = functools.partial(count_source, num_threads=threads)
    return map_ordered(
        client, task, sources, weights=[s.size for s in sources], label="count", progress=progress,
        shared={"specs": specs},
    )  # fmt: skip


def count_source(source: Source, *, specs: Mapping[str, TokenizerSpec], num_threads: int | None = None) -> FileCount:
    """Count one file with every tokenizer of ``specs`` (the work of one task)."""
    toks = {label: load_spec(spec) for label, spec in specs.items()}
    if source.is_jsonl:
        return _count_records(source, toks, num_threads)
    try:
        with open_binary(source.path) as f:
            (result,) = count_streams(toks, [(source.name, f)], num_threads=num_threads)
    except zlib.error as e:
        raise TokvecFileError(f"cannot read {source.name}: {e} (is it a truncated or corrupt .gz file?)") from None
    return result


def _count_records(source: Source, toks: Mapping[str, Any], num_threads: int | None) -> FileCount:
    stats = TextStats()
    result = FileCount(source.name, stats, dict.fromkeys(toks, 0))
    for docs in read_batches(source):
        for d in docs:
            stats.bytes += len(d.encode("utf-8", "surrogatepass"))
            stats.characters += len(d)
            stats.words += len(d.split())
        stats.lines += len(docs)
        for label, tok in toks.items():
            result.tokens[label] += int(batch_lengths(encode_plain_batch(tok, docs, num_threads=num_threads)).sum())
    return result
