"""The one interface every fused fast path has: :class:`FastPath`, answering :class:`SegmentTokens`.

A fast path is built from the pipeline's three components by ``maybe`` (None when they are not the
family it fuses) and encodes a batch of *segments* (the texts with their added tokens cut out) given as
one array of code points. It reads only the public fields of the components. To add one, copy
:mod:`tokvec.tokens.fused.sentencepiece` (the smallest) and list the class in ``run.PATHS``.

>>> import tokvec
>>> from tokvec.tokens.fused import choose
>>> bert = tokvec.load("bert-base-uncased").pipeline
>>> path = choose(bert.normalizer, bert.pre_tokenizer, bert.model, bert.added)
>>> import numpy as np
>>> cps = np.frombuffer("Hi there".encode("utf-32-le"), dtype=np.uint32)
>>> out = path.encode_segments(cps, np.array([0, 8]), np.array([0]))
>>> out.ids.tolist(), out.starts.tolist(), out.ends.tolist(), out.seg_tokens.tolist()
([7632, 2045], [0, 3], [2, 8], [0, 2])
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

import numpy as np


class SegmentTokens(NamedTuple):
    """The tokens of S segments: ``ids`` int32[T]; ``starts``/``ends`` int64[T] (positions in the batch's code
    points); ``words`` int64[T] (each token's pre-token index within its segment); ``seg_tokens`` int64[S+1]
    (segment s is tokens ``seg_tokens[s]:seg_tokens[s+1]``); ``unknown`` (token index -> the text it covers,
    for models that spell an unknown token as its text, as Hugging Face's Unigram does; else empty)."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    words: np.ndarray
    seg_tokens: np.ndarray
    unknown: dict[int, str]


class FastPath(Protocol):
    """A fused normalizer + pre-tokenizer + model (see the module docstring)."""

    @classmethod
    def maybe(cls, normalizer: Any, pre_tokenizer: Any, model: Any) -> FastPath | None:
        """The fast path of these components, or None when they are not the family this path fuses."""
        ...

    def encode_segments(self, cps: np.ndarray, seg_bounds: np.ndarray, seg_text_start: np.ndarray) -> SegmentTokens:
        """Encode every segment ``cps[seg_bounds[s]:seg_bounds[s+1]]`` (uint32 code points; int64[S+1] bounds).

        ``seg_text_start`` int64[S]: where each segment's text starts in ``cps`` (a text cut by added tokens is
        several segments; Metaspace's ``prepend_scheme="first"`` needs the text's start).
        """
        ...
