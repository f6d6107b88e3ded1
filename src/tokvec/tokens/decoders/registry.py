"""Every decoder by its ``tokenizer.json`` type, and ``Sequence``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...errors import FormatError
from .base import Decoder
from .byte_level import ByteFallback, ByteLevel
from .metaspace import Metaspace
from .text import Fuse, Replace, Strip
from .wordpiece import CTC, BPEDecoder, WordPiece


@dataclass(frozen=True)
class Sequence(Decoder):
    """Run decoders one after the other."""

    decoders: tuple[Any, ...]
    kind: ClassVar[str] = "Sequence"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Sequence:
        """Read the HF object (children through :data:`DECODERS`)."""
        return cls(tuple(decoder_from_json(d) for d in obj["decoders"]))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "decoders": [d.to_json() for d in self.decoders]}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Each decoder in turn."""
        for d in self.decoders:
            tokens = d.decode_chain(tokens)
        return tokens


DECODERS: dict[str, Any] = {
    c.kind: c for c in (ByteLevel, WordPiece, Metaspace, ByteFallback, Fuse, Strip, Replace, BPEDecoder, CTC, Sequence)
}


def decoder_from_json(obj: dict[str, Any]) -> Any:
    """Build a decoder from its HF object."""
    kind = obj.get("type")
    if kind not in DECODERS:
        raise FormatError(f"unknown decoder type {kind!r} (known: {', '.join(DECODERS)})")
    return DECODERS[kind].from_json(obj)
