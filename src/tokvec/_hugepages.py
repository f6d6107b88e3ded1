"""Copies of large read-mostly tables in memory that Linux backs with 2 MB pages (transparent huge pages).

A kernel that looks tokens up in a table of several MB at random (the byte-level BPE whole-token
table: 4 MB for cl100k, 8 MB for o200k) misses the TLB on most lookups with 4 KB pages; with 2 MB
pages the table takes a few TLB entries. :func:`huge_copy` copies an array into an anonymous mapping
aligned to 2 MB and marked ``MADV_HUGEPAGE`` (honoured when the kernel's THP setting is ``always`` or
``madvise``; elsewhere it is an ordinary copy). Arrays under 1 MB come back unchanged.

Performance notes (ELTeC 16 MB, o200k, one thread, ``encode_ordinary`` against tiktoken in turns, three
pairs of runs): 82.3 MB/s on average with both tables on huge pages, 80.1 without (+2.7%); a bigger
cache of recent pieces (2^14, 2^15 slots) gave nothing, so misses in the table are not the bottleneck.

>>> import numpy as np
>>> a = np.arange(1 << 18, dtype=np.int64)
>>> b = huge_copy(a)
>>> bool((a == b).all()), b.dtype, b.flags.writeable
(True, dtype('int64'), True)
"""

from __future__ import annotations

import contextlib
import mmap

import numpy as np

HUGE = 1 << 21  # 2 MB
SMALLEST = 1 << 20


def huge_copy(a: np.ndarray) -> np.ndarray:
    """A writable C-contiguous copy of ``a`` on 2 MB pages where the system allows; ``a`` itself if small."""
    if a.nbytes < SMALLEST or not hasattr(mmap, "MADV_HUGEPAGE"):
        return a
    region = mmap.mmap(-1, a.nbytes + HUGE)
    start = np.frombuffer(region, dtype=np.uint8, count=1).ctypes.data
    skip = (-start) % HUGE
    with contextlib.suppress(OSError):  # a kernel without THP: an ordinary copy
        region.madvise(mmap.MADV_HUGEPAGE)  # the aligned 2 MB stretches of the region
    out = np.frombuffer(region, dtype=np.uint8, count=a.nbytes, offset=skip).view(a.dtype).reshape(a.shape)
    out[...] = a
    return out
