"""WordCounts: the distinct pre-tokens of a corpus and their 64-bit counts, sorted by bytes (what trainers learn from).

>>> wc = WordCounts.from_dict({b"the": 2, b" cat": 1}, "gpt2")
>>> sorted(wc.items())
[(b' cat', 1), (b'the', 2)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ...errors import TokvecError
from .word_sort import sum_words


@dataclass(frozen=True, eq=False)
class WordCounts:
    """Distinct words (UTF-8 bytes) and their counts, sorted by bytes.

    data: uint8[B]; offsets: int64[W+1] (word w is ``data[offsets[w]:offsets[w+1]]``); counts: int64[W].
    """

    data: np.ndarray
    offsets: np.ndarray
    counts: np.ndarray
    pre_tokenizer: str
    skipped_lines: int = 0

    def __len__(self) -> int:
        return len(self.counts)

    def word(self, w: int) -> bytes:
        """Return the bytes of word ``w``."""
        return self.data[self.offsets[w] : self.offsets[w + 1]].tobytes()

    def items(self) -> Iterator[tuple[bytes, int]]:
        """Yield ``(word bytes, count)`` pairs."""
        data, off = self.data.tobytes(), self.offsets.tolist()
        for w, c in enumerate(self.counts.tolist()):
            yield data[off[w] : off[w + 1]], c

    @classmethod
    def from_dict(cls, counts: dict[bytes, int], pre_tokenizer: str, skipped_lines: int = 0) -> WordCounts:
        """Build from ``{word bytes: count}``."""
        words = sorted(w for w in counts if w)
        lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        data = np.frombuffer(b"".join(words), dtype=np.uint8).copy()
        cnt = np.fromiter((counts[w] for w in words), dtype=np.int64, count=len(words))
        return cls(data, offsets, cnt, pre_tokenizer, skipped_lines)

    @classmethod
    def from_arrays(
        cls, data: np.ndarray, offsets: np.ndarray, counts: np.ndarray, pre_tokenizer: str, skipped_lines: int = 0
    ) -> WordCounts:
        """Build from words in any order, repeats allowed (their counts add up); empty words are dropped.

        data: uint8[B]; offsets: int64[W+1] (non-decreasing, ``offsets[0] == 0``); counts: int64[W].

        >>> wc = WordCounts.from_arrays(np.frombuffer(b"thecatthe", np.uint8), np.array([0, 3, 6, 9]),
        ...                             np.array([2, 1, 5]), "gpt2")
        >>> list(wc.items())
        [(b'cat', 1), (b'the', 7)]
        """
        data, offsets, counts = sum_words(data, offsets, counts)
        return cls(data, offsets, counts, pre_tokenizer, skipped_lines)

    @classmethod
    def merge(cls, parts: Sequence[WordCounts]) -> WordCounts:
        """Add the counts of several tables of the same pre-tokenizer into one (sorted by bytes).

        >>> a = WordCounts.from_dict({b"the": 2, b" cat": 1}, "gpt2")
        >>> b = WordCounts.from_dict({b"the": 1, b" hat": 4}, "gpt2")
        >>> list(WordCounts.merge([a, b]).items())
        [(b' cat', 1), (b' hat', 4), (b'the', 3)]
        """
        if not parts:
            raise TokvecError("nothing to merge: give at least one WordCounts")
        if len({p.pre_tokenizer for p in parts}) > 1:
            names = sorted({p.pre_tokenizer for p in parts})
            raise TokvecError(f"cannot merge word counts of different pre-tokenizers ({', '.join(names)})")
        skipped = sum(p.skipped_lines for p in parts)
        if len(parts) == 1:
            return parts[0]
        shift = np.cumsum([0] + [int(p.offsets[-1]) for p in parts[:-1]])
        data = np.concatenate([p.data[: p.offsets[-1]] for p in parts])
        offsets = np.concatenate([[0]] + [p.offsets[1:] + s for p, s in zip(parts, shift, strict=True)])
        counts = np.concatenate([p.counts for p in parts])
        return cls.from_arrays(data, offsets.astype(np.int64), counts.astype(np.int64), parts[0].pre_tokenizer, skipped)
