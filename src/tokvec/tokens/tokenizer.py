"""Tokenizer: one class, one interface, immutable once built; an engine behind it does the work.

The engine (:mod:`tokvec.tokens.engines`, one :class:`~tokvec.tokens.engines.Engine` interface) is

- the **byte-level (tiktoken) engine** (:mod:`tokvec.tokens.engines.byte_level`): a split pattern (numba
  scanner) + a byte-level BPE model. Used for tiktoken rank files, Llama-3 and GPT-2 ``vocab.json``/``merges.txt``;
- the **pipeline engine** (:class:`tokvec.tokens.engines.pipeline.Pipeline`, given as ``pipeline``): Hugging
  Face's normalizer -> pre-tokenizer -> model -> post-processor with added tokens, pairs, truncation and
  padding. Used for ``tokenizer.json``, ``vocab.txt`` and SentencePiece ``.model`` files.

Every method means the same on both. What only one engine can do (pairs, ``with_padding``,
``with_truncation`` and ``save`` on the pipeline engine; ``bytes_to_id`` and ``offsets_of`` on the byte-level
one) raises :class:`~tokvec.errors.ConfigError` on the other, saying which kind of tokenizer can.

**Special tokens: one policy on both engines, tiktoken's.** Special-token text in the input
(``<|endoftext|>``, ``[SEP]``, ``</s>``) raises :class:`~tokvec.errors.SpecialTokenError` (a
``ValueError``) unless ``allowed_special`` names it (or is ``"all"``), which makes it its id;
``disallowed_special=()`` reads it as ordinary text, and so does ``encode_ordinary``. A name in
``allowed_special`` that is not a special token raises. Hugging Face's behaviour (every added token
typed in the text becomes its id) is ``allowed_special="all"``. The pipeline's *non-special* added
tokens are part of its vocabulary and are always split out, as Hugging Face does; the special tokens
that the post-processor adds (``[CLS] ... [SEP]``) come from ``add_special_tokens``, not from text.

>>> import tokvec
>>> tok = tokvec.load("cl100k_base")
>>> tok.encode("hello world").ids.tolist()
[15339, 1917]
>>> tok.decode([15339, 1917])
'hello world'
>>> tok.encode("<|endoftext|>", allowed_special="all").ids.tolist()
[100257]
>>> bert = tokvec.load("bert-base-uncased")
>>> bert.encode("a [SEP]", allowed_special="all").ids.tolist()  # Hugging Face's ids
[101, 1037, 102, 102]
>>> bert.encode("a [SEP]", disallowed_special=()).ids.tolist()  # the text "[SEP]"
[101, 1037, 1031, 19802, 1033, 102]
"""

from __future__ import annotations

import copyreg
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputTypeError
from . import specials as sp
from .encoding import Encoding
from .encoding_batch import EncodingBatch
from .engines.byte_level import ByteLevelEngine
from .engines.protocol import Engine
from .models.bpe import BytePairModel
from .pre_tokenizers import SplitPattern
from .token_ids import as_id_array

if TYPE_CHECKING:
    from .engines.pipeline import Pipeline
    from .processors.padding import Padding, Truncation


@dataclass(frozen=True, eq=False)
class Tokenizer:
    """A tokenizer (build with :func:`tokvec.load`); see the module docstring for its engines.

    Built from ``model`` + ``pattern`` + ``special_tokens`` (the byte-level engine) or from ``pipeline``.
    """

    name: str
    model: BytePairModel | Any
    pattern: SplitPattern | None = None
    special_tokens: Mapping[str, int] = field(default_factory=dict)
    pipeline: Pipeline | None = None
    #: the engine that does the work (:class:`~tokvec.tokens.engines.Engine`)
    engine: Engine = field(init=False, repr=False)
    _preset: str | None = field(default=None, init=False, repr=False)  # set by load(): pickled by name (presets.py)

    def __post_init__(self) -> None:
        engine = self.pipeline
        if engine is None:
            engine = ByteLevelEngine(self.name, self.model, self.pattern, self.special_tokens)
        object.__setattr__(self, "engine", engine)
        object.__setattr__(self, "special_tokens", MappingProxyType(dict(engine.special_tokens)))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by content (for multiprocessing, joblib, Dask).

        Presets pickle by their name instead: :mod:`tokvec.tokens.presets` registers that reducer with
        :func:`copyreg.pickle` (it is imported with ``tokvec``), so this module does not import presets.
        """
        state = dict(self.__dict__)
        state["special_tokens"] = dict(self.special_tokens)
        return copyreg.__newobj__, (type(self),), state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["special_tokens"] = MappingProxyType(state["special_tokens"])
        self.__dict__.update(state)

    # ----------------------------------------------------------------- encoding
    def encode(
        self,
        text: str,
        pair: str | None = None,
        *,
        add_special_tokens: bool = True,
        allowed_special: sp.AllowedSpecial = frozenset(),
        disallowed_special: sp.AllowedSpecial = "all",
    ) -> Encoding:
        """Encode ``text`` (and ``pair``: pipeline tokenizers).

        Special-token text follows tiktoken's rules on both engines (see the module docstring):
        disallowed text raises :class:`SpecialTokenError`. Pipeline engine: as Hugging Face's
        ``encode(text, pair, add_special_tokens=...)`` when ``allowed_special="all"``.
        """
        _check_text(text)
        if pair is not None:
            _check_text(pair)
        allow = self._allowed([text] if pair is None else [text, pair], allowed_special, disallowed_special)
        return self.engine.encode_one(text, pair, add_special_tokens, allow)

    def encode_ordinary(self, text: str) -> Encoding:
        """Encode ``text`` treating special-token text as ordinary text, adding no special tokens (fastest).

        Pipeline engine: non-special added tokens are still split out.
        """
        _check_text(text)
        return self.engine.encode_plain(text)

    def encode_batch(
        self,
        texts: Iterable[str] | Iterable[tuple[str, str]],
        *,
        num_threads: int | None = None,
        add_special_tokens: bool = True,
        allowed_special: sp.AllowedSpecial = frozenset(),
        disallowed_special: sp.AllowedSpecial = "all",
    ) -> EncodingBatch:
        """Encode many texts (pipeline tokenizers: also (text, pair) tuples) on ``num_threads`` threads
        (default: all cores); the GIL is released.

        Pipeline engine: padding (the batch's longest, or a fixed length) and truncation as configured;
        one model call for the whole batch. Its threads are used only on the fused paths (BERT, T5-style
        Unigram, SentencePiece) for single texts without padding or truncation.
        """
        given = list(texts)  # a copy: the batch must not change when the caller's list does
        firsts, pairs = given, None
        if not all(isinstance(t, str) for t in given):  # (text, pair) items, or a wrong type somewhere
            firsts, pairs = [], []
            for t in given:
                a, b = (t, None) if isinstance(t, str) else _pair_item(t)
                firsts.append(a)
                pairs.append(b)
        searched = firsts if pairs is None else firsts + [b for b in pairs if b is not None]
        allow = self._allowed(searched, allowed_special, disallowed_special)
        threads = num_threads or os.cpu_count() or 1
        return self.engine.encode_many(firsts, pairs, add_special_tokens, allow, threads)

    def _allowed(self, texts: list[str], allowed: sp.AllowedSpecial, disallowed: sp.AllowedSpecial) -> frozenset[str]:
        """Check ``texts`` for disallowed special-token text; return the special tokens to split out.

        subtle: like tiktoken, the check looks for the special token's text as typed; a special token
        that the file matches after normalization (``normalized: true``) is not looked for in other spellings.
        """
        allow, deny = sp.resolve(self.special_tokens.keys(), allowed, disallowed)
        if deny:
            sp.check_disallowed_all(texts, deny)
        return allow

    # ----------------------------------------------------------------- decoding
    def decode_bytes(self, ids: Sequence[int] | np.ndarray | Encoding) -> bytes:
        """Return the bytes of ``ids`` joined (special tokens as their text)."""
        return self.engine.decode_bytes(as_id_array(ids))

    def decode(
        self,
        ids: Sequence[int] | np.ndarray | Encoding,
        *,
        errors: str = "replace",
        skip_special_tokens: bool | None = None,
    ) -> str:
        """Return the text of ``ids``; bytes that are not valid UTF-8 become U+FFFD (``errors='replace'``).

        ``skip_special_tokens`` defaults to what the reference library does: tiktoken keeps special
        tokens, Hugging Face's ``decode`` drops them. A pipeline skips ids it has no token for, as
        Hugging Face does; the byte-level engine raises for them, as tiktoken does.
        """
        return self.engine.decode_ids(as_id_array(ids), skip_special_tokens, errors)

    # ----------------------------------------------------------------- pipeline options
    def with_padding(self, padding: Padding | None) -> Tokenizer:
        """Return a copy that pads (``None``: no padding); pipeline tokenizers only."""
        return replace(self, pipeline=self.engine.with_options(padding=padding))

    def with_truncation(self, truncation: Truncation | None) -> Tokenizer:
        """Return a copy that truncates (``None``: no truncation); pipeline tokenizers only."""
        return replace(self, pipeline=self.engine.with_options(truncation=truncation))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a Hugging Face ``tokenizer.json`` (atomic); pipeline tokenizers only."""
        self.engine.save(path)

    # ----------------------------------------------------------------- vocabulary
    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token`` as the vocabulary spells it (``'Ġworld'``), or None (O(1))."""
        _check_text(token)
        return self.engine.token_to_id(token)

    def bytes_to_id(self, data: bytes) -> int | None:
        """Return the id of the ordinary token whose bytes are ``data``, or None; tiktoken-style tokenizers only.

        O(1): a probe of the encoder's own hash table (no dictionary is built).
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InputTypeError(f"expected bytes, got {type(data).__name__}")
        return self.engine.bytes_to_id(bytes(data))

    def offsets_of(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Return int64[T, 2] byte offsets of ``ids`` (texts start at ``bounds``), read-only; tiktoken-style only."""
        return self.engine.offsets_of(ids, bounds)

    @property
    def vocab_size(self) -> int:
        """Number of ids, special tokens included (one more than the largest id)."""
        return self.engine.vocab_size

    def token_bytes_list(self, ids: Iterable[int]) -> list[bytes]:
        """Return the bytes of every id (special tokens as their UTF-8 text; pipeline: each token decoded alone)."""
        return self.engine.table.pieces(ids)

    def id_to_token(self, token_id: int) -> str:
        """Spell ``token_id`` as the vocabulary does (``'Ġworld'``; special tokens as their text)."""
        return self.id_to_token_list([token_id])[0]

    def id_to_token_list(self, ids: Iterable[int]) -> list[str]:
        """Spell every id of ``ids``."""
        return self.engine.table.spell(ids)

    def __repr__(self) -> str:
        return self.engine.describe(self.name)


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise InputTypeError(f"expected text (str), got {type(text).__name__}")


def _pair_item(item: Any) -> tuple[str, str | None]:
    """``item`` of a batch as (text, pair), each checked to be text (the pair may be None)."""
    if not isinstance(item, (tuple, list)) or len(item) != 2:
        _check_text(item)  # raises
    a, b = item
    _check_text(a)
    if b is not None:
        _check_text(b)
    return a, b
