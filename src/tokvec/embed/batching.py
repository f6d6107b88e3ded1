"""From texts to the model's inputs: tokenize, truncate or cut into windows, sort by length, pad.

Texts are tokenized in one ``encode_batch`` call without special tokens (flat ids, character offsets);
the model's special tokens (``[CLS]`` ... ``[SEP]``, ``<s>`` ... ``</s>``) are put around each input here, so
that truncation and windows work on content tokens the way Hugging Face's truncation does.

>>> import numpy as np
>>> w = windows(np.array([0, 10]), max_content=4, stride=1)
>>> w.tolist()
[[0, 4], [3, 7], [6, 10]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import TokvecError


@dataclass(frozen=True)
class Specials:
    """The ids a single-text template puts before and after the content (from the tokenizer itself)."""

    prefix: tuple[int, ...]
    suffix: tuple[int, ...]

    @classmethod
    def of(cls, tokenizer: object) -> Specials:
        """Find them by encoding one word with and without special tokens."""
        with_ = tokenizer.encode("hello").ids.tolist()  # type: ignore[attr-defined]
        plain = tokenizer.encode("hello", add_special_tokens=False).ids.tolist()  # type: ignore[attr-defined]
        for start in range(len(with_) - len(plain) + 1):
            if with_[start : start + len(plain)] == plain:
                return cls(tuple(with_[:start]), tuple(with_[start + len(plain) :]))
        raise TokvecError("cannot find where the tokenizer's template puts the text; is it a single-text template?")

    def __len__(self) -> int:
        return len(self.prefix) + len(self.suffix)


def windows(bounds: np.ndarray, *, max_content: int, stride: int) -> np.ndarray:
    """Return int64 [W, 2] token ranges covering ``bounds[0]:bounds[1]`` with at most ``max_content`` each.

    Consecutive windows overlap by ``stride`` tokens (Hugging Face's meaning of stride); an empty text gets
    one empty window.
    """
    lo, hi = int(bounds[0]), int(bounds[1])
    if stride >= max_content:
        raise TokvecError(f"stride {stride} must be smaller than the {max_content} tokens of a window")
    if hi - lo <= max_content:
        return np.array([[lo, hi]], dtype=np.int64)
    step = max_content - stride
    starts = np.arange(lo, hi - stride, step, dtype=np.int64)
    starts = starts[(starts == lo) | (starts + stride < hi)]
    ends = np.minimum(starts + max_content, hi)
    keep = np.concatenate([[True], ends[:-1] < hi])  # a window ending at hi is the last one
    return np.stack([starts[keep], ends[keep]], axis=1)


@dataclass(frozen=True)
class Inputs:
    """A list of model inputs (content token ranges of a flat id array), one per text or per window."""

    ids: np.ndarray  # int32 [T], content tokens of all texts
    ranges: np.ndarray  # int64 [N, 2] into ids
    owner: np.ndarray  # int64 [N], the text each input belongs to


def pad_batch(
    ids: np.ndarray, ranges: np.ndarray, specials: Specials, *, pad_id: int, roberta_positions: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``input_ids`` int64 [B, S], ``position_ids`` int64 [B, S] and ``mask`` int32 [B, S] for ``ranges``.

    ``roberta_positions``: the padding id after which RoBERTa counts positions (``None``: BERT, from 0).
    """
    pre, suf = np.array(specials.prefix, np.int64), np.array(specials.suffix, np.int64)
    lengths = ranges[:, 1] - ranges[:, 0] + len(pre) + len(suf)
    width = int(lengths.max()) if len(lengths) else 0
    input_ids = np.full((len(ranges), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(ranges), width), dtype=np.int32)
    for r, (a, b) in enumerate(ranges.tolist()):
        row = input_ids[r]
        row[: len(pre)] = pre
        row[len(pre) : len(pre) + b - a] = ids[a:b]
        row[len(pre) + b - a : len(pre) + b - a + len(suf)] = suf
        mask[r, : lengths[r]] = 1
    positions = np.broadcast_to(np.arange(width, dtype=np.int64), (len(ranges), width))
    if roberta_positions is not None:
        positions = np.where(mask > 0, positions + roberta_positions + 1, roberta_positions)
    return input_ids, np.ascontiguousarray(positions), mask


def batch_slices(
    lengths: np.ndarray, batch_size: int, threads: int, max_tokens: int | None = None
) -> list[tuple[int, int]]:
    """Cut inputs (``lengths`` in the order they run, longest first) into batches of at most ``batch_size``.

    ``max_tokens``: a batch also holds at most this many padded tokens (count x longest), but always at
    least one input. A call of many batches takes them in that order, as many as fit. A call of few
    batches (under sixteen per thread, as a server's calls of a hundred texts) would leave a core idle
    while another runs the last, longest-padded batches: there the inputs are cut into a multiple of
    ``threads`` batches whose padded tokens are as equal as the order allows.

    >>> batch_slices(np.array([9, 8, 2, 2, 1, 1]), batch_size=4, threads=2)
    [(0, 2), (2, 6)]
    >>> batch_slices(np.array([3] * 10), batch_size=4, threads=1)
    [(0, 4), (4, 8), (8, 10)]
    >>> batch_slices(np.array([300, 256, 256, 100, 100, 100, 3]), batch_size=32, threads=1, max_tokens=512)
    [(0, 1), (1, 3), (3, 7)]
    """
    n = len(lengths)
    sizes = [int(x) for x in lengths]
    cap = n * max(sizes, default=0) if max_tokens is None else max(int(max_tokens), 1)

    def greedy(limit: int) -> list[tuple[int, int]]:
        out, start = [], 0
        while start < n:
            end = start + 1  # one input always fits
            while end < n and end - start < batch_size and (end + 1 - start) * sizes[start] <= limit:
                end += 1
            out.append((start, end))
            start = end
        return out

    cut = greedy(cap)
    if threads <= 1 or len(cut) >= 16 * threads or n < 2:
        return cut
    want = -(-len(cut) // threads) * threads
    lo = min(max(sizes), cap)  # an input longer than the cap runs alone in any cut
    hi = max(lo, min(max(sizes) * min(n, batch_size), cap))  # hi: what the cut above holds at most
    while lo < hi:  # the smallest padded size per batch for which the greedy cut needs at most `want` batches
        mid = (lo + hi) // 2
        if len(greedy(mid)) <= want:
            hi = mid
        else:
            lo = mid + 1
    return greedy(lo)


def length_order(ranges: np.ndarray) -> np.ndarray:
    """Return the order that sorts inputs longest first (stable), so that a batch pads little."""
    return np.argsort(-(ranges[:, 1] - ranges[:, 0]), kind="stable")
