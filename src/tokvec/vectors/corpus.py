"""Read a training corpus once into one array of word indices (uint16 or int32) with sentence bounds.

Corpora are token lists (any iterable of sequences of strings), text files with one sentence per
line, text8-style files (one long line), plain or .gz, or raw text cut into tokens by a tokvec
tokenizer. Files are streamed in 256 KiB blocks, so a 60 MB single-line file never sits in memory as
a list of 11 million strings (performance notes: 2 MB pieces cost 35 MB of transient word strings
for no gain in speed). Sentences longer than 10,000 words are cut into 10,000-word pieces,
as word2vec and gensim do.

Two passes with small peaks: the first reads the text once, gives each word a provisional id in order
of first appearance and counts it, block by block; the provisional ids go to a spool (kept in memory
while small, else an unnamed temporary file: page cache, not resident memory). When the counts are known
the ids are renumbered by frequency (ties: first appearance, as gensim orders them), words under
``min_count`` drop out, and the second pass streams the spool back block by block into the final
corpus: one array, or with ``spill=True`` a :class:`WordFile` that training reads chunk by chunk
each epoch (performance notes, eltec8's 11.7 M words: reading peaked at +67 MiB and left +31, 22 of
them the uint16 corpus, from holding all 47 MB of int32 provisional ids; with 1 MiB blocks through the
spool it peaks at +23 MiB, mostly the 72,208 distinct words as strs, and leaves +6, and it took no longer).

>>> corpus = read_corpus([["a", "b", "a"], ["c", "a"]], min_count=1)
>>> corpus.keys, corpus.counts.tolist(), corpus.words.tolist(), corpus.bounds.tolist()
(['a', 'b', 'c'], [3, 1, 1], [0, 1, 0, 2, 0], [0, 3, 5])
"""

from __future__ import annotations

import array
import codecs
import ctypes
import itertools
import os
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._io import open_binary
from ..errors import TokvecError, TokvecWarning

MAX_SENTENCE = 10_000
SPILL_BYTES = 1 << 20  # a spool larger than this moves to a temporary file
_BLOCK_BYTES = 1 << 18
_FLUSH = 1 << 18  # provisional ids per block (1 MiB of int32)


@dataclass(frozen=True)
class Corpus:
    """A corpus as arrays: ``words`` (indices into ``keys``) and ``bounds`` (int64[S + 1]).

    ``words`` is uint16[N] when there are at most 65,536 keys, else int32[N] (performance notes:
    eltec8's 11.6 M words with 33,723 keys take 23 MB instead of 46 MB of the training peak). With
    ``read_corpus(..., spill=True)`` a large corpus comes as a :class:`WordFile` instead of an array:
    read it with :func:`read_words`, and :meth:`close` the corpus when done.
    """

    keys: list[str]
    counts: np.ndarray
    words: np.ndarray | WordFile
    bounds: np.ndarray
    raw_words: int

    def close(self) -> None:
        """Close the temporary file of a spilled corpus (nothing to do for an array)."""
        if isinstance(self.words, WordFile):
            self.words.close()


class WordFile:
    """Word indices in an unnamed temporary file, read back by position (thread-safe: ``os.preadv``).

    The file has no name from the start (``tempfile.TemporaryFile``), so nothing is left behind when
    the process ends, by Ctrl-C or a kill; :meth:`close` gives the disk space back at once.
    """

    def __init__(self, file: Any, dtype: np.dtype, size: int) -> None:
        self._file = file
        self.dtype = np.dtype(dtype)
        self.size = size

    def __len__(self) -> int:
        return self.size

    def read(self, lo: int, hi: int) -> np.ndarray:
        """Return words ``lo..hi-1`` as a new (writable) array."""
        out = np.empty(max(hi - lo, 0), dtype=self.dtype)
        view, done = memoryview(out).cast("B"), 0
        while done < out.nbytes:
            n = os.preadv(self._file.fileno(), [view[done:]], lo * self.dtype.itemsize + done)
            if n <= 0:
                raise TokvecError(f"corpus: the temporary word file ended early at word {lo + done // out.itemsize:,}")
            done += n
        return out

    def close(self) -> None:
        """Close (and so delete) the file."""
        self._file.close()


def read_words(words: np.ndarray | WordFile, lo: int, hi: int) -> np.ndarray:
    """Return words ``lo..hi-1`` of a corpus: a view of an array, or read from a :class:`WordFile`."""
    return words.read(lo, hi) if isinstance(words, WordFile) else words[lo:hi]


class _Spool:
    """An append-only run of arrays of one dtype: in memory up to ``limit`` bytes, then in a temporary file.

    Blocks go to the file as they come, so the spool's resident memory stays one block.
    """

    def __init__(self, dtype: type, limit: int) -> None:
        self.dtype = np.dtype(dtype)
        self.limit = limit
        self.blocks: list[np.ndarray] = []
        self.size = 0
        self.file: Any = None

    def write(self, block: np.ndarray) -> None:
        if not len(block):
            return
        block = np.ascontiguousarray(block, dtype=self.dtype)
        self.size += len(block)
        if self.file is None and self.size * self.dtype.itemsize > self.limit:
            self.file = tempfile.TemporaryFile(prefix="tokvec-corpus-")  # noqa: SIM115 - closed by its owner
            for b in self.blocks:
                self.file.write(memoryview(b).cast("B"))
            self.blocks = []
        if self.file is not None:
            self.file.write(memoryview(block).cast("B"))
        else:
            self.blocks.append(block)

    def iter_blocks(self, words: int) -> Iterator[np.ndarray]:
        """Yield the spool's contents in order, in blocks of at most ``words`` (the buffer is reused: copy to keep)."""
        if self.file is None:
            yield from self.blocks
            return
        self.file.flush()
        self.file.seek(0)
        buffer = np.empty(words, dtype=self.dtype)
        left = self.size
        while left:
            n = min(left, words)
            view = memoryview(buffer[:n]).cast("B")
            got = 0
            while got < len(view):
                k = self.file.readinto(view[got:])
                if not k:
                    raise TokvecError("corpus: the temporary word file ended early")
                got += k
            yield buffer[:n]
            left -= n

    def finish(self) -> np.ndarray | WordFile:
        """Return the contents: one array when in memory, else a :class:`WordFile` (the spool is spent)."""
        if self.file is None:
            out = np.concatenate(self.blocks) if self.blocks else np.empty(0, dtype=self.dtype)
            self.blocks = []
            return out
        self.file.flush()
        out_file, self.file = WordFile(self.file, self.dtype, self.size), None
        return out_file

    def close(self) -> None:
        self.blocks = []
        if self.file is not None:
            self.file.close()
            self.file = None


class _Collector:
    """Give words provisional ids, count them, spool the ids in blocks, and note where sentences end.

    Performance notes: ``map(ids.__getitem__, words)`` on a defaultdict whose factory is a counter
    numbers new words in C, where a list comprehension called ``setdefault(w, len(ids))`` per word;
    ``np.fromiter`` fills the int32 ids without a list of ints. Reading eltec8: 2.0 -> 1.8 CPU s
    (what is left is mostly gunzip and ``str.split``). Counting per block (``np.bincount``) and
    spooling the blocks keeps the peak at one block, where holding all int32 ids took 47 MB.
    """

    def __init__(self, fixed: Mapping[str, int] | None, spool: _Spool) -> None:
        self.fixed = fixed is not None
        self.ids: dict[str, int] = defaultdict(itertools.count().__next__) if fixed is None else dict(fixed)
        self.unknown = len(self.ids)  # the provisional id of every unknown word in a fixed vocabulary
        self.buffer: list[np.ndarray] = []
        self.buffered = 0
        self.spool = spool
        self.counts = np.zeros(len(self.ids) + 1, dtype=np.int64)
        self.ends = array.array("q")  # 8 bytes per sentence, where a list of ints took 36
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
            block = np.concatenate(self.buffer)
            self.buffer = []
            self.buffered = 0
            found = np.bincount(block)
            if len(found) > len(self.counts):
                self.counts = np.concatenate([self.counts, np.zeros(len(found) - len(self.counts), np.int64)])
            self.counts[: len(found)] += found
            self.spool.write(block)


def read_corpus(
    source: Any,
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    vocabulary: Sequence[str] | None = None,
    tokenizer: Any = None,
    spill: bool = False,
) -> Corpus:
    """Read ``source`` (token lists, file paths, or texts with ``tokenizer``) into a :class:`Corpus`.

    With ``vocabulary`` the keys are fixed (continued training): other words are dropped and the
    counts are those seen in this corpus. With ``spill`` a corpus of more than ``SPILL_BYTES`` stays in a
    temporary file (:class:`WordFile`; close the corpus when done), else ``words`` is an array.
    """
    fixed = None if vocabulary is None else {k: i for i, k in enumerate(vocabulary)}
    spool = _Spool(np.int32, SPILL_BYTES)
    try:
        col = _Collector(fixed, spool)
        for words, end in _pieces(source, tokenizer):
            col.add(words, end=end)
        col.add([], end=True)
        col.flush()
        n_prov = len(col.ids) + (1 if fixed is not None else 0)
        raw_counts = np.zeros(n_prov, dtype=np.int64)
        raw_counts[: min(n_prov, len(col.counts))] = col.counts[:n_prov]
        if fixed is not None:
            keys = list(vocabulary or [])
            final = np.arange(n_prov, dtype=np.int32)
            final[-1] = -1
            counts = raw_counts[:-1]
        else:
            keys_all = list(col.ids)
            order = np.argsort(-raw_counts, kind="stable")
            order = order[raw_counts[order] >= min_count]
            if max_vocab is not None:
                order = order[:max_vocab]
            final = np.full(n_prov, -1, dtype=np.int32)
            final[order] = np.arange(len(order), dtype=np.int32)
            keys = [keys_all[i] for i in order]
            counts = raw_counts[order]
            del keys_all
        kept = int(raw_counts[final >= 0].sum())
        dtype = np.uint16 if len(keys) <= 1 << 16 else np.int32
        ends, raw_words = np.frombuffer(col.ends, dtype=np.int64).copy(), col.total
        del col  # the strings of every distinct word, rare ones included
        if fixed is None:
            keys = _compact(keys)
        words, bounds = _renumber(spool, ends, final, kept, dtype, spill=spill)
    finally:
        spool.close()
    _trim_heap()
    return Corpus(keys=keys, counts=counts, words=words, bounds=bounds, raw_words=raw_words)


def _trim_heap() -> None:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing happens).

    # subtle: reading leaves freed text pieces and id blocks scattered in glibc's heap, pinned by a few live
    # objects; the weights allocated next are fresh memory maps and would not reuse them (eltec8: resident
    # after reading +11.5 -> +5.0 MiB, and so the training peak 6.5 MiB lower; the call takes milliseconds).
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


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
    spool: _Spool, ends: np.ndarray, final: np.ndarray, kept: int, dtype: type, *, spill: bool
) -> tuple[np.ndarray | WordFile, np.ndarray]:
    """Map the spooled provisional ids through ``final`` (-1 drops a word) and move the sentence ends to match.

    ``kept``: how many words survive; ``dtype``: of the result. The ids are streamed in ``_FLUSH``-word
    blocks into a preallocated array, or with ``spill`` into another spool (a file when large).
    """
    out: np.ndarray | _Spool = _Spool(dtype, SPILL_BYTES) if spill else np.empty(kept, dtype=dtype)
    new_ends = np.empty(len(ends), dtype=np.int64)
    start = kept_before = e = 0
    try:
        for block in spool.iter_blocks(_FLUSH):
            mapped = final[block]
            mask = mapped >= 0
            prefix = np.cumsum(mask)
            stop = start + len(block)
            hi = int(np.searchsorted(ends, stop, side="right"))
            new_ends[e:hi] = kept_before + prefix[ends[e:hi] - start - 1]
            e = hi
            n = int(prefix[-1]) if len(prefix) else 0
            if isinstance(out, _Spool):
                out.write(mapped[mask])
            else:
                out[kept_before : kept_before + n] = mapped[mask]
            kept_before += n
            start = stop
            del mapped, mask, prefix
        words = out.finish() if isinstance(out, _Spool) else out
    except BaseException:
        if isinstance(out, _Spool):
            out.close()
        raise
    bounds = np.concatenate([[0], new_ends]).astype(np.int64)
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
        yield [corpus.keys[i] for i in read_words(corpus.words, int(corpus.bounds[s]), int(corpus.bounds[s + 1]))]
