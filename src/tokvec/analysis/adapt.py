"""Ask any tokenizer the questions analysis needs, through the interface every tokvec tokenizer shares.

Two kinds of tokenizer reach this module: byte-level BPE with tiktoken semantics (gpt2, cl100k_base,
o200k_base, Llama-3: ``encode_ordinary``, ``decode_bytes``, byte offsets, special-token text refused
unless allowed) and pipeline tokenizers from tokenizer.json or SentencePiece files (normalizer,
pre-tokenizer, post-processor adding [CLS]/</s>, character offsets, ``<0xE4>`` byte-fallback pieces,
an unknown token). Both give ``encode(text) -> Encoding`` with ``ids``, ``tokens`` and ``offsets``,
``decode(ids)`` and ``encode_batch(texts)``; everything else is looked up defensively here, so the
rest of :mod:`tokvec.analysis` never branches on the class.

>>> import tokvec
>>> tok = tokvec.load("gpt2")
>>> [(v.text, v.kind) for v in token_views(tok, tok.encode("Hi 👋").ids)]
[('Hi', 'text'), (' �', 'partial'), ('�', 'partial')]
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..tokens.byte_level import char_to_byte

_BYTE_PIECE = re.compile(r"<0x[0-9A-Fa-f]{2}>")


@dataclass(frozen=True)
class TokenView:
    """One token as people read it.

    ``text`` is what the token decodes to on its own (special tokens as their text); ``kind`` is
    ``text``, ``special``, ``unknown``, ``byte`` (a byte-fallback piece such as ``<0xE4>``) or
    ``partial`` (byte-level bytes that are only part of a character; ``data`` holds them).
    """

    id: int
    token: str
    text: str
    kind: str
    data: bytes = b""


def is_byte_level(tok: Any) -> bool:
    """Tell whether ``tok`` has tiktoken semantics (byte offsets, ``decode_bytes``, ``encode_ordinary``)."""
    # subtle: one Tokenizer class serves both kinds; a pipeline tokenizer (character offsets) has a pipeline
    return hasattr(tok, "encode_ordinary") and hasattr(tok, "decode_bytes") and getattr(tok, "pipeline", None) is None


def name_of(tok: Any) -> str:
    """Return the tokenizer's name (its ``name`` attribute, else its class name)."""
    return str(getattr(tok, "name", None) or type(tok).__name__)


def special_ids(tok: Any) -> frozenset[int]:
    """Return the ids of the special tokens that ``tok`` knows of (an empty set when it says nothing)."""
    ids: set[int] = set()
    specials = getattr(tok, "special_tokens", None)
    if isinstance(specials, Mapping):
        ids.update(int(i) for i in specials.values() if isinstance(i, int | np.integer))
    for attr in ("all_special_ids", "special_ids"):
        value = getattr(tok, attr, None)
        if isinstance(value, Iterable) and not isinstance(value, str | bytes):
            ids.update(int(i) for i in value)
    for added in getattr(tok, "added_tokens", None) or ():
        if getattr(added, "special", False) and isinstance(getattr(added, "id", None), int):
            ids.add(added.id)
    return frozenset(ids)


def unknown_id(tok: Any) -> int | None:
    """Return the id of the unknown token ([UNK], <unk>), or None when ``tok`` has none (byte-level BPE)."""
    for obj in (tok, getattr(tok, "model", None)):
        if obj is None:
            continue
        for attr in ("unk_id", "unk_token_id"):
            value = getattr(obj, attr, None)
            if isinstance(value, int | np.integer) and value >= 0:
                return int(value)
        token = getattr(obj, "unk_token", None)
        if isinstance(token, str):
            for owner in (obj, tok):
                lookup = getattr(owner, "token_to_id", None)
                if callable(lookup) and (found := lookup(token)) is not None:
                    return int(found)
    return None


def vocab_size(tok: Any) -> int:
    """Return the number of ids of ``tok`` (``vocab_size`` attribute or ``get_vocab_size()``)."""
    size = getattr(tok, "vocab_size", None)
    if callable(size):
        size = size()
    if size is None and callable(getattr(tok, "get_vocab_size", None)):
        size = tok.get_vocab_size()
    return int(size or 0)


def _accepts(fn: Any, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def encode_shown(tok: Any, text: str) -> Any:
    """Encode ``text`` as a model would see it: with the special tokens its post-processor adds.

    Special-token text such as ``<|endoftext|>`` in the input is read as ordinary text.
    """
    if _accepts(tok.encode, "disallowed_special"):
        return tok.encode(text, disallowed_special=())
    return tok.encode(text)


def encode_plain_batch(tok: Any, texts: Sequence[str], *, num_threads: int | None = None) -> Any:
    """Encode ``texts`` counting only the text's own tokens: no [CLS]/</s> added, special-token text as text."""
    kwargs: dict[str, Any] = {}
    if _accepts(tok.encode_batch, "disallowed_special"):
        kwargs["disallowed_special"] = ()
    if _accepts(tok.encode_batch, "add_special_tokens"):
        kwargs["add_special_tokens"] = False
    if num_threads is not None and _accepts(tok.encode_batch, "num_threads"):
        kwargs["num_threads"] = num_threads
    return tok.encode_batch(list(texts), **kwargs)


def batch_lengths(batch: Any) -> np.ndarray:
    """Return int64[D], the number of tokens of each text of an encoded batch."""
    lengths = getattr(batch, "lengths", None)
    if callable(lengths):
        return np.asarray(lengths(), dtype=np.int64)
    return np.fromiter((len(e.ids) for e in batch), dtype=np.int64)


def batch_ids(batch: Any) -> np.ndarray:
    """Return int64[T], the ids of every text of an encoded batch, concatenated."""
    ids = getattr(batch, "ids", None)
    if isinstance(ids, np.ndarray) and ids.ndim == 1:
        return ids.astype(np.int64, copy=False)
    parts = [np.asarray(e.ids, dtype=np.int64) for e in batch]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def decode_one(tok: Any, token_id: int) -> str:
    """Decode one id on its own, special tokens kept (``skip_special_tokens=False`` where it exists)."""
    if _accepts(tok.decode, "skip_special_tokens"):
        return tok.decode([token_id], skip_special_tokens=False)
    return tok.decode([token_id])


def token_views(tok: Any, ids: Sequence[int] | np.ndarray, tokens: Sequence[str] | None = None) -> list[TokenView]:
    """Describe each token of ``ids``: its vocabulary spelling, what it decodes to, and its kind."""
    values = [int(i) for i in np.asarray(ids).tolist()]
    if tokens is None:
        tokens = _spell(tok, values)
    specials = special_ids(tok)
    unk = unknown_id(tok)
    byte_level = is_byte_level(tok)
    cache: dict[tuple[int, str], TokenView] = {}
    out = []
    for i, token in zip(values, tokens, strict=True):
        key = (i, token)  # subtle: an unknown token may be spelled as the text it replaced
        if key not in cache:
            cache[key] = _view(tok, i, token, specials, unk, byte_level)
        out.append(cache[key])
    return out


def _view(tok: Any, i: int, token: str, specials: frozenset[int], unk: int | None, byte_level: bool) -> TokenView:
    if i == unk:  # before specials: <unk> is often also a special token
        return TokenView(i, token, token, "unknown")
    if i in specials:
        return TokenView(i, token, token, "special")
    if byte_level:
        data = tok.decode_bytes([i])
        try:
            return TokenView(i, token, data.decode("utf-8"), "text")
        except UnicodeDecodeError:
            # subtle: the text has U+FFFD as the reference libraries decode it; the bytes are kept for views
            return TokenView(i, token, data.decode("utf-8", "replace"), "partial", data)
    if _BYTE_PIECE.fullmatch(token):
        return TokenView(i, token, decode_one(tok, i), "byte", bytes([int(token[3:5], 16)]))
    text = decode_one(tok, i)
    if "\ufffd" in text:
        table = char_to_byte()
        if all(ch in table for ch in token):  # a byte-level BPE behind a pipeline (roberta): Ġ-spelled bytes
            data = bytes(table[ch] for ch in token)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return TokenView(i, token, text, "partial", data)
    return TokenView(i, token, text, "text")


def _spell(tok: Any, ids: list[int]) -> list[str]:
    spell = getattr(tok, "id_to_token_list", None)
    if callable(spell):
        return list(spell(ids))
    one = getattr(tok, "id_to_token", None)
    return [str(one(i)) if callable(one) else str(i) for i in ids]
