"""WordPiece (``##`` continuations), BPEDecoder (a word suffix) and CTC decoders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Decoder, cleanup


@dataclass(frozen=True)
class WordPiece(Decoder):
    """Join WordPiece tokens: ``prefix`` glues to the previous token, others get a space."""

    prefix: str = "##"
    cleanup: bool = True
    kind: ClassVar[str] = "WordPiece"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> WordPiece:
        """Read the HF object."""
        return cls(obj.get("prefix", "##"), bool(obj.get("cleanup", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "prefix": self.prefix, "cleanup": self.cleanup}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Strip prefixes, add spaces."""
        out = []
        for i, t in enumerate(tokens):
            if i:
                t = t.replace(self.prefix, "", 1) if t.startswith(self.prefix) else " " + t
            out.append(cleanup(t) if self.cleanup else t)
        return out


@dataclass(frozen=True)
class BPEDecoder(Decoder):
    """End-of-word ``suffix`` (``</w>``) becomes a space, nothing after the last token."""

    suffix: str = "</w>"
    kind: ClassVar[str] = "BPEDecoder"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> BPEDecoder:
        """Read the HF object."""
        return cls(obj.get("suffix", "</w>"))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "suffix": self.suffix}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Replace suffixes."""
        n = len(tokens) - 1
        return [t.replace(self.suffix, "" if i == n else " ") for i, t in enumerate(tokens)]


@dataclass(frozen=True)
class CTC(Decoder):
    """CTC output: drop repeats and ``pad_token``, ``word_delimiter_token`` becomes a space."""

    pad_token: str = "<pad>"
    word_delimiter_token: str = "|"
    cleanup: bool = True
    kind: ClassVar[str] = "CTC"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CTC:
        """Read the HF object."""
        return cls(obj.get("pad_token", "<pad>"), obj.get("word_delimiter_token", "|"), bool(obj.get("cleanup", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "pad_token": self.pad_token, "word_delimiter_token": self.word_delimiter_token,
                "cleanup": self.cleanup}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Deduplicate and clean."""
        out = []
        for i, t in enumerate(tokens):
            if i and t == tokens[i - 1]:
                continue
            t = t.replace(self.pad_token, "")
            if self.cleanup:
                t = cleanup(t).replace(self.word_delimiter_token, " ")
            if t:
                out.append(t)
        return out
