"""BertProcessing (``[CLS] A [SEP] B [SEP]``) and RobertaProcessing (``<s> A </s></s> B </s>``, offsets trimmed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..encoding import Encoding, replaced
from ..vocab_table import TokenTable
from .base import special_encoding, token_and_id, trim_byte_level_offsets, zero_types
from .padding import merge


@dataclass(frozen=True)
class BertProcessing:
    """``[CLS] A [SEP]`` and ``[CLS] A [SEP] B [SEP]`` (type ids 0 then 1)."""

    sep: tuple[str, int]
    cls: tuple[str, int]
    kind: ClassVar[str] = "BertProcessing"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> BertProcessing:
        """Read the HF object."""
        return cls(token_and_id(obj["sep"], "sep"), token_and_id(obj["cls"], "cls"))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "sep": list(self.sep), "cls": list(self.cls)}

    def added_tokens(self, is_pair: bool) -> int:
        """Number of tokens added."""
        return 3 if is_pair else 2

    def _wrap(self, e: Encoding, first: bool, table: TokenTable, pair_type: int) -> Encoding:
        inner = replaced(e, special_tokens_mask=np.zeros(len(e), np.int8), overflowing=())
        parts = [inner, special_encoding([self.sep[1]], [self.sep[0]], pair_type, table)]
        if first:
            parts.insert(0, special_encoding([self.cls[1]], [self.cls[0]], 0, table))
        over = [self._wrap(o, first, table, pair_type) for o in e.overflowing]
        return replaced(merge(parts, table), overflowing=over)

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """Add [CLS] and [SEP]."""
        if not add_special_tokens:
            return encs
        return [self._wrap(e, i == 0, table, 0 if i == 0 else 1) for i, e in enumerate(encs)]


@dataclass(frozen=True)
class RobertaProcessing:
    """``<s> A </s>`` and ``<s> A </s></s> B </s>``; ``trim_offsets`` as the ByteLevel processor."""

    sep: tuple[str, int]
    cls: tuple[str, int]
    trim_offsets: bool = True
    add_prefix_space: bool = True
    kind: ClassVar[str] = "RobertaProcessing"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> RobertaProcessing:
        """Read the HF object."""
        sep, cls_ = token_and_id(obj["sep"], "sep"), token_and_id(obj["cls"], "cls")
        return cls(sep, cls_, bool(obj.get("trim_offsets", True)), bool(obj.get("add_prefix_space", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "sep": list(self.sep), "cls": list(self.cls), "trim_offsets": self.trim_offsets,
                "add_prefix_space": self.add_prefix_space}  # fmt: skip

    def added_tokens(self, is_pair: bool) -> int:
        """Number of tokens added."""
        return 4 if is_pair else 2

    def _wrap(self, e: Encoding, first: bool, table: TokenTable) -> Encoding:
        left = self.cls if first else self.sep
        inner = replaced(e, special_tokens_mask=np.zeros(len(e), np.int8), overflowing=())
        parts = [
            special_encoding([left[1]], [left[0]], 0, table),
            inner,
            special_encoding([self.sep[1]], [self.sep[0]], 0, table),
        ]
        out = merge(parts, table)
        over = [self._wrap(o, first, table) for o in e.overflowing]
        return replaced(out, type_ids=np.zeros(len(out), np.int32), overflowing=over)

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """Trim offsets, then add <s> and </s>."""
        if self.trim_offsets:
            encs = [trim_byte_level_offsets(e, self.add_prefix_space) for e in encs]
        if not add_special_tokens:  # subtle: HF still gives the second text type id 0 here
            return [zero_types(e) for e in encs]
        return [self._wrap(e, i == 0, table) for i, e in enumerate(encs)]
