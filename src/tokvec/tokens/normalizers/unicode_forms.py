"""NFD, NFKD, NFC and NFKC with the per-character changes that ``tokenizers`` reports.

``tokenizers`` normalizes with the ``unicode-normalization-alignments`` crate, which yields every
output character with a change (see :mod:`tokvec.tokens.normalizers.alignment`): a character that decomposes
into k characters gives changes ``0, +1, ..., +1``; canonical reordering moves the characters
*with* their changes; composing two characters adds their changes minus one. The alignment of a
reordered mark is therefore positional, not its source's (``"a\\u0301\\u0323"`` -> NFD
``a, U+0323, U+0301`` aligned to characters 0, 1, 2).

>>> nfx_changes("NFC", "e\\u0301x")
(['é', 'x'], [-1, 0])
>>> nfx_changes("NFD", "é")
(['e', '́'], [0, 1])
"""

from __future__ import annotations

import functools
import unicodedata

from . import hf_unicode as hu


@functools.cache
def _compose(first: str, second: str) -> str | None:
    """Return the primary composite of two characters, or None."""
    out = unicodedata.normalize("NFC", first + second)
    return out if len(out) == 1 and out != first else None


def _decompose(form: str, text: str) -> tuple[list[str], list[int], list[int]]:
    chars: list[str] = []
    changes: list[int] = []
    for ch in text:
        dec = hu.single(form, ch)
        chars.extend(dec)
        changes.append(0)
        changes.extend([1] * (len(dec) - 1))
    ccc = [hu.combining(c) for c in chars]
    # canonical ordering: a stable sort of every run of non-starters by combining class
    i, n = 0, len(chars)
    while i < n:
        if ccc[i] == 0:
            i += 1
            continue
        j = i
        while j < n and ccc[j] != 0:
            j += 1
        if j - i > 1:
            order = sorted(range(i, j), key=lambda k: ccc[k])
            chars[i:j] = [chars[k] for k in order]
            changes[i:j] = [changes[k] for k in order]
            ccc[i:j] = [ccc[k] for k in order]
        i = j
    return chars, changes, ccc


def _recompose(chars: list[str], changes: list[int], ccc: list[int]) -> tuple[list[str], list[int]]:
    out_c: list[str] = []
    out_ch: list[int] = []
    out_ccc: list[int] = []
    starter = -1
    for c, change, cc in zip(chars, changes, ccc, strict=True):
        if starter >= 0:
            last = out_ccc[-1] if len(out_c) - 1 > starter else -1
            blocked = len(out_c) - 1 > starter and (last == 0 or last >= cc)
            if not blocked:
                comp = _compose(out_c[starter], c)
                if comp is not None:
                    out_c[starter] = comp
                    out_ch[starter] += change - 1
                    continue
        if cc == 0:
            starter = len(out_c)
        out_c.append(c)
        out_ch.append(change)
        out_ccc.append(cc)
    return out_c, out_ch


def nfx_changes(form: str, text: str) -> tuple[list[str], list[int]]:
    """Return the characters of ``form``(``text``) and their changes."""
    compose = form in ("NFC", "NFKC")
    decomposition = {"NFC": "NFD", "NFKC": "NFKD"}.get(form, form)
    if compose:
        chars, changes, ccc = _decompose(decomposition, text)
        return _recompose(chars, changes, ccc)
    chars, changes, _ = _decompose(decomposition, text)
    return chars, changes


def is_unchanged(form: str, text: str) -> bool:
    """Return whether ``form`` leaves ``text`` (and its alignment) exactly as it is."""
    over = hu.overrides(form)
    if form in ("NFC", "NFKC"):
        over = {**over, **hu.overrides({"NFC": "NFD", "NFKC": "NFKD"}[form])}
    return unicodedata.is_normalized(form, text) and not (over and not over.keys().isdisjoint(text))
