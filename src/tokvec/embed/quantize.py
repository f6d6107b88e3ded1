"""Quantize sentence vectors as sentence-transformers' ``quantize_embeddings`` does.

``int8``/``uint8``: each dimension mapped linearly onto 256 steps (rounded down, clipped) between its minimum
and maximum over the given vectors (or over ``calibration`` vectors; at least two); ``binary``/``ubinary``: one
bit per dimension (> 0), packed eight to a byte, ``binary`` shifted by -128 into int8.

>>> import numpy as np
>>> x = np.array([[0.5, -1.0, 0.25, 0.0, 1.0, -0.5, 0.1, 0.2]], np.float32)
>>> quantize(x, "ubinary").tolist(), quantize(x, "binary").tolist()
([[171]], [[43]])
"""

from __future__ import annotations

import numpy as np

from ..errors import TokvecError

PRECISIONS = ("float32", "int8", "uint8", "binary", "ubinary")


def quantize(x: np.ndarray, precision: str, *, calibration: np.ndarray | None = None) -> np.ndarray:
    """Return ``x`` (float32 [N, D]) in ``precision`` (float32, int8, uint8, binary, ubinary)."""
    if precision == "float32":
        return x.astype(np.float32, copy=False)
    if precision in ("int8", "uint8"):
        ref = x if calibration is None else calibration
        if len(ref) < 2 and len(x):
            raise TokvecError(
                f"precision {precision!r} needs the ranges of several vectors (got {len(ref)}): embed more texts"
                " at once, or pass calibration vectors"
            )
        if len(x) == 0:
            return np.zeros(x.shape, np.int8 if precision == "int8" else np.uint8)
        starts = ref.min(axis=0).astype(np.float32)
        steps = (ref.max(axis=0).astype(np.float32) - starts) / 255
        steps = np.where(steps == 0, 1, steps)
        scaled = np.clip(np.floor((x - starts) / steps), 0, 255)
        if precision == "uint8":
            return scaled.astype(np.uint8)
        return (scaled - 128).astype(np.int8)
    if precision == "binary":
        return (np.packbits(x > 0).reshape(x.shape[0], -1).astype(np.int16) - 128).astype(np.int8)
    if precision == "ubinary":
        return np.packbits(x > 0).reshape(x.shape[0], -1)
    raise TokvecError(f"precision {precision!r}: use one of {', '.join(PRECISIONS)}")
