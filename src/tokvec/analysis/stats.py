"""Corpus statistics per tokenizer, streamed over files: fertility, characters and bytes per token, split words.

Words are the runs of non-space characters of the text (``str.split()``), the same for every
tokenizer, so the figures compare. A token belongs to the word where its first non-space character
lies: this handles every family of word boundary alike, ``Ġ`` (byte-level BPE: the space is inside
the token), ``▁`` (SentencePiece: the marker stands for the space) and ``##`` (WordPiece: a
continuation piece), and byte-fallback pieces that share one character. A token of spaces only
belongs to no word. Tokens are the text's own (no [CLS]/</s> added).

- fertility: tokens per word (Rust et al. 2021); 1.0 means every word is one token;
- split words: the share of words cut into two or more tokens;
- unknown rate: the share of tokens that are the unknown token (None for byte-level tokenizers, which have none);
- vocabulary used: the share of the tokenizer's ids that occur at least once.

>>> import tokvec
>>> s = text_stats(tokvec.load("gpt2"), "Tokenizers split rare wordpieces.")
>>> s.words, s.tokens, s.words_split, round(s.fertility, 2)
(4, 7, 2, 1.75)
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._io import open_binary
from .._progress import Progress
from .._table import format_table
from ..errors import TokvecFileError, TokvecWarning
from .adapt import batch_ids, batch_lengths, encode_plain_batch, is_byte_level, name_of, unknown_id, vocab_size
from .stream import TextStats, read_documents

_SPACE = np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)  # no space character lies above U+3000


@dataclass(frozen=True)
class CorpusStats:
    """What one tokenizer made of a corpus (counts; the ratios are properties)."""

    tokenizer: str
    bytes: int
    characters: int
    words: int
    tokens: int
    words_split: int
    unknown: int | None
    ids_used: int
    vocab_size: int

    @property
    def fertility(self) -> float:
        """Tokens per word."""
        return self.tokens / self.words if self.words else 0.0

    @property
    def characters_per_token(self) -> float:
        """Characters per token."""
        return self.characters / self.tokens if self.tokens else 0.0

    @property
    def bytes_per_token(self) -> float:
        """UTF-8 bytes per token."""
        return self.bytes / self.tokens if self.tokens else 0.0

    @property
    def split_share(self) -> float:
        """Share of words cut into two or more tokens."""
        return self.words_split / self.words if self.words else 0.0

    @property
    def unknown_rate(self) -> float | None:
        """Share of tokens that are the unknown token (None when the tokenizer has no unknown token)."""
        if self.unknown is None:
            return None
        return self.unknown / self.tokens if self.tokens else 0.0

    @property
    def vocabulary_share(self) -> float:
        """Share of the vocabulary's ids that occur in the corpus."""
        return self.ids_used / self.vocab_size if self.vocab_size else 0.0

    def as_json(self) -> dict[str, Any]:
        """Return the counts and the ratios as a JSON object."""
        out: dict[str, Any] = dict(self.__dict__)
        for name in ("fertility", "characters_per_token", "bytes_per_token", "split_share", "vocabulary_share"):
            out[name] = round(getattr(self, name), 4)
        rate = self.unknown_rate
        out["unknown_rate"] = None if rate is None else round(rate, 6)
        return out


class _Accumulator:
    """Running counts of one tokenizer over the chunks of a corpus."""

    def __init__(self, tok: Any) -> None:
        self.tok = tok
        self.byte_level = is_byte_level(tok)
        self.unk = unknown_id(tok)
        self.size = vocab_size(tok)
        self.seen = np.zeros(max(self.size, 1), dtype=bool)
        self.tokens = self.words_split = self.unknown = 0

    def add(self, docs: list[str], words: _Words, num_threads: int | None) -> None:
        batch = encode_plain_batch(self.tok, docs, num_threads=num_threads)
        ids = batch_ids(batch)
        self.tokens += len(ids)
        if len(ids):
            if ids.max() >= len(self.seen):
                self.seen = np.concatenate([self.seen, np.zeros(int(ids.max()) + 1 - len(self.seen), bool)])
            self.seen[ids] = True
        if self.unk is not None:
            self.unknown += int(np.count_nonzero(ids == self.unk))
        starts, ends = self._char_spans(batch, docs, words)
        self.words_split += words.split_count(starts, ends)

    def _char_spans(self, batch: Any, docs: list[str], words: _Words) -> tuple[np.ndarray, np.ndarray]:
        lengths = batch_lengths(batch)
        doc_of_token = np.repeat(np.arange(len(docs)), lengths)
        if self.byte_level:
            # subtle: byte offsets of each document's UTF-8 (tokvec: byte_offsets); map them to characters
            offsets = np.asarray(getattr(batch, "byte_offsets", batch.offsets), dtype=np.int64).reshape(-1, 2)
            offsets = offsets + words.doc_byte_starts[doc_of_token][:, None]
            starts = words.char_of_byte[offsets[:, 0]]
            # subtle: a token may end inside a character; its span then takes in that whole character
            ends = np.where(offsets[:, 1] > offsets[:, 0], words.char_of_byte[offsets[:, 1] - 1] + 1, starts)
            return starts, ends
        flat = getattr(batch, "offsets", None)  # tokvec's EncodingBatch: every text's offsets, stacked
        if flat is not None:
            offsets = np.asarray(flat, dtype=np.int64).reshape(-1, 2)
        else:
            parts = [np.asarray(e.offsets, dtype=np.int64).reshape(-1, 2) for e in batch]
            offsets = np.concatenate(parts) if parts else np.zeros((0, 2), np.int64)
        offsets = offsets + words.doc_char_starts[doc_of_token][:, None]
        return offsets[:, 0], offsets[:, 1]

    def result(self, text: TextStats, words: int) -> CorpusStats:
        unknown = self.unknown if self.unk is not None else None
        used = int(np.count_nonzero(self.seen))
        return CorpusStats(
            name_of(self.tok),
            text.bytes,
            text.characters,
            words,
            self.tokens,
            self.words_split,
            unknown,
            used,
            self.size,
        )


class _Words:
    """The words of one chunk of documents, and maps from byte and character positions to them."""

    def __init__(self, docs: list[str]) -> None:
        text = "".join(docs)
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        space = np.zeros(len(cps), dtype=bool)
        low = cps < len(_SPACE)
        space[low] = _SPACE[cps[low]]
        start = ~space
        start[1:] &= space[:-1]
        self.count = int(np.count_nonzero(start))
        self.word_of_char = np.cumsum(start) - 1
        # next_word[p]: the first non-space character at or after p (len(text) when none)
        index = np.where(space, len(cps), np.arange(len(cps)))
        self.next_word = np.append(np.minimum.accumulate(index[::-1])[::-1], len(cps))
        char_lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        self.doc_char_starts = np.concatenate([[0], np.cumsum(char_lengths)[:-1]]).astype(np.int64)
        utf8 = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        lead = (utf8 & 0xC0) != 0x80
        # char_of_byte[b]: the character that byte b belongs to (or starts at b); one past the end at len
        self.char_of_byte = np.append(np.cumsum(lead) - 1, len(cps)).astype(np.int64)
        byte_lengths = np.fromiter((len(d.encode("utf-8", "surrogatepass")) for d in docs), np.int64, len(docs))
        self.doc_byte_starts = np.concatenate([[0], np.cumsum(byte_lengths)[:-1]]).astype(np.int64)

    def split_count(self, starts: np.ndarray, ends: np.ndarray) -> int:
        """Count the words that two or more of the tokens (character spans) fall in."""
        first = self.next_word[np.clip(starts, 0, len(self.next_word) - 1)]
        inside = first < ends
        per_word = np.bincount(self.word_of_char[first[inside]], minlength=self.count)
        return int(np.count_nonzero(per_word >= 2))


def text_stats(tok: Any, text: str) -> CorpusStats:
    """Return the statistics of one text (see :func:`corpus_stats` for files)."""
    stats = TextStats(bytes=len(text.encode("utf-8", "surrogatepass")), characters=len(text))
    acc = _Accumulator(tok)
    words = _Words([text])
    acc.add([text], words, None)
    return acc.result(stats, words.count)


def corpus_stats(
    tokenizers: Sequence[Any],
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: bool = True,
    num_threads: int | None = None,
) -> list[CorpusStats]:
    """Stream the files (plain or .gz) once and return each tokenizer's statistics over all of them."""
    from ..tokens.presets import load

    toks = [load(t) if isinstance(t, str) else t for t in tokenizers]
    paths = [os.fspath(p) for p in paths]
    sizes = []
    for path in paths:
        try:
            sizes.append(os.path.getsize(path))
        except OSError as e:
            raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    accs = [_Accumulator(t) for t in toks]
    text = TextStats()
    n_words = 0
    with Progress(sum(sizes), label="stats", enabled=progress) as bar:
        done = 0
        for path, size in zip(paths, sizes, strict=True):
            f = open_binary(path)
            invalid_before = text.invalid_lines
            try:
                raw = getattr(f, "fileobj", f)  # the compressed file for .gz: its position matches the sizes
                for docs in read_documents(f, text, on_chunk=lambda raw=raw, done=done: bar.set(done + raw.tell())):
                    words = _Words(docs)
                    n_words += words.count
                    for acc in accs:
                        acc.add(docs, words, num_threads)
            except TokvecFileError:
                raise  # already names the file
            except (OSError, EOFError) as e:
                raise TokvecFileError(f"cannot read {path}: {e}") from None
            finally:
                f.close()
            if text.invalid_lines > invalid_before:
                n = text.invalid_lines - invalid_before
                warnings.warn(
                    f"{path}: {n} line{' is' if n == 1 else 's are'} not valid UTF-8;"
                    " the bad bytes were read as U+FFFD",
                    TokvecWarning,
                    stacklevel=2,
                )
            done += size
    return [acc.result(text, n_words) for acc in accs]


def stats_table(results: Sequence[CorpusStats]) -> str:
    """Return the statistics as an aligned table, one row per tokenizer."""
    headers = ["tokenizer", "tokens", "words", "tokens/word", "chars/token", "bytes/token", "words split", "unknown"]
    headers.append("vocab used")
    rows = []
    for s in results:
        unknown = "-" if s.unknown_rate is None else f"{100 * s.unknown_rate:.3f}%"
        rows.append(
            [
                s.tokenizer, s.tokens, s.words, s.fertility, s.characters_per_token, s.bytes_per_token,
                f"{100 * s.split_share:.1f}%", unknown, f"{100 * s.vocabulary_share:.1f}% of {s.vocab_size:,}",
            ]
        )  # fmt: skip
    return format_table(headers, rows, numeric=range(1, len(headers)))


def stats_json(results: Sequence[CorpusStats]) -> str:
    """Return the statistics as JSON text."""
    return json.dumps([s.as_json() for s in results], ensure_ascii=False, indent=2)
