"""Encoding (one text's tokens) and EncodingBatch (many texts' tokens, stored as flat arrays)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np

if TYPE_CHECKING:
    from .pipeline import Tokenizer


class Encoding:
    """The tokens of one text: ``ids`` (int32[n]) and byte ``offsets`` (int64[n, 2]) into its UTF-8.

    Both arrays are read-only. ``tokens`` spells each id as the vocabulary does (``'Ġworld'``);
    ``pieces`` gives the bytes each token stands for. Byte-level tokens tile the text, so the
    offsets are computed from the ids when asked for (nothing is stored twice).

    >>> import tokvec
    >>> enc = tokvec.load("gpt2").encode("Hello world")
    >>> enc.ids.tolist(), enc.tokens, enc.offsets.tolist()
    ([15496, 995], ['Hello', 'Ġworld'], [[0, 5], [5, 11]])
    """

    __slots__ = ("_tokenizer", "ids")

    def __init__(self, ids: np.ndarray, tokenizer: Tokenizer) -> None:
        self.ids = ids
        self._tokenizer = tokenizer

    @property
    def offsets(self) -> np.ndarray:
        """int64[n, 2]: each token's start and end byte in the UTF-8 of the text."""
        return self._tokenizer.offsets_of(self.ids, np.array([0, len(self.ids)], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        shown = self.ids[:8].tolist()
        more = ", ..." if len(self.ids) > 8 else ""
        return f"Encoding({len(self.ids)} tokens: {str(shown)[1:-1]}{more})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Encoding):
            return NotImplemented
        return self._tokenizer is other._tokenizer and np.array_equal(self.ids, other.ids)

    __hash__ = None  # type: ignore[assignment]

    @property
    def tokens(self) -> list[str]:
        """Each token as the vocabulary spells it (byte-level characters, special tokens as text)."""
        return self._tokenizer.id_to_token_list(self.ids)

    @property
    def pieces(self) -> list[bytes]:
        """The bytes that each token stands for (a multi-byte character may span tokens)."""
        return self._tokenizer.token_bytes_list(self.ids)


class EncodingBatch(Sequence[Encoding]):
    """The encodings of many texts, kept as flat arrays; ``batch[i]`` is the i-th :class:`Encoding`.

    ``ids`` is the concatenation of all texts' tokens and ``bounds`` (int64[D+1])
    says where each text's tokens start, so a batch can go to numpy without a Python loop.
    """

    __slots__ = ("_tokenizer", "bounds", "ids")

    def __init__(self, ids: np.ndarray, bounds: np.ndarray, tokenizer: Tokenizer) -> None:
        self.ids = ids
        self.bounds = bounds
        self._tokenizer = tokenizer

    @property
    def offsets(self) -> np.ndarray:
        """int64[T, 2]: byte offsets of every token, relative to the start of its own text."""
        return self._tokenizer.offsets_of(self.ids, self.bounds)

    def __len__(self) -> int:
        return len(self.bounds) - 1

    @overload
    def __getitem__(self, i: int) -> Encoding: ...
    @overload
    def __getitem__(self, i: slice) -> list[Encoding]: ...
    def __getitem__(self, i: int | slice) -> Encoding | list[Encoding]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"batch index {i} out of range for {len(self)} texts")
        a, b = self.bounds[i], self.bounds[i + 1]
        return Encoding(self.ids[a:b], self._tokenizer)

    def __iter__(self) -> Iterator[Encoding]:
        ids, bounds, tok = self.ids, self.bounds.tolist(), self._tokenizer
        for k in range(len(bounds) - 1):
            yield Encoding(ids[bounds[k] : bounds[k + 1]], tok)

    def __repr__(self) -> str:
        return f"EncodingBatch({len(self)} texts, {len(self.ids)} tokens)"

    def lengths(self) -> np.ndarray:
        """Return int64[D], the number of tokens of each text."""
        return np.diff(self.bounds)

    def tolist(self) -> list[list[int]]:
        """Return the ids as a list of lists (what tiktoken's ``encode_batch`` returns)."""
        ids = self.ids.tolist()
        b = self.bounds.tolist()
        return [ids[b[k] : b[k + 1]] for k in range(len(b) - 1)]
