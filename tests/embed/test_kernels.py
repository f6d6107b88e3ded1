"""The numpy engine's kernels equal their pure-Python twins (layer norm over a residual sum, GELU with a bias)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import transformer as kt
from tokvec.reference import transformer as rt

_floats = st.floats(-30, 30, width=32)


@st.composite
def rows(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    n, h = draw(st.integers(1, 4)), draw(st.integers(1, 9))
    x = draw(hnp.arrays(np.float32, (n, h), elements=_floats))
    residual = draw(hnp.arrays(np.float32, (n, h), elements=_floats))
    bias, gamma, beta = (draw(hnp.arrays(np.float32, h, elements=_floats)) for _ in range(3))
    return x, residual, bias, gamma, beta


@SETTINGS
@given(rows())
def test_add_layer_norm(arrays: tuple[np.ndarray, ...]) -> None:
    x, residual, bias, gamma, beta = arrays
    got = kt.add_layer_norm(x.copy(), residual, bias, gamma, beta, 1e-12)
    want = rt.add_layer_norm(x.copy(), residual, bias, gamma, beta, 1e-12)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


@SETTINGS
@given(rows())
def test_bias_gelu(arrays: tuple[np.ndarray, ...]) -> None:
    x, _, bias, _, _ = arrays
    np.testing.assert_allclose(kt.bias_gelu(x.copy(), bias), rt.bias_gelu(x.copy(), bias), rtol=1e-6, atol=1e-6)


def test_add_layer_norm_of_a_row_of_equal_values_is_beta() -> None:
    """Found by hypothesis without the JIT: float32 sums made a variance of rounding noise, blown up by eps=1e-12."""
    x = np.zeros((1, 3), np.float32)
    residual, bias = np.full((1, 3), 14, np.float32), np.full(3, 29.044716, np.float32)
    gamma, beta = np.ones(3, np.float32), np.full(3, 0.5, np.float32)
    got = kt.add_layer_norm(x.copy(), residual, bias, gamma, beta, 1e-12)
    want = rt.add_layer_norm(x.copy(), residual, bias, gamma, beta, 1e-12)
    assert got.tolist() == want.tolist() == [[0.5, 0.5, 0.5]]
