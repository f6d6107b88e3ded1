"""The general tokenizer pipeline of Hugging Face's ``tokenizer.json``, run on whole batches.

For each text (and the second text of a pair):

1. **added tokens** are cut out of the original text (``normalized=False`` ones), the rest is
   normalized, and ``normalized=True`` added tokens are cut out of the normalized text;
2. each remaining segment is **pre-tokenized** into pieces ("words"; empty pieces are dropped);
3. the code points of every piece of every text of the batch go to the **model** in one call
   (``Model.encode_pieces``), which answers in code-point positions;
4. positions map back to characters of the original text through the alignment of
   :class:`NormalizedText` (the smallest start and largest end over a token's characters);
5. **truncation**, the **post-processor** (special tokens, type ids) and **padding** follow
   Hugging Face's rules (:mod:`tokvec.tokens.padding`, :mod:`tokvec.tokens.processors`).

Decoding spells the ids (added tokens as their content, special ones dropped on request) and runs
the decoder chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import fused
from .added import AddedVocabulary
from .encoding import Encoding, EncodingBatch, replaced
from .normalized import NormalizedText
from .offset_units import clean_text, frozen, has_surrogates
from .padding import Padding, Truncation, pad_batch, truncate_pair
from .processors import post_process, trims_offsets
from .vocab_table import TokenTable, space_counts

_EMPTY_I64 = np.zeros(0, dtype=np.int64)


def _mapped(e: Encoding, where: np.ndarray | None) -> Encoding:
    """``e`` with offsets moved to the input's characters (``where``: a joined surrogate pair is two there)."""
    if where is None:
        return e
    over = [_mapped(o, where) for o in e.overflowing]
    return replaced(e, offsets=frozen(where[e.offsets]), byte_offsets=e.byte_offsets, text=None, overflowing=over)


def _segment(text: str, start: int) -> NormalizedText:
    pos = np.arange(start, start + len(text) + 1, dtype=np.int64)
    return NormalizedText(text, np.stack([pos[:-1], pos[1:]], axis=1))


@dataclass(frozen=True, eq=False)
class Pipeline:
    """normalizer -> pre-tokenizer -> model -> post-processor, with added tokens, padding and truncation."""

    model: Any
    added: AddedVocabulary
    normalizer: Any = None
    pre_tokenizer: Any = None
    post_processor: Any = None
    decoder: Any = None
    padding: Padding | None = None
    truncation: Truncation | None = None
    _id_to_token: list[str | None] = field(init=False, repr=False)
    #: the read-only id -> token table every Encoding of this pipeline spells its tokens from
    table: TokenTable = field(init=False, repr=False)

    def __post_init__(self) -> None:
        vocab = self.model.get_vocab()
        # subtle: ids may repeat or leave gaps, so the largest id sizes the table (files check it is sane)
        size = max(self.model.vocab_size, max(self.added.by_id, default=-1) + 1, max(vocab.values(), default=-1) + 1)
        table: list[str | None] = [None] * size
        for tok, i in vocab.items():
            table[i] = tok
        for i, t in self.added.by_id.items():
            table[i] = t.content
        object.__setattr__(self, "_id_to_token", table)
        spaces = space_counts(table) if trims_offsets(self.post_processor) else None
        object.__setattr__(self, "table", TokenTable.of_spellings("the vocabulary", table, self.decoder,
                                                                  space_counts=spaces))  # fmt: skip

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the derived values (fused-path tables; rebuilt on first use)."""
        return {k: v for k, v in self.__dict__.items() if k != "_derived"}

    def cached(self, key: str, build):
        """Return a value derived from this immutable pipeline, built once (``build()``) on first use."""
        store = self.__dict__.setdefault("_derived", {})
        if key not in store:
            store[key] = build()
        return store[key]

    def spellings(self) -> list[str]:
        """The spelling of every id ('' where an id has no token)."""
        return [t if t is not None else "" for t in self._id_to_token]

    @property
    def vocab_size(self) -> int:
        """Number of ids, added tokens included."""
        return len(self._id_to_token)

    def id_to_token_list(self, ids) -> list[str]:
        """Spell ids (added tokens as their content)."""
        return self.table.spell(ids)

    def token_to_id(self, token: str) -> int | None:
        """Return the id of ``token`` (added tokens first), or None."""
        t = self.added.by_content.get(token)
        return t.id if t is not None else self.model.token_to_id(token)

    # ----------------------------------------------------------------- encoding
    def encode(
        self,
        items: list[tuple[str, str | None]],
        *,
        add_special_tokens: bool = True,
        added: AddedVocabulary | None = None,
    ) -> list[Encoding]:
        """Encode texts or pairs; truncation, post-processing and padding as configured.

        ``added``: the added tokens to split out of the text (default: all of them, as Hugging Face
        does; :meth:`AddedVocabulary.allowing` leaves special tokens out, so their text is read as text).
        Surrogates are read as every engine reads them (:func:`~tokvec.tokens.offset_units.clean_text`).
        """
        firsts = [a for a, _ in items]
        seconds = [b for _, b in items if b is not None]
        raw, wheres = self._encode_clean(firsts + seconds, [0] * len(firsts) + [1] * len(seconds), added)
        pairs = iter(range(len(firsts), len(raw)))
        table = self.table
        out = []
        for k, (_, b) in enumerate(items):
            first, where = raw[k], wheres[k]
            second = None
            if b is not None:  # subtle: offsets of a pair move to the input's characters before post-processing
                j = next(pairs)
                first, second, where = _mapped(first, where), _mapped(raw[j], wheres[j]), None
            if self.truncation is not None:
                n_added = 0
                if add_special_tokens and self.post_processor is not None:
                    n_added = self.post_processor.added_tokens(second is not None)
                first, second = truncate_pair(first, second, self.truncation, n_added)
            out.append(_mapped(post_process(self.post_processor, first, second, add_special_tokens, table), where))
        if self.padding is not None:
            out = pad_batch(out, self.padding)
        return out

    def encode_batch(
        self,
        items: list[tuple[str, str | None]],
        *,
        add_special_tokens: bool = True,
        num_threads: int = 1,
        added: AddedVocabulary | None = None,
    ) -> EncodingBatch:
        """Encode texts or pairs into a batch; single texts on a fused path stay flat arrays (no loop per text).

        ``num_threads`` is used by the fused paths (BERT, T5-style Unigram, SentencePiece) for batches of single texts
        without padding or truncation; the component-by-component path runs on one thread. ``added`` as in
        :meth:`encode`.
        """
        path = fused.fused_path(self)
        texts = fused.batch_items(items) if path is not None else None
        if texts is not None and self.truncation is None and self.padding is None:
            cleaned = [clean_text(t) for t in texts] if has_surrogates(texts) else None
            if cleaned is None or all(where is None for _, where in cleaned):  # else (a pair joined) the path below
                texts = texts if cleaned is None else [t for t, _ in cleaned]
                flat = fused.encode_flat_threads(self, path, texts, num_threads, added)
                flat = fused.add_specials(self, flat, add_special_tokens)
                if flat is not None:
                    f = fused.freeze(flat)
                    return EncodingBatch.of_columns(f.ids, f.bounds, self.table, texts, offsets=f.offsets,
                                                    words=f.words, type_ids=f.type_ids, special=f.special,
                                                    respelled=f.respelled)  # fmt: skip
        encs = self.encode(items, add_special_tokens=add_special_tokens, added=added)
        return EncodingBatch.of(encs, self.table)

    def encode_sequences(
        self, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
    ) -> list[Encoding]:
        """Encode each text on its own (no special tokens, no truncation): offsets, word ids, type ids.

        Offsets are characters of each text as given, byte offsets bytes of its clean UTF-8.
        """
        raw, wheres = self._encode_clean(texts, type_ids, added)
        return [_mapped(e, where) for e, where in zip(raw, wheres, strict=True)]

    def _encode_clean(
        self, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
    ) -> tuple[list[Encoding], list[np.ndarray | None]]:
        """:meth:`encode_sequences` with offsets in the clean texts, and each text's map to its own characters."""
        if not has_surrogates(texts):
            clean, wheres = texts, [None] * len(texts)
        else:
            cleaned = [clean_text(t) for t in texts]
            clean, wheres = [t for t, _ in cleaned], [where for _, where in cleaned]
        path = fused.fused_path(self)
        if path is not None:  # the fused kernel: the same results as the component loop below
            out = fused.split_encodings(fused.encode_flat(self, path, clean, added), type_ids, self.table, clean)
        else:
            out = self.encode_sequences_general(clean, type_ids, added)
        return out, wheres

    def encode_sequences_general(
        self, texts: list[str], type_ids: list[int], added: AddedVocabulary | None = None
    ) -> list[Encoding]:
        """Encode each text component by component (what the fused path must equal)."""
        added = self.added if added is None else added
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
                if self.normalizer is not None:
                    nt = self.normalizer.normalize(nt)
                for s2, e2, tid2 in added.split_normalized(nt.text):
                    if tid2 is not None:
                        span = nt.align[s2:e2]
                        plan.append(("added", tid2, int(span[:, 0].min()), int(span[:, 1].max()), nt.text[s2:e2]))
                        continue
                    sub = nt if (s2, e2) == (0, len(nt.text)) else NormalizedText(nt.text[s2:e2], nt.align[s2:e2])
                    bounds = np.array([0, len(sub.text)], dtype=np.int64)
                    if self.pre_tokenizer is not None:
                        sub, bounds = self.pre_tokenizer.pre_tokenize(sub, bounds)
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
            ids, starts, ends = self.model.encode_pieces(all_cps, all_bounds)
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
        unk = self._unknown_spelling(ids, *((all_cps, starts, ends) if n_cps else (None, None, None)))
        return [self._assemble(plan, type_id, text, ids, lo, hi, piece_of, piece_tokens, unk)
                for plan, type_id, text in zip(plans, type_ids, texts, strict=True)]  # fmt: skip

    def _unknown_spelling(self, ids, cps, starts, ends) -> tuple[np.ndarray, list[str]]:
        """Unigram spells an unknown token as the text it covers (BPE and WordPiece as the unk token)."""
        unk_id = getattr(self.model, "unk_id", None) if self.model.kind == "Unigram" else None
        if unk_id is None or cps is None:
            return _EMPTY_I64, []
        where = np.flatnonzero(ids == unk_id)
        text = [cps[starts[k] : ends[k]].tobytes().decode("utf-32-le", "surrogatepass") for k in where.tolist()]
        return where, text

    def _assemble(self, plan, type_id, text, ids, lo, hi, piece_of, piece_tokens, unk) -> Encoding:
        unk_at, unk_text = unk
        respelled: dict[int, str] = {}  # token index -> its spelling where it is not the vocabulary's
        id_parts, off_parts, word_parts = [], [], []
        word = 0
        n = 0
        for entry in plan:
            if entry[0] == "added":
                if entry[4] != self._id_to_token[entry[1]]:
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
            return self._encoding(ids[:0], np.zeros((0, 2), np.int64), _EMPTY_I64, type_id, text)
        cat = (lambda parts: parts[0]) if len(id_parts) == 1 else np.concatenate
        all_ids = cat(id_parts)
        tokens = None
        if respelled:
            tokens = self.id_to_token_list(all_ids)
            for k, spelled in respelled.items():
                tokens[k] = spelled
        return self._encoding(all_ids, cat(off_parts), cat(word_parts), type_id, text, tokens)

    def _encoding(self, ids, offsets, words, type_id, text, tokens=None) -> Encoding:
        n = len(ids)
        return Encoding(
            frozen(np.ascontiguousarray(ids)), self.table, offsets=frozen(np.ascontiguousarray(offsets)), text=text,
            type_ids=frozen(np.full(n, type_id, np.int32)), words=frozen(np.asarray(words, dtype=np.int64)),
            tokens=tokens,
        )  # fmt: skip

    # ----------------------------------------------------------------- decoding
    def decode(self, ids, *, skip_special_tokens: bool = True) -> str:
        """Spell ``ids`` (unknown ids are skipped, as Hugging Face does) and run the decoder."""
        table = self._id_to_token
        special = self.added.special_ids() if skip_special_tokens else frozenset()
        tokens = [table[i] for i in np.asarray(ids, dtype=np.int64).ravel().tolist()
                  if 0 <= i < len(table) and table[i] is not None and i not in special]  # fmt: skip
        if self.decoder is None:
            return " ".join(tokens)
        return self.decoder.decode(tokens)
