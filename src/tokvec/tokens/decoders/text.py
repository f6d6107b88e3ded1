"""Decoders that edit the token strings: Fuse, Strip and Replace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...errors import FormatError
from .base import Decoder


@dataclass(frozen=True)
class Fuse(Decoder):
    """Join all tokens into one."""

    kind: ClassVar[str] = "Fuse"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Fuse:
        """Read the HF object."""
        return cls()

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """One string."""
        return ["".join(tokens)]


@dataclass(frozen=True)
class Strip(Decoder):
    """Remove up to ``start`` leading and ``stop`` trailing ``content`` characters of each token."""

    content: str = " "
    start: int = 0
    stop: int = 0
    kind: ClassVar[str] = "Strip"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Strip:
        """Read the HF object."""
        return cls(obj.get("content", " "), int(obj.get("start", 0)), int(obj.get("stop", 0)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "content": self.content, "start": self.start, "stop": self.stop}

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Strip each token."""
        out = []
        for t in tokens:
            a = 0
            while a < min(self.start, len(t)) and t[a] == self.content:
                a += 1
            b = len(t)
            while len(t) - b < self.stop and b > a and t[b - 1] == self.content:
                b -= 1
            out.append(t[a:b])
        return out


@dataclass(frozen=True)
class Replace(Decoder):
    """Replace ``pattern`` (a string, or a regex when ``regex`` is true) by ``content`` in each token."""

    pattern: str
    content: str
    regex: bool = False
    kind: ClassVar[str] = "Replace"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Replace:
        """Read the HF object."""
        pat = obj.get("pattern") or {}
        if "String" in pat:
            return cls(pat["String"], obj.get("content", ""))
        if "Regex" in pat:
            return cls(pat["Regex"], obj.get("content", ""), regex=True)
        raise FormatError(f"Replace decoder: pattern must be {{'String': ...}} or {{'Regex': ...}}, got {pat!r}")

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "pattern": {"Regex" if self.regex else "String": self.pattern},
                "content": self.content}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Replace in each token."""
        if not self.regex:
            return [t.replace(self.pattern, self.content) for t in tokens]
        import regex

        compiled = regex.compile(self.pattern)
        return [compiled.sub(lambda _m: self.content, t) for t in tokens]
