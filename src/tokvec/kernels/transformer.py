"""Kernels of the numpy transformer engine: layer norm over a residual sum, and GELU with a bias.

Both work in place on float32 rows ``x`` [N, H] so that a layer allocates nothing but its matmul outputs.
The matmuls themselves are numpy's (BLAS); onnxruntime, tokvec's default engine, does not use these.

Performance notes: ``math.erf`` is a scalar libm call (not vectorized), about 10 ns an element; the GELU of
MiniLM's 1,536-wide layers is then about a fifth of the numpy engine's time. The onnxruntime engine's fused
``BiasGelu`` is vectorized, one reason it is the default.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def add_layer_norm(x, residual, bias, gamma, beta, eps):  # pragma: no cover - compiled
    """Set ``x[i] = layer_norm(x[i] + bias + residual[i]) * gamma + beta`` for every row, in place.

    ``x``, ``residual`` float32[N, H]; ``bias``, ``gamma``, ``beta`` float32[H]; ``eps`` float. The mean and
    variance are taken in float64 (two passes), as the reference twin does.
    """
    n, h = x.shape
    for i in range(n):
        # subtle: float64 spelled out, since without the JIT numpy 2 keeps ``0.0 + float32`` a float32 (NEP 50),
        # and a row of equal values then gets a variance of rounding noise that eps=1e-12 blows up to O(1)
        s = np.float64(0.0)
        for j in range(h):
            v = x[i, j] + bias[j] + residual[i, j]
            x[i, j] = v
            s += np.float64(v)
        mean = s / h
        var = np.float64(0.0)
        for j in range(h):
            d = np.float64(x[i, j]) - mean
            var += d * d
        inv = 1.0 / math.sqrt(var / h + eps)
        for j in range(h):
            x[i, j] = (x[i, j] - mean) * inv * gamma[j] + beta[j]
    return x


@njit(cache=True, nogil=True)
def bias_gelu(x, bias):  # pragma: no cover - compiled
    """Set ``x[i, j] = gelu(x[i, j] + bias[j])`` in place, with the exact (erf) GELU.

    ``x`` float32[N, H]; ``bias`` float32[H].
    """
    n, h = x.shape
    for i in range(n):
        for j in range(h):
            v = np.float64(x[i, j] + bias[j])
            x[i, j] = 0.5 * v * (1.0 + math.erf(v * 0.7071067811865476))
    return x
