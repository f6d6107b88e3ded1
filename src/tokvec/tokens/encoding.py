"""Encoding (one text's tokens) and EncodingBatch (many texts' tokens).

Two kinds of tokenizer make them. The byte-level tiktoken variant stores ids only: its tokens tile
the UTF-8 text, so byte offsets follow from the ids. The general (Hugging Face) pipeline stores
everything Hugging Face's ``Encoding`` has: ``offsets`` in characters of the original text,
``type_ids``, ``attention_mask``, ``special_tokens_mask``, ``word_ids`` and ``overflowing``.
The same properties answer on both kinds (type ids 0, mask 1 for the byte-level variant).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np

from ..errors import TokvecError

if TYPE_CHECKING:
    from .fused import FlatEncodings
    from .pipeline import Tokenizer


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


class Encoding:
    """The tokens of one text: ``ids`` (int32[n]) and ``offsets`` (int64[n, 2]); arrays are read-only.

    ``tokens`` spells each id as the vocabulary does (``'Ġworld'``). For the byte-level tiktoken
    variant ``offsets`` are bytes of the UTF-8 text and ``pieces`` the bytes each token stands for;
    for pipeline tokenizers (``tokenizer.json``) ``offsets`` are characters of the original text,
    as Hugging Face's Python API gives them.

    >>> import tokvec
    >>> enc = tokvec.load("gpt2").encode("Hello world")
    >>> enc.ids.tolist(), enc.tokens, enc.offsets.tolist()
    ([15496, 995], ['Hello', 'Ġworld'], [[0, 5], [5, 11]])
    """

    __slots__ = ("_attention_mask", "_offsets", "_special_tokens_mask", "_tokenizer", "_tokens", "_type_ids", "_words",
                 "ids", "overflowing")  # fmt: skip

    def __init__(
        self,
        ids: np.ndarray,
        tokenizer: Tokenizer,
        *,
        tokens: list[str] | None = None,
        offsets: np.ndarray | None = None,
        type_ids: np.ndarray | None = None,
        words: np.ndarray | None = None,
        special_tokens_mask: np.ndarray | None = None,
        attention_mask: np.ndarray | None = None,
        overflowing: list[Encoding] | None = None,
    ) -> None:
        self.ids = ids
        self._tokenizer = tokenizer
        self._tokens = tokens
        self._offsets = offsets
        self._type_ids = type_ids
        self._words = words
        # performance notes: the default masks are made when first read; making them here was a third of
        # the time of encoding a short text
        self._special_tokens_mask = special_tokens_mask
        self._attention_mask = attention_mask
        self.overflowing: list[Encoding] = overflowing or []

    @property
    def special_tokens_mask(self) -> np.ndarray:
        """int8[n]: 1 where the post-processor added a special token (all 0 for the tiktoken variant)."""
        if self._special_tokens_mask is None:
            self._special_tokens_mask = _frozen(np.zeros(len(self.ids), dtype=np.int8))
        return self._special_tokens_mask

    @property
    def attention_mask(self) -> np.ndarray:
        """int8[n]: 0 at padding, 1 elsewhere."""
        if self._attention_mask is None:
            self._attention_mask = _frozen(np.ones(len(self.ids), dtype=np.int8))
        return self._attention_mask

    @property
    def offsets(self) -> np.ndarray:
        """int64[n, 2]: each token's start and end (bytes for tiktoken files, characters for the pipeline)."""
        if self._offsets is not None:
            return self._offsets
        return self._tokenizer.offsets_of(self.ids, np.array([0, len(self.ids)], dtype=np.int64))

    @property
    def type_ids(self) -> np.ndarray:
        """int32[n]: the sequence each token belongs to (0 first, 1 second of a pair, as the template says)."""
        if self._type_ids is not None:
            return self._type_ids
        return _frozen(np.zeros(len(self.ids), dtype=np.int32))

    @property
    def words(self) -> np.ndarray:
        """int64[n]: the pre-token (word) index of each token, -1 for special and padding tokens."""
        if self._words is not None:
            return self._words
        return _frozen(np.full(len(self.ids), -1, dtype=np.int64))

    @property
    def word_ids(self) -> list[int | None]:
        """Each token's word index, None where Hugging Face says None (special and padding tokens)."""
        return [None if w < 0 else w for w in self.words.tolist()]

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
        if self._tokens is not None:
            return self._tokens
        return self._tokenizer.id_to_token_list(self.ids)

    @property
    def pieces(self) -> list[bytes]:
        """The bytes that each token stands for (a multi-byte character may span tokens)."""
        return self._tokenizer.token_bytes_list(self.ids)


class EncodingBatch(Sequence[Encoding]):
    """The encodings of many texts; ``batch[i]`` is the i-th :class:`Encoding`.

    ``ids`` is the concatenation of all texts' tokens and ``bounds`` (int64[D+1]) says where each
    text's tokens start, so a batch goes to numpy without a Python loop. Padded batches (all texts
    of one length) also give 2-D arrays: :meth:`to_numpy`.
    """

    __slots__ = ("_encodings", "_flat", "_tokenizer", "bounds", "ids")

    def __init__(
        self,
        ids: np.ndarray,
        bounds: np.ndarray,
        tokenizer: Tokenizer,
        encodings: list[Encoding] | None = None,
        *,
        flat: FlatEncodings | None = None,
    ) -> None:
        self.ids = ids
        self.bounds = bounds
        self._tokenizer = tokenizer
        self._encodings = encodings
        self._flat = flat  # the pipeline's fused path: flat arrays, one Encoding built per access

    @classmethod
    def of_flat(cls, flat: FlatEncodings, tokenizer: Tokenizer) -> EncodingBatch:
        """Wrap the flat arrays of a pipeline's fused path (each text's Encoding is built when asked for)."""
        return cls(flat.ids, flat.bounds, tokenizer, flat=flat)

    @classmethod
    def of(cls, encodings: list[Encoding], tokenizer: Tokenizer) -> EncodingBatch:
        """Gather ``encodings`` (kept as they are: offsets, masks, overflowing) into a batch."""
        bounds = np.zeros(len(encodings) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encodings], out=bounds[1:])
        ids = np.concatenate([e.ids for e in encodings]) if encodings else np.zeros(0, np.int32)
        return cls(_frozen(ids), bounds, tokenizer, encodings)

    @property
    def offsets(self) -> np.ndarray:
        """int64[T, 2]: offsets of every token, relative to the start of its own text."""
        if self._flat is not None:
            return self._flat.offsets
        if self._encodings is not None:
            if not self._encodings:
                return np.zeros((0, 2), dtype=np.int64)
            return np.concatenate([e.offsets for e in self._encodings])
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
        if self._encodings is not None:
            return self._encodings[i]
        if self._flat is not None:
            from .fused import encodings_of

            return encodings_of(self._flat, self._tokenizer, i)
        a, b = self.bounds[i], self.bounds[i + 1]
        return Encoding(self.ids[a:b], self._tokenizer)

    def __iter__(self) -> Iterator[Encoding]:
        if self._encodings is not None:
            yield from self._encodings
            return
        if self._flat is not None:
            from .fused import encodings_of

            for k in range(len(self)):
                yield encodings_of(self._flat, self._tokenizer, k)
            return
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

    def to_numpy(self) -> dict[str, np.ndarray]:
        """Return 2-D arrays [D, L] of ids, type_ids, attention_mask, special_tokens_mask (a padded batch).

        Raises :class:`TokvecError` when the texts have different lengths: pad them first
        (``tokenizer.with_padding(Padding())``).
        """
        lengths = self.lengths()
        if len(lengths) and (lengths != lengths[0]).any():
            raise TokvecError(
                f"the {len(lengths)} encodings have lengths {int(lengths.min())} to {int(lengths.max())}; a 2-D array"
                " needs one length: encode with padding (tokenizer.with_padding(tokvec.Padding()))"
            )
        width = int(lengths[0]) if len(lengths) else 0
        encs = list(self)
        out = {"ids": self.ids.reshape(len(encs), width)}
        for field in ("type_ids", "attention_mask", "special_tokens_mask"):
            parts = [getattr(e, field) for e in encs]
            out[field] = np.concatenate(parts).reshape(len(encs), width) if parts else np.zeros((0, 0), np.int32)
        return out
