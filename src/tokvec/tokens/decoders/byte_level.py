"""ByteLevel (bytes spelled as characters) and ByteFallback (``<0x41>`` pieces) decoders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..byte_level import char_to_byte
from .base import Decoder


@dataclass(frozen=True)
class ByteLevel(Decoder):
    """Map GPT-2's byte characters back to bytes, then UTF-8 (invalid bytes become U+FFFD)."""

    add_prefix_space: bool = True
    trim_offsets: bool = True
    use_regex: bool = True
    kind: ClassVar[str] = "ByteLevel"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ByteLevel:
        """Read the HF object."""
        return cls(bool(obj.get("add_prefix_space", True)), bool(obj.get("trim_offsets", True)),
                   bool(obj.get("use_regex", True)))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "add_prefix_space": self.add_prefix_space, "trim_offsets": self.trim_offsets,
                "use_regex": self.use_regex}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """All tokens to one string."""
        table = char_to_byte()
        out = bytearray()
        for t in tokens:
            try:
                out.extend(table[c] for c in t)
            except KeyError:  # subtle: a token with a character outside the byte alphabet goes in as UTF-8
                out.extend(t.encode("utf-8", "surrogatepass"))
        return [out.decode("utf-8", "replace")]


@dataclass(frozen=True)
class ByteFallback(Decoder):
    """Turn runs of ``<0xAB>`` tokens into the text their bytes spell (U+FFFD per byte if not UTF-8)."""

    kind: ClassVar[str] = "ByteFallback"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ByteFallback:
        """Read the HF object."""
        return cls()

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Gather byte tokens."""
        out: list[str] = []
        run = bytearray()

        def flush() -> None:
            if run:
                try:
                    out.append(run.decode("utf-8"))
                except UnicodeDecodeError:
                    out.extend(["\ufffd"] * len(run))
                run.clear()

        for t in tokens:
            if len(t) == 6 and t.startswith("<0x") and t.endswith(">"):
                try:
                    run.append(int(t[3:5], 16))
                    continue
                except ValueError:
                    pass
            flush()
            out.append(t)
        flush()
        return out
