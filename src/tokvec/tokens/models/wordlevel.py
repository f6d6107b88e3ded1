"""WordLevel: every pre-token is one token, looked up whole; unknown words become ``unk_token``.

>>> wl = WordLevel({"[UNK]": 0, "hello": 1, "world": 2})
>>> cps = np.frombuffer("helloworldzzz".encode("utf-32-le"), dtype=np.uint32)
>>> wl.encode_pieces(cps, np.array([0, 5, 10, 13]))[0].tolist()
[1, 2, 0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ...errors import FormatError, TokvecError


@dataclass(frozen=True, eq=False)
class WordLevel:
    """A whole-word vocabulary (token -> id) with an unknown token."""

    kind: ClassVar[str] = "WordLevel"
    vocab: Mapping[str, int]
    unk_token: str = "[UNK]"
    _by_id: dict[int, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        vocab = dict(self.vocab)
        for tok, i in vocab.items():
            if not isinstance(i, int) or isinstance(i, bool) or i < 0:
                raise FormatError(f"WordLevel vocabulary: token {tok!r} has id {i!r}, not a non-negative integer")
        object.__setattr__(self, "vocab", vocab)
        object.__setattr__(self, "_by_id", {i: t for t, i in vocab.items()})

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def token_to_id(self, token: str) -> int | None:
        return self.vocab.get(token)

    def id_to_token(self, id: int) -> str | None:
        return self._by_id.get(int(id))

    def get_vocab(self) -> dict[str, int]:
        return dict(self.vocab)

    def encode_pieces(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One token per non-empty pre-token (see :class:`tokvec.tokens.models.base.Model`)."""
        text = np.ascontiguousarray(cps, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        b = np.asarray(bounds, dtype=np.int64)
        keep = np.flatnonzero(b[1:] > b[:-1])
        starts, ends = b[keep], b[keep + 1]
        unk = self.vocab.get(self.unk_token)
        ids = np.empty(len(keep), dtype=np.int32)
        for k, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            i = self.vocab.get(text[s:e], unk)
            if i is None:
                raise TokvecError(
                    f"WordLevel: {text[s:e]!r} is not in the vocabulary and the unknown token"
                    f" {self.unk_token!r} is not either; add it to the vocabulary"
                )
            ids[k] = i
        return ids, starts.copy(), ends.copy()

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> WordLevel:
        vocab = obj.get("vocab")
        if not isinstance(vocab, dict):
            raise FormatError("WordLevel model: 'vocab' must be an object mapping tokens to ids")
        return cls(vocab, unk_token=str(obj.get("unk_token", "[UNK]")))

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "vocab": dict(sorted(self.vocab.items(), key=lambda kv: kv[1])),
            "unk_token": self.unk_token,
        }
