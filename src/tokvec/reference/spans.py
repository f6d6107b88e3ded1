"""Twin of :mod:`tokvec.kernels.spans`: the same spans with numpy's ``reduceat``.

>>> import numpy as np
>>> i64 = lambda *v: np.array(v, dtype=np.int64)
>>> starts, ends, ok = token_spans(i64(0, 3), i64(0, 4), i64(0, 0, 1, 2), i64(0, 1, 2, 3), i64(0, 2), i64(2, 4))
>>> starts.tolist(), ends.tolist(), ok
([0, 1], [1, 3], True)
"""

from __future__ import annotations

import numpy as np


def token_spans(seg_bounds, nb, lo, hi, st, en):
    """Same signature and result as the kernel when the kernel says ok; also used where it does not (a
    token that ends past the last character reduces over one extra entry, 0)."""
    st, en = np.asarray(st, dtype=np.int64), np.asarray(en, dtype=np.int64)
    base = np.repeat(np.asarray(seg_bounds[:-1], dtype=np.int64), np.diff(nb))
    a0 = base + lo
    a1 = np.where(hi <= lo, a0, base + hi)
    if not len(st):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), True
    idx = np.empty(2 * len(st), dtype=np.int64)
    idx[0::2], idx[1::2] = st, en
    starts = np.minimum.reduceat(np.append(a0, 0), idx)[0::2]
    ends = np.maximum.reduceat(np.append(a1, 0), idx)[0::2]
    return starts.astype(np.int64), ends.astype(np.int64), True


def relative_offsets(starts, ends, bounds, text_start):
    """Same as the kernel: spans minus the start of each token's text, stacked."""
    base = np.repeat(np.asarray(text_start[: len(bounds) - 1], dtype=np.int64), np.diff(bounds))
    return np.stack([np.asarray(starts) - base, np.asarray(ends) - base], axis=1).astype(np.int64)
