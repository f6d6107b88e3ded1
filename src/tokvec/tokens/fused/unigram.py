"""The fast path for SentencePiece-style pipelines: Precompiled + (WhitespaceSplit,) Metaspace + Unigram, over a batch.

:meth:`UnigramFastPath.maybe` returns a path when a tokenizer's normalizer is a Precompiled
character map (or none), its pre-tokenizer Metaspace (alone or after WhitespaceSplit) and its model
Unigram (T5, ALBERT, XLNet, mT5 files). :meth:`UnigramFastPath.encode_segments` then gives the same
ids, offsets, word ids and unknown-token spellings as running the components one after the other:

1. the character map runs on the code points of the whole batch at once
   (:func:`tokvec.kernels.charsmap.first_match_each`); subtle: Hugging Face applies it by grapheme
   cluster, so segments holding a character that may join a cluster take the Python normalizer;
2. :func:`tokvec.kernels.metaspace.metaspace_pieces` cuts every segment into pieces;
3. one Viterbi call (:func:`tokvec.kernels.unigram.viterbi`) segments every piece of the batch.

Profile (``bench/profile_encode.py``, t5-small, 8 MB of ELTeC lines, 1.4 M pieces, one thread, quiet
machine, 2026-12-04): ``encode_batch`` 715 ms = the character map 126 + the rest of :meth:`normalize`
79 (the joiner test: a gather and a cumulative sum over every character, and ``searchsorted``) +
Metaspace 64 + Viterbi 195 + some 250 ms of numpy here and in :mod:`.run` (pieces to segments, word
ids, offsets: five arrays of a token each). Before issue 19 the three kernels took 0.35, 0.12 and
0.49 s (arrays rebound in their loops, trimmed copies, a scratch for the whole text); those 250 ms
are the next thing to move into a kernel.

>>> import tokvec
>>> t5 = tokvec.load("t5-small")
>>> path = UnigramFastPath.maybe(t5.pipeline.normalizer, t5.pipeline.pre_tokenizer, t5.pipeline.model)
>>> cps = np.frombuffer("Hello world".encode("utf-32-le"), dtype=np.uint32)
>>> ids, starts, ends, words, seg_tokens, unknown = path.encode_segments(cps, np.array([0, 11]))
>>> ids.tolist(), starts.tolist(), ends.tolist(), words.tolist()
([8774, 296], [0, 6], [5, 11], [0, 1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...kernels import charsmap as kc
from ...kernels import metaspace as km
from ..models.unigram import UnigramModel
from ..normalized import NormalizedText
from ..normalizers import hf_unicode as hu
from ..normalizers.precompiled import Precompiled, joiners
from ..pre_tokenizers import Metaspace, Sequence, WhitespaceSplit
from .protocol import SegmentTokens

_PREPEND = {"never": 0, "always": 1, "first": 2}


@dataclass(frozen=True, eq=False)
class UnigramFastPath:
    """Precompiled (or none) + [WhitespaceSplit] + Metaspace + Unigram in kernels (build with :meth:`maybe`)."""

    normalizer: Precompiled | None
    whitespace_split: bool
    metaspace: Metaspace
    model: UnigramModel

    @classmethod
    def maybe(cls, normalizer, pre_tokenizer, model) -> UnigramFastPath | None:
        """Return the fast path when the three components are these, else None."""
        if type(model) is not UnigramModel or not (normalizer is None or type(normalizer) is Precompiled):
            return None
        parts = pre_tokenizer.pretokenizers if type(pre_tokenizer) is Sequence else (pre_tokenizer,)
        kinds = tuple(type(p) for p in parts)
        if kinds == (Metaspace,):
            return cls(normalizer, False, parts[0], model)
        if kinds == (WhitespaceSplit, Metaspace):
            return cls(normalizer, True, parts[1], model)
        return None

    def normalize(self, cps: np.ndarray, seg_bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (ncps uint32[N], nsrc int64[N], normalized segment bounds int64[S+1])."""
        cm = self.normalizer.charsmap if self.normalizer is not None else None
        if cm is None or len(cm.units) == 0 or not len(cps):
            return cps, np.arange(len(cps), dtype=np.int64), seg_bounds
        out, src = kc.first_match_each(cps, cm.units, cm.blob_cps, cm.blob_at)
        nb = np.searchsorted(src, seg_bounds, side="left").astype(np.int64)
        joins = np.concatenate([[0], np.cumsum(joiners()[cps])])
        slow = np.flatnonzero(joins[seg_bounds[1:]] > joins[seg_bounds[:-1]])
        if not len(slow):
            return out, src, nb
        cps_parts, src_parts, lengths = [], [], np.diff(nb)
        done = 0  # normalized position up to which the kernel's output is kept
        for s in slow.tolist():
            lo, hi = int(seg_bounds[s]), int(seg_bounds[s + 1])
            cps_parts.append(out[done : nb[s]])
            src_parts.append(src[done : nb[s]])
            text = cps[lo:hi].tobytes().decode("utf-32-le", "surrogatepass")
            nt = self.normalizer.normalize(NormalizedText.identity(text))
            cps_parts.append(nt.code_points())
            src_parts.append(np.asarray(nt.align[:, 0], dtype=np.int64) + lo)
            lengths[s] = len(nt.text)
            done = int(nb[s + 1])
        cps_parts.append(out[done:])
        src_parts.append(src[done:])
        nb = np.zeros(len(seg_bounds), dtype=np.int64)
        np.cumsum(lengths, out=nb[1:])
        return np.concatenate(cps_parts).astype(np.uint32), np.concatenate(src_parts), nb

    def encode_segments(
        self, cps: np.ndarray, seg_bounds: np.ndarray, seg_text_start: np.ndarray | None = None
    ) -> SegmentTokens:
        """Encode every segment ``cps[seg_bounds[s]:seg_bounds[s+1]]`` (uint32 code points).

        ``seg_text_start`` int64[S]: where each segment's text starts in ``cps`` (default: each
        segment is a text; it matters for ``prepend_scheme="first"``). Returns (ids int32[T],
        starts int64[T], ends int64[T], words int64[T], seg_tokens int64[S+1], unknown): offsets as
        positions in ``cps``, each token's pre-token index within its segment, each segment's first
        token, and the spelling of every unknown token (token index -> the text it covers).
        """
        cps = np.ascontiguousarray(cps, dtype=np.uint32)
        seg_bounds = np.ascontiguousarray(seg_bounds, dtype=np.int64)
        starts_of = seg_bounds[:-1] if seg_text_start is None else np.asarray(seg_text_start, dtype=np.int64)
        ncps, nsrc, nb = self.normalize(cps, seg_bounds)
        ms = self.metaspace
        pcps, psrc, piece_bounds, seg_pieces = km.metaspace_pieces(
            ncps, nsrc, nb, starts_of, hu.flags(), hu.WHITESPACE, self.whitespace_split, ord(ms.replacement),
            _PREPEND[ms.prepend_scheme], ms.split_words,
        )  # fmt: skip
        ids, st, en = self.model.encode_pieces(pcps, piece_bounds)
        piece_of = np.searchsorted(piece_bounds, st, side="right") - 1
        seg_tokens = np.searchsorted(piece_of, seg_pieces).astype(np.int64)
        seg_of = np.repeat(np.arange(len(seg_bounds) - 1, dtype=np.int64), np.diff(seg_tokens))
        words = piece_of - seg_pieces[seg_of]
        starts = psrc[st]
        ends = psrc[np.maximum(en, st + 1) - 1] + 1
        unknown: dict[int, str] = {}
        if self.model.unk_id is not None:
            for k in np.flatnonzero(ids == self.model.unk_id).tolist():
                unknown[k] = pcps[st[k] : en[k]].tobytes().decode("utf-32-le", "surrogatepass")
        return SegmentTokens(
            ids.astype(np.int32, copy=False), starts, ends, words.astype(np.int64), seg_tokens, unknown
        )
