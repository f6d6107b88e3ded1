"""ByteLevelProcessing: no special tokens, the ByteLevel pre-tokenizer's offsets trimmed of spaces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..encoding import Encoding
from ..vocab_table import TokenTable
from .base import trim_byte_level_offsets


@dataclass(frozen=True)
class ByteLevelProcessing:
    """The ByteLevel post-processor: only trims offsets (``trim_offsets``)."""

    add_prefix_space: bool = True
    trim_offsets: bool = True
    use_regex: bool = True
    kind: ClassVar[str] = "ByteLevel"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ByteLevelProcessing:
        """Read the HF object."""
        return cls(bool(obj.get("add_prefix_space", True)), bool(obj.get("trim_offsets", True)),
                   bool(obj.get("use_regex", True)))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "add_prefix_space": self.add_prefix_space, "trim_offsets": self.trim_offsets,
                "use_regex": self.use_regex}  # fmt: skip

    def added_tokens(self, is_pair: bool) -> int:
        """Adds none."""
        return 0

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """Trim offsets."""
        if self.trim_offsets:
            return [trim_byte_level_offsets(e, self.add_prefix_space) for e in encs]
        return encs
