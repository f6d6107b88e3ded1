"""EncodingBatch: the tokens of many texts as flat arrays, read-only (see :mod:`tokvec.tokens.encoding`).

>>> import tokvec
>>> batch = tokvec.load("gpt2").encode_batch(["hello world", "hi"])
>>> batch.ids.tolist(), batch.bounds.tolist(), batch[1].tokens
([31373, 995, 5303], [0, 2, 3], ['hi'])
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np

from ..errors import TokvecError
from .encoding import NO_OFFSETS, Encoding
from .offset_units import chars_of_bytes, frozen, utf8_positions
from .vocab_table import TokenTable


class EncodingBatch(Sequence[Encoding]):
    """The encodings of many texts; ``batch[i]`` is the i-th :class:`Encoding`; read-only.

    ``ids`` is the concatenation of all texts' tokens and ``bounds`` (int64[D+1]) says where each
    text's tokens start, so a batch goes to numpy without a Python loop. Padded batches (all texts
    of one length) also give 2-D arrays: :meth:`to_numpy`. Build with :meth:`of` (Encodings),
    :meth:`of_bytes` (a byte-level engine's ids) or :meth:`of_columns` (a fused path's flat arrays).
    """

    __slots__ = ("_bounds", "_columns", "_data", "_doc_bounds", "_encodings", "_ids", "_table", "_texts")

    def __init__(self, ids: np.ndarray, bounds: np.ndarray, table: TokenTable) -> None:
        """A batch of ids only (use the class methods for the other fields)."""
        self._ids = ids
        self._bounds = bounds
        self._table = table
        self._encodings: tuple[Encoding, ...] | None = None
        self._columns: dict[str, object] | None = None
        self._texts: Sequence[str] | None = None
        self._data: np.ndarray | None = None
        self._doc_bounds: np.ndarray | None = None

    @classmethod
    def of(cls, encodings: Sequence[Encoding], table: TokenTable) -> EncodingBatch:
        """Gather ``encodings`` (kept as they are: offsets, masks, overflowing) into a batch."""
        bounds = np.zeros(len(encodings) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encodings], out=bounds[1:])
        ids = np.concatenate([e.ids for e in encodings]) if encodings else np.zeros(0, np.int32)
        out = cls(frozen(ids), frozen(bounds), table)
        out._encodings = tuple(encodings)
        return out

    @classmethod
    def of_bytes(cls, ids: np.ndarray, bounds: np.ndarray, table: TokenTable, data: np.ndarray,
                 doc_bounds: np.ndarray) -> EncodingBatch:  # fmt: skip
        """A byte-level batch: text k is ``data[doc_bounds[k]:doc_bounds[k + 1]]`` (UTF-8), its tokens tile it."""
        out = cls(ids, bounds, table)
        out._data, out._doc_bounds = data, doc_bounds
        return out

    @classmethod
    def of_columns(
        cls, ids: np.ndarray, bounds: np.ndarray, table: TokenTable, texts: Sequence[str], *, offsets: np.ndarray,
        words: np.ndarray, type_ids: np.ndarray, special: np.ndarray, respelled: dict[int, str],
    ) -> EncodingBatch:  # fmt: skip
        """Flat arrays of every token (read-only; offsets in characters of each of ``texts``), one Encoding per access.

        ``respelled`` maps a token index to its spelling where it is not the vocabulary's.
        """
        out = cls(ids, bounds, table)
        keys = np.sort(np.fromiter(respelled, dtype=np.int64, count=len(respelled)))
        out._columns = {"offsets": offsets, "words": words, "type_ids": type_ids, "special": special,
                        "respelled": dict(respelled), "respelled_at": keys}  # fmt: skip
        out._texts = texts
        return out

    @property
    def ids(self) -> np.ndarray:
        """int32[T]: every text's tokens, one after the other."""
        return self._ids

    @property
    def bounds(self) -> np.ndarray:
        """int64[D+1]: text k's tokens are ``ids[bounds[k]:bounds[k + 1]]``."""
        return self._bounds

    @property
    def offsets(self) -> np.ndarray:
        """int64[T, 2]: character offsets of every token, relative to the start of its own text."""
        if self._columns is not None:
            return self._columns["offsets"]  # type: ignore[return-value]
        if self._encodings is not None:
            return _stack([e.offsets for e in self._encodings])
        if self._data is None:
            return frozen(np.zeros((len(self._ids), 2), dtype=np.int64))
        spans = self._table.byte_spans(self._ids, self._bounds)
        base = np.repeat(self._doc_bounds[:-1], np.diff(self._bounds))
        starts = np.stack([self._doc_bounds[:-1]] * 2, axis=1)  # one pass gives the tokens and the texts' starts
        chars = chars_of_bytes(self._data, np.concatenate([spans + base[:, None], starts]))
        n = len(spans)
        return frozen(chars[:n] - np.repeat(chars[n:, 0], np.diff(self._bounds))[:, None])

    @property
    def byte_offsets(self) -> np.ndarray:
        """int64[T, 2]: UTF-8 byte offsets of every token, relative to the start of its own text."""
        if self._columns is not None:
            lengths = np.fromiter(map(len, self._texts), dtype=np.int64, count=len(self._texts))
            starts = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=starts[1:])
            pos = utf8_positions("".join(self._texts))
            shift = np.repeat(starts[:-1], np.diff(self._bounds))[:, None]
            offsets = self._columns["offsets"]
            return frozen(pos[offsets + shift] - pos[shift])  # type: ignore[operator]
        if self._encodings is not None:
            return _stack([e.byte_offsets for e in self._encodings])
        if self._data is None:
            return self.offsets
        return frozen(self._table.byte_spans(self._ids, self._bounds))

    def __len__(self) -> int:
        return len(self._bounds) - 1

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
        return self._one(i)

    def _one(self, k: int) -> Encoding:
        if self._encodings is not None:
            return self._encodings[k]
        lo, hi = int(self._bounds[k]), int(self._bounds[k + 1])
        if self._columns is not None:
            c = self._columns
            at: np.ndarray = c["respelled_at"]  # type: ignore[assignment]
            a, b = np.searchsorted(at, [lo, hi])
            tokens = None
            if a != b:
                tokens = self._table.spell(self._ids[lo:hi])
                for j in at[a:b].tolist():
                    tokens[j - lo] = c["respelled"][j]  # type: ignore[index]
            return Encoding(
                self._ids[lo:hi], self._table, tokens=tokens, offsets=c["offsets"][lo:hi], text=self._texts[k],
                type_ids=c["type_ids"][lo:hi], words=c["words"][lo:hi], special_tokens_mask=c["special"][lo:hi],
            )  # type: ignore[index]  # fmt: skip
        data = None
        if self._data is not None:
            data = self._data[self._doc_bounds[k] : self._doc_bounds[k + 1]]
        return Encoding(self._ids[lo:hi], self._table, data=data)

    def __iter__(self) -> Iterator[Encoding]:
        if self._encodings is not None:
            yield from self._encodings
            return
        for k in range(len(self)):
            yield self._one(k)

    def __repr__(self) -> str:
        return f"EncodingBatch({len(self)} texts, {len(self._ids)} tokens)"

    def lengths(self) -> np.ndarray:
        """Return int64[D], the number of tokens of each text."""
        return np.diff(self._bounds)

    def tolist(self) -> list[list[int]]:
        """Return the ids as a list of lists (what tiktoken's ``encode_batch`` returns)."""
        # performance notes: making 100k lists set off the cyclic garbage collector again and again (it scans
        # every list made so far): 0.65-0.77 s of 32 MB's ids, 0.19-0.25 s with it paused. Lists of ints hold
        # no cycles, so pausing it here frees nothing late.
        enabled = gc.isenabled()
        gc.disable()
        try:
            ids = self._ids.tolist()
            b = self._bounds.tolist()
            return [ids[b[k] : b[k + 1]] for k in range(len(b) - 1)]
        finally:
            if enabled:
                gc.enable()

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
        out = {"ids": self._ids.reshape(len(encs), width)}
        for field in ("type_ids", "attention_mask", "special_tokens_mask"):
            parts = [getattr(e, field) for e in encs]
            out[field] = np.concatenate(parts).reshape(len(encs), width) if parts else np.zeros((0, 0), np.int32)
        return out


def _stack(parts: list[np.ndarray]) -> np.ndarray:
    return frozen(np.concatenate(parts)) if parts else NO_OFFSETS
