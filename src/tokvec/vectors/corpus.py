"""Read a training corpus once into one array of word indices (uint16 or int32) with sentence bounds.

Corpora are token lists (any iterable of sequences of strings), text files with one sentence per
line, text8-style files (one long line), plain or .gz, or raw text cut into tokens by a tokvec
tokenizer. Files are streamed in 256 KiB blocks, so a 60 MB single-line file never sits in memory as
a list of 11 million strings (performance notes: 2 MB pieces cost 35 MB of transient word strings
for no gain in speed). Sentences longer than 10,000 words are cut into 10,000-word pieces,
as word2vec and gensim do.

One pass: each word gets a provisional id in order of first appearance; when the counts are known
the ids are renumbered by frequency (ties: first appearance, as gensim orders them) and words
under ``min_count`` drop out.

>>> corpus = read_corpus([["a", "b", "a"], ["c", "a"]], min_count=1)
>>> corpus.keys, corpus.counts.tolist(), corpus.words.tolist(), corpus.bounds.tolist()
(['a', 'b', 'c'], [3, 1, 1], [0, 1, 0, 2, 0], [0, 3, 5])
"""

from __future__ import annotations

import codecs
import itertools
import mmap
import os
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._io import open_binary
from ..errors import TokvecError, TokvecWarning

MAX_SENTENCE = 10_000
_BLOCK_BYTES = 1 << 18
_FLUSH = 1 << 18


@dataclass(frozen=True)
class Corpus:
    """A corpus as arrays: ``words`` (indices into ``keys``) and ``bounds`` (int64[S + 1]).

    ``words`` is uint16[N] when there are at most 65,536 keys, else int32[N] (performance notes:
    eltec8's 11.6 M words with 33,723 keys take 23 MB instead of 46 MB of the training peak).
    """

    keys: list[str]
    counts: np.ndarray
    words: np.ndarray
    bounds: np.ndarray
    raw_words: int


class _Collector:
    """Collect provisional ids in blocks, and the positions where sentences end.

    Performance notes: ``map(ids.__getitem__, words)`` on a defaultdict whose factory is a counter
    numbers new words in C, where a list comprehension called ``setdefault(w, len(ids))`` per word;
    ``np.fromiter`` fills the int32 ids without a list of ints. Reading eltec8: 2.0 -> 1.8 CPU s
    (what is left is mostly gunzip and ``str.split``).
    """

    def __init__(self, fixed: Mapping[str, int] | None) -> None:
        self.fixed = fixed is not None
        self.ids: dict[str, int] = defaultdict(itertools.count().__next__) if fixed is None else dict(fixed)
        self.unknown = len(self.ids)  # the provisional id of every unknown word in a fixed vocabulary
        self.buffer: list[np.ndarray] = []
        self.buffered = 0
        self.blocks: list[np.ndarray] = []
        self.ends: list[int] = []
        self.total = 0
        self.start = 0

    def add(self, words: Sequence[str], *, end: bool) -> None:
        """Append ``words`` to the open sentence; close it when ``end`` (or each 10,000 words)."""
        n = len(words)
        if n:
            if self.fixed:
                get, unknown = self.ids.get, self.unknown
                ids = np.fromiter((get(w, unknown) for w in words), dtype=np.int32, count=n)
            else:
                ids = np.fromiter(map(self.ids.__getitem__, words), dtype=np.int32, count=n)
            self.buffer.append(ids)
            self.buffered += n
        self.total += n
        while self.total - self.start >= MAX_SENTENCE:
            self.start += MAX_SENTENCE
            self.ends.append(self.start)
        if end and self.total > self.start:
            self.start = self.total
            self.ends.append(self.total)
        if self.buffered >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.blocks.append(_unmappable(np.concatenate(self.buffer)))
            self.buffer = []
            self.buffered = 0


def _unmappable(array: np.ndarray) -> np.ndarray:
    """Copy ``array`` into its own anonymous memory map, which goes back to the system when freed.

    # subtle: 1 MB numpy blocks come from the malloc heap, and freeing them while the final array
    # fills would not lower the peak (measured: the corpus held twice, +47 MB on eltec8).
    """
    if not array.nbytes:
        return array
    out = np.frombuffer(mmap.mmap(-1, array.nbytes), dtype=array.dtype)
    out[:] = array
    return out


def read_corpus(
    source: Any,
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    vocabulary: Sequence[str] | None = None,
    tokenizer: Any = None,
) -> Corpus:
    """Read ``source`` (token lists, file paths, or texts with ``tokenizer``) into a :class:`Corpus`.

    With ``vocabulary`` the keys are fixed (continued training): other words are dropped and the
    counts are those seen in this corpus.
    """
    fixed = None if vocabulary is None else {k: i for i, k in enumerate(vocabulary)}
    col = _Collector(fixed)
    for words, end in _pieces(source, tokenizer):
        col.add(words, end=end)
    col.add([], end=True)
    col.flush()
    n_prov = len(col.ids) + (1 if fixed is not None else 0)
    counts = np.zeros(n_prov, dtype=np.int64)
    for block in col.blocks:
        counts += np.bincount(block, minlength=n_prov)
    raw_counts = counts
    if fixed is not None:
        keys = list(vocabulary or [])
        final = np.arange(n_prov, dtype=np.int64)
        final[-1] = -1
        counts = counts[:-1]
    else:
        keys_all = list(col.ids)
        order = np.argsort(-counts, kind="stable")
        order = order[counts[order] >= min_count]
        if max_vocab is not None:
            order = order[:max_vocab]
        final = np.full(n_prov, -1, dtype=np.int64)
        final[order] = np.arange(len(order))
        keys = [keys_all[i] for i in order]
        counts = counts[order]
        del keys_all
    kept = int(raw_counts[final >= 0].sum())
    dtype = np.uint16 if len(keys) <= 1 << 16 else np.int32
    blocks, ends, raw_words = col.blocks, np.array(col.ends, dtype=np.int64), col.total
    del col  # the strings of every distinct word, rare ones included
    if fixed is None:
        keys = _compact(keys)
    words, bounds = _renumber(blocks, ends, final, kept, dtype)
    return Corpus(keys=keys, counts=counts, words=words, bounds=bounds, raw_words=raw_words)


def _compact(keys: list[str]) -> list[str]:
    """Return fresh copies of ``keys``, made after the originals are freed.

    # subtle: the kept keys lie scattered among the strings of all the words read, and each one pins
    # its 256 KiB pymalloc arena; copies pack into a few arenas and the others go back to the system
    # (eltec8: 33,723 of 72,208 distinct words kept; resident after reading: 139 -> 128 MB).
    """
    if not keys or any("\n" in k for k in keys):  # split() words hold none; tokenizer tokens may
        return keys
    joined = "\n".join(keys)
    keys.clear()
    return joined.split("\n")


def _renumber(
    blocks: list[np.ndarray], ends: np.ndarray, final: np.ndarray, kept: int, dtype: type
) -> tuple[np.ndarray, np.ndarray]:
    """Map provisional ids through ``final`` (-1 drops a word) and move the sentence ends to match.

    ``kept``: how many words survive; ``dtype``: of the result. Blocks are freed one by one as they are copied into the
    preallocated result, so the corpus is held about once, not twice.
    """
    words = np.empty(kept, dtype=dtype)
    new_ends = np.empty(len(ends), dtype=np.int64)
    start = kept_before = e = 0
    blocks.reverse()
    while blocks:
        block = blocks.pop()
        mapped = final[block]
        mask = mapped >= 0
        prefix = np.cumsum(mask)
        stop = start + len(block)
        hi = int(np.searchsorted(ends, stop, side="right"))
        new_ends[e:hi] = kept_before + prefix[ends[e:hi] - start - 1]
        e = hi
        n = int(prefix[-1]) if len(prefix) else 0
        words[kept_before : kept_before + n] = mapped[mask]
        kept_before += n
        start = stop
        del block, mapped, mask, prefix
    bounds = np.concatenate([[0], new_ends])
    bounds = bounds[np.concatenate([[True], np.diff(bounds) > 0])]  # drop sentences left empty
    return words, bounds


def _pieces(source: Any, tokenizer: Any) -> Iterator[tuple[Sequence[str], bool]]:
    """Yield (words, ends_a_sentence) from any supported source."""
    if isinstance(source, str | os.PathLike):
        source = [source]
    items = iter(source)
    first = next(items, None)
    if first is None:
        return
    rest = _chain(first, items)
    if isinstance(first, str | os.PathLike) and (tokenizer is None or _looks_like_path(first)):
        for path in rest:
            if not isinstance(path, str | os.PathLike):
                raise TokvecError(f"corpus: expected file paths, got {type(path).__name__} {path!r} among them")
            yield from _file_pieces(path, tokenizer)
    elif tokenizer is not None:
        for text in rest:
            yield _tokens(tokenizer, text), True
    else:
        for sentence in rest:
            if isinstance(sentence, str | bytes):
                raise TokvecError(
                    f"corpus: a sentence must be a list of tokens, got the string {sentence[:40]!r}; "
                    "split it (sentence.split()) or pass a tokenizer"
                )
            yield sentence, True


def _looks_like_path(item: Any) -> bool:
    return isinstance(item, os.PathLike) or os.path.exists(item)


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _tokens(tokenizer: Any, text: str) -> list[str]:
    return list(tokenizer.encode(text, allowed_special="all").tokens) if text.strip() else []


def _file_pieces(path: str | os.PathLike[str], tokenizer: Any) -> Iterator[tuple[Sequence[str], bool]]:
    """Stream a text file: lines are sentences; a long line is read in pieces cut at whitespace."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    carry = ""
    replaced = False
    with open_binary(path) as f:
        while True:
            data = f.read(_BLOCK_BYTES)
            decoded = decoder.decode(data, final=not data)
            if not replaced and decoded.count("\ufffd") > data.count(b"\xef\xbf\xbd"):
                replaced = True
                warnings.warn(
                    f"{os.fspath(path)}: some lines are not valid UTF-8; the bad bytes were read as U+FFFD",
                    TokvecWarning,
                    stacklevel=2,
                )
            text = carry + decoded
            lines = text.split("\n")
            carry = lines.pop()
            for line in lines:
                yield (_tokens(tokenizer, line) if tokenizer is not None else line.split()), True
            if not data:
                break
            if len(carry) > 4096 and tokenizer is None:  # inside a long (text8-style) line: cut at a space
                cut = max(carry.rfind(" "), carry.rfind("\t"))
                if cut > 0:
                    yield carry[:cut].split(), False
                    carry = carry[cut:]
    if carry:
        yield (_tokens(tokenizer, carry) if tokenizer is not None else carry.split()), True


def iter_sentences(corpus: Corpus) -> Iterable[list[str]]:
    """Yield the sentences of ``corpus`` as lists of keys (for tests and debugging)."""
    for s in range(len(corpus.bounds) - 1):
        yield [corpus.keys[i] for i in corpus.words[corpus.bounds[s] : corpus.bounds[s + 1]]]
