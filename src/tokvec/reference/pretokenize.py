"""Twin of :mod:`tokvec.kernels.pretokenize`: the split regexes themselves, run by the ``regex`` module.

subtle: ``regex`` and tiktoken's Rust engine follow different Unicode versions, so on a few
(mostly unassigned) code points the classes differ; tests of the twin leave those out.
subtle: in Python ``$`` also matches before a final newline, in Rust only at the end. The patterns
use ``$`` only after the possessive ``\\s++``, which has already eaten that newline, so both agree.
"""

from __future__ import annotations

import functools

import numpy as np
import regex

from .._grammars import PATTERNS


@functools.cache
def _compiled(grammar: int) -> regex.Pattern:
    return regex.compile(PATTERNS[grammar])


_CONTRACTION = regex.compile(r"'(?:[sdmt]|ll|ve|re)")
_CONTRACTION_ANY_CASE = regex.compile(r"'(?i:[sdmt]|ll|ve|re)")


def contraction_length(b: np.ndarray, i: int, n: int, insensitive: bool) -> int:
    """Return the byte length of ``'s|'t|'re|'ve|'m|'ll|'d`` (any case when ``insensitive``) at ``b[i]``, or 0."""
    text = bytes(b[i:n]).decode("utf-8", "ignore")  # b[i] starts a character; a cut one at n is dropped
    m = (_CONTRACTION_ANY_CASE if insensitive else _CONTRACTION).match(text)
    return _utf8_len(m.group()) if m else 0


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def piece_end(b: np.ndarray, i: int, n: int, cls: np.ndarray, grammar: int) -> int:
    """Return the end (byte offset) of the match of ``grammar``'s regex that starts at byte ``i`` of ``b[:n]``.

    ``cls`` is not used: the regex knows the Unicode classes.
    """
    text = bytes(b[:n]).decode("utf-8")
    start = len(bytes(b[:i]).decode("utf-8"))
    m = _compiled(grammar).match(text, start)
    end = m.end() if m is not None and m.end() > start else start + 1  # the patterns always match
    return i + _utf8_len(text[start:end])


def split_bounds(b: np.ndarray, lo: int, hi: int, cls: np.ndarray, grammar: int) -> np.ndarray:
    """Return int64[k+1], the boundaries (absolute byte offsets) of the k regex matches in ``b[lo:hi]``."""
    text = bytes(b[lo:hi]).decode("utf-8")
    out = [lo]
    pos = 0
    for m in _compiled(grammar).finditer(text):
        assert m.start() == pos, "the four patterns match everywhere, so the pieces tile the text"
        out.append(out[-1] + _utf8_len(m.group()))
        pos = m.end()
    return np.array(out, dtype=np.int64)
