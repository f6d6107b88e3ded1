"""Decode one UTF-8 code point from a byte array (input is known to be valid UTF-8)."""

from __future__ import annotations

from numba import njit

# subtle: numba increfs and decrefs every array argument of a call (atomic operations), even when
# the callee is inlined; in the scan that was 20 of its 24 ns a piece. Helpers that allocate
# nothing compile without the runtime (``_nrt=False``): no reference counts, and LLVM inlines them.
leaf = njit(cache=True, nogil=True, _nrt=False)


@leaf
def decode_at(b, i):  # pragma: no cover - compiled
    """Return ``(code_point, byte_length)`` of the character starting at ``b[i]``.

    b: uint8[n], valid UTF-8 (tokvec makes it with ``str.encode``); i: index of a lead byte.
    """
    c0 = b[i]
    if c0 < 0x80:
        return np_int(c0), 1
    if c0 < 0xE0:
        return ((np_int(c0) & 0x1F) << 6) | (np_int(b[i + 1]) & 0x3F), 2
    if c0 < 0xF0:
        return (((np_int(c0) & 0x0F) << 12) | ((np_int(b[i + 1]) & 0x3F) << 6) | (np_int(b[i + 2]) & 0x3F)), 3
    return (
        ((np_int(c0) & 0x07) << 18)
        | ((np_int(b[i + 1]) & 0x3F) << 12)
        | ((np_int(b[i + 2]) & 0x3F) << 6)
        | (np_int(b[i + 3]) & 0x3F)
    ), 4


@njit(cache=True, nogil=True, inline="always")
def np_int(x):  # pragma: no cover - compiled
    """Widen a byte to a machine integer."""
    return int(x)
