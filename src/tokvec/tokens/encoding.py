"""Encoding: one text's tokens, plain read-only data (many texts: :mod:`~tokvec.tokens.encoding_batch`).

Whoever finishes an encoding builds it once (the tokenizer's engine, a post-processor, padding) and
nothing changes it after; it holds no tokenizer, only a :class:`~tokvec.tokens.vocab_table.TokenTable`
to spell its tokens from. Offsets have one meaning on every engine: ``offsets`` are characters of the
input str (as Hugging Face and tiktoken's ``decode_with_offsets`` give them), ``byte_offsets`` bytes
of its UTF-8 (see :mod:`tokvec.tokens.offset_units` for surrogates and split characters).

The byte-level tiktoken engine stores ids and the UTF-8 of the text only: its tokens tile the bytes,
so both offsets follow from the ids when read. Pipelines store everything Hugging Face's ``Encoding``
has: ``offsets``, ``type_ids``, ``attention_mask``, ``special_tokens_mask``, ``word_ids`` and
``overflowing``. The same properties answer on both (type ids 0, mask 1 for the byte-level engine).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .offset_units import chars_of_bytes, frozen, utf8_positions
from .vocab_table import TokenTable

NO_OFFSETS = frozen(np.zeros((0, 2), dtype=np.int64))


class Encoding:
    """The tokens of one text: ``ids`` (int32[n]) and ``offsets`` (int64[n, 2]); read-only.

    ``offsets`` are characters of the input str on every engine and ``byte_offsets`` bytes of its
    UTF-8 (a token that starts inside a multi-byte character starts at that character; one that ends
    inside it ends after it). ``tokens`` spells each id as the vocabulary does (``'Ġworld'``),
    ``pieces`` gives the bytes each token stands for.

    >>> import tokvec
    >>> enc = tokvec.load("gpt2").encode("Hello wörld")
    >>> enc.ids.tolist(), enc.tokens
    ([15496, 266, 30570, 335], ['Hello', 'Ġw', 'Ã¶r', 'ld'])
    >>> enc.offsets.tolist(), enc.byte_offsets.tolist()  # 'ö' is one character and two bytes
    ([[0, 5], [5, 7], [7, 9], [9, 11]], [[0, 5], [5, 7], [7, 10], [10, 12]])
    """

    # performance notes: plain slots behind read-only properties (a frozen dataclass's object.__setattr__
    # per field made a short encode 20% slower); default masks are made when read, as making them here
    # was a third of the time of encoding a short text
    __slots__ = ("_attention_mask", "_byte_offsets", "_data", "_ids", "_offsets", "_overflowing",
                 "_special_tokens_mask", "_table", "_text", "_tokens", "_type_ids", "_where", "_words")  # fmt: skip

    def __init__(
        self,
        ids: np.ndarray,
        table: TokenTable,
        *,
        tokens: Sequence[str] | None = None,
        offsets: np.ndarray | None = None,
        byte_offsets: np.ndarray | None = None,
        text: str | None = None,
        data: np.ndarray | None = None,
        where: np.ndarray | None = None,
        type_ids: np.ndarray | None = None,
        words: np.ndarray | None = None,
        special_tokens_mask: np.ndarray | None = None,
        attention_mask: np.ndarray | None = None,
        overflowing: Sequence[Encoding] = (),
    ) -> None:
        """Build from the arrays (kept as given: pass read-only ones).

        ``text`` is the text that character ``offsets`` index (for ``byte_offsets``), ``data`` (uint8) the UTF-8
        that a byte-level table's tokens tile (``offsets`` and ``byte_offsets`` follow from the ids), ``where``
        :func:`~tokvec.tokens.offset_units.clean_text`'s map when surrogate pairs joined.
        """
        self._ids = ids
        self._table = table
        self._tokens = tuple(tokens) if tokens is not None else None
        self._offsets = offsets
        self._byte_offsets = byte_offsets
        self._text = text
        self._data = data
        self._where = where
        self._type_ids = type_ids
        self._words = words
        self._special_tokens_mask = special_tokens_mask
        self._attention_mask = attention_mask
        self._overflowing = tuple(overflowing)

    @property
    def ids(self) -> np.ndarray:
        """int32[n]: the token ids."""
        return self._ids

    @property
    def table(self) -> TokenTable:
        """The id -> token table the tokens are spelled from."""
        return self._table

    @property
    def overflowing(self) -> tuple[Encoding, ...]:
        """The windows that truncation cut off (each an Encoding)."""
        return self._overflowing

    @property
    def has_own_tokens(self) -> bool:
        """True when some token is spelled otherwise than its id (an added token matched as ' <mask>', padding)."""
        return self._tokens is not None

    @property
    def special_tokens_mask(self) -> np.ndarray:
        """int8[n]: 1 where the post-processor added a special token (all 0 for the tiktoken variant)."""
        if self._special_tokens_mask is None:
            return frozen(np.zeros(len(self._ids), dtype=np.int8))
        return self._special_tokens_mask

    @property
    def attention_mask(self) -> np.ndarray:
        """int8[n]: 0 at padding, 1 elsewhere."""
        if self._attention_mask is None:
            return frozen(np.ones(len(self._ids), dtype=np.int8))
        return self._attention_mask

    @property
    def offsets(self) -> np.ndarray:
        """int64[n, 2]: each token's start and end in characters of the input str."""
        if self._offsets is not None:
            return self._offsets
        if self._data is None:
            return frozen(np.zeros((len(self._ids), 2), dtype=np.int64))
        return frozen(chars_of_bytes(self._data, self.byte_offsets, self._where))

    @property
    def byte_offsets(self) -> np.ndarray:
        """int64[n, 2]: each token's start and end in bytes of the UTF-8 text (surrogates read as U+FFFD)."""
        if self._byte_offsets is not None:
            return self._byte_offsets
        if self._data is not None:
            return frozen(self._spans())
        if self._text is None:  # special and padding tokens only: nothing of a text to point into
            return self.offsets
        return frozen(utf8_positions(self._text)[self.offsets])

    def _spans(self) -> np.ndarray:
        return self._table.byte_spans(self._ids, np.array([0, len(self._ids)], dtype=np.int64))

    @property
    def type_ids(self) -> np.ndarray:
        """int32[n]: the sequence each token belongs to (0 first, 1 second of a pair, as the template says)."""
        if self._type_ids is not None:
            return self._type_ids
        return frozen(np.zeros(len(self._ids), dtype=np.int32))

    @property
    def words(self) -> np.ndarray:
        """int64[n]: the pre-token (word) index of each token, -1 for special and padding tokens."""
        if self._words is not None:
            return self._words
        return frozen(np.full(len(self._ids), -1, dtype=np.int64))

    @property
    def word_ids(self) -> list[int | None]:
        """Each token's word index, None where Hugging Face says None (special and padding tokens)."""
        return [None if w < 0 else w for w in self.words.tolist()]

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        shown = self._ids[:8].tolist()
        more = ", ..." if len(self._ids) > 8 else ""
        return f"Encoding({len(self._ids)} tokens: {str(shown)[1:-1]}{more})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Encoding):
            return NotImplemented
        return self._table is other._table and np.array_equal(self._ids, other._ids)

    __hash__ = None  # type: ignore[assignment]

    @property
    def tokens(self) -> list[str]:
        """Each token as the vocabulary spells it (byte-level characters, special tokens as text)."""
        if self._tokens is not None:
            return list(self._tokens)
        return self._table.spell(self._ids)

    @property
    def pieces(self) -> list[bytes]:
        """The bytes that each token stands for (a multi-byte character may span tokens)."""
        return self._table.pieces(self._ids)


def replaced(e: Encoding, **changes: object) -> Encoding:
    """Return a new Encoding: ``e`` with the keyword arguments of :class:`Encoding` in ``changes`` replaced."""
    fields: dict[str, object] = {
        "tokens": e._tokens, "offsets": e._offsets, "byte_offsets": e._byte_offsets, "text": e._text, "data": e._data,
        "where": e._where, "type_ids": e._type_ids, "words": e._words, "special_tokens_mask": e._special_tokens_mask,
        "attention_mask": e._attention_mask, "overflowing": e._overflowing,
    }  # fmt: skip
    fields.update({k: frozen(v) if isinstance(v, np.ndarray) else v for k, v in changes.items()})
    return Encoding(e._ids, e._table, **fields)  # type: ignore[arg-type]


def cut(e: Encoding, a: int, b: int, overflowing: Sequence[Encoding] = ()) -> Encoding:
    """Return tokens ``a..b-1`` of ``e`` as a new Encoding (its offsets kept as they are)."""
    tokens = e._tokens[a:b] if e._tokens is not None else None
    own_bytes = e._byte_offsets is not None or e._data is not None  # subtle: byte-level spans restart at each cut
    return Encoding(
        e._ids[a:b], e._table, tokens=tokens, offsets=e.offsets[a:b], text=e._text,
        byte_offsets=e.byte_offsets[a:b] if own_bytes else None, type_ids=e.type_ids[a:b], words=e.words[a:b],
        special_tokens_mask=e.special_tokens_mask[a:b], attention_mask=e.attention_mask[a:b], overflowing=overflowing,
    )  # fmt: skip


def joined(parts: Sequence[Encoding], table: TokenTable, overflowing: Sequence[Encoding] = ()) -> Encoding:
    """Join ``parts`` end to end into a new Encoding (their overflowing windows left out; ``overflowing`` given)."""
    parts = [p for p in parts if len(p)] or parts[:1]
    if len(parts) == 1:
        if not overflowing and not parts[0]._overflowing:
            return parts[0]  # read-only data: shared, not copied
        return cut(parts[0], 0, len(parts[0]), overflowing)

    def cat(arrays: list[np.ndarray]) -> np.ndarray:
        return frozen(np.concatenate(arrays))

    if not parts:
        return Encoding(frozen(np.zeros(0, np.int32)), table, offsets=NO_OFFSETS,
                        type_ids=frozen(np.zeros(0, np.int32)), words=frozen(np.zeros(0, np.int64)),
                        overflowing=overflowing)  # fmt: skip
    # subtle: tokens are spelled from the ids when read unless some part carries its own spelling
    tokens = [t for p in parts for t in p.tokens] if any(p._tokens is not None for p in parts) else None
    # byte offsets stay lazy while every part points into one text (special tokens point nowhere)
    texts = {id(p._text): p._text for p in parts if p._text is not None and len(p)}
    lazy = len(texts) <= 1 and all(p._byte_offsets is None and p._data is None for p in parts)
    return Encoding(
        cat([p._ids for p in parts]), table, tokens=tokens, offsets=cat([p.offsets for p in parts]),
        byte_offsets=None if lazy else cat([p.byte_offsets for p in parts]),
        text=next(iter(texts.values()), None) if lazy else None, type_ids=cat([p.type_ids for p in parts]),
        words=cat([p.words for p in parts]), special_tokens_mask=cat([p.special_tokens_mask for p in parts]),
        attention_mask=cat([p.attention_mask for p in parts]), overflowing=overflowing,
    )  # fmt: skip
