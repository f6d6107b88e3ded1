"""Padding and truncation of encodings, and the merging of encodings, with Hugging Face's semantics.

>>> Padding(direction="left", pad_to_multiple_of=8).to_json()["strategy"]
'BatchLongest'
>>> Truncation(max_length=128).to_json()["strategy"]
'LongestFirst'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import ConfigError, FormatError
from ..encoding import Encoding, cut, joined
from ..vocab_table import TokenTable

_DIRECTIONS = ("right", "left")
_STRATEGIES = {"longest_first": "LongestFirst", "only_first": "OnlyFirst", "only_second": "OnlySecond"}


@dataclass(frozen=True)
class Padding:
    """Pad to ``length`` tokens, or (``length=None``) to the longest encoding of the batch."""

    direction: str = "right"
    length: int | None = None
    pad_to_multiple_of: int | None = None
    pad_id: int = 0
    pad_type_id: int = 0
    pad_token: str = "[PAD]"

    def __post_init__(self) -> None:
        if self.direction not in _DIRECTIONS:
            raise ConfigError(f"padding direction {self.direction!r}: use 'right' or 'left'")
        if self.length is not None and self.length < 0:
            raise ConfigError(f"padding length {self.length} is negative")

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Padding:
        """Read the ``padding`` object of a tokenizer.json."""
        strategy = obj.get("strategy", "BatchLongest")
        length = strategy.get("Fixed") if isinstance(strategy, dict) else None
        try:
            return cls(
                direction=str(obj.get("direction", "Right")).lower(), length=length,
                pad_to_multiple_of=obj.get("pad_to_multiple_of"), pad_id=int(obj.get("pad_id", 0)),
                pad_type_id=int(obj.get("pad_type_id", 0)), pad_token=obj.get("pad_token", "[PAD]"),
            )  # fmt: skip
        except ConfigError as e:  # a file's value, not the caller's option
            raise FormatError(f"tokenizer.json 'padding': {e}") from None

    def to_json(self) -> dict[str, Any]:
        """Write the ``padding`` object."""
        return {
            "strategy": "BatchLongest" if self.length is None else {"Fixed": self.length},
            "direction": self.direction.capitalize(), "pad_to_multiple_of": self.pad_to_multiple_of,
            "pad_id": self.pad_id, "pad_type_id": self.pad_type_id, "pad_token": self.pad_token,
        }  # fmt: skip


@dataclass(frozen=True)
class Truncation:
    """Cut encodings to ``max_length`` tokens (special tokens included); ``stride`` overlaps the windows."""

    max_length: int = 512
    stride: int = 0
    strategy: str = "longest_first"
    direction: str = "right"

    def __post_init__(self) -> None:
        if self.strategy not in _STRATEGIES:
            raise ConfigError(f"truncation strategy {self.strategy!r}: use one of {', '.join(_STRATEGIES)}")
        if self.direction not in _DIRECTIONS:
            raise ConfigError(f"truncation direction {self.direction!r}: use 'right' or 'left'")
        if self.max_length < 0 or self.stride < 0:
            raise ConfigError("truncation max_length and stride must not be negative")

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Truncation:
        """Read the ``truncation`` object of a tokenizer.json."""
        names = {v: k for k, v in _STRATEGIES.items()}
        strategy = obj.get("strategy", "LongestFirst")
        if strategy not in names:
            raise FormatError(f"truncation strategy {strategy!r}: expected one of {', '.join(names)}")
        try:
            return cls(int(obj["max_length"]), int(obj.get("stride", 0)), names[strategy],
                       str(obj.get("direction", "Right")).lower())  # fmt: skip
        except ConfigError as e:  # a file's value, not the caller's option
            raise FormatError(f"tokenizer.json 'truncation': {e}") from None

    def to_json(self) -> dict[str, Any]:
        """Write the ``truncation`` object."""
        return {"direction": self.direction.capitalize(), "max_length": self.max_length,
                "strategy": _STRATEGIES[self.strategy], "stride": self.stride}  # fmt: skip


def _cut(e: Encoding, a: int, b: int, overflowing: list[Encoding] | tuple[Encoding, ...] = ()) -> Encoding:
    return cut(e, a, b, overflowing)


def truncate(e: Encoding, max_length: int, stride: int, direction: str) -> Encoding:
    """Keep ``max_length`` tokens; the rest become ``overflowing`` windows that overlap by ``stride``."""
    n = len(e)
    if max_length >= n:
        return e
    if max_length == 0:
        return _cut(e, 0, 0, [e])
    if stride >= max_length:
        raise ConfigError(
            f"truncation stride {stride} must be less than the length {max_length} left for the text"
            " (max_length minus the special tokens the template adds)"
        )
    step = max_length - stride
    ranges = []
    if direction == "right":
        for start in range(0, n, step):
            stop = min(start + max_length, n)
            ranges.append((start, stop))
            if stop == n:
                break
    else:
        for last in range(n - 1, -1, -step):
            stop = last + 1
            start = max(0, stop - max_length)
            ranges.append((start, stop))
            if start == 0:
                break
    return _cut(e, *ranges[0], [_cut(e, a, b) for a, b in ranges[1:]])


def truncate_pair(a: Encoding, b: Encoding | None, t: Truncation, n_added: int) -> tuple[Encoding, Encoding | None]:
    """Truncate one text or a pair to ``t.max_length - n_added`` tokens as Hugging Face does."""
    max_length = max(t.max_length - n_added, 0)
    if max_length == 0:
        return truncate(a, 0, t.stride, t.direction), None if b is None else truncate(b, 0, t.stride, t.direction)
    total = len(a) + (len(b) if b is not None else 0)
    if total <= max_length:
        return a, b
    to_remove = total - max_length
    if t.strategy == "longest_first":
        if b is None:
            return truncate(a, total - to_remove, t.stride, t.direction), None
        n1, n2 = len(a), len(b)
        swap = n1 > n2
        if swap:
            n1, n2 = n2, n1
        n2 = n1 if n1 > max_length else max(n1, max_length - n1)
        if n1 + n2 > max_length:
            n1 = max_length // 2
            n2 = n1 + max_length % 2
        if swap:
            n1, n2 = n2, n1
        return truncate(a, n1, t.stride, t.direction), truncate(b, n2, t.stride, t.direction)
    if t.strategy == "only_second" and b is None:
        raise ConfigError("truncation strategy only_second needs a pair of texts")
    target = a if t.strategy == "only_first" else b
    assert target is not None
    if len(target) <= to_remove:
        raise ConfigError(
            f"cannot truncate with {t.strategy}: the sequence has {len(target)} tokens but {to_remove} must go;"
            " use strategy='longest_first' or a larger max_length"
        )
    cut = truncate(target, len(target) - to_remove, t.stride, t.direction)
    return (cut, b) if t.strategy == "only_first" else (a, cut)


def concat(parts: list[Encoding], table: TokenTable) -> Encoding:
    """Join encodings end to end, ignoring their overflowing windows."""
    return joined(parts, table)


def merge(parts: list[Encoding], table: TokenTable) -> Encoding:
    """Join ``parts`` as Hugging Face's ``Encoding.merge`` does, overflowing windows included."""
    if not any(p.overflowing for p in parts):  # performance notes: one concatenation, not one per part
        return joined(parts, table)
    result = concat([], table)
    for p in parts:
        result = _merge_with(result, p, table)
    return result


def _merge_with(a: Encoding, b: Encoding, table: TokenTable) -> Encoding:
    over = []
    for ao in a.overflowing:
        over.append(_merge_with(ao, b, table))
        over.extend(_merge_with(ao, bo, table) for bo in b.overflowing)
    over.extend(_merge_with(a, bo, table) for bo in b.overflowing)
    return joined([a, b], table, over)


def pad(e: Encoding, length: int, p: Padding) -> Encoding:
    """Pad ``e`` (and its overflowing windows) to ``length`` tokens.

    subtle: padding tokens are spelled ``pad_token`` whatever ``pad_id`` spells (as Hugging Face does).
    """
    over = [pad(o, length, p) for o in e.overflowing]
    n = len(e)
    if n >= length:
        return _cut(e, 0, n, over) if over else e
    k = length - n
    filler = Encoding(
        np.full(k, p.pad_id, np.int32), e.table, tokens=[p.pad_token] * k, offsets=np.zeros((k, 2), np.int64),
        type_ids=np.full(k, p.pad_type_id, np.int32), words=np.full(k, -1, np.int64),
        special_tokens_mask=np.ones(k, np.int8), attention_mask=np.zeros(k, np.int8),
    )  # fmt: skip
    return joined([filler, e] if p.direction == "left" else [e, filler], e.table, over)


def pad_batch(encs: list[Encoding], p: Padding) -> list[Encoding]:
    """Pad every encoding to the padding's length (or the batch's longest), rounded up to the multiple."""
    if not encs:
        return encs
    length = p.length if p.length is not None else max(len(e) for e in encs)
    m = p.pad_to_multiple_of
    if m and length % m:
        length += m - length % m
    return [pad(e, length, p) for e in encs]
