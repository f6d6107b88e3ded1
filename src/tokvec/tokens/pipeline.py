"""Tokenizer: one class, two engines behind the same interface, immutable once built.

- **byte-level (tiktoken) engine**: a split pattern (numba scanner) + a byte-level BPE model +
  special tokens with tiktoken's allowed/disallowed rules. Used for tiktoken rank files, Llama-3 and
  GPT-2 ``vocab.json``/``merges.txt``; offsets follow from the ids; ``encode_ordinary``; threads in ``encode_batch``.
- **pipeline engine** (:class:`tokvec.tokens.general.Pipeline`, set in ``pipeline``): Hugging Face's
  normalizer -> pre-tokenizer -> model -> post-processor with added tokens, pairs, truncation and
  padding; character offsets as HF's Python API gives them. Used for ``tokenizer.json``,
  ``vocab.txt`` and SentencePiece ``.model`` files.

``encode``, ``encode_batch``, ``encode_ordinary``, ``decode``, ``vocab_size``, ``id_to_token`` work on
both; pairs, ``add_special_tokens``, ``with_padding``/``with_truncation`` and ``save`` belong to the
pipeline engine.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputTypeError, TokvecError
from ..kernels.bpe import encode_docs, gather_bytes, token_offsets
from ..kernels.tables import bytes_lookup
from . import specials as sp
from .encoding import Encoding, EncodingBatch
from .models.bpe import BytePairModel
from .offset_units import clean_text, has_surrogates
from .pre_tokenizers import SplitPattern
from .token_ids import ID_LIMIT, as_id_array, byte_level_tables, check_id, first_bad_id
from .unicode import class_table
from .vocab_table import TokenTable

if TYPE_CHECKING:
    from .added import AddedVocabulary
    from .general import Pipeline
    from .padding import Padding, Truncation


def to_utf8(text: str) -> bytes:
    """Encode ``text`` as UTF-8; lone surrogates become U+FFFD, as tiktoken does."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")
    except AttributeError:
        raise InputTypeError(f"expected text (str), got {type(text).__name__}") from None


@dataclass(frozen=True, eq=False)
class Tokenizer:
    """A tokenizer (build with :func:`tokvec.load`); see the module docstring for its two engines."""

    name: str
    model: BytePairModel | Any
    pattern: SplitPattern | None = None
    special_tokens: Mapping[str, int] = field(default_factory=dict)
    pipeline: Pipeline | None = None
    _decode_tables: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)
    _special_of_id: dict[int, str] = field(init=False, repr=False)  # the special token an id decodes as
    _table: TokenTable = field(init=False, repr=False)  # what every Encoding spells its tokens from
    _preset: str | None = field(default=None, init=False, repr=False)  # set by load(): pickled by name (presets.py)

    def __post_init__(self) -> None:
        if self.pipeline is not None:
            specials = {t.content: t.id for t in self.pipeline.added.tokens if t.special}
            object.__setattr__(self, "special_tokens", MappingProxyType(specials))
            object.__setattr__(self, "_decode_tables", None)
            object.__setattr__(self, "_special_of_id", {})
            object.__setattr__(self, "_table", self.pipeline.table)
            return
        if self.pattern is None:
            raise TokvecError("a byte-level tokenizer needs a split pattern (or a pipeline)")
        object.__setattr__(self, "special_tokens", MappingProxyType(dict(self.special_tokens)))
        # subtle: special tokens may share an id with each other or with an ordinary token (tiktoken allows both)
        tables, special_of_id = byte_level_tables(self.model, self.special_tokens, self.name)
        object.__setattr__(self, "_decode_tables", tables)
        object.__setattr__(self, "_special_of_id", special_of_id)
        object.__setattr__(self, "_table", TokenTable.of_bytes(self.name, tables, special_of_id))

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
        """Encode ``text`` (and ``pair``, pipeline only).

        Special-token text follows tiktoken's rules on both engines (see the module docstring):
        disallowed text raises :class:`SpecialTokenError`. Pipeline engine: as Hugging Face's
        ``encode(text, pair, add_special_tokens=...)`` when ``allowed_special="all"``.
        """
        if self.pipeline is not None:
            _check_text(text)
            if pair is not None:
                _check_text(pair)
            added = self._added_for((text, pair), allowed_special, disallowed_special)
            return self.pipeline.encode([(text, pair)], add_special_tokens=add_special_tokens, added=added)[0]
        if pair is not None:
            raise TokvecError(f"{self.name} is a tiktoken-style tokenizer: it encodes one text, not pairs")
        _check_text(text)
        allow, deny = sp.resolve(self.special_tokens.keys(), allowed_special, disallowed_special)
        sp.check_disallowed(text, deny)
        return self._encode_with_specials(text, allow)

    def encode_ordinary(self, text: str) -> Encoding:
        """Encode ``text`` treating special-token text as ordinary text (fastest).

        Pipeline engine: no special tokens are added either (non-special added tokens are still split out).
        """
        if self.pipeline is not None:
            return self.encode(text, add_special_tokens=False, disallowed_special=())
        data, where = _utf8(text)
        buf = np.frombuffer(data, dtype=np.uint8)
        ids, _ = self._run(buf, np.array([0, len(data)], dtype=np.int64))
        return Encoding(ids, self._table, data=buf, where=where)

    def encode_batch(
        self,
        texts: Iterable[str] | Iterable[tuple[str, str]],
        *,
        num_threads: int | None = None,
        add_special_tokens: bool = True,
        allowed_special: sp.AllowedSpecial = frozenset(),
        disallowed_special: sp.AllowedSpecial = "all",
    ) -> EncodingBatch:
        """Encode many texts on ``num_threads`` threads (default: all cores); the GIL is released.

        Pipeline engine: items are texts or (text, pair) tuples; padding (the batch's longest, or a
        fixed length) and truncation as configured; one model call for the whole batch. Threads
        are used only on the fused paths (BERT, T5-style Unigram, SentencePiece) for single texts without padding
        or truncation; everything else runs on one thread.
        """
        texts = list(texts)
        if self.pipeline is not None:
            items = []
            for t in texts:
                if not isinstance(t, (tuple, list)):
                    _check_text(t)
                a, b = (t, None) if isinstance(t, str) else t
                _check_text(a)
                if b is not None:
                    _check_text(b)
                items.append((a, b))
            added = self._added_for([x for item in items for x in item], allowed_special, disallowed_special)
            threads = num_threads or os.cpu_count() or 1
            return self.pipeline.encode_batch(
                items, add_special_tokens=add_special_tokens, num_threads=threads, added=added
            )
        allow, deny = sp.resolve(self.special_tokens.keys(), allowed_special, disallowed_special)
        for t in texts:
            _check_text(t)
        sp.check_disallowed_all(texts, deny)
        allow_re = sp.special_regex(allow)
        with_specials = [k for k, t in enumerate(texts) if allow_re is not None and allow_re.search(t)]
        if has_surrogates(texts):  # subtle: a text whose surrogate pair joined needs its own map to the input's
            read = [_utf8(t) for t in texts]
            with_specials += [k for k, (_, w) in enumerate(read) if w is not None and k not in with_specials]
            datas = [d for d, _ in read]
        else:
            datas = [t.encode("utf-8") for t in texts]
        if with_specials:  # those texts alone take the slower path that splits at special tokens
            slow = set(with_specials)
            rest = [t for k, t in enumerate(texts) if k not in slow]
            fast = iter(self.encode_batch(rest, num_threads=num_threads, disallowed_special=()))
            encs = [self._encode_with_specials(t, allow) if k in slow else next(fast) for k, t in enumerate(texts)]
            return EncodingBatch.of(encs, self._table)
        lengths = np.fromiter((len(d) for d in datas), dtype=np.int64, count=len(datas))
        doc_bounds = np.zeros(len(datas) + 1, dtype=np.int64)
        np.cumsum(lengths, out=doc_bounds[1:])
        buf = np.frombuffer(b"".join(datas), dtype=np.uint8)
        threads = max(1, min(num_threads or os.cpu_count() or 1, len(datas)))
        if threads == 1:
            ids, counts = self._run(buf, doc_bounds)
        else:
            ids, counts = self._run_threads(buf, doc_bounds, threads)
        bounds = np.zeros(len(datas) + 1, dtype=np.int64)
        np.cumsum(counts, out=bounds[1:])
        return EncodingBatch.of_bytes(ids, bounds, self._table, buf, doc_bounds)

    def _added_for(
        self, texts: Iterable[str | None], allowed: sp.AllowedSpecial, disallowed: sp.AllowedSpecial
    ) -> AddedVocabulary:
        """Check ``texts`` for disallowed special-token text; return the added tokens to split out.

        subtle: like tiktoken, the check looks for the special token's text as typed; a special token
        that the file matches after normalization (``normalized: true``) is not looked for in other spellings.
        """
        allow, deny = sp.resolve(self.special_tokens.keys(), allowed, disallowed)
        sp.check_disallowed_all([t for t in texts if t is not None], deny)
        return self.pipeline.added.allowing(allow)

    def _run(self, buf: np.ndarray, doc_bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = self.model
        if self.pattern.grammar >= 0:
            pieces = doc_bounds[:1]
        else:
            pieces = _custom_bounds(self.pattern, buf, doc_bounds)
        ids, counts = encode_docs(
            buf, doc_bounds, class_table(), self.pattern.grammar, pieces,
            m.byte_ids, m.tok_bytes, m.tok_off, m.whole, m.pairs, m.whole_first,
        )  # fmt: skip
        ids.flags.writeable = False
        return ids, counts

    def _run_threads(self, buf: np.ndarray, doc_bounds: np.ndarray, threads: int):
        # split documents into 4 chunks per thread of about equal bytes (balances long documents)
        n_docs = len(doc_bounds) - 1
        targets = np.linspace(0, doc_bounds[-1], 4 * threads + 1)[1:-1]
        cuts = np.unique(np.concatenate([[0], np.searchsorted(doc_bounds, targets), [n_docs]]))
        with ThreadPoolExecutor(threads) as pool:
            parts = list(
                pool.map(lambda k: self._run(buf, doc_bounds[cuts[k] : cuts[k + 1] + 1]), range(len(cuts) - 1))
            )
        ids = np.concatenate([p[0] for p in parts])
        counts = np.concatenate([p[1] for p in parts])
        ids.flags.writeable = False
        return ids, counts

    def _encode_with_specials(self, text: str, allow: frozenset[str]) -> Encoding:
        pattern = sp.special_regex(allow)
        if pattern is None or pattern.search(text) is None:
            return self.encode_ordinary(text)
        parts: list[np.ndarray] = []
        spans: list[np.ndarray] = []
        pos = start = 0  # in characters and in bytes of text
        for m in pattern.finditer(text):
            e = self.encode_ordinary(text[pos : m.start()])
            end = start + (int(e.byte_offsets[-1, 1]) if len(e) else 0)  # the ordinary tokens tile their bytes
            after = end + len(m.group().encode("utf-8"))
            parts += [e.ids, np.array([self.special_tokens[m.group()]], dtype=np.int32)]
            spans += [e.byte_offsets + start, np.array([[end, after]], dtype=np.int64)]
            start, pos = after, m.end()
        e = self.encode_ordinary(text[pos:])
        parts.append(e.ids)
        spans.append(e.byte_offsets + start)
        ids = np.concatenate(parts)
        ids.flags.writeable = False
        data, where = _utf8(text)  # subtle: spans from the pieces, as a special id may decode as an ordinary token
        return Encoding(ids, self._table, data=np.frombuffer(data, dtype=np.uint8), where=where,
                        byte_offsets=_read_only(np.concatenate(spans)))  # fmt: skip

    # ----------------------------------------------------------------- decoding
    def decode_bytes(self, ids: Sequence[int] | np.ndarray | Encoding) -> bytes:
        """Return the bytes of ``ids`` joined (special tokens as their text)."""
        if self.pipeline is not None:
            return self.decode(ids, skip_special_tokens=False).encode("utf-8", "surrogatepass")
        arr = as_id_array(ids)
        tok_bytes, tok_off, present = self._decode_tables
        error = first_bad_id(arr, present, self.name)
        if error is not None:
            raise error
        return gather_bytes(arr, tok_bytes, tok_off).tobytes()

    def decode(
        self,
        ids: Sequence[int] | np.ndarray | Encoding,
        *,
        errors: str = "replace",
        skip_special_tokens: bool | None = None,
    ) -> str:
        """Return the text of ``ids``; bytes that are not valid UTF-8 become U+FFFD (``errors='replace'``).

        ``skip_special_tokens`` defaults to what the reference library does: tiktoken keeps special
        tokens, Hugging Face's ``decode`` drops them.
        """
        if self.pipeline is not None:
            arr = as_id_array(ids)  # unknown ids are skipped (as Hugging Face does); ids outside 32 bits raise
            if len(arr) and (arr.min() < 0 or arr.max() >= ID_LIMIT):
                check_id(next(int(i) for i in arr.tolist() if not 0 <= i < ID_LIMIT))  # raises
            return self.pipeline.decode(arr, skip_special_tokens=skip_special_tokens is not False)
        if skip_special_tokens:
            specials = set(self.special_tokens.values())
            arr = as_id_array(ids)
            ids = arr[~np.isin(arr, list(specials))] if specials else arr
        return self.decode_bytes(ids).decode("utf-8", errors)

    # ----------------------------------------------------------------- pipeline options
    def with_padding(self, padding: Padding | None) -> Tokenizer:
        """Return a copy that pads (``None``: no padding); pipeline tokenizers only."""
        return replace(self, pipeline=replace(self._need_pipeline("padding"), padding=padding))

    def with_truncation(self, truncation: Truncation | None) -> Tokenizer:
        """Return a copy that truncates (``None``: no truncation); pipeline tokenizers only."""
        return replace(self, pipeline=replace(self._need_pipeline("truncation"), truncation=truncation))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a Hugging Face ``tokenizer.json`` (atomic); pipeline tokenizers only."""
        from .formats.hf_json_writer import save_pipeline_json

        save_pipeline_json(self._need_pipeline("saving as tokenizer.json"), path)

    def _need_pipeline(self, what: str) -> Pipeline:
        if self.pipeline is None:
            raise TokvecError(
                f"{what} needs a pipeline tokenizer (tokenizer.json, vocab.txt, .model); {self.name} is tiktoken-style"
            )
        return self.pipeline

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token`` as the vocabulary spells it (``'Ġworld'``), or None (O(1))."""
        _check_text(token)
        if self.pipeline is not None:
            return self.pipeline.token_to_id(token)
        if token in self.special_tokens:
            return self.special_tokens[token]
        from .byte_level import str_to_bytes

        try:
            return self.bytes_to_id(str_to_bytes(token))
        except TokvecError:
            return None

    def bytes_to_id(self, data: bytes) -> int | None:
        """Return the id of the ordinary token whose bytes are ``data``, or None; tiktoken-style tokenizers only.

        O(1): a probe of the encoder's own hash table (no dictionary is built).
        """
        self._need_tiktoken("bytes_to_id")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InputTypeError(f"expected bytes, got {type(data).__name__}")
        if not data:
            return None
        m = self.model
        found = bytes_lookup(m.whole, m.tok_bytes, m.tok_off, np.frombuffer(data, dtype=np.uint8), 0, len(data))
        return int(found) if found >= 0 else None

    def offsets_of(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Return int64[T, 2] byte offsets of ``ids`` (texts start at ``bounds``), read-only."""
        self._need_tiktoken("offsets from ids")
        out = token_offsets(ids, self._decode_tables[1], bounds)
        out.flags.writeable = False
        return out

    # ----------------------------------------------------------------- vocabulary
    @property
    def vocab_size(self) -> int:
        """Number of ids, special tokens included (one more than the largest id)."""
        if self.pipeline is not None:
            return self.pipeline.vocab_size
        return len(self._decode_tables[2])

    def _need_tiktoken(self, what: str) -> None:
        if self.pipeline is not None:
            raise TokvecError(f"{what} works for tiktoken-style tokenizers only; {self.name} is a pipeline tokenizer")

    def token_bytes_list(self, ids: Iterable[int]) -> list[bytes]:
        """Return the bytes of every id (special tokens as their UTF-8 text; pipeline: each token decoded alone)."""
        return self._table.pieces(ids)

    def id_to_token(self, token_id: int) -> str:
        """Spell ``token_id`` as the vocabulary does (``'Ġworld'``; special tokens as their text)."""
        return self.id_to_token_list([token_id])[0]

    def id_to_token_list(self, ids: Iterable[int]) -> list[str]:
        """Spell every id of ``ids``."""
        return self._table.spell(ids)

    def __repr__(self) -> str:
        if self.pipeline is not None:
            return (
                f"Tokenizer({self.name!r}, {self.model.kind}, {self.vocab_size} ids,"
                f" {len(self.pipeline.added.tokens)} added tokens)"
            )
        return (
            f"Tokenizer({self.name!r}, {self.model.kind} BPE, {self.vocab_size} ids, pattern={self.pattern.name},"
            f" {len(self.special_tokens)} special tokens)"
        )


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise InputTypeError(f"expected text (str), got {type(text).__name__}")


def _custom_bounds(pattern: SplitPattern, buf: np.ndarray, doc_bounds: np.ndarray) -> np.ndarray:
    """Piece boundaries of every document for a custom (regex) pattern."""
    out = []
    for d in range(len(doc_bounds) - 1):
        lo, hi = int(doc_bounds[d]), int(doc_bounds[d + 1])
        out.append(pattern.bounds(buf[lo:hi].tobytes())[:-1] + lo)
    out.append(doc_bounds[-1:])
    return np.concatenate(out)


def _utf8(text: str) -> tuple[bytes, np.ndarray | None]:
    """The UTF-8 of ``text`` as every engine reads it (:func:`clean_text`) and where its characters came from."""
    try:
        return text.encode("utf-8"), None
    except UnicodeEncodeError:
        clean, where = clean_text(text)
        return clean.encode("utf-8"), where
    except AttributeError:
        raise InputTypeError(f"expected text (str), got {type(text).__name__}") from None


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a
