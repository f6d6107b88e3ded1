"""Pool a padded batch of token vectors into one vector per text, then the modules after pooling.

Modes as sentence-transformers names them: ``mean`` (over the attention mask), ``cls`` (the first token),
``max`` (per dimension, over real tokens), ``mean_sqrt_len`` (the sum divided by the square root of the
length) and ``lasttoken``. ``Dense`` layers and ``Normalize`` follow in the folder's order.

>>> import numpy as np
>>> hidden = np.array([[[1.0, 2.0], [3.0, 4.0], [9.0, 9.0]]], np.float32)
>>> mask = np.array([[1, 1, 0]], np.int32)
>>> pool(hidden, mask, "mean").tolist(), pool(hidden, mask, "max").tolist(), pool(hidden, mask, "cls").tolist()
([[2.0, 3.0]], [[3.0, 4.0]], [[1.0, 2.0]])
"""

from __future__ import annotations

import numpy as np

from ..errors import TokvecError


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """Return float32 [B, H] pooled from ``hidden`` float32 [B, S, H] with ``mask`` int [B, S] (1 = token)."""
    m = mask.astype(np.float32)[:, :, None]
    if mode == "mean":
        return (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), np.float32(1e-9))
    if mode == "mean_sqrt_len":
        return (hidden * m).sum(axis=1) / np.sqrt(np.maximum(m.sum(axis=1), np.float32(1e-9)))
    if mode == "cls":
        return np.ascontiguousarray(hidden[:, 0])
    if mode == "max":
        return np.where(m > 0, hidden, np.float32(-1e9)).max(axis=1)
    if mode == "lasttoken":
        last = np.maximum(mask.sum(axis=1) - 1, 0)
        return np.ascontiguousarray(hidden[np.arange(hidden.shape[0]), last])
    raise TokvecError(f"pooling mode {mode!r} is not one of mean, cls, max, mean_sqrt_len, lasttoken")


def dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, activation: str) -> np.ndarray:
    """Apply a sentence-transformers ``Dense`` module: ``activation(x @ weight + bias)`` (weight [in, out])."""
    y = x @ weight
    if bias is not None:
        y += bias
    if activation == "tanh":
        return np.tanh(y)
    if activation == "relu":
        return np.maximum(y, 0)
    if activation == "gelu":
        from math import erf

        return (0.5 * y * (1.0 + np.vectorize(erf)(y / np.sqrt(2.0)))).astype(np.float32)
    return y


def normalize(x: np.ndarray) -> np.ndarray:
    """Return the rows of ``x`` scaled to unit length (rows of zeros stay zero), as torch's F.normalize."""
    norms = np.sqrt((x.astype(np.float32) ** 2).sum(axis=1, keepdims=True))
    return (x / np.maximum(norms, np.float32(1e-12))).astype(np.float32)
