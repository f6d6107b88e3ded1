"""The interface of a tokenizer engine: what :class:`~tokvec.tokens.tokenizer.Tokenizer` calls.

The Tokenizer checks its input and applies the special-token policy (:mod:`tokvec.tokens.specials`:
disallowed text raises), then hands the engine the set of special tokens to split out (``allow``). An
engine that cannot do something (pairs, padding or ``save`` on the byte-level engine; ``bytes_to_id`` on
a pipeline) raises :class:`~tokvec.errors.ConfigError` saying which kind of tokenizer can.

>>> import tokvec
>>> from tokvec.tokens.engines import Engine
>>> isinstance(tokvec.load("gpt2").engine, Engine), isinstance(tokvec.load("t5-small").engine, Engine)
(True, True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..encoding import Encoding
from ..encoding_batch import EncodingBatch
from ..vocab_table import TokenTable


@runtime_checkable
class Engine(Protocol):
    """One engine: encode, decode, the vocabulary, and the options only it has."""

    #: the read-only id -> token table every Encoding of this engine spells its tokens from
    table: TokenTable

    @property
    def special_tokens(self) -> Mapping[str, int]:
        """Special token text -> id."""
        ...

    @property
    def vocab_size(self) -> int:
        """Number of ids (one more than the largest)."""
        ...

    def encode_one(self, text: str, pair: str | None, add_special_tokens: bool, allow: frozenset[str]) -> Encoding:
        """Encode one text (or a pair), splitting out the special tokens named in ``allow``."""
        ...

    def encode_plain(self, text: str) -> Encoding:
        """Encode ``text`` with special-token text read as text and no special tokens added."""
        ...

    def encode_many(
        self,
        texts: list[str],
        pairs: list[str | None] | None,
        add_special_tokens: bool,
        allow: frozenset[str],
        threads: int,
    ) -> EncodingBatch:
        """Encode ``texts`` (with ``pairs[k]`` as the second text of ``texts[k]``; None: no pairs) on up to
        ``threads`` threads."""
        ...

    def decode_ids(self, ids: np.ndarray, skip_special_tokens: bool | None, errors: str) -> str:
        """The text of int64 ``ids`` (checked to fit 32 bits); ``skip_special_tokens=None``: the reference's default."""
        ...

    def decode_bytes(self, ids: np.ndarray) -> bytes:
        """The bytes of ``ids`` (special tokens as their text)."""
        ...

    def token_to_id(self, token: str) -> int | None:
        """The id of ``token`` as the vocabulary spells it, or None."""
        ...

    def bytes_to_id(self, data: bytes) -> int | None:
        """The id of the ordinary token whose bytes are ``data``, or None."""
        ...

    def offsets_of(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Byte offsets int64[T, 2] of ``ids`` (texts start at ``bounds``)."""
        ...

    def with_options(self, **changes: Any) -> Engine:
        """A copy with ``padding`` or ``truncation`` changed."""
        ...

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the engine's file (a ``tokenizer.json``), atomically."""
        ...

    def describe(self, name: str) -> str:
        """The repr of a Tokenizer named ``name`` running this engine."""
        ...
