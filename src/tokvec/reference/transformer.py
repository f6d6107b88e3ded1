"""Pure-Python twins of :mod:`tokvec.kernels.transformer`: layer norm over a residual sum, GELU with a bias."""

from __future__ import annotations

import math

import numpy as np


def add_layer_norm(
    x: np.ndarray, residual: np.ndarray, bias: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float
) -> np.ndarray:
    """Set ``x[i] = layer_norm(x[i] + bias + residual[i]) * gamma + beta`` for every row, in place."""
    for i in range(x.shape[0]):
        row = [float(x[i, j]) + float(bias[j]) + float(residual[i, j]) for j in range(x.shape[1])]
        row = [float(np.float32(v)) for v in row]
        mean = sum(row) / len(row)
        var = sum((v - mean) ** 2 for v in row) / len(row)
        inv = 1.0 / math.sqrt(var + eps)
        for j, v in enumerate(row):
            x[i, j] = (v - mean) * inv * float(gamma[j]) + float(beta[j])
    return x


def bias_gelu(x: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Set ``x[i, j] = gelu(x[i, j] + bias[j])`` in place (the exact erf GELU)."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            v = float(np.float32(x[i, j] + bias[j]))
            x[i, j] = 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0)))
    return x
