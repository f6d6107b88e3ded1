"""The component-by-component path: added tokens, normalizer, pre-tokenizer and model, one stage at a time.

For each text (and the second text of a pair):

1. **added tokens** are cut out of the original text (``normalized=False`` ones), the rest is
   normalized, and ``normalized=True`` added tokens are cut out of the normalized text;
2. each remaining segment is **pre-tokenized** into pieces ("words"; empty pieces are dropped);
3. the code points of every piece of every text of the batch go to the **model** in one call
   (``Model.encode_pieces``), which answers in code-point positions;
4. positions map back to characters of the original text through the alignment of
   :class:`NormalizedText` (the smallest start and largest end over a token's characters).

Every pipeline can take this path; a fast path (:mod:`tokvec.tokens.fused`) must equal it field for field.
Truncation, post-processing and padding follow in :mod:`tokvec.tokens.engines.pipeline`.

>>> import tokvec
>>> bert = tokvec.load("bert-base-uncased").pipeline
>>> [e.tokens for e in encode_sequences(bert, ["Hi there", "ok"], [0, 0])]
[['hi', 'there'], ['ok']]
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from ..added import AddedVocabulary
from ..encoding import Encoding
from ..normalized import NormalizedText
from ..offset_units import frozen
from ..vocab_table import TokenTable

_EMPTY_I64 = np.zeros(0, dtype=np.int64)


class Pipeline(Protocol):
    """What this path reads of a :class:`~tokvec.tokens.engines.pipeline.Pipeline` (no import back)."""

    added: AddedVocabulary
    normalizer: Any
    pre_tokenizer: Any
    model: Any
    table: TokenTable


def _segment(text: str, start: int) -> NormalizedText:
    pos = np.arange(start, start + len(text) + 1, dtype=np.int64)
    return NormalizedText(text, np.stack([pos[:-1], pos[1:]], axis=1))


def encode_sequences(
    pipeline: Pipeline, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
) -> list[Encoding]:
    """Encode each text component by component (what the fast path must equal); see the module docstring."""
    added = pipeline.added if added is None else added
    plans: list[list[tuple]] = []
    cps_parts: list[np.ndarray] = []
    bound_parts: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
    align_parts: list[np.ndarray] = []
    n_cps = 0
    n_pieces = 0
    for text in texts:
        plan: list[tuple] = []
        for s, e, tid in added.split(text):
            if tid is not None:
                plan.append(("added", tid, s, e, text[s:e]))
                continue
            nt = _segment(text[s:e], s)
            if pipeline.normalizer is not None:
                nt = pipeline.normalizer.normalize(nt)
            for s2, e2, tid2 in added.split_normalized(nt.text):
                if tid2 is not None:
                    span = nt.align[s2:e2]
                    plan.append(("added", tid2, int(span[:, 0].min()), int(span[:, 1].max()), nt.text[s2:e2]))
                    continue
                sub = nt if (s2, e2) == (0, len(nt.text)) else NormalizedText(nt.text[s2:e2], nt.align[s2:e2])
                bounds = np.array([0, len(sub.text)], dtype=np.int64)
                if pipeline.pre_tokenizer is not None:
                    sub, bounds = pipeline.pre_tokenizer.pre_tokenize(sub, bounds)
                bounds = np.unique(np.asarray(bounds, dtype=np.int64))
                if len(bounds) < 2:
                    continue
                cps = sub.code_points()
                align = np.asarray(sub.align, dtype=np.int64)
                if bounds[0] != 0 or bounds[-1] != len(cps):
                    # subtle: text before the first or after the last piece belongs to no piece: dropped
                    cps, align = cps[bounds[0] : bounds[-1]], align[bounds[0] : bounds[-1]]
                    bounds = bounds - bounds[0]
                plan.append(("pieces", n_pieces, len(bounds) - 1))
                cps_parts.append(cps)
                align_parts.append(align)
                bound_parts.append(bounds[1:] + n_cps)
                n_cps += len(cps)
                n_pieces += len(bounds) - 1
        plans.append(plan)
    all_bounds = np.concatenate(bound_parts)
    if n_cps:
        all_cps = np.concatenate(cps_parts)
        ids, starts, ends = pipeline.model.encode_pieces(all_cps, all_bounds)
        align = np.concatenate(align_parts)
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.maximum(np.asarray(ends, dtype=np.int64), starts + 1)
        idx = np.empty(2 * len(starts), dtype=np.int64)
        idx[0::2] = starts
        idx[1::2] = ends
        lo = np.minimum.reduceat(np.append(align[:, 0], 0), idx)[0::2] if len(idx) else _EMPTY_I64
        hi = np.maximum.reduceat(np.append(align[:, 1], 0), idx)[0::2] if len(idx) else _EMPTY_I64
        piece_of = np.searchsorted(all_bounds, starts, side="right") - 1
        piece_tokens = np.searchsorted(piece_of, np.arange(n_pieces + 1))
    else:
        ids = np.zeros(0, np.int32)
        lo = hi = piece_of = _EMPTY_I64
        piece_tokens = np.zeros(n_pieces + 1, dtype=np.int64)
    ids = np.asarray(ids, dtype=np.int32)
    unk = _unknown_spelling(pipeline.model, ids, *((all_cps, starts, ends) if n_cps else (None, None, None)))
    return [_assemble(pipeline, plan, type_id, text, ids, lo, hi, piece_of, piece_tokens, unk)
            for plan, type_id, text in zip(plans, type_ids, texts, strict=True)]  # fmt: skip


def _unknown_spelling(model: Any, ids, cps, starts, ends) -> tuple[np.ndarray, list[str]]:
    """Unigram spells an unknown token as the text it covers (BPE and WordPiece as the unk token)."""
    unk_id = getattr(model, "unk_id", None) if model.kind == "Unigram" else None
    if unk_id is None or cps is None:
        return _EMPTY_I64, []
    where = np.flatnonzero(ids == unk_id)
    text = [cps[starts[k] : ends[k]].tobytes().decode("utf-32-le", "surrogatepass") for k in where.tolist()]
    return where, text


def _assemble(pipeline: Pipeline, plan, type_id, text, ids, lo, hi, piece_of, piece_tokens, unk) -> Encoding:
    unk_at, unk_text = unk
    respelled: dict[int, str] = {}  # token index -> its spelling where it is not the vocabulary's
    id_parts, off_parts, word_parts = [], [], []
    word = 0
    n = 0
    for entry in plan:
        if entry[0] == "added":
            if entry[4] != pipeline.table.spellings[entry[1]]:
                respelled[n] = entry[4]  # subtle: HF spells an added token as the text it matched (" <mask>")
            id_parts.append(np.array([entry[1]], dtype=np.int32))
            off_parts.append(np.array([[entry[2], entry[3]]], dtype=np.int64))
            word_parts.append(np.array([word], dtype=np.int64))
            word += 1
            n += 1
        else:
            _, p0, count = entry
            a, b = piece_tokens[p0], piece_tokens[p0 + count]
            for k in range(np.searchsorted(unk_at, a), np.searchsorted(unk_at, b)):
                respelled[n + int(unk_at[k]) - a] = unk_text[k]
            id_parts.append(ids[a:b])
            off_parts.append(np.stack([lo[a:b], hi[a:b]], axis=1))
            word_parts.append(piece_of[a:b] - p0 + word)
            word += count
            n += b - a
    if not id_parts:
        return _encoding(pipeline.table, ids[:0], np.zeros((0, 2), np.int64), _EMPTY_I64, type_id, text)
    cat = (lambda parts: parts[0]) if len(id_parts) == 1 else np.concatenate
    all_ids = cat(id_parts)
    tokens = None
    if respelled:
        tokens = pipeline.table.spell(all_ids)
        for k, spelled in respelled.items():
            tokens[k] = spelled
    return _encoding(pipeline.table, all_ids, cat(off_parts), cat(word_parts), type_id, text, tokens)


def _encoding(table: TokenTable, ids, offsets, words, type_id, text, tokens=None) -> Encoding:
    n = len(ids)
    return Encoding(
        frozen(np.ascontiguousarray(ids)), table, offsets=frozen(np.ascontiguousarray(offsets)), text=text,
        type_ids=frozen(np.full(n, type_id, np.int32)), words=frozen(np.asarray(words, dtype=np.int64)),
        tokens=tokens,
    )  # fmt: skip
