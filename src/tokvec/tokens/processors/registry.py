"""Every post-processor by its ``tokenizer.json`` type, ``SequenceProcessing``, and running one on an encoding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...errors import FormatError
from ..encoding import Encoding
from ..vocab_table import TokenTable
from .bert import BertProcessing, RobertaProcessing
from .byte_level import ByteLevelProcessing
from .padding import merge
from .template import TemplateProcessing


@dataclass(frozen=True)
class SequenceProcessing:
    """Run several post-processors one after the other."""

    processors: tuple[Any, ...]
    kind: ClassVar[str] = "Sequence"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> SequenceProcessing:
        """Read the HF object (children through :data:`PROCESSORS`)."""
        return cls(tuple(processor_from_json(p) for p in obj["processors"]))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "processors": [p.to_json() for p in self.processors]}

    def added_tokens(self, is_pair: bool) -> int:
        """Sum over the children."""
        return sum(p.added_tokens(is_pair) for p in self.processors)

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """Each child in turn."""
        for p in self.processors:
            encs = p.process_encodings(encs, add_special_tokens, table)
        return encs


PROCESSORS: dict[str, Any] = {
    c.kind: c for c in (TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevelProcessing, SequenceProcessing)
}


def processor_from_json(obj: dict[str, Any]) -> Any:
    """Build a post-processor from its HF object."""
    kind = obj.get("type")
    if kind not in PROCESSORS:
        raise FormatError(f"unknown post_processor type {kind!r} (known: {', '.join(PROCESSORS)})")
    return PROCESSORS[kind].from_json(obj)


def post_process(
    processor: Any, a: Encoding, b: Encoding | None, add_special_tokens: bool, table: TokenTable
) -> Encoding:
    """Run ``processor`` (or none) on one text or a pair and merge the result into one encoding."""
    encs = [a] if b is None else [a, b]
    if processor is not None:
        encs = processor.process_encodings(encs, add_special_tokens, table)
    return merge(encs, table)


def trims_offsets(processor: Any) -> bool:
    """True when ``processor`` (or one of a Sequence's) trims ByteLevel offsets (its table needs space counts)."""
    if isinstance(processor, SequenceProcessing):
        return any(trims_offsets(p) for p in processor.processors)
    return isinstance(processor, (RobertaProcessing, ByteLevelProcessing)) and processor.trim_offsets
