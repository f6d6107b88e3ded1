"""The per-code-point class table that the numba pre-tokenizer reads.

The table is generated from tiktoken's own regex engine by ``tools/gen_unicode_classes.py`` and
bundled as run-length ranges (6 KB); here it is expanded to one byte per code point (1.1 MB).
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np

from ..kernels.pretokenize import LETTER, LOWERISH, NUMBER, SPACE, UPPERISH

__all__ = ["LETTER", "LOWERISH", "NUMBER", "SPACE", "UPPERISH", "class_table"]


@functools.cache
def class_table() -> np.ndarray:
    """Return uint8[0x110000]: the class bits of every code point (read-only).

    >>> t = class_table()
    >>> bool(t[ord("a")] & LETTER), bool(t[ord("7")] & NUMBER), bool(t[ord(" ")] & SPACE)
    (True, True, True)
    """
    with resources.files("tokvec.data").joinpath("unicode_classes.npz").open("rb") as f:
        z = np.load(f, allow_pickle=False)
        starts, values = z["starts"].astype(np.int64), z["values"]
    lengths = np.diff(np.append(starts, 0x110000))
    table = np.repeat(values, lengths).astype(np.uint8)
    table.flags.writeable = False
    return table
