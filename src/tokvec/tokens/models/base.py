"""The contract between the general tokenizer pipeline and its models (BPE, WordPiece, Unigram, WordLevel).

The pipeline (normalizer, pre-tokenizer) turns a text into three arrays and hands them to the model:

- ``cps``: uint32[N], the code points of the pre-tokenized text (after normalization and after
  pre-tokenizers that rewrite characters, such as ByteLevel or Metaspace);
- ``bounds``: int64[P+1], the boundaries of the P pre-tokens ("words") in ``cps``
  (``bounds[0] == 0``, ``bounds[-1] == N``, non-decreasing); a token never crosses a boundary;
- the pipeline keeps ``align`` (int64[N, 2], the span of each code point in the original text) to
  itself: the model answers in positions of ``cps`` and the pipeline maps them back.

A model answers with the ids of every token and each token's span in ``cps``. A token made by byte
fallback (``<0xE4>``) or an unknown token spans the characters it stands for, so several tokens may
share one span. Models are immutable and thread-safe; their hot loop is a numba kernel in
:mod:`tokvec.kernels` with a twin in :mod:`tokvec.reference`.

>>> import numpy as np
>>> cps = np.frombuffer("héllo".encode("utf-32-le"), dtype=np.uint32)
>>> cps.tolist()
[104, 233, 108, 108, 111]
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Model(Protocol):
    """A subword model: maps the pre-tokens of a text to token ids (see the module docstring)."""

    #: the Hugging Face ``model.type``: "BPE", "WordPiece", "Unigram" or "WordLevel"
    kind: str

    @property
    def vocab_size(self) -> int:
        """Number of ids (one more than the largest id)."""
        ...

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token``, or None."""
        ...

    def id_to_token(self, id: int) -> str | None:
        """Return the token of ``id``, or None."""
        ...

    def get_vocab(self) -> dict[str, int]:
        """Return a new dict token -> id."""
        ...

    def encode_pieces(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Tokenize every pre-token ``cps[bounds[p]:bounds[p+1]]``.

        Returns ``(ids, starts, ends)``: int32[T], int64[T], int64[T]; token t covers
        ``cps[starts[t]:ends[t]]``; tokens come in text order.
        """
        ...

    def to_json(self) -> dict[str, Any]:
        """Return the ``"model"`` object of a Hugging Face ``tokenizer.json``."""
        ...
