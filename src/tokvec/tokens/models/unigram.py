"""The Unigram model (Hugging Face ``models.Unigram``; SentencePiece unigram ``.model`` files).

A word is split into the pieces whose scores (log probabilities) add up to the most, by Viterbi
(see :mod:`tokvec.kernels.unigram` for the tie rule and the unknown piece).

>>> m = UnigramModel.from_json({"type": "Unigram", "unk_id": 0,
...     "vocab": [["<unk>", 0.0], ["a", -1.0], ["b", -1.0], ["ab", -1.5]]})
>>> ids, starts, ends = m.encode_pieces(np.array([97, 98, 99], dtype=np.uint32), np.array([0, 3]))
>>> ids.tolist(), ends.tolist()
([3, 0], [2, 3])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import FormatError
from ...kernels import unigram as kernel
from ...kernels.tables import build_pair_table
from ._vocab import Vocabulary

UNK_PENALTY = 10.0


def build_trie(pieces: Sequence[str], include: Sequence[bool]) -> tuple[np.ndarray, np.ndarray]:
    """Return (trie pair table, node_ids int32[nodes]) over the pieces with ``include[i]`` (first id wins)."""
    children: dict[tuple[int, int], int] = {}
    node_ids = [-1]
    for i, piece in enumerate(pieces):
        if not include[i] or not piece:
            continue
        node = 0
        for ch in piece:
            key = (node, ord(ch))
            nxt = children.get(key)
            if nxt is None:
                nxt = children[key] = len(node_ids)
                node_ids.append(-1)
            node = nxt
        if node_ids[node] < 0:
            node_ids[node] = i
    keys = np.array(list(children), dtype=np.int64).reshape(-1, 2)
    values = np.fromiter(children.values(), dtype=np.int32, count=len(children))
    table = build_pair_table(
        keys[:, 0].astype(np.int32), keys[:, 1].astype(np.int32), np.zeros(len(values), dtype=np.int32), values
    )
    return table, np.array(node_ids, dtype=np.int32)


@dataclass(frozen=True, eq=False)
class UnigramModel:
    """A Unigram model; build it with :meth:`from_json` or :meth:`from_spm`.

    ``scores`` float64[V] are what each piece adds to a path; ``in_trie`` bool[V] which pieces the
    text may be split into; ``f32``: sentencepiece's float32 arithmetic.
    """

    vocab: Vocabulary
    scores: np.ndarray
    in_trie: np.ndarray
    unk_id: int | None
    unk_score: float
    byte_fallback: bool = False
    fuse_unk: bool = True
    f32: bool = False
    kind: str = field(default="Unigram", init=False)
    #: derived when built: (trie, node ids, byte-fallback ids) for the lattice kernel
    _t: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        trie, node_ids = build_trie(self.vocab.by_id, self.in_trie)  # type: ignore[arg-type]
        byte_ids = np.full(256, -2, dtype=np.int32)
        if self.byte_fallback:
            byte_ids[:] = [self.vocab.id_or(f"<0x{b:02X}>", -1) for b in range(256)]
        object.__setattr__(self, "_t", (trie, node_ids, byte_ids))

    @property
    def vocab_size(self) -> int:
        """Number of ids."""
        return self.vocab.size

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token``, or None."""
        return self.vocab.token_to_id(token)

    def id_to_token(self, id: int) -> str | None:
        """Return the token of ``id``, or None."""
        return self.vocab.id_to_token(id)

    def get_vocab(self) -> dict[str, int]:
        """Return a new dict token -> id."""
        return dict(self.vocab.items())

    def encode_pieces(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Segment every word ``cps[bounds[p]:bounds[p+1]]``: (ids int32, starts int64, ends int64)."""
        trie, node_ids, byte_ids = self._t
        unk = -1 if self.unk_id is None else self.unk_id
        return kernel.viterbi(
            np.ascontiguousarray(cps, dtype=np.uint32), np.ascontiguousarray(bounds, dtype=np.int64),
            trie, node_ids, self.scores, unk, self.unk_score, self.fuse_unk, byte_ids, self.f32,
        )  # fmt: skip

    @classmethod
    def from_json(cls, obj: Mapping[str, Any], *, source: str = "tokenizer.json") -> UnigramModel:
        """Build from the ``"model"`` object of a tokenizer.json (``type`` "Unigram")."""
        raw = obj.get("vocab")
        if not isinstance(raw, list) or not raw:
            raise FormatError(f"{source}: Unigram model.vocab must be a non-empty list of [piece, score]")
        pieces, scores = [], []
        for k, item in enumerate(raw):
            if not (isinstance(item, Sequence) and len(item) == 2 and isinstance(item[0], str)):
                raise FormatError(f"{source}: Unigram vocab entry {k} is {item!r}, not [piece, score]")
            try:
                score = float(item[1])
            except (TypeError, ValueError):
                raise FormatError(f"{source}: Unigram vocab entry {k} ({item[0]!r}) has score {item[1]!r}") from None
            pieces.append(item[0])
            scores.append(score)
        unk_id = obj.get("unk_id")
        if unk_id is not None and not (isinstance(unk_id, int) and 0 <= unk_id < len(pieces)):
            raise FormatError(f"{source}: Unigram unk_id {unk_id!r} is not an index of the vocab")
        arr = np.array(scores, dtype=np.float64)
        # subtle: Hugging Face takes the minimum over every piece (sentencepiece: over normal pieces only)
        min_score = float(arr.min()) if math.isfinite(float(arr.min())) else 0.0
        return cls(
            Vocabulary.from_list(pieces), arr, np.ones(len(pieces), dtype=np.bool_), unk_id,
            min_score - UNK_PENALTY, byte_fallback=bool(obj.get("byte_fallback", False)),
        )  # fmt: skip

    @classmethod
    def from_spm(
        cls, pieces: Sequence[str], scores: Sequence[float], types: Sequence[int], *, unk_id: int, byte_fallback: bool
    ) -> UnigramModel:
        """Build a SentencePiece unigram model with sentencepiece's scores and float32 arithmetic."""
        normal, user = 1, 4
        s32 = np.array(scores, dtype=np.float32)
        kinds = np.array(types)
        is_normal = kinds == normal
        min_score = np.float32(s32[is_normal].min()) if is_normal.any() else np.float32(0)
        max_score = np.float32(s32[is_normal].max()) if is_normal.any() else np.float32(0)
        out = s32.astype(np.float64)
        for i in np.flatnonzero(kinds == user):
            # subtle: sentencepiece gives user-defined pieces (UTF-8 length * max score - 0.1)
            length = np.float32(len(pieces[i].encode("utf-8")))
            out[i] = float(np.float32(length * max_score)) - 0.1
        in_trie = is_normal | (kinds == user)
        unk_score = float(np.float32(min_score - np.float32(UNK_PENALTY)))
        return cls(
            Vocabulary.from_list(list(pieces)), out, in_trie, unk_id, unk_score,
            byte_fallback=byte_fallback, fuse_unk=True, f32=True,
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """Return the ``"model"`` object of a tokenizer.json."""
        return {
            "type": "Unigram",
            "unk_id": self.unk_id,
            "vocab": [[t or "", float(s)] for t, s in zip(self.vocab.by_id, self.scores.tolist(), strict=True)],
            "byte_fallback": self.byte_fallback,
        }
