"""Rewrite a NormalizedText character by character, keeping the alignment the way ``tokenizers`` does.

Every rewrite is a list of new characters, each with a *change*: 0 replaces the next old character,
``-k`` replaces the next ``1 + k`` old characters, ``+1`` inserts a character. This is the
``(char, isize)`` stream of Hugging Face's ``NormalizedString::transform``, and we give it the same
meaning, because token offsets depend on it:

- a character with change <= 0 takes the alignment of the *first* old character it consumes
  (subtle: not the union of what it consumes: NFC's "é" from "e" + U+0301 covers only the "e");
- an inserted character takes the alignment of the last old character consumed before it, or
  ``(0, 0)`` at the very start.

>>> from tokvec.tokens.normalized import NormalizedText
>>> nt = transform(NormalizedText.identity("ab"), ["a", "x", "b"], [0, 1, 0])
>>> nt.text, nt.align.tolist()
('axb', [[0, 1], [0, 1], [1, 2]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..normalized import NormalizedText


def transform(
    nt: NormalizedText, chars: Sequence[str], changes: Sequence[int] | np.ndarray, initial_offset: int = 0
) -> NormalizedText:
    """Return ``nt`` rewritten as ``chars`` with ``changes`` (see the module docstring).

    ``initial_offset`` old characters are dropped before the first new one.
    """
    text = "".join(chars)
    if len(chars) == 0:
        return NormalizedText(text, np.zeros((0, 2), dtype=np.int64))
    ch = np.asarray(changes, dtype=np.int64)
    inserted = ch > 0
    consumed = np.where(inserted, 0, 1 - ch)
    before = initial_offset + np.cumsum(consumed) - consumed
    source = np.where(inserted, before - 1, before)
    old = nt.align
    if len(old) == 0:
        return NormalizedText(text, np.zeros((len(text), 2), dtype=np.int64))
    align = old[np.clip(source, 0, len(old) - 1)]
    if source.min() < 0:
        align = np.where((source < 0)[:, None], 0, align)
    return NormalizedText(text, np.ascontiguousarray(align, dtype=np.int64))


def keep(nt: NormalizedText, mask: np.ndarray) -> NormalizedText:
    """Return the characters of ``nt`` where ``mask`` (bool[len(text)]) is True, each with its own alignment.

    This is ``tokenizers``' ``filter``: a removed character never changes a kept one's alignment.
    """
    idx = np.flatnonzero(mask)
    if len(idx) == len(nt.text):
        return nt
    text = "".join(nt.text[i] for i in idx.tolist())
    return NormalizedText(text, nt.align[idx])


def slice_text(nt: NormalizedText, start: int, end: int) -> NormalizedText:
    """Return characters ``start:end`` of ``nt``."""
    return NormalizedText(nt.text[start:end], nt.align[start:end])


def concat(parts: Sequence[NormalizedText]) -> NormalizedText:
    """Join pieces into one NormalizedText."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return NormalizedText("", np.zeros((0, 2), dtype=np.int64))
    return NormalizedText("".join(p.text for p in parts), np.concatenate([p.align for p in parts]))


def mapped(nt: NormalizedText, pieces: Sequence[str]) -> NormalizedText:
    """Rewrite each character ``i`` of ``nt`` as ``pieces[i]`` (0, 1 or more characters).

    The first character of a piece replaces the old one, the others are inserted after it; an
    empty piece removes the old character (``tokenizers`` attributes the removal to the previous
    kept character, which leaves every alignment the same).
    """
    if all(len(p) == 1 for p in pieces):
        return NormalizedText("".join(pieces), nt.align)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    align = np.repeat(nt.align, lengths, axis=0)
    return NormalizedText("".join(pieces), np.ascontiguousarray(align))
