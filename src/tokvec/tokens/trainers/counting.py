"""Count the pre-tokens ("words") of a corpus in one streamed pass, with 64-bit counts.

A corpus is files (plain or ``.gz``, given as :class:`pathlib.Path`) or an iterable of texts
(``str``). Files are read in chunks of whole lines and every line is one document, with its ``\\n``
(as Hugging Face ``tokenizers`` reads files); each text of an iterable is one document. Memory is
bounded by the distinct words, never by the corpus.

Pre-tokenizers (``pre_tokenizer=``):

- ``"gpt2"`` (Hugging Face ``ByteLevel``'s regex, = ``"r50k"``), ``"cl100k"``, ``"o200k"``,
  ``"llama3"``: the numba scanner of :mod:`tokvec.kernels.pretokenize`;
- ``"whitespace"``: ``\\w+|[^\\w\\s]+`` (Hugging Face ``Whitespace``), for WordPiece and
  character-level BPE;
- ``"metaspace"``: SentencePiece style, words split at whitespace and each given a leading ``▁``.

Lines that are not UTF-8 are skipped and counted (``strict=True`` raises instead).

>>> wc = count_words(["the cat", "the hat"], pre_tokenizer="gpt2")
>>> sorted(wc.items())
[(b' cat', 1), (b' hat', 1), (b'the', 2)]
"""

from __future__ import annotations

import functools
import pathlib
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import regex

from ...errors import ConfigError, TokvecError, TokvecWarning
from ...kernels import counting as kc
from ..pre_tokenizers import NAMED
from ..unicode import class_table
from .normalize import normalize_text
from .read_lines import CHUNK, read_file
from .word_counts import WordCounts as WordCounts  # here since the first release
from .word_sort import prefix_words

GRAMMARS = {"gpt2": NAMED["r50k"], **NAMED}
PYTHON_PRE_TOKENIZERS = ("whitespace", "metaspace")
PRE_TOKENIZERS = (*GRAMMARS, *PYTHON_PRE_TOKENIZERS)
_WHITESPACE = regex.compile(r"\w+|[^\w\s]+")


class _Table:
    """The numba count table's state, grown by the kernel as needed."""

    def __init__(self) -> None:
        self.state = (
            np.full(1 << 16, -1, dtype=np.int64),
            np.empty(1 << 14, dtype=np.int64),
            np.empty(1 << 18, dtype=np.uint8),
            np.zeros((1 << 14) + 1, dtype=np.int64),
            np.zeros(1 << 14, dtype=np.int64),
            0,
        )

    def add(self, buf: np.ndarray, bounds: np.ndarray) -> None:
        self.state = kc.count_spans(buf, bounds[:-1], bounds[1:], *self.state)

    def add_spans(self, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        self.state = kc.count_spans(buf, starts, ends, *self.state)

    def to_counts(self, pre_tokenizer: str, skipped_lines: int) -> WordCounts:
        """Return the table as :class:`WordCounts` (metaspace words get their leading ``▁`` here)."""
        _, _, wbytes, woff, wcount, n = self.state
        data, offsets = wbytes[: woff[n]], woff[: n + 1].copy()
        if pre_tokenizer == "metaspace":  # counted bare: "▁" goes in front of each distinct word
            data, offsets = prefix_words(data, offsets, "▁".encode())
        return WordCounts.from_arrays(data, offsets, wcount[:n].copy(), pre_tokenizer, skipped_lines)


def count_words(
    corpus: Iterable[str] | pathlib.Path | Iterable[pathlib.Path],
    *,
    pre_tokenizer: str = "gpt2",
    normalizer: str | None = None,
    strict: bool = False,
    progress: bool = False,
    allow_empty: bool = False,
) -> WordCounts:
    """Count the pre-tokens of ``corpus`` (files as :class:`pathlib.Path`, or texts as ``str``).

    ``allow_empty`` returns empty counts for a corpus without words (one part of a corpus counted apart)
    instead of raising.
    """
    if pre_tokenizer not in PRE_TOKENIZERS:
        raise ConfigError(f"unknown pre_tokenizer {pre_tokenizer!r}: use one of {', '.join(PRE_TOKENIZERS)}")
    if isinstance(corpus, str):
        raise TokvecError(
            "corpus is one str: pass a list of texts, or pathlib.Path(...) for a file (a str is never read as a path)"
        )
    sources = [corpus] if isinstance(corpus, pathlib.PurePath) else corpus
    table = _Table()
    skipped = 0
    grammar = GRAMMARS.get(pre_tokenizer, -1)
    texts: list[str] = []
    size = 0

    def flush_texts() -> None:
        nonlocal size
        _count_docs(texts, grammar, pre_tokenizer, normalizer, table)
        texts.clear()
        size = 0

    for source in sources:
        if isinstance(source, pathlib.PurePath):
            for chunk, bad in read_file(source, strict=strict, progress=progress):
                skipped += bad
                if normalizer is None:
                    buf = np.frombuffer(chunk, dtype=np.uint8)
                    ends = np.flatnonzero(buf == 10) + 1
                    doc_bounds = np.unique(np.concatenate(([0], ends, [len(buf)]))).astype(np.int64)
                    _count_buffer(buf, doc_bounds, grammar, pre_tokenizer, table)
                else:
                    docs = chunk.decode("utf-8").split("\n")
                    docs = [d + "\n" for d in docs[:-1]] + ([docs[-1]] if docs[-1] else [])
                    _count_docs(docs, grammar, pre_tokenizer, normalizer, table)
        elif isinstance(source, str):
            texts.append(source)
            size += len(source)
            if size >= CHUNK:
                flush_texts()
        else:
            kind = type(source).__name__
            raise TokvecError(f"corpus items must be str (a text) or pathlib.Path (a file), got {kind}")
    flush_texts()
    if skipped:
        warnings.warn(
            f"skipped {skipped} line{'' if skipped == 1 else 's'} that {'is' if skipped == 1 else 'are'} not"
            " valid UTF-8 (strict=True, --strict, stops at the first instead)",
            TokvecWarning,
            stacklevel=2,
        )
    words = table.to_counts(pre_tokenizer, skipped)
    if not len(words) and not allow_empty:
        raise TokvecError("the corpus is empty: no words to count (check the files or the texts given)")
    return words


def count_for(config: Any, corpus: Iterable[str] | pathlib.Path, *, progress: bool) -> WordCounts:
    """Count ``corpus`` as a trainer's ``config`` says (its pre_tokenizer, normalizer and strict)."""
    return count_words(
        corpus, pre_tokenizer=config.pre_tokenizer, normalizer=config.normalizer, strict=config.strict,
        progress=progress,
    )  # fmt: skip


def _count_docs(docs, grammar, pre_tokenizer, normalizer, table) -> None:
    if not docs:
        return
    if normalizer is not None:
        docs = [normalize_text(d, normalizer) for d in docs]
    datas = []
    for d in docs:
        try:
            datas.append(d.encode("utf-8"))
        except UnicodeEncodeError:  # lone surrogates: not text that any reference library accepts
            continue
    lengths = np.fromiter((len(d) for d in datas), dtype=np.int64, count=len(datas))
    doc_bounds = np.zeros(len(datas) + 1, dtype=np.int64)
    np.cumsum(lengths, out=doc_bounds[1:])
    _count_buffer(np.frombuffer(b"".join(datas), dtype=np.uint8), doc_bounds, grammar, pre_tokenizer, table)


def _count_buffer(buf: np.ndarray, doc_bounds: np.ndarray, grammar: int, pre_tokenizer: str, table: _Table) -> None:
    if grammar >= 0:
        table.add(buf, kc.piece_bounds(buf, doc_bounds, class_table(), grammar))
    elif pre_tokenizer == "metaspace":
        table.add_spans(buf, *kc.word_spans(buf, doc_bounds, space_table()))
    else:
        table.add_spans(buf, *kc.word_spans(buf, doc_bounds, word_table()))


@functools.cache
def space_table() -> np.ndarray:
    """Return uint8[0x110000] in :func:`word_table`'s coding: 2 (a space) where ``str.isspace``, else 1.

    With it, ``word_spans`` gives the words of ``str.split()``: every non-space character is of one class.
    """
    table = np.ones(0x110000, dtype=np.uint8)
    table[[c for c in range(0x110000) if chr(c).isspace()]] = 2
    table.flags.writeable = False
    return table


@functools.cache
def word_table() -> np.ndarray:
    """Return uint8[0x110000]: bit 1 for the code points that ``regex`` matches with ``\\w``, bit 2 for ``\\s``.

    Built once per process from the ``regex`` module itself (0.2 s), so counting and encoding agree.
    """
    cps = np.arange(0x110000, dtype=np.uint32)
    cps = cps[(cps < 0xD800) | (cps > 0xDFFF)]
    text = cps.tobytes().decode("utf-32-le")
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, rx in ((1, r"\w"), (2, r"\s")):
        table[cps[[m.start() for m in regex.finditer(rx, text)]]] |= bit
    table.flags.writeable = False
    return table


def split_text(text: str, pre_tokenizer: str, normalizer: str | None = None) -> list[str]:
    """Return the words of one text, as counting sees them (for encoding with a trained vocabulary)."""
    if normalizer is not None:
        text = normalize_text(text, normalizer)
    if pre_tokenizer in GRAMMARS:
        data = text.encode("utf-8")
        buf = np.frombuffer(data, dtype=np.uint8)
        b = kc.piece_bounds(buf, np.array([0, len(data)], dtype=np.int64), class_table(), GRAMMARS[pre_tokenizer])
        return [data[b[k] : b[k + 1]].decode("utf-8") for k in range(len(b) - 1)]
    if pre_tokenizer == "whitespace":
        return _WHITESPACE.findall(text)
    return ["▁" + w for w in text.split()]
