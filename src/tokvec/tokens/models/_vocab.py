"""Vocabulary: token strings by id, and their code points packed for the kernels.

>>> v = Vocabulary.from_mapping({"a": 0, "▁b": 2})
>>> v.size, v.token_to_id("▁b"), v.id_to_token(1), v.tok_off.tolist()
(3, 2, None, [0, 1, 1, 3])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...errors import FormatError


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Tokens by id (``by_id[i]`` is None where an id has no token) and token -> id.

    tok_cps: uint32[total], tok_off: int64[size+1]: token i is ``tok_cps[tok_off[i]:tok_off[i+1]]``.
    """

    by_id: tuple[str | None, ...]
    ids_of: Mapping[str, int]
    tok_cps: np.ndarray
    tok_off: np.ndarray

    @classmethod
    def from_mapping(cls, vocab: Mapping[str, int], *, source: str = "vocabulary") -> Vocabulary:
        """Build from ``{token: id}``; ids need not be contiguous but may not repeat."""
        if not vocab:
            raise FormatError(f"{source}: the vocabulary is empty")
        by_id: list[str | None] = [None] * (max(vocab.values()) + 1)
        for tok, i in vocab.items():
            if not isinstance(i, int) or i < 0:
                raise FormatError(f"{source}: token {tok!r} has id {i!r}, not a non-negative integer")
            if by_id[i] is not None:
                raise FormatError(f"{source}: id {i} is given to both {by_id[i]!r} and {tok!r}")
            by_id[i] = tok
        return cls._build(by_id, dict(vocab))

    @classmethod
    def from_list(cls, tokens: Sequence[str]) -> Vocabulary:
        """Build from tokens in id order (a repeated token keeps its first id for lookups)."""
        ids: dict[str, int] = {}
        for i, tok in enumerate(tokens):
            ids.setdefault(tok, i)
        return cls._build(list(tokens), ids)

    @classmethod
    def _build(cls, by_id: list[str | None], ids: dict[str, int]) -> Vocabulary:
        texts = [t or "" for t in by_id]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        off = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=off[1:])
        cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
        return cls(tuple(by_id), ids, cps, off)

    @property
    def size(self) -> int:
        """Number of ids: one more than the largest."""
        return len(self.by_id)

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token``, or None."""
        return self.ids_of.get(token)

    def id_or(self, token: str, default: int) -> int:
        """Return the id of ``token``, or ``default``."""
        return self.ids_of.get(token, default)

    def id_to_token(self, i: int) -> str | None:
        """Return the token of id ``i``, or None."""
        return self.by_id[i] if 0 <= i < len(self.by_id) else None

    def items(self) -> Iterator[tuple[str, int]]:
        """Yield (token, id) in id order."""
        return ((t, i) for i, t in enumerate(self.by_id) if t is not None)

    def ids(self) -> Iterator[int]:
        """Yield every id that has a token."""
        return (i for i, t in enumerate(self.by_id) if t is not None)
