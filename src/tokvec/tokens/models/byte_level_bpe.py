"""Byte-level BPE from a ``tokenizer.json`` (RoBERTa, GPT-2, Phi-2, Falcon) on the fast byte-level kernel.

Hugging Face's ``BPE`` model over a vocabulary spelled in GPT-2's byte characters (``Ġ`` = space),
after a ``ByteLevel`` pre-tokenizer, is the merges-list BPE of :class:`BytePairModel`: each code point
of the pre-tokenized text is one byte. This adapter implements the :class:`Model` protocol on top
of it, so these files run the numba kernel instead of a code-point BPE.

>>> vocab = {c: i for i, c in enumerate(bytes_to_str(bytes(range(256))))} | {"ab": 256}
>>> m = ByteLevelBPE.from_vocab_merges(vocab, [("a", "b")])
>>> cps = np.array([ord(c) for c in "abc"], dtype=np.uint32)
>>> [a.tolist() for a in m.encode_pieces(cps, np.array([0, 3]))]
[[256, 99], [0, 2], [2, 3]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import FormatError
from ...kernels.bpe import encode_docs, token_offsets
from ..byte_level import bytes_to_str, char_to_byte
from ..unicode import class_table
from .bpe import BytePairModel

# fields of the HF "model" object that the kernel implements only at these values
_NEUTRAL = {"dropout": None, "continuing_subword_prefix": ("", None), "end_of_word_suffix": ("", None),
            "byte_fallback": False, "ignore_merges": False}  # fmt: skip


def _cp_to_byte() -> np.ndarray:
    table = np.full(0x180, -1, dtype=np.int16)
    for c, b in char_to_byte().items():
        table[ord(c)] = b
    return table


@dataclass(frozen=True, eq=False)
class ByteLevelBPE:
    """A byte-level merges BPE with its vocabulary spelled as the file spells it."""

    model: BytePairModel
    vocab: dict[str, int]
    merges: tuple[tuple[str, str], ...]
    options: dict[str, Any] = field(default_factory=dict)  # the other fields of the HF object, written back
    kind: str = "BPE"
    #: derived when built: the token of every id, and code point -> byte of the byte-level alphabet
    _by_id: list[str] = field(init=False, repr=False)
    _cp_to_byte: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_id = [""] * (max(self.vocab.values(), default=-1) + 1)
        for t, i in self.vocab.items():
            by_id[i] = t
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_cp_to_byte", _cp_to_byte())

    @staticmethod
    def supports(obj: dict[str, Any]) -> bool:
        """Whether the HF ``model`` object can run on the byte-level kernel (no dropout, prefixes, fallback)."""
        if obj.get("type", "BPE") != "BPE":
            return False
        for key, ok in _NEUTRAL.items():
            value = obj.get(key, ok if not isinstance(ok, tuple) else ok[0])
            if value not in (ok if isinstance(ok, tuple) else (ok,)):
                return False
        return True

    @classmethod
    def from_vocab_merges(
        cls, vocab: dict[str, int], merges: list[tuple[str, str]], options: dict[str, Any] | None = None
    ) -> ByteLevelBPE:
        """Build from a byte-level spelled vocabulary and merges; FormatError if it is not byte-level."""
        table = char_to_byte()
        as_bytes = {}
        for tok, i in vocab.items():
            if all(c in table for c in tok):
                as_bytes[bytes(table[c] for c in tok)] = i
        pairs = []
        for n, (a, b) in enumerate(merges, 1):
            for part in (a, b, a + b):
                if part not in vocab:
                    raise FormatError(f"merge {n} ({a!r} {b!r}) uses {part!r}, which is not in the vocabulary")
            if not all(c in table for c in a + b):
                raise FormatError(f"merge {n} ({a!r} {b!r}) is not spelled in byte-level characters")
            pairs.append((bytes(table[c] for c in a), bytes(table[c] for c in b)))
        model = BytePairModel.from_merges(as_bytes, pairs, source="the vocabulary")
        return cls(model, dict(vocab), tuple(merges), dict(options or {}))

    # ----------------------------------------------------------------- Model protocol
    @property
    def vocab_size(self) -> int:
        """Number of ids (one more than the largest id)."""
        return len(self._by_id)

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token``, or None."""
        return self.vocab.get(token)

    def id_to_token(self, id: int) -> str | None:
        """Return the token of ``id``, or None."""
        return self._by_id[id] if 0 <= id < len(self._by_id) and self._by_id[id] in self.vocab else None

    def get_vocab(self) -> dict[str, int]:
        """Return a new dict token -> id."""
        return dict(self.vocab)

    def encode_pieces(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Tokenize every piece ``cps[bounds[p]:bounds[p+1]]`` (code points of byte characters)."""
        cps = np.asarray(cps)
        lut = self._cp_to_byte
        if len(cps) and (cps.max() >= len(lut) or (lut[cps] < 0).any()):
            # subtle: HF's BPE drops characters that are not in the vocabulary when there is no unk token
            keep = (cps < len(lut)) & (lut[np.minimum(cps, len(lut) - 1)] >= 0)
            return self._encode_kept(cps, bounds, keep)
        buf = lut[cps].astype(np.uint8)
        return self._run(buf, np.asarray(bounds, dtype=np.int64))

    def _run(self, buf: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        m = self.model
        doc = np.array([0, len(buf)], dtype=np.int64)
        ids, _ = encode_docs(
            buf, doc, class_table(), -1, bounds, m.byte_ids, m.tok_bytes, m.tok_off, m.whole, m.pairs, m.whole_first
        )
        offs = token_offsets(ids, m.tok_off, np.array([0, len(ids)], dtype=np.int64))
        return ids, offs[:, 0].copy(), offs[:, 1].copy()

    def _encode_kept(self, cps, bounds, keep):
        where = np.flatnonzero(keep)
        new_bounds = np.searchsorted(where, bounds)
        ids, starts, ends = self._run(self._cp_to_byte[cps[where]].astype(np.uint8), new_bounds)
        return ids, where[starts], where[ends - 1] + 1

    def to_json(self) -> dict[str, Any]:
        """Return the ``"model"`` object of a tokenizer.json."""
        obj = {"type": "BPE", **self.options}
        obj["vocab"] = dict(self.vocab)
        obj["merges"] = [[a, b] for a, b in self.merges]
        return obj


__all__ = ["ByteLevelBPE", "bytes_to_str"]
