"""The general tokenizer pipeline of Hugging Face's ``tokenizer.json``, run on whole batches.

The tokens of each text come from its fast path (:mod:`tokvec.tokens.fused`, when the components fit) or
from the component-by-component path (:mod:`tokvec.tokens.engines.components`: added tokens, normalizer,
pre-tokenizer, model); both give the same encodings. Then **truncation**, the **post-processor** (special
tokens, type ids) and **padding** follow Hugging Face's rules (:mod:`tokvec.tokens.processors`).

Decoding spells the ids (added tokens as their content, special ones dropped on request) and runs
the decoder chain.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from ...errors import ConfigError
from .. import fused
from ..added import AddedVocabulary
from ..decoders.base import Decoder
from ..encoding import Encoding, replaced
from ..encoding_batch import EncodingBatch
from ..formats.hf_json_writer import save_pipeline_json
from ..fused import FastPath, Template
from ..models.base import Model
from ..normalizers.base import Normalizer
from ..offset_units import clean_text, frozen, has_surrogates
from ..pre_tokenizers.base import PreTokenizer
from ..processors import post_process, trims_offsets
from ..processors.base import PostProcessor
from ..processors.padding import Padding, Truncation, pad_batch, truncate_pair
from ..token_ids import ID_LIMIT, check_id
from ..vocab_table import TokenTable, space_counts
from . import components


def _mapped(e: Encoding, where: np.ndarray | None) -> Encoding:
    """``e`` with offsets moved to the input's characters (``where``: a joined surrogate pair is two there)."""
    if where is None:
        return e
    over = [_mapped(o, where) for o in e.overflowing]
    return replaced(e, offsets=frozen(where[e.offsets]), byte_offsets=e.byte_offsets, text=None, overflowing=over)


@dataclass(frozen=True, eq=False)
class Pipeline:
    """normalizer -> pre-tokenizer -> model -> post-processor, with added tokens, padding and truncation."""

    model: Model
    added: AddedVocabulary
    normalizer: Normalizer | None = None
    pre_tokenizer: PreTokenizer | None = None
    post_processor: PostProcessor | None = None
    decoder: Decoder | None = None
    padding: Padding | None = None
    truncation: Truncation | None = None
    #: the read-only id -> token table every Encoding of this pipeline spells its tokens from
    table: TokenTable = field(init=False, repr=False)
    #: the fused fast path of normalizer + pre-tokenizer + model, or None (:func:`tokvec.tokens.fused.choose`)
    fast: FastPath | None = field(init=False, repr=False)
    #: the post-processor's single-text template without and with special tokens, for the fast path's batches
    templates: tuple[Template | None, Template | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        vocab = self.model.get_vocab()
        # subtle: ids may repeat or leave gaps, so the largest id sizes the table (files check it is sane)
        size = max(self.model.vocab_size, max(self.added.by_id, default=-1) + 1, max(vocab.values(), default=-1) + 1)
        table: list[str | None] = [None] * size
        for tok, i in vocab.items():
            table[i] = tok
        for i, t in self.added.by_id.items():
            table[i] = t.content
        spaces = space_counts(table) if trims_offsets(self.post_processor) else None
        object.__setattr__(self, "table", TokenTable.of_spellings("the vocabulary", table, self.decoder,
                                                                  space_counts=spaces))  # fmt: skip
        # built here, once (no cache on first use): the choice depends on the components only
        fast = fused.choose(self.normalizer, self.pre_tokenizer, self.model, self.added)
        object.__setattr__(self, "fast", fast)
        templates = (None, None)
        if fast is not None:
            templates = tuple(fused.template(self.post_processor, self.table, special) for special in (False, True))
        object.__setattr__(self, "templates", templates)

    def spellings(self) -> list[str]:
        """The spelling of every id ('' where an id has no token)."""
        return [t if t is not None else "" for t in self.table.spellings]

    @property
    def vocab_size(self) -> int:
        """Number of ids, added tokens included."""
        return len(self.table.spellings)

    def id_to_token_list(self, ids) -> list[str]:
        """Spell ids (added tokens as their content)."""
        return self.table.spell(ids)

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token`` (added tokens first), or None."""
        t = self.added.by_content.get(token)
        return t.id if t is not None else self.model.token_to_id(token)

    # ----------------------------------------------------------------- encoding
    def encode(
        self,
        items: list[tuple[str, str | None]],
        *,
        add_special_tokens: bool = True,
        added: AddedVocabulary | None = None,
    ) -> list[Encoding]:
        """Encode texts or pairs; truncation, post-processing and padding as configured.

        ``added``: the added tokens to split out of the text (default: all of them, as Hugging Face
        does; :meth:`AddedVocabulary.allowing` leaves special tokens out, so their text is read as text).
        Surrogates are read as every engine reads them (:func:`~tokvec.tokens.offset_units.clean_text`).
        """
        firsts = [a for a, _ in items]
        seconds = [b for _, b in items if b is not None]
        raw, wheres = self._encode_clean(firsts + seconds, [0] * len(firsts) + [1] * len(seconds), added)
        pairs = iter(range(len(firsts), len(raw)))
        table = self.table
        out = []
        for k, (_, b) in enumerate(items):
            first, where = raw[k], wheres[k]
            second = None
            if b is not None:  # subtle: offsets of a pair move to the input's characters before post-processing
                j = next(pairs)
                first, second, where = _mapped(first, where), _mapped(raw[j], wheres[j]), None
            if self.truncation is not None:
                n_added = 0
                if add_special_tokens and self.post_processor is not None:
                    n_added = self.post_processor.added_tokens(second is not None)
                first, second = truncate_pair(first, second, self.truncation, n_added)
            out.append(_mapped(post_process(self.post_processor, first, second, add_special_tokens, table), where))
        if self.padding is not None:
            out = pad_batch(out, self.padding)
        return out

    def encode_batch(
        self,
        items: list[tuple[str, str | None]],
        *,
        add_special_tokens: bool = True,
        num_threads: int = 1,
        added: AddedVocabulary | None = None,
    ) -> EncodingBatch:
        """Encode texts or pairs into a batch; single texts on a fused path stay flat arrays (no loop per text).

        ``num_threads`` is used by the fused paths (BERT, T5-style Unigram, SentencePiece) for batches of single texts
        without padding or truncation; the component-by-component path runs on one thread. ``added`` as in
        :meth:`encode`.
        """
        return self._batch(items, fused.batch_items(items), add_special_tokens, num_threads, added)

    def _batch(
        self,
        items: list[tuple[str, str | None]] | None,
        texts: list[str] | None,
        add_special_tokens: bool,
        num_threads: int,
        added: AddedVocabulary | None,
    ) -> EncodingBatch:
        """:meth:`encode_batch` of ``items``, or of single ``texts`` (``items`` None: built only if needed)."""
        path = self.fast
        if path is not None and texts is not None and self.truncation is None and self.padding is None:
            try:  # performance: the kernel's strict read of the texts finds surrogates, not a pass of its own
                flat = fused.encode_flat_threads(self, path, texts, num_threads, added)
            except UnicodeEncodeError:
                cleaned = [clean_text(t) for t in texts]
                flat = None
                if all(where is None for _, where in cleaned):  # else (a pair joined) the path below
                    texts = [t for t, _ in cleaned]
                    flat = fused.encode_flat_threads(self, path, texts, num_threads, added)
            if flat is not None:
                flat = fused.add_specials(self, flat, add_special_tokens)
                if flat is not None:
                    f = fused.freeze(flat)
                    return EncodingBatch.of_columns(f.ids, f.bounds, self.table, texts, offsets=f.offsets,
                                                    words=f.words, type_ids=f.type_ids, special=f.special,
                                                    respelled=f.respelled)  # fmt: skip
        if items is None:
            items = [(t, None) for t in texts]
        encs = self.encode(items, add_special_tokens=add_special_tokens, added=added)
        return EncodingBatch.of(encs, self.table)

    def encode_sequences(
        self, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
    ) -> list[Encoding]:
        """Encode each text on its own (no special tokens, no truncation): offsets, word ids, type ids.

        Offsets are characters of each text as given, byte offsets bytes of its clean UTF-8.
        """
        raw, wheres = self._encode_clean(texts, type_ids, added)
        return [_mapped(e, where) for e, where in zip(raw, wheres, strict=True)]

    def _encode_clean(
        self, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
    ) -> tuple[list[Encoding], list[np.ndarray | None]]:
        """:meth:`encode_sequences` with offsets in the clean texts, and each text's map to its own characters."""
        if not has_surrogates(texts):
            clean, wheres = texts, [None] * len(texts)
        else:
            cleaned = [clean_text(t) for t in texts]
            clean, wheres = [t for t, _ in cleaned], [where for _, where in cleaned]
        path = self.fast
        if path is not None:  # the fused kernel: the same results as the component loop below
            out = fused.split_encodings(fused.encode_flat(self, path, clean, added), type_ids, self.table, clean)
        else:
            out = self.encode_sequences_general(clean, type_ids, added)
        return out, wheres

    def encode_sequences_general(
        self, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
    ) -> list[Encoding]:
        """Encode each text component by component (what the fast path must equal): see
        :func:`~tokvec.tokens.engines.components.encode_sequences`."""
        return components.encode_sequences(self, texts, type_ids, added)

    # ----------------------------------------------------------------- decoding
    def decode(self, ids, *, skip_special_tokens: bool = True) -> str:
        """Spell ``ids`` (unknown ids are skipped, as Hugging Face does) and run the decoder."""
        table = self.table.spellings
        special = self.added.special_ids() if skip_special_tokens else frozenset()
        tokens = [table[i] for i in np.asarray(ids, dtype=np.int64).ravel().tolist()
                  if 0 <= i < len(table) and table[i] is not None and i not in special]  # fmt: skip
        if self.decoder is None:
            return " ".join(tokens)
        return self.decoder.decode(tokens)

    # ----------------------------------------------------------------- the Engine interface (engines/protocol.py)
    @property
    def special_tokens(self) -> Mapping[str, int]:
        """Special token text -> id (the added tokens marked special)."""
        return MappingProxyType({t.content: t.id for t in self.added.tokens if t.special})

    def encode_one(self, text: str, pair: str | None, add_special_tokens: bool, allow: frozenset[str]) -> Encoding:
        """Encode a text or pair, splitting out the non-special added tokens and the special ones in ``allow``."""
        return self.encode([(text, pair)], add_special_tokens=add_special_tokens, added=self.added.allowing(allow))[0]

    def encode_plain(self, text: str) -> Encoding:
        """Encode ``text`` without special tokens, special-token text read as text."""
        return self.encode_one(text, None, False, frozenset())

    def encode_many(
        self,
        texts: list[str],
        pairs: list[str | None] | None,
        add_special_tokens: bool,
        allow: frozenset[str],
        threads: int,
    ) -> EncodingBatch:
        """:meth:`encode_batch` with the added tokens that ``allow`` lets through."""
        added = self.added.allowing(allow)
        if pairs is None:
            return self._batch(None, texts, add_special_tokens, threads, added)
        items = list(zip(texts, pairs, strict=True))
        return self.encode_batch(items, add_special_tokens=add_special_tokens, num_threads=threads, added=added)

    def decode_ids(self, ids: np.ndarray, skip_special_tokens: bool | None, errors: str) -> str:
        """:meth:`decode`; Hugging Face drops special tokens unless ``skip_special_tokens=False``.

        Ids without a token are skipped, as Hugging Face does; ids outside 32 bits raise.
        """
        if len(ids) and (ids.min() < 0 or ids.max() >= ID_LIMIT):
            check_id(next(int(i) for i in ids.tolist() if not 0 <= i < ID_LIMIT))  # raises
        return self.decode(ids, skip_special_tokens=skip_special_tokens is not False)

    def decode_bytes(self, ids: np.ndarray) -> bytes:
        """The UTF-8 of the decoded text, special tokens kept."""
        return self.decode_ids(ids, False, "strict").encode("utf-8", "surrogatepass")

    def bytes_to_id(self, data: bytes) -> int | None:
        """Refused: a pipeline's tokens are strings, not byte strings."""
        raise ConfigError("bytes_to_id works for tiktoken-style tokenizers only; this is a pipeline tokenizer")

    def offsets_of(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Refused: a pipeline's offsets come with its encodings."""
        raise ConfigError("offsets from ids work for tiktoken-style tokenizers only; this is a pipeline tokenizer")

    def with_options(self, **changes: Any) -> Pipeline:
        """A copy with ``padding`` or ``truncation`` changed."""
        return replace(self, **changes)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a Hugging Face ``tokenizer.json`` (atomic)."""
        save_pipeline_json(self, path)

    def describe(self, name: str) -> str:
        """The repr of a Tokenizer named ``name``."""
        return f"Tokenizer({name!r}, {self.model.kind}, {self.vocab_size} ids, {len(self.added.tokens)} added tokens)"
