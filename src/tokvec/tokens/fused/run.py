"""Route a pipeline's batch through fused kernels when its components allow it, as flat arrays.

:func:`choose` picks the fast path of a :class:`~tokvec.tokens.engines.pipeline.Pipeline`'s components (the
pipeline keeps it as ``fast``; None when it must run component by component, or an added token is matched
after normalization):

- BERT: BertNormalizer + BertPreTokenizer + WordPiece (:class:`~tokvec.tokens.fused.bert.BertFastPath`);
- T5-style: Precompiled + [WhitespaceSplit] + Metaspace + Unigram (:mod:`tokvec.tokens.fused.unigram`);
- SentencePiece ``.model`` files: sentencepiece's normalizer + BPE or Unigram
  (:mod:`tokvec.tokens.fused.sentencepiece`).

:func:`encode_flat` then encodes a whole batch in one kernel pass and gives the tokens of every text
as flat arrays (ids, offsets, word ids) plus per-text bounds; added tokens (``[CLS]`` typed in the
text) are cut out first, exactly as the component path does. :func:`add_specials` lays the
post-processor's single-text template (:func:`template`, kept by the pipeline) over the flat arrays
without a Python loop per text. Results equal the component path (and Hugging Face) field for field.

>>> import tokvec
>>> bert = tokvec.load("bert-base-uncased")
>>> flat = encode_flat(bert.pipeline, bert.pipeline.fast, ["Hello [SEP] world", "Héllo!"])
>>> flat.ids.tolist(), flat.bounds.tolist(), flat.words.tolist()
([7592, 102, 2088, 7592, 999], [0, 3, 5], [0, 1, 2, 0, 1])
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ...kernels.spans import relative_offsets
from ..added import AddedVocabulary
from ..encoding import Encoding
from ..offset_units import frozen
from ..processors import BertProcessing, TemplateProcessing, post_process
from ..vocab_table import TokenTable
from .bert import BertFastPath
from .protocol import FastPath
from .sentencepiece import SentencePieceFastPath
from .unigram import UnigramFastPath


class Pipeline(Protocol):
    """What the fast paths read of a :class:`~tokvec.tokens.engines.pipeline.Pipeline` (kept here: no import back)."""

    added: AddedVocabulary
    table: TokenTable
    templates: tuple[Template | None, Template | None]


#: every fast path, tried in this order by :func:`choose`
PATHS: tuple[type, ...] = (BertFastPath, UnigramFastPath, SentencePieceFastPath)
_PLAIN_PROCESSORS = (type(None), TemplateProcessing, BertProcessing)


@dataclass(frozen=True)
class Template:
    """The single-text template of a post-processor that only places special tokens around the text:
    ``prefix`` ids and ``prefix_types`` before, the text's ``seq_type``, ``suffix`` ids and ``suffix_types`` after."""

    prefix: np.ndarray
    prefix_types: np.ndarray
    seq_type: int
    suffix: np.ndarray
    suffix_types: np.ndarray


def choose(normalizer: Any, pre_tokenizer: Any, model: Any, added: AddedVocabulary) -> FastPath | None:
    """The fast path of these components, or None when they must run component by component.

    None also when an added token is matched after normalization (the fast paths cut added tokens out of the
    raw text only).
    """
    if added.has_normalized:
        return None
    for path in PATHS:
        found = path.maybe(normalizer, pre_tokenizer, model)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class FlatEncodings:
    """The tokens of D texts: ``ids`` int32[T], ``offsets`` int64[T, 2] (characters of each text),
    ``words`` int64[T] (-1 for special tokens), ``bounds`` int64[D+1] (text k is ``bounds[k]:bounds[k+1]``),
    ``type_ids`` int32[T] and ``special`` int8[T] (special-tokens mask) once :func:`add_specials` ran,
    and ``respelled`` (token index -> spelling, where HF spells an added token as the text it matched)."""

    ids: np.ndarray
    offsets: np.ndarray
    words: np.ndarray
    bounds: np.ndarray
    type_ids: np.ndarray | None = None
    special: np.ndarray | None = None
    respelled: dict[int, str] = field(default_factory=dict)
    #: the keys of ``respelled``, sorted: a text's share is found by bisection, not by a scan of the whole batch
    respelled_at: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = np.fromiter(self.respelled, dtype=np.int64, count=len(self.respelled))
        object.__setattr__(self, "respelled_at", np.sort(keys))

    def tokens_of(self, table: TokenTable, lo: int, hi: int) -> list[str] | None:
        """The token spellings of tokens ``lo..hi-1`` when one of them is respelled, else None (the vocabulary's)."""
        a, b = np.searchsorted(self.respelled_at, [lo, hi])
        if a == b:
            return None
        tokens = table.spell(self.ids[lo:hi])
        for i in self.respelled_at[a:b].tolist():
            tokens[i - lo] = self.respelled[i]
        return tokens


def _tiles(pipeline: Pipeline, texts: list[str], joined: str, text_start: np.ndarray, added: AddedVocabulary | None):
    """Segment bounds tiling ``joined`` (text starts and added-token spans) and each segment's added id or -1."""
    added = pipeline.added if added is None else added
    pattern = added.raw_pattern
    if pattern is None or pattern.search(joined) is None:
        return text_start, np.full(len(texts), -1, dtype=np.int64), np.arange(len(texts) + 1, dtype=np.int64)
    bounds: list[int] = [0]
    kinds: list[int] = []
    first_seg = [0]
    for text, start in zip(texts, text_start[:-1].tolist(), strict=True):
        for _, e, tid in added.split(text):
            bounds.append(start + e)
            kinds.append(-1 if tid is None else tid)
        first_seg.append(len(kinds))
    return np.array(bounds, dtype=np.int64), np.array(kinds, dtype=np.int64), np.array(first_seg, dtype=np.int64)


def encode_flat(
    pipeline: Pipeline, path: FastPath, texts: list[str], added: AddedVocabulary | None = None
) -> FlatEncodings:
    """Encode ``texts`` (no special tokens, no truncation) in one fused kernel call; see :class:`FlatEncodings`.

    ``added``: the added tokens to cut out (default: the pipeline's, all of them). A text with a
    surrogate raises ``UnicodeEncodeError``: clean it first (:func:`~tokvec.tokens.offset_units.clean_text`).
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_start = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=text_start[1:])
    joined = "".join(texts)
    # subtle: strict, so a text with a surrogate raises UnicodeEncodeError (the caller cleans the texts first)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    seg_bounds, kinds, first_seg = _tiles(pipeline, texts, joined, text_start, added)
    n_seg = len(kinds)
    seg_text = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(first_seg))
    # subtle: Unigram spells an unknown token as the text it covers (HF does), and "first" needs text starts
    ids, starts, ends, words, seg_tokens, unknown = path.encode_segments(cps, seg_bounds, text_start[seg_text])
    if n_seg == len(texts) and not (kinds >= 0).any():  # one segment per text: the tokens are the texts' tokens
        offsets = relative_offsets(starts, ends, seg_tokens, text_start)
        return FlatEncodings(ids.astype(np.int32, copy=False), offsets, words, seg_tokens, respelled=unknown)
    # subtle: an added token is one word of its own; words count on across the segments of one text
    added = kinds >= 0
    seg_ntok = np.diff(seg_tokens)
    last = np.maximum(seg_tokens[1:] - 1, 0)
    seg_nw = np.where(added, 1, np.where(seg_ntok > 0, words[last] + 1 if len(words) else 0, 0))
    run = np.concatenate([[0], np.cumsum(seg_nw)])
    word_base = run[:-1] - run[first_seg[:-1]][seg_text]
    out_count = np.where(added, 1, seg_ntok)
    out_start = np.concatenate([[0], np.cumsum(out_count)]).astype(np.int64)
    total = int(out_start[-1])
    out_ids = np.empty(total, dtype=np.int32)
    out_off = np.empty((total, 2), dtype=np.int64)
    out_words = np.empty(total, dtype=np.int64)
    tok_seg = np.repeat(np.arange(n_seg, dtype=np.int64), seg_ntok)
    keep = ~added[tok_seg]
    k_seg = tok_seg[keep]
    pos = out_start[k_seg] + (np.flatnonzero(keep) - seg_tokens[k_seg])
    base = text_start[seg_text[k_seg]]
    out_ids[pos] = ids[keep]
    out_off[pos, 0] = starts[keep] - base
    out_off[pos, 1] = ends[keep] - base
    out_words[pos] = words[keep] + word_base[k_seg]
    new_index = np.full(len(ids), -1, dtype=np.int64)
    new_index[np.flatnonzero(keep)] = pos
    a_seg = np.flatnonzero(added)
    a_pos = out_start[a_seg]
    a_base = text_start[seg_text[a_seg]]
    out_ids[a_pos] = kinds[a_seg]
    out_off[a_pos, 0] = seg_bounds[a_seg] - a_base
    out_off[a_pos, 1] = seg_bounds[a_seg + 1] - a_base
    out_words[a_pos] = word_base[a_seg]
    spelling = pipeline.table.spell(kinds[a_seg])
    respelled = {int(new_index[k]): spelled for k, spelled in unknown.items() if new_index[k] >= 0}
    for s, p, spelled in zip(a_seg.tolist(), a_pos.tolist(), spelling, strict=True):
        matched = joined[seg_bounds[s] : seg_bounds[s + 1]]
        if matched != spelled:
            respelled[p] = matched  # subtle: HF spells an added token as the text it matched (" <mask>")
    return FlatEncodings(out_ids, out_off, out_words, out_start[first_seg], respelled=respelled)


def encode_flat_threads(
    pipeline: Pipeline, path: FastPath, texts: list[str], threads: int, added: AddedVocabulary | None = None
) -> FlatEncodings:
    """:func:`encode_flat` on ``threads`` threads (the kernels release the GIL); the same result for any count.

    Performance notes: the texts are cut into one chunk per thread of about equal characters; batches
    under ~64k characters stay on one thread, where starting threads costs more than it saves.
    """
    total = sum(map(len, texts))
    threads = max(1, min(threads, len(texts)))
    if threads == 1 or total < 1 << 16:
        return encode_flat(pipeline, path, texts, added)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    cuts = np.unique(
        np.concatenate([[0], np.searchsorted(ends, np.linspace(0, total, threads + 1)[1:-1]), [len(texts)]])
    )
    with ThreadPoolExecutor(threads) as pool:
        parts = list(
            pool.map(lambda k: encode_flat(pipeline, path, texts[cuts[k] : cuts[k + 1]], added), range(len(cuts) - 1))
        )
    shift = np.cumsum([0] + [len(p.ids) for p in parts])
    bounds = np.concatenate([parts[0].bounds[:1]] + [p.bounds[1:] + shift[k] for k, p in enumerate(parts)])
    respelled = {int(i + shift[k]): t for k, p in enumerate(parts) for i, t in p.respelled.items()}
    return FlatEncodings(
        np.concatenate([p.ids for p in parts]), np.concatenate([p.offsets for p in parts]),
        np.concatenate([p.words for p in parts]), bounds, respelled=respelled,
    )  # fmt: skip


def split_encodings(flat: FlatEncodings, type_ids: list[int], table: TokenTable, texts: list[str]) -> list[Encoding]:
    """One :class:`Encoding` per text of ``flat`` (as the general path builds them, before post-processing)."""
    ids, off, words, b = flat.ids, flat.offsets, flat.words, flat.bounds.tolist()
    for a in (ids, off, words):
        a.flags.writeable = False
    out = []
    for k, type_id in enumerate(type_ids):
        lo, hi = b[k], b[k + 1]
        tokens = flat.tokens_of(table, lo, hi)
        out.append(Encoding(ids[lo:hi], table, tokens=tokens, offsets=off[lo:hi], text=texts[k],
                            type_ids=frozen(np.full(hi - lo, type_id, np.int32)), words=words[lo:hi]))  # fmt: skip
    return out


def template(processor: Any, table: TokenTable, add_special_tokens: bool) -> Template | None:
    """The single-text template of ``processor`` (None: no processor), or None when it does more than place
    special tokens around the text (then the batch takes the component path)."""
    if type(processor) not in _PLAIN_PROCESSORS:
        return None
    dummy = Encoding(np.array([-1], np.int32), table, offsets=np.zeros((1, 2), np.int64),
                     type_ids=np.zeros(1, np.int32), words=np.zeros(1, np.int64))  # fmt: skip
    e = post_process(processor, dummy, None, add_special_tokens, table)
    where = np.flatnonzero(e.ids == -1)
    if len(where) != 1 or e.has_own_tokens:
        return None
    k = int(where[0])
    specials = np.ones(len(e), dtype=bool)
    specials[k] = False
    if (e.offsets[specials] != 0).any() or (e.words[specials] != -1).any() or not e.special_tokens_mask[specials].all():
        return None
    return Template(e.ids[:k].copy(), e.type_ids[:k].copy(), int(e.type_ids[k]), e.ids[k + 1 :].copy(),
                    e.type_ids[k + 1 :].copy())  # fmt: skip


def add_specials(pipeline: Pipeline, flat: FlatEncodings, add_special_tokens: bool) -> FlatEncodings | None:
    """Lay the single-text template over every text of ``flat`` (None when the processor needs the general path)."""
    t = pipeline.templates[add_special_tokens]
    if t is None:
        return None
    pre_ids, pre_types, seq_type, post_ids, post_types = t.prefix, t.prefix_types, t.seq_type, t.suffix, t.suffix_types
    p, q = len(pre_ids), len(post_ids)
    n_texts = len(flat.bounds) - 1
    n_tok = len(flat.ids)
    if p == 0 and q == 0:  # performance: nothing to place (add_special_tokens=False), so no copy
        types = np.full(n_tok, seq_type, dtype=np.int32)
        return FlatEncodings(flat.ids, flat.offsets, flat.words, flat.bounds, types, np.zeros(n_tok, np.int8),
                             flat.respelled)  # fmt: skip
    text_of = np.repeat(np.arange(n_texts, dtype=np.int64), np.diff(flat.bounds))
    bounds = flat.bounds + np.arange(n_texts + 1, dtype=np.int64) * (p + q)
    total = n_tok + n_texts * (p + q)
    ids = np.empty(total, dtype=np.int32)
    types = np.empty(total, dtype=np.int32)
    offsets = np.zeros((total, 2), dtype=np.int64)
    words = np.full(total, -1, dtype=np.int64)
    special = np.ones(total, dtype=np.int8)
    pos = np.arange(n_tok, dtype=np.int64) + text_of * (p + q) + p
    ids[pos], types[pos], offsets[pos], words[pos], special[pos] = flat.ids, seq_type, flat.offsets, flat.words, 0
    for j in range(p):
        ids[bounds[:-1] + j], types[bounds[:-1] + j] = pre_ids[j], pre_types[j]
    for j in range(q):
        ids[bounds[1:] - q + j], types[bounds[1:] - q + j] = post_ids[j], post_types[j]
    respelled = {int(pos[i]): s for i, s in flat.respelled.items()}
    return FlatEncodings(ids, offsets, words, bounds, types, special, respelled)


def freeze(flat: FlatEncodings) -> FlatEncodings:
    """Make every array of ``flat`` read-only (a batch hands out views of them)."""
    for a in (flat.ids, flat.offsets, flat.words, flat.bounds, flat.type_ids, flat.special):
        if a is not None:
            a.flags.writeable = False
    return flat


def batch_items(items: list[tuple[str, Any]]) -> list[str] | None:
    """The texts of ``items`` when none is a pair (the flat batch handles single texts only), else None."""
    if any(b is not None for _, b in items):
        return None
    return [a for a, _ in items]
