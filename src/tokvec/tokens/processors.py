"""Post-processors: add the special tokens of a model ([CLS] ... [SEP]) and set type ids.

Each processor maps the encodings of one text or a pair to new encodings
(``process_encodings``); :func:`post_process` merges them into one, as Hugging Face does
(overflowing windows included). ``PROCESSORS`` maps the ``tokenizer.json`` type to the class.

>>> p = BertProcessing(sep=("[SEP]", 102), cls=("[CLS]", 101))
>>> p.added_tokens(is_pair=True), p.to_json()["type"]
(3, 'BertProcessing')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..errors import FormatError
from .encoding import Encoding, replaced
from .padding import merge
from .vocab_table import TokenTable, space_counts


def _special_entry(name: str, value: Any) -> tuple[list[int], list[str]]:
    """Read one ``special_tokens`` entry of a TemplateProcessing: ids (whole numbers below 2^31) and as many tokens."""
    ids = value.get("ids") if isinstance(value, dict) else None
    tokens = value.get("tokens") if isinstance(value, dict) else None
    if (
        not isinstance(ids, list)
        or not isinstance(tokens, list)
        or len(ids) != len(tokens)
        or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < 2**31 for i in ids)
        or not all(isinstance(t, str) for t in tokens)
    ):
        raise FormatError(
            f"TemplateProcessing: special token {name!r} needs 'ids' (ids below 2^31) and as many 'tokens' (strings)"
        )
    return list(ids), list(tokens)


def _specials(ids: list[int], tokens: list[str], type_id: int, table: TokenTable) -> Encoding:
    # subtle: tokens are spelled from the ids unless the processor spells them otherwise (as HF keeps its spelling)
    k = len(ids)
    own = None
    if table.spellings is not None and table.spell(ids) != list(tokens):
        own = list(tokens)
    return Encoding(
        np.array(ids, np.int32), table, tokens=own, offsets=np.zeros((k, 2), np.int64),
        type_ids=np.full(k, type_id, np.int32), words=np.full(k, -1, np.int64),
        special_tokens_mask=np.ones(k, np.int8), attention_mask=np.ones(k, np.int8),
    )  # fmt: skip


def _zero_types(e: Encoding) -> Encoding:
    return replaced(e, type_ids=np.zeros(len(e), np.int32), overflowing=[_zero_types(o) for o in e.overflowing])


def _pair(obj: Any, what: str) -> tuple[str, int]:
    if not (isinstance(obj, list) and len(obj) == 2 and isinstance(obj[0], str) and isinstance(obj[1], int)):
        raise FormatError(f"post_processor {what}: expected [token, id], got {obj!r}")
    return obj[0], obj[1]


def trim_byte_level_offsets(e: Encoding, add_prefix_space: bool) -> Encoding:
    """Move offsets past leading/trailing spaces ('Ġ' or white space) of each token (ByteLevel trim_offsets)."""
    counts = e.table.space_counts
    if not e.has_own_tokens and counts is not None:  # spelled from the ids: the table's counts per id
        lead, trail = counts[0][e.ids], counts[1][e.ids]
    else:
        lead, trail = space_counts(e.tokens)
    s, t = e.offsets[:, 0], e.offsets[:, 1]
    first = s == 0
    first[:1] = True
    if add_prefix_space:
        lead = np.where(first & (lead == 1), 0, lead)
    s = np.where(lead > 0, np.minimum(s + lead, t), s)
    t = np.where((trail > 0) & (t >= trail), np.maximum(t - trail, s), t)
    over = [trim_byte_level_offsets(o, add_prefix_space) for o in e.overflowing]
    return replaced(e, offsets=np.stack([s, t], axis=1), overflowing=over)


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
        specials = {k: _special_entry(k, v) for k, v in raw.items()}
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
                out.append(_specials(ids, toks, type_id, table))
        return out


@dataclass(frozen=True)
class BertProcessing:
    """``[CLS] A [SEP]`` and ``[CLS] A [SEP] B [SEP]`` (type ids 0 then 1)."""

    sep: tuple[str, int]
    cls: tuple[str, int]
    kind: ClassVar[str] = "BertProcessing"

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> BertProcessing:
        """Read the HF object."""
        return cls(_pair(obj["sep"], "sep"), _pair(obj["cls"], "cls"))

    def to_json(self) -> dict[str, Any]:
        """Write the HF object."""
        return {"type": self.kind, "sep": list(self.sep), "cls": list(self.cls)}

    def added_tokens(self, is_pair: bool) -> int:
        """Number of tokens added."""
        return 3 if is_pair else 2

    def _wrap(self, e: Encoding, first: bool, table: TokenTable, pair_type: int) -> Encoding:
        inner = replaced(e, special_tokens_mask=np.zeros(len(e), np.int8), overflowing=())
        parts = [inner, _specials([self.sep[1]], [self.sep[0]], pair_type, table)]
        if first:
            parts.insert(0, _specials([self.cls[1]], [self.cls[0]], 0, table))
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
        return cls(_pair(obj["sep"], "sep"), _pair(obj["cls"], "cls"), bool(obj.get("trim_offsets", True)),
                   bool(obj.get("add_prefix_space", True)))  # fmt: skip

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
        parts = [_specials([left[1]], [left[0]], 0, table), inner, _specials([self.sep[1]], [self.sep[0]], 0, table)]
        out = merge(parts, table)
        over = [self._wrap(o, first, table) for o in e.overflowing]
        return replaced(out, type_ids=np.zeros(len(out), np.int32), overflowing=over)

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """Trim offsets, then add <s> and </s>."""
        if self.trim_offsets:
            encs = [trim_byte_level_offsets(e, self.add_prefix_space) for e in encs]
        if not add_special_tokens:  # subtle: HF still gives the second text type id 0 here
            return [_zero_types(e) for e in encs]
        return [self._wrap(e, i == 0, table) for i, e in enumerate(encs)]


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
