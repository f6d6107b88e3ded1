"""TokenTable: the read-only id -> token data that an Encoding spells its tokens from.

A tokenizer builds one table when it is built and hands it to every :class:`Encoding` it makes, so an
encoding is plain data that spells ``tokens`` and ``pieces`` when they are read without holding its
tokenizer. Two kinds: a byte-level table (tiktoken files: each id's bytes, ``tok_bytes``/``tok_off``,
spelled with GPT-2's byte characters) and a spelling table (pipelines: each id's token string, and
the decoder that turns one token into its text).

>>> import numpy as np
>>> t = TokenTable.of_spellings("toy", ["[UNK]", "hello", "##s"])
>>> t.spell(np.array([1, 2])), t.pieces([1])
(['hello', '##s'], [b'hello'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..errors import UnknownTokenError
from ..kernels.bpe import token_offsets
from .byte_level import bytes_to_str
from .token_ids import check_id, first_bad_id


class OneTokenDecoder(Protocol):
    """What a table needs of a decoder: the text of a list of tokens."""

    def decode(self, tokens: list[str]) -> str:
        """Return the text of ``tokens``."""
        ...


@dataclass(frozen=True, eq=False)
class TokenTable:
    """Spell ids: ``spellings`` (pipelines) or ``tok_bytes``/``tok_off``/``present`` (byte-level); read-only."""

    name: str
    spellings: Sequence[str | None] | None = None
    decoder: OneTokenDecoder | None = None
    tok_bytes: np.ndarray | None = None
    tok_off: np.ndarray | None = None
    present: np.ndarray | None = None
    special_of_id: Mapping[int, str] = field(default_factory=dict)
    #: for ByteLevel offset trimming: int64[V] leading and trailing spaces ('Ġ' or white space) of each spelling
    space_counts: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def of_spellings(
        cls, name: str, spellings: Sequence[str | None], decoder: OneTokenDecoder | None = None, *, space_counts=None
    ) -> TokenTable:
        """A pipeline's table: ``spellings[i]`` spells id i (None: no token)."""
        return cls(name, spellings, decoder, space_counts=space_counts)

    @classmethod
    def of_bytes(cls, name: str, tables: tuple[np.ndarray, np.ndarray, np.ndarray], special_of_id: Mapping[int, str]):
        """A byte-level table: (tok_bytes, tok_off, present) and the special token each special id decodes as."""
        tok_bytes, tok_off, present = tables
        return cls(name, None, None, tok_bytes, tok_off, present, dict(special_of_id))

    @property
    def byte_level(self) -> bool:
        """True when tokens are spans of the UTF-8 text (their bytes give the offsets)."""
        return self.tok_off is not None

    def spell(self, ids: Iterable[int]) -> list[str]:
        """Spell every id (special tokens as their text); an id with no token raises :class:`UnknownTokenError`."""
        if self.spellings is not None:
            table = self.spellings
            out = []
            for i in np.asarray(ids).tolist():
                t = table[i] if 0 <= i < len(table) else None
                if t is None:
                    raise UnknownTokenError(
                        f"token id {i} is not in the vocabulary (ids run from 0 to {len(table) - 1})"
                    )
                out.append(t)
            return out
        specials, tok_bytes, tok_off, present = self.special_of_id, self.tok_bytes, self.tok_off, self.present
        out = []
        for i in ids:
            i = check_id(i)
            if i in specials:
                out.append(specials[i])
            elif i < len(present) and present[i]:
                out.append(bytes_to_str(tok_bytes[tok_off[i] : tok_off[i + 1]].tobytes()))
            else:
                raise first_bad_id(np.array([i], dtype=np.int64), present, self.name)
        return out

    def pieces(self, ids: Iterable[int]) -> list[bytes]:
        """Return the bytes of every id (special tokens as their UTF-8 text; pipelines: each token decoded alone)."""
        if self.spellings is not None:
            table, dec = self.spellings, self.decoder
            out = []
            for i in np.asarray(ids).tolist():
                t = table[i] if 0 <= i < len(table) else None
                text = "" if t is None else (t if dec is None else dec.decode([t]))
                out.append(text.encode("utf-8", "surrogatepass"))
            return out
        tok_bytes, tok_off, present = self.tok_bytes, self.tok_off, self.present
        out = []
        for i in ids:
            i = check_id(i)
            if i >= len(present) or not present[i]:
                raise first_bad_id(np.array([i], dtype=np.int64), present, self.name)
            out.append(tok_bytes[tok_off[i] : tok_off[i + 1]].tobytes())
        return out

    def byte_spans(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Return int64[T, 2]: the bytes each token covers in its own text (texts' tokens start at ``bounds``)."""
        return token_offsets(ids, self.tok_off, bounds)


def space_counts(spellings: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Leading and trailing spaces of each spelling (None counts 0), for ByteLevel's offset trimming."""
    tokens = [t or "" for t in spellings]
    lead = np.fromiter((len(t) - len(t.lstrip(SPACES)) for t in tokens), dtype=np.int64, count=len(tokens))
    trail = np.fromiter((len(t) - len(t.rstrip(SPACES)) for t in tokens), dtype=np.int64, count=len(tokens))
    return lead, trail


# 'Ġ' (the space byte) and Unicode White_Space, which Rust's char::is_whitespace tests
SPACES = (
    "Ġ \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

__all__ = ["SPACES", "OneTokenDecoder", "TokenTable", "space_counts"]
