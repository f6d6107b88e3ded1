"""The Metaspace decoder (``▁`` back to spaces)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Decoder


@dataclass(frozen=True)
class Metaspace(Decoder):
    """Turn ``replacement`` (▁) back into spaces; the first token loses it unless prepend_scheme is never."""

    replacement: str = "▁"
    prepend_scheme: str = "always"
    split: bool = True
    kind: ClassVar[str] = "Metaspace"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Metaspace:
        """Read the HF object (old files say add_prefix_space instead of prepend_scheme)."""
        scheme = obj.get("prepend_scheme")
        if scheme is None:
            scheme = "always" if obj.get("add_prefix_space", True) else "never"
        return cls(obj.get("replacement", "▁"), scheme, bool(obj.get("split", True)))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "replacement": self.replacement, "prepend_scheme": self.prepend_scheme,
                "split": self.split}  # fmt: skip

    def decode_chain(self, tokens: list[str]) -> list[str]:
        """Replace ▁ by spaces."""
        out = []
        for i, t in enumerate(tokens):
            if i == 0 and self.prepend_scheme != "never":
                t = t.replace(self.replacement, " ")
                t = t[1:] if t.startswith(" ") else t
            else:
                t = t.replace(self.replacement, " ")
            out.append(t)
        return out
