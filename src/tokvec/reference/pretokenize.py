"""Twin of :mod:`tokvec.kernels.pretokenize`: the split regexes run by the ``regex`` module."""

from __future__ import annotations

import functools

import numpy as np
import regex

from ..kernels.pretokenize import CL100K, LLAMA3, O200K, R50K
from ..tokens.pre_tokenizers import CL100K_PATTERN, LLAMA3_PATTERN, O200K_PATTERN, R50K_PATTERN

PATTERNS = {R50K: R50K_PATTERN, CL100K: CL100K_PATTERN, O200K: O200K_PATTERN, LLAMA3: LLAMA3_PATTERN}


@functools.cache
def _compiled(grammar: int) -> regex.Pattern:
    return regex.compile(PATTERNS[grammar])


def piece_end(b: np.ndarray, i: int, n: int, cls: np.ndarray, grammar: int) -> int:
    """Return the end of the regex match that starts at byte ``i`` of ``b[:n]`` (``cls`` unused)."""
    text = bytes(b[:n]).decode("utf-8")
    start = len(bytes(b[:i]).decode("utf-8"))
    m = _compiled(grammar).match(text, start)
    if m is None or m.end() == start:  # the patterns match everywhere; keep going like the kernel
        return i + len(text[start].encode("utf-8"))
    return i + len(m.group().encode("utf-8"))


def split_bounds(b: np.ndarray, lo: int, hi: int, cls: np.ndarray, grammar: int) -> np.ndarray:
    """Return int64 boundaries of the pieces of ``b[lo:hi]`` (absolute offsets)."""
    text = bytes(b[lo:hi]).decode("utf-8")
    out = [lo]
    for m in _compiled(grammar).finditer(text):
        out.append(out[-1] + len(m.group().encode("utf-8")))
    return np.array(out, dtype=np.int64)
