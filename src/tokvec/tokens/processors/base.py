"""The interface of a post-processor, and what they share: special-token entries, type ids, offset trimming.

>>> from tokvec.tokens.processors import BertProcessing
>>> isinstance(BertProcessing(sep=("[SEP]", 102), cls=("[CLS]", 101)), PostProcessor)
True
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from ...errors import FormatError
from ..encoding import Encoding, replaced
from ..vocab_table import TokenTable, space_counts


@runtime_checkable
class PostProcessor(Protocol):
    """Adds a model's special tokens around one text or a pair, and sets type ids."""

    def added_tokens(self, is_pair: bool) -> int:
        """How many tokens it adds to one text (``is_pair=False``) or a pair (what truncation leaves room for)."""
        ...

    def process_encodings(self, encs: list[Encoding], add_special_tokens: bool, table: TokenTable) -> list[Encoding]:
        """The encodings of the text (and pair) with the special tokens and type ids (merged by ``post_process``)."""
        ...

    def to_json(self) -> dict[str, Any]:
        """The ``tokenizer.json`` object."""
        ...


def special_entry(name: str, value: Any) -> tuple[list[int], list[str]]:
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


def special_encoding(ids: list[int], tokens: list[str], type_id: int, table: TokenTable) -> Encoding:
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


def zero_types(e: Encoding) -> Encoding:
    return replaced(e, type_ids=np.zeros(len(e), np.int32), overflowing=[zero_types(o) for o in e.overflowing])


def token_and_id(obj: Any, what: str) -> tuple[str, int]:
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
