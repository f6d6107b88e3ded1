"""Twin of :mod:`tokvec.kernels.utf8`."""

from __future__ import annotations

import numpy as np


def decode_at(b: np.ndarray, i: int) -> tuple[int, int]:
    """Return ``(code_point, byte_length)`` of the UTF-8 character at ``b[i]``."""
    lead = int(b[i])
    length = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return ord(bytes(b[i : i + length]).decode("utf-8", "surrogatepass")), length
