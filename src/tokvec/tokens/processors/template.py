"""TemplateProcessing: special tokens and type ids laid out by a template (``$A``, ``$B``, ``[CLS]``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ...errors import FormatError
from ..encoding import Encoding, replaced
from ..vocab_table import TokenTable
from .base import special_encoding, special_entry


@dataclass(frozen=True)
class TemplateProcessing:
    """Place the sequences and special tokens as the ``single`` / ``pair`` templates say."""

    single: tuple[tuple[str, str, int], ...]  # ("Sequence", "A"|"B", type_id) or ("SpecialToken", name, type_id)
    pair: tuple[tuple[str, str, int], ...]
    special_tokens: dict[str, tuple[list[int], list[str]]] = field(default_factory=dict)
    kind: ClassVar[str] = "TemplateProcessing"

    def __post_init__(self) -> None:
        for piece in (*self.single, *self.pair):
            if piece[0] == "SpecialToken" and piece[1] not in self.special_tokens:
                raise FormatError(f"TemplateProcessing: the template uses {piece[1]!r}, missing from special_tokens")
        for name, pieces, allowed in (("single", self.single, ("A",)), ("pair", self.pair, ("A", "B"))):
            for piece in pieces:
                if not 0 <= piece[2] < 2**31:
                    raise FormatError(f"TemplateProcessing: type_id {piece[2]} of the {name} template is out of range")
                if piece[0] == "Sequence" and piece[1] not in allowed:
                    raise FormatError(
                        f"TemplateProcessing: the {name} template names sequence {piece[1]!r};"
                        f" it may name {' or '.join(map(repr, allowed))}"
                    )

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> TemplateProcessing:
        """Read the HF object."""

        def template(items: list[dict[str, Any]]) -> tuple[tuple[str, str, int], ...]:
            out = []
            for item in items:
                ((kind, body),) = item.items()
                if kind not in ("Sequence", "SpecialToken"):
                    raise FormatError(f"TemplateProcessing: unknown piece {kind!r}")
                out.append((kind, body["id"], int(body.get("type_id", 0))))
            return tuple(out)

        raw = obj.get("special_tokens", {})
        if not isinstance(raw, dict):
            raise FormatError("TemplateProcessing: special_tokens must be an object name -> {ids, tokens}")
        specials = {k: special_entry(k, v) for k, v in raw.items()}
        return cls(template(obj["single"]), template(obj["pair"]), specials)

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""

        def template(pieces):
            return [{kind: {"id": name, "type_id": type_id}} for kind, name, type_id in pieces]

        specials = {k: {"id": k, "ids": ids, "tokens": toks} for k, (ids, toks) in self.special_tokens.items()}
        return {"type": self.kind, "single": template(self.single), "pair": template(self.pair),
                "special_tokens": specials}  # fmt: skip

    def added_tokens(self, is_pair: bool) -> int:
        """Number of tokens the template adds."""
        pieces = self.pair if is_pair else self.single
        return sum(len(self.special_tokens[name][0]) for kind, name, _ in pieces if kind == "SpecialToken")

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """Lay out the template."""
        out = []
        for kind, name, type_id in self.pair if len(encs) == 2 else self.single:
            if kind == "Sequence":
                e = encs[0 if name == "A" else 1]
                out.append(replaced(e, type_ids=np.full(len(e), type_id, np.int32)))
            elif add_special_tokens:
                ids, toks = self.special_tokens[name]
                out.append(special_encoding(ids, toks, type_id, table))
        return out
