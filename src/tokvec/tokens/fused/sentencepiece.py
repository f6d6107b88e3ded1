"""The fast path for SentencePiece ``.model`` files loaded as pipelines (Llama-2, Mistral, BPEmb, ...).

``tokvec.load("tokenizer.model")`` builds a pipeline whose normalizer is sentencepiece's
(:class:`~tokvec.tokens.sentencepiece.SentencePieceNormalizer`), with no pre-tokenizer, and whose
model is BPE or Unigram. :meth:`SentencePieceFastPath.encode_segments` normalizes every segment of
a batch in one kernel call (:func:`tokvec.kernels.charsmap.normalize_batch`) and encodes them in one
model call, with the alignment, offsets and unknown-token spellings of the component path.

Profile (``bench/profile_encode.py``, Llama-2, 8 MB of ELTeC lines, 2.0 M tokens, one thread, quiet
machine, 2026-12-04): ``encode_batch(add_special_tokens=False)`` 361 ms = UTF-32 3 + normalizer 91 +
merges 155 + token spans 35 + some 77 of numpy and Python around them. Before issue 19: 1.19 s, of
which the normalizer 0.64 (arrays rebound at every character) and the merges 0.31 (twelve arrays
rebound in the word loop); the spans came from two int64 arrays per character in numpy (0.08 s).

>>> from tokvec.tokens.formats.sentencepiece import ModelFile
>>> from tokvec.tokens.sentencepiece import SentencePieceTokenizer
>>> pieces = ("<unk>", "<s>", "</s>", "▁", "a", "b", "ab", "▁ab")
>>> spec = ModelFile(pieces, (0, 0, 0, -1, -2, -3, -4, -5), (2, 3, 3, 1, 1, 1, 1, 1), model_type="bpe")
>>> from tokvec.tokens.sentencepiece_tokenizer import to_tokenizer
>>> p = to_tokenizer(SentencePieceTokenizer.from_model_file(spec)).pipeline
>>> path = SentencePieceFastPath.maybe(p.normalizer, p.pre_tokenizer, p.model)
>>> cps = np.frombuffer("ab  ab".encode("utf-32-le"), dtype=np.uint32)
>>> ids, starts, ends, words, seg_tokens, unknown = path.encode_segments(cps, np.array([0, 6]))
>>> ids.tolist(), starts.tolist(), ends.tolist()
([7, 7], [0, 2], [2, 6])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...kernels.spans import token_spans
from ...reference.spans import token_spans as reference_spans
from ..sentencepiece import SentencePieceNormalizer
from .protocol import SegmentTokens


@dataclass(frozen=True, eq=False)
class SentencePieceFastPath:
    """sentencepiece's normalizer + its BPE or Unigram model over a batch (build with :meth:`maybe`)."""

    normalizer: SentencePieceNormalizer
    model: Any

    @classmethod
    def maybe(cls, normalizer, pre_tokenizer, model) -> SentencePieceFastPath | None:
        """Return the fast path for a sentencepiece normalizer without pre-tokenizer, else None."""
        if type(normalizer) is SentencePieceNormalizer and pre_tokenizer is None and model.kind in ("BPE", "Unigram"):
            return cls(normalizer, model)
        return None

    def encode_segments(
        self, cps: np.ndarray, seg_bounds: np.ndarray, seg_text_start: np.ndarray | None = None
    ) -> SegmentTokens:
        """Encode every segment ``cps[seg_bounds[s]:seg_bounds[s+1]]``; the same tuple as
        :meth:`tokvec.tokens.fused.unigram.UnigramFastPath.encode_segments` (``seg_text_start`` unused:
        every segment is one word)."""
        cps = np.ascontiguousarray(cps, dtype=np.uint32)
        seg_bounds = np.ascontiguousarray(seg_bounds, dtype=np.int64)
        out, lo, hi, nb = self.normalizer.run_batch(cps, seg_bounds)
        ids, st, en = self.model.encode_pieces(out, nb)
        st = np.asarray(st, dtype=np.int64)
        en = np.maximum(np.asarray(en, dtype=np.int64), st + 1)
        # the alignment SentencePieceNormalizer.normalize gives, in positions of cps: a token spans from
        # its characters' first start to their last end
        starts, ends, ok = token_spans(seg_bounds, nb, lo, hi, st, en)
        if not ok:
            starts, ends, _ = reference_spans(seg_bounds, nb, lo, hi, st, en)
        seg_tokens = np.searchsorted(st, nb).astype(np.int64)
        unknown: dict[int, str] = {}
        unk = getattr(self.model, "unk_id", None) if self.model.kind == "Unigram" else None
        if unk is not None:
            for k in np.flatnonzero(ids == unk).tolist():
                unknown[k] = out[st[k] : en[k]].tobytes().decode("utf-32-le", "surrogatepass")
        words = np.zeros(len(ids), dtype=np.int64)
        return SegmentTokens(np.asarray(ids, dtype=np.int32), starts, ends, words, seg_tokens, unknown)
