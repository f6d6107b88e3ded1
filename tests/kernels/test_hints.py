"""The prefetch hint changes no result: a kernel with and without it agree, and nothing is written."""

from __future__ import annotations

import numpy as np
from numba import njit

from tokvec.kernels import _hints


@njit(cache=False)
def _row_sums(a, rows, hint):
    out = np.empty(rows.shape[0], dtype=np.float64)
    for i in range(rows.shape[0]):
        if hint and i + 4 < rows.shape[0]:
            for c in range(0, a.shape[1], 16):
                _hints.prefetch(a, rows[i + 4], c)
        s = 0.0
        for k in range(a.shape[1]):
            s += a[rows[i], k]
        out[i] = s
    return out


def test_prefetch_changes_nothing():
    rng = np.random.default_rng(0)
    a = rng.random((500, 37), dtype=np.float32)
    rows = rng.integers(0, 500, 2000)
    before = a.copy()
    hinted = _row_sums(a, rows, True)
    np.testing.assert_array_equal(hinted, _row_sums(a, rows, False))
    np.testing.assert_allclose(hinted, a[rows].astype(np.float64).sum(axis=1), rtol=1e-5)
    np.testing.assert_array_equal(a, before)  # a hint writes nothing


def test_the_pure_python_twin_does_nothing():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert _hints._prefetch_py(a, 1, 2) is None
    np.testing.assert_array_equal(a, np.arange(6, dtype=np.float32).reshape(2, 3))
