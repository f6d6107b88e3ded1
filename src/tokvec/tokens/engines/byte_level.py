"""The byte-level (tiktoken) engine: a split pattern scanned by a numba kernel, then byte-level BPE.

Used for tiktoken rank files, Llama-3 and GPT-2 ``vocab.json`` + ``merges.txt``. Its tokens tile the UTF-8
of the text, so an :class:`~tokvec.tokens.encoding.Encoding` keeps the ids and the bytes, and offsets follow
from the ids when read. Special tokens that the Tokenizer lets through (``allow``) are cut out of the text
first; the pieces between them are encoded as ordinary text. ``encode_many`` cuts the batch into chunks of
about equal bytes, one kernel call per chunk, on threads (the kernel releases the GIL).

>>> import tokvec
>>> engine = tokvec.load("cl100k_base").engine
>>> engine.encode_plain("hello <|endoftext|>").ids.tolist()
[15339, 83739, 8862, 728, 428, 91, 29]
>>> engine.encode_one("hello <|endoftext|>", None, True, frozenset({"<|endoftext|>"})).ids.tolist()
[15339, 220, 100257]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ...errors import ConfigError, InputTypeError, TokvecError
from ...kernels.bpe import encode_docs_into, gather_bytes, scratch_sizes, token_offsets
from ...kernels.tables import bytes_lookup
from .. import specials as sp
from ..byte_level import str_to_bytes
from ..encoding import Encoding
from ..encoding_batch import EncodingBatch
from ..models.bpe import BytePairModel
from ..offset_units import clean_text, frozen, has_surrogates
from ..pre_tokenizers import SplitPattern
from ..token_ids import byte_level_tables, first_bad_id
from ..unicode import class_table
from ..utf8_view import utf8_of
from ..vocab_table import TokenTable


def to_utf8(text: str) -> bytes:
    """Encode ``text`` as UTF-8; lone surrogates become U+FFFD, as tiktoken does."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")
    except AttributeError:
        raise InputTypeError(f"expected text (str), got {type(text).__name__}") from None


@dataclass(frozen=True, eq=False)
class ByteLevelEngine:
    """A split pattern + a byte-level BPE model + special tokens (tiktoken's rules); see the module docstring."""

    name: str
    model: BytePairModel
    pattern: SplitPattern
    specials: Mapping[str, int]
    #: (token bytes, their offsets, which ids exist): what decoding reads
    decode_tables: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)
    table: TokenTable = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.pattern is None:
            raise ConfigError("a byte-level tokenizer needs a split pattern (or a pipeline)")
        object.__setattr__(self, "specials", MappingProxyType(dict(self.specials)))
        # subtle: special tokens may share an id with each other or with an ordinary token (tiktoken allows both)
        tables, special_of_id = byte_level_tables(self.model, self.specials, self.name)
        object.__setattr__(self, "decode_tables", tables)
        object.__setattr__(self, "table", TokenTable.of_bytes(self.name, tables, special_of_id))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["specials"] = dict(self.specials)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["specials"] = MappingProxyType(state["specials"])
        self.__dict__.update(state)

    @property
    def special_tokens(self) -> Mapping[str, int]:
        """Special token text -> id."""
        return self.specials

    @property
    def vocab_size(self) -> int:
        """Number of ids, special tokens included (one more than the largest id)."""
        return len(self.decode_tables[2])

    # ----------------------------------------------------------------- encoding
    def encode_one(self, text: str, pair: str | None, add_special_tokens: bool, allow: frozenset[str]) -> Encoding:
        """Encode ``text``, splitting out the special tokens in ``allow`` (``add_special_tokens``: none to add)."""
        if pair is not None:
            raise self._no_pairs()
        pattern = sp.special_regex(allow)
        if pattern is None or pattern.search(text) is None:
            return self.encode_plain(text)
        parts: list[np.ndarray] = []
        spans: list[np.ndarray] = []
        pos = start = 0  # in characters and in bytes of text
        for m in pattern.finditer(text):
            e = self.encode_plain(text[pos : m.start()])
            end = start + (int(e.byte_offsets[-1, 1]) if len(e) else 0)  # the ordinary tokens tile their bytes
            after = end + len(m.group().encode("utf-8"))
            parts += [e.ids, np.array([self.specials[m.group()]], dtype=np.int32)]
            spans += [e.byte_offsets + start, np.array([[end, after]], dtype=np.int64)]
            start, pos = after, m.end()
        e = self.encode_plain(text[pos:])
        parts.append(e.ids)
        spans.append(e.byte_offsets + start)
        ids = frozen(np.concatenate(parts))
        data, where = _utf8(text)  # subtle: spans from the pieces, as a special id may decode as an ordinary token
        return Encoding(ids, self.table, data=np.frombuffer(data, dtype=np.uint8), where=where,
                        byte_offsets=frozen(np.concatenate(spans)))  # fmt: skip

    def encode_plain(self, text: str) -> Encoding:
        """Encode ``text`` as ordinary text (special-token text included): one kernel call."""
        buf, where = _utf8_array(text)
        ids, _ = self._run(buf, np.array([0, len(buf)], dtype=np.int64))
        return Encoding(ids, self.table, data=buf, where=where)

    def encode_many(
        self,
        texts: list[str],
        pairs: list[str | None] | None,
        add_special_tokens: bool,
        allow: frozenset[str],
        threads: int,
    ) -> EncodingBatch:
        """Encode texts on up to ``threads`` threads; texts holding an allowed special token take ``encode_one``."""
        if pairs is not None and any(b is not None for b in pairs):
            raise self._no_pairs()
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
            fast = iter(self.encode_many(rest, None, False, frozenset(), threads))
            encs = [self.encode_one(t, None, False, allow) if k in slow else next(fast) for k, t in enumerate(texts)]
            return EncodingBatch.of(encs, self.table)
        lengths = np.fromiter((len(d) for d in datas), dtype=np.int64, count=len(datas))
        doc_bounds = np.zeros(len(datas) + 1, dtype=np.int64)
        np.cumsum(lengths, out=doc_bounds[1:])
        buf = np.frombuffer(b"".join(datas), dtype=np.uint8)
        threads = max(1, min(threads, len(datas)))
        if threads == 1:
            ids, counts = self._run(buf, doc_bounds)
        else:
            ids, counts = self._run_threads(buf, doc_bounds, threads)
        bounds = np.zeros(len(datas) + 1, dtype=np.int64)
        np.cumsum(counts, out=bounds[1:])
        return EncodingBatch.of_bytes(ids, bounds, self.table, buf, doc_bounds)

    def _run(self, buf: np.ndarray, doc_bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = self.model
        if self.pattern.grammar >= 0:
            pieces = doc_bounds[:1]
        else:
            pieces = _custom_bounds(self.pattern, buf, doc_bounds)
        # performance: numpy makes the scratch, on 2 MB pages from 4 MB on (numba's arrays get 4 KB pages)
        n_out, n_memo, n_ids, n_cache = scratch_sizes(int(doc_bounds[-1]) - int(doc_bounds[0]))
        ids, counts = encode_docs_into(
            buf, doc_bounds, class_table(), self.pattern.grammar, pieces,
            m.byte_ids, m.tok_bytes, m.tok_off, m.whole, m.pairs, m.whole_first, np.empty(n_out, np.int32),
            np.full(n_memo, -1, np.int64), np.empty(n_ids, np.int32), np.full(n_cache, -1, np.int64),
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

    # ----------------------------------------------------------------- decoding and the vocabulary
    def decode_bytes(self, ids: np.ndarray) -> bytes:
        """The bytes of ``ids`` joined (special tokens as their text); an id without a token raises."""
        tok_bytes, tok_off, present = self.decode_tables
        error = first_bad_id(ids, present, self.name)
        if error is not None:
            raise error
        return gather_bytes(ids, tok_bytes, tok_off).tobytes()

    def decode_ids(self, ids: np.ndarray, skip_special_tokens: bool | None, errors: str) -> str:
        """The text of ``ids``; tiktoken keeps special tokens unless ``skip_special_tokens``."""
        if skip_special_tokens and self.specials:
            ids = ids[~np.isin(ids, list(set(self.specials.values())))]
        return self.decode_bytes(ids).decode("utf-8", errors)

    def token_to_id(self, token: str) -> int | None:
        """The id of a special token's text or of an ordinary token spelled byte-level (``'Ġworld'``), or None."""
        if token in self.specials:
            return self.specials[token]
        try:
            return self.bytes_to_id(str_to_bytes(token))
        except TokvecError:
            return None

    def bytes_to_id(self, data: bytes) -> int | None:
        """O(1): a probe of the encoder's own hash table (no dictionary is built)."""
        if not data:
            return None
        m = self.model
        found = bytes_lookup(m.whole, m.tok_bytes, m.tok_off, np.frombuffer(data, dtype=np.uint8), 0, len(data))
        return int(found) if found >= 0 else None

    def offsets_of(self, ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Read-only int64[T, 2] byte offsets of ``ids`` (texts start at ``bounds``)."""
        return frozen(token_offsets(ids, self.decode_tables[1], bounds))

    def with_options(self, **changes: Any) -> ByteLevelEngine:
        """Refused: padding and truncation belong to pipeline tokenizers."""
        raise self._pipeline_only(" and ".join(changes))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Refused: a byte-level tokenizer is saved as a rank file (``save_tiktoken`` of a trained BPE)."""
        raise self._pipeline_only("saving as tokenizer.json")

    def describe(self, name: str) -> str:
        """The repr of a Tokenizer named ``name``."""
        return (
            f"Tokenizer({name!r}, {self.model.kind} BPE, {self.vocab_size} ids, pattern={self.pattern.name},"
            f" {len(self.specials)} special tokens)"
        )

    def _no_pairs(self) -> ConfigError:
        return ConfigError(f"{self.name} is a tiktoken-style tokenizer: it encodes one text, not pairs")

    def _pipeline_only(self, what: str) -> ConfigError:
        return ConfigError(
            f"{what} needs a pipeline tokenizer (tokenizer.json, vocab.txt, .model); {self.name} is tiktoken-style"
        )


def _custom_bounds(pattern: SplitPattern, buf: np.ndarray, doc_bounds: np.ndarray) -> np.ndarray:
    """Piece boundaries of every document for a custom (regex) pattern."""
    out = []
    for d in range(len(doc_bounds) - 1):
        lo, hi = int(doc_bounds[d]), int(doc_bounds[d + 1])
        out.append(pattern.bounds(buf[lo:hi].tobytes())[:-1] + lo)
    out.append(doc_bounds[-1:])
    return np.concatenate(out)


def _utf8_array(text: str) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`_utf8` as a read-only uint8 array: for long texts a view of the string's own UTF-8 (no copy)."""
    try:
        return utf8_of(text), None
    except UnicodeEncodeError:
        clean, where = clean_text(text)
        return utf8_of(clean), where
    except AttributeError:
        raise InputTypeError(f"expected text (str), got {type(text).__name__}") from None


def _utf8(text: str) -> tuple[bytes, np.ndarray | None]:
    """The UTF-8 of ``text`` as every engine reads it (:func:`clean_text`) and where its characters came from."""
    try:
        return text.encode("utf-8"), None
    except UnicodeEncodeError:
        clean, where = clean_text(text)
        return clean.encode("utf-8"), where
    except AttributeError:
        raise InputTypeError(f"expected text (str), got {type(text).__name__}") from None
