"""The byte-level BPE model: a vocabulary of byte strings and a table of merges.

Two rules for which pairs may merge, one kernel for both:

- **ranks** (tiktoken): any two adjacent tokens whose concatenation is a token may merge; the
  priority is the rank of the concatenation, and a piece that is a token is taken whole first.
- **merges** (GPT-2 ``merges.txt``, Hugging Face): only the listed pairs merge, in list order.

Merging always takes the lowest priority, leftmost on ties.

>>> m = BytePairModel.from_ranks({bytes([i]): i for i in range(256)} | {b"ab": 256, b"abc": 257})
>>> m.vocab_size, m.token_bytes(257)
(258, b'abc')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ..._hugepages import huge_copy
from ...errors import FormatError, UnknownTokenError
from ...kernels import tables


@dataclass(frozen=True, eq=False)
class BytePairModel:
    """Arrays of a byte-level BPE vocabulary (read-only; build with ``from_ranks``/``from_merges``).

    tok_bytes/tok_off: the bytes of token ``t`` are ``tok_bytes[tok_off[t]:tok_off[t+1]]`` (an id
    with no token has no bytes and ``present[t]`` False); byte_ids: int32[256], the token of each
    single byte; whole: the whole-token table; pairs: the pair table (priority, merged id); see
    :mod:`tokvec.kernels.tables`.
    """

    tok_bytes: np.ndarray
    tok_off: np.ndarray
    present: np.ndarray
    byte_ids: np.ndarray
    whole: np.ndarray
    pairs: np.ndarray
    whole_first: bool
    kind: str  # "ranks" or "merges"

    def __post_init__(self) -> None:
        # performance: the kernel reads both tables at random, a TLB miss a lookup on 4 KB pages (o200k: 8 MB)
        object.__setattr__(self, "whole", huge_copy(self.whole))
        object.__setattr__(self, "pairs", huge_copy(self.pairs))

    @property
    def vocab_size(self) -> int:
        """Number of ids: one more than the largest id."""
        return len(self.tok_off) - 1

    def token_bytes(self, token_id: int) -> bytes:
        """Return the bytes of ``token_id``."""
        if not 0 <= token_id < self.vocab_size or not self.present[token_id]:
            raise UnknownTokenError(f"token id {token_id} is not in the vocabulary (size {self.vocab_size})")
        return self.tok_bytes[self.tok_off[token_id] : self.tok_off[token_id + 1]].tobytes()

    def ranks(self) -> dict[bytes, int]:
        """Return every token as ``{bytes: id}``."""
        data = self.tok_bytes.tobytes()
        off = self.tok_off.tolist()
        return {data[off[t] : off[t + 1]]: t for t in np.flatnonzero(self.present).tolist()}

    @classmethod
    def from_ranks(cls, ranks: Mapping[bytes, int]) -> BytePairModel:
        """Build a tiktoken-style model from ``{token bytes: rank}``; every single byte must be a token."""
        tok_bytes, tok_off, present = _pack(ranks)
        missing = [i for i in range(256) if bytes([i]) not in ranks]
        if missing:
            raise FormatError(
                f"the vocabulary lacks {len(missing)} single-byte tokens (first: byte 0x{missing[0]:02x});"
                " byte-level BPE needs all 256 bytes so that any text can be encoded"
            )
        byte_ids = np.array([ranks[bytes([i])] for i in range(256)], dtype=np.int32)
        whole = tables.build_bytes_table(tok_bytes, tok_off, present)
        lefts, rights, prios, merged = tables.rank_merges(tok_bytes, tok_off, whole, present)
        pairs = tables.build_pair_table(lefts, rights, prios, merged)
        return cls(tok_bytes, tok_off, present, byte_ids, whole, pairs, True, "ranks")

    @classmethod
    def from_merges(
        cls, vocab: Mapping[bytes, int], merges: Iterable[tuple[bytes, bytes]], *, source: str = "merges"
    ) -> BytePairModel:
        """Build a merges-list model (GPT-2 ``merges.txt`` semantics) from byte-string tokens."""
        tok_bytes, tok_off, present = _pack(vocab)
        missing = [i for i in range(256) if bytes([i]) not in vocab]
        if missing:
            raise FormatError(f"{source}: the vocabulary lacks byte 0x{missing[0]:02x} (and {len(missing) - 1} more)")
        byte_ids = np.array([vocab[bytes([i])] for i in range(256)], dtype=np.int32)
        lefts, rights, merged = [], [], []
        for line, (a, b) in enumerate(merges, 1):
            for part in (a, b, a + b):
                if part not in vocab:
                    raise FormatError(
                        f"{source}: merge {line} ({a!r} {b!r}) uses {part!r}, which is not in the vocabulary"
                    )
            lefts.append(vocab[a])
            rights.append(vocab[b])
            merged.append(vocab[a + b])
        arr = lambda x: np.array(x, dtype=np.int32)  # noqa: E731
        pairs = tables.build_pair_table(arr(lefts), arr(rights), arr(range(len(lefts))), arr(merged))
        whole = tables.build_bytes_table(tok_bytes, tok_off, present)
        return cls(tok_bytes, tok_off, present, byte_ids, whole, pairs, False, "merges")


def _pack(ranks: Mapping[bytes, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pack ``{bytes: id}`` into (tok_bytes uint8, tok_off int64[V+1], present bool[V])."""
    if not ranks:
        raise FormatError("the vocabulary is empty")
    size = max(ranks.values()) + 1
    if min(ranks.values()) < 0:
        raise FormatError(f"negative token id {min(ranks.values())} in the vocabulary")
    if size > len(ranks) + (1 << 20):  # the table is allocated up to the largest id
        raise FormatError(f"token id {size - 1} is far beyond the {len(ranks):,} tokens given (corrupted file?)")
    by_id: list[bytes] = [b""] * size
    present = np.zeros(size, dtype=np.bool_)
    for tok, i in ranks.items():
        if present[i]:
            raise FormatError(f"token id {i} is given twice ({by_id[i]!r} and {tok!r})")
        by_id[i] = tok
        present[i] = True
    lengths = np.fromiter((len(t) for t in by_id), dtype=np.int64, count=size)
    tok_off = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(lengths, out=tok_off[1:])
    tok_bytes = np.frombuffer(b"".join(by_id), dtype=np.uint8).copy()
    return tok_bytes, tok_off, present
