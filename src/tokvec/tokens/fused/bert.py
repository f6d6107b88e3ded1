"""The fast path for BERT: BertNormalizer + BertPreTokenizer + WordPiece fused in numba, over a batch.

:meth:`BertFastPath.maybe` returns a path when a tokenizer's normalizer, pre-tokenizer and model
are exactly these three; :meth:`BertFastPath.encode_segments` then gives the same ids and offsets
as running the three components one after the other (see :mod:`tokvec.kernels.bert`).

Each character is normalized on its own through a table built once per (strip accents, lower
case) setting. subtle: this equals ``tokenizers`` except where NFD's canonical reordering moves a
mark that survives accent stripping (a spacing mark with a combining class, e.g. U+1B44 after an
accent), because reordering makes ``tokenizers``' alignment positional; segments holding such a
character take the component-by-component path.

Profile (``bench/profile_encode.py``, bert-base-uncased, 8 MB of ELTeC lines, 1.7 M words, one thread,
quiet machine, 2026-12-04): ``encode_batch(add_special_tokens=False)`` 269 ms = normalize and split
72 + WordPiece 102 + 49 of numpy in :meth:`BertFastPath.encode_segments` (the slow-character test
gathers a flag for every character; segment and word ids) + 46 in :mod:`.run` and the tokenizer
(UTF-32, added-token search, offsets). Before issue 19 the two kernels took 0.82 and 0.38 s of a
1.7 s call: they were sized for the widest replacement of every character (2.8 GB of address
space for 8 MB) and trimmed by copies.

>>> from tokvec.tokens.normalizers.bert import BertNormalizer
>>> from tokvec.tokens.pre_tokenizers import BertPreTokenizer
>>> from tokvec.tokens.models.wordpiece import WordPiece
>>> wp = WordPiece({"[UNK]": 0, "hello": 1, "!": 2, "wo": 3, "##rld": 4})
>>> path = BertFastPath.maybe(BertNormalizer(), BertPreTokenizer(), wp)
>>> cps = np.frombuffer("Héllo, WORLD!".encode("utf-32-le"), dtype=np.uint32)
>>> ids, starts, ends, words, seg_tokens, unknown = path.encode_segments(cps, np.array([0, 13]))
>>> ids.tolist(), starts.tolist(), ends.tolist(), words.tolist()
([1, 0, 3, 4, 2], [0, 5, 7, 9, 12], [5, 6, 9, 12, 13], [0, 1, 2, 2, 3])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ...kernels import bert as kb
from ..models.wordpiece import WordPiece
from ..normalized import NormalizedText
from ..normalizers import hf_unicode as hu
from ..normalizers.bert import BertNormalizer
from ..pre_tokenizers import BertPreTokenizer
from .protocol import SegmentTokens


@functools.cache
def char_map(strip: bool, lower: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (map_idx int32[0x110000], map_off int64[K+1], map_vals uint32[M], slow bool[0x110000]).

    The mapping of one character: NFD without nonspacing marks (``strip``), then each character
    lower-cased (``lower``). ``slow`` marks characters whose mapping keeps a non-starter.
    """
    marks = hu.char_set(hu.NONSPACING_MARK)
    over = set(hu.overrides("NFD")) | set(hu.overrides("lower"))
    keys: list[int] = []
    texts: list[str] = []
    slow = np.zeros(0x110000, dtype=np.bool_)
    for c in [*range(0x30000), *map(ord, over)]:
        ch = chr(c)
        out = ch
        if strip:
            out = "".join(x for x in hu.single("NFD", ch) if x not in marks)
            slow[c] = any(hu.combining(x) for x in out)
        if lower:
            out = "".join(hu.single("lower", x) for x in out)
        if out != ch:
            keys.append(c)
            texts.append(out)
    map_idx = np.full(0x110000, -1, dtype=np.int32)
    map_idx[np.array(keys, dtype=np.int64)] = np.arange(len(keys), dtype=np.int32)
    map_off = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=map_off[1:])
    map_vals = np.array([ord(x) for t in texts for x in t], dtype=np.uint32)
    return map_idx, map_off, map_vals, slow


@dataclass(frozen=True, eq=False)
class BertFastPath:
    """BertNormalizer + BertPreTokenizer + WordPiece as one numba pass (build with :meth:`maybe`)."""

    normalizer: BertNormalizer
    model: WordPiece

    @classmethod
    def maybe(cls, normalizer, pre_tokenizer, model) -> BertFastPath | None:
        """Return the fast path when the three components are BERT's, else None."""
        if type(normalizer) is BertNormalizer and type(pre_tokenizer) is BertPreTokenizer and type(model) is WordPiece:
            return cls(normalizer, model)
        return None

    def encode_segments(
        self, cps: np.ndarray, seg_bounds: np.ndarray, seg_text_start: np.ndarray | None = None
    ) -> SegmentTokens:
        """Encode every segment ``cps[seg_bounds[s]:seg_bounds[s+1]]`` (uint32 code points); see
        :meth:`tokvec.tokens.fused.protocol.FastPath.encode_segments` (``seg_text_start`` unused: BERT splits
        every segment the same way wherever its text starts; WordPiece spells unknown tokens as ``[UNK]``)."""
        cps = np.ascontiguousarray(cps, dtype=np.uint32)
        seg_bounds = np.ascontiguousarray(seg_bounds, dtype=np.int64)
        norm = self.normalizer
        map_idx, map_off, map_vals, slow = char_map(norm.strips_accents, norm.lowercase)
        ncp, nsrc, word_bounds, seg_words = kb.normalize_split(
            cps, seg_bounds, hu.flags(), map_idx, map_off, map_vals, norm.clean_text, norm.handle_chinese_chars
        )
        edges, node_id, cont_root = self.model.trie
        ids, starts, ends, words, word_first = kb.wordpiece_words(
            edges, node_id, cont_root, self.model.unk_id, self.model.max_input_chars_per_word, ncp, nsrc, word_bounds
        )
        self.model.check_unknown(ids)
        seg_tokens = word_first[seg_words]
        words -= np.repeat(seg_words[:-1], np.diff(seg_tokens))
        if norm.strips_accents and len(cps) and slow[cps].any():
            ids, starts, ends, words, seg_tokens = self._redo_slow(
                cps, seg_bounds, slow, (ids, starts, ends, words, seg_tokens)
            )
        return SegmentTokens(ids, starts, ends, words, seg_tokens, {})

    def _redo_slow(self, cps, seg_bounds, slow, fast):
        """Re-encode the segments that hold a ``slow`` character component by component."""
        ids, starts, ends, words, seg_tokens = fast
        parts: list[tuple[np.ndarray, ...]] = []
        pre = BertPreTokenizer()
        for s in range(len(seg_bounds) - 1):
            lo, hi = int(seg_bounds[s]), int(seg_bounds[s + 1])
            a, b = int(seg_tokens[s]), int(seg_tokens[s + 1])
            if not slow[cps[lo:hi]].any():
                parts.append((ids[a:b], starts[a:b], ends[a:b], words[a:b]))
                continue
            text = cps[lo:hi].tobytes().decode("utf-32-le", "surrogatepass")
            nt = self.normalizer.normalize(NormalizedText.identity(text))
            nt, bounds = pre.pre_tokenize(nt, np.array([0, len(nt.text)]))
            t_ids, t_s, t_e = self.model.encode_pieces(nt.code_points(), bounds)
            t_words = np.searchsorted(bounds, t_s, side="right") - 1
            parts.append((t_ids, lo + nt.align[t_s, 0], lo + nt.align[t_e - 1, 1], t_words.astype(np.int64)))
        counts = np.array([len(p[0]) for p in parts], dtype=np.int64)
        seg_tokens = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(counts, out=seg_tokens[1:])
        cat = [np.concatenate([p[k] for p in parts]) if parts else np.zeros(0) for k in range(4)]
        return cat[0].astype(np.int32), cat[1].astype(np.int64), cat[2].astype(np.int64), cat[3], seg_tokens
