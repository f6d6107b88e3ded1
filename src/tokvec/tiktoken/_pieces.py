"""The parts of tiktoken's API that look at the last piece of a text: ``_encode_bytes`` and ``encode_with_unstable``.

Both follow tiktoken's own rules (its ``src/lib.rs``): the tokens of the last regex piece (grown
backwards over whitespace-only tokens, since ``\\s*[\\r\\n]`` splits are unstable) may change when
more text follows; ``_encode_bytes`` re-encodes them together with the trailing bytes that are
not UTF-8, and ``encode_with_unstable`` lists every token sequence that could continue them.

>>> from tokvec.tiktoken import get_encoding
>>> enc = get_encoding("cl100k_base")
>>> enc._encode_bytes(b" \\xec\\x8b\\xa4\\xed")
[62085]
>>> stable, completions = enc.encode_with_unstable("hello fanta")
>>> stable, [282, 8424] in completions
([15339], True)
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..kernels.bpe import encode_docs
from ..tokens import specials as sp
from ..tokens.added import is_white_space
from ..tokens.engines.byte_level import to_utf8
from ..tokens.tokenizer import Tokenizer
from ..tokens.unicode import class_table


class Encoding(Protocol):
    """What these functions use of a :class:`tokvec.tiktoken.Encoding` (a Protocol: core imports this module)."""

    tokenizer: Tokenizer

    @property
    def _mergeable_ranks(self) -> dict[bytes, int]: ...
    @property
    def _sorted_token_bytes(self) -> list[bytes]: ...
    def encode_ordinary(self, text: str) -> list[int]: ...
    def decode_bytes(self, tokens: Sequence[int]) -> bytes: ...


_SPACE = frozenset(b" \n\t")


def byte_pair_encode(tok: Tokenizer, data: bytes, *, whole_first: bool) -> list[int]:
    """Merge the bytes of ``data`` as one piece (no regex split); ``whole_first``: a piece that is a token stays one."""
    if not data:
        return []
    m = tok.model
    buf = np.frombuffer(data, dtype=np.uint8)
    bounds = np.array([0, len(buf)], dtype=np.int64)
    ids, _ = encode_docs(buf, bounds, class_table(), -1, bounds, m.byte_ids, m.tok_bytes, m.tok_off, m.whole,
                         m.pairs, whole_first)  # fmt: skip
    return ids.tolist()


def encode_tracking_last(enc: Encoding, text: str, allow: frozenset[str]) -> tuple[list[int], int]:
    """Return the tokens of ``text`` and how many of them the last regex piece gave (0 after a special token)."""
    tok = enc.tokenizer
    tokens = tok.encode(text, allowed_special=allow, disallowed_special=()).ids.tolist()
    tail = text
    pattern = sp.special_regex(allow)
    if pattern is not None:
        for match in pattern.finditer(text):
            tail = text[match.end() :]
    data = to_utf8(tail)
    if not data:
        return tokens, 0
    bounds = tok.pattern.bounds(data)
    remaining = int(bounds[-1] - bounds[-2])
    count = 0
    tok_off = tok.engine.decode_tables[1]
    while remaining > 0:
        count += 1
        t = tokens[-count]
        remaining -= int(tok_off[t + 1] - tok_off[t])
    return tokens, count


def _all_space(enc: Encoding, token: int) -> bool:
    m = enc.tokenizer.model
    if token >= m.vocab_size or not m.present[token]:
        return False  # special tokens are never whitespace here (tiktoken looks in its ordinary decoder only)
    return all(b in _SPACE for b in m.token_bytes(token))


def _grow_over_space(enc: Encoding, tokens: list[int], last: int) -> int:
    if last > 0 and _all_space(enc, tokens[-last]):
        while last < len(tokens) and _all_space(enc, tokens[-last - 1]):
            last += 1
    return last


def encode_bytes(enc: Encoding, data: bytes) -> list[int]:
    """Encode bytes that may end in (or hold) bytes that are not UTF-8, as tiktoken's ``_encode_bytes``."""
    try:
        return enc.encode_ordinary(bytes(data).decode("utf-8"))
    except UnicodeDecodeError as e:
        valid = e.start
    tokens, last = encode_tracking_last(enc, data[:valid].decode("utf-8"), frozenset())
    last = _grow_over_space(enc, tokens, last)
    if tokens and last > 0:
        unstable = enc.decode_bytes(tokens[-last:]) + data[valid:]
        del tokens[-last:]
    else:
        unstable = bytes(data[valid:])
    if unstable:
        found = enc.tokenizer.bytes_to_id(unstable)
        tokens += [found] if found is not None else byte_pair_encode(enc.tokenizer, unstable, whole_first=False)
    return tokens


def _last_char(data: bytes) -> tuple[str | None, int]:
    for size in range(1, min(4, len(data)) + 1):
        try:
            return data[-size:].decode("utf-8"), size
        except UnicodeDecodeError:
            continue
    return None, 1


def encode_with_unstable(enc: Encoding, text: str, allow: frozenset[str]) -> tuple[list[int], list[list[int]]]:
    """Return (stable tokens, completions) as tiktoken's ``encode_with_unstable`` (completions sorted)."""
    tokens, last = encode_tracking_last(enc, text, allow)
    if last == 0:
        return tokens, []
    last = _grow_over_space(enc, tokens, last)
    unstable = enc.decode_bytes(tokens[-last:])
    del tokens[-last:]
    if not unstable:
        return tokens, []
    ranks = enc._mergeable_ranks
    ordered = enc._sorted_token_bytes
    lengths = enc.tokenizer.engine.decode_tables[1]
    completions: set[tuple[int, ...]] = set()
    k = bisect.bisect_left(ordered, unstable)
    while k < len(ordered) and ordered[k].startswith(unstable):
        completions.add((ranks[ordered[k]],))
        k += 1
    texts: list[str] = []  # possibilities that are UTF-8 go through the regex split, in one batch
    encoded: list[list[int]] = []
    for i in range(1, len(unstable)):
        prefix, suffix = unstable[:i], unstable[i:]
        k = bisect.bisect_left(ordered, suffix)
        while k < len(ordered) and ordered[k].startswith(suffix):
            possibility = prefix + ordered[k]
            try:
                texts.append(possibility.decode("utf-8"))
            except UnicodeDecodeError:
                encoded.append(byte_pair_encode(enc.tokenizer, possibility, whole_first=False))
            k += 1
    if texts:  # performance notes: one batch instead of a call per text made "  \n\t " 20x faster
        encoded += enc.tokenizer.encode_batch(texts, num_threads=1, disallowed_special=()).tolist()
    for ids in encoded:
        seq: list[int] = []
        covered = 0
        for t in ids:
            seq.append(t)
            covered += int(lengths[t + 1] - lengths[t])
            if covered >= len(unstable):
                break
        completions.add(tuple(seq))
    if len(unstable) > 1:
        char, size = _last_char(unstable)
        if len(unstable) - size > 0 and char is not None and is_white_space(char):
            again = byte_pair_encode(enc.tokenizer, unstable[:-size], whole_first=False)
            again += byte_pair_encode(enc.tokenizer, unstable[-size:], whole_first=False)
            completions.add(tuple(again))
    return tokens, [list(c) for c in sorted(completions)]
