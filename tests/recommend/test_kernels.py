"""The recommender's kernels equal their pure-Python twins on generated sequences, matrices and scores."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import recommend as kr
from tokvec.recommend.counts import SparseCounts
from tokvec.reference import recommend as rr


@st.composite
def sequences(draw: st.DrawFn, n_items: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """(items int32[N], bounds int64[P + 1]): a few short sequences over a small catalogue, empty ones too."""
    seqs = draw(st.lists(st.lists(st.integers(0, n_items - 1), max_size=8), max_size=6))
    bounds = np.zeros(len(seqs) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in seqs], out=bounds[1:])
    items = np.array([x for s in seqs for x in s], dtype=np.int32)
    return items, bounds


@SETTINGS
@given(sequences(), st.integers(-1, 9))
def test_window_pairs(seqs: tuple[np.ndarray, np.ndarray], window: int) -> None:
    items, bounds = seqs
    left, right = kr.window_pairs(items, bounds, window)
    want_left, want_right = rr.window_pairs(items, bounds, window)
    assert left.dtype == np.int32 and right.dtype == np.int32
    np.testing.assert_array_equal(left, want_left)
    np.testing.assert_array_equal(right, want_right)


@SETTINGS
@given(sequences(), sequences(), st.data())
def test_sum_rows(pair_seqs: tuple[np.ndarray, np.ndarray], queries: tuple[np.ndarray, np.ndarray], data) -> None:
    items, bounds = pair_seqs
    left, right = kr.window_pairs(items, bounds, 2)
    matrix = SparseCounts.from_pairs(left, right, size=6)
    query_items, query_bounds = queries
    weights = data.draw(
        hnp.arrays(np.float32, len(query_items), elements=st.floats(0, 4, width=32, allow_subnormal=False))
    )
    args = (matrix.indptr, matrix.indices, matrix.data, query_items, query_bounds, weights, 6)
    got, want = kr.sum_rows(*args), rr.sum_rows(*args)
    assert got.dtype == np.float32 and got.shape == (len(query_bounds) - 1, 6)
    np.testing.assert_array_equal(got, want)


scores = hnp.arrays(
    np.float32,
    hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
    # few distinct values, so that ties are common; infinities and NaN too
    elements=st.sampled_from([0.0, 1.0, -1.0, 0.5, np.inf, -np.inf, np.nan]),
)


@SETTINGS
@given(scores, st.integers(1, 14))
def test_top_k_rows(matrix: np.ndarray, k: int) -> None:
    np.testing.assert_array_equal(kr.top_k_rows(matrix, k), rr.top_k_rows(matrix, k))


def test_top_k_rows_worked_example() -> None:
    # ties go to the lower column; NaN is skipped; a row with too few numbers ends in -1
    matrix = np.array([[0.5, 1.0, 0.5, np.nan], [np.nan, np.nan, 2.0, np.nan]], dtype=np.float32)
    assert kr.top_k_rows(matrix, 3).tolist() == [[1, 0, 2], [2, -1, -1]]


def test_window_pairs_worked_example() -> None:
    items = np.array([7, 8, 9, 1, 2], dtype=np.int32)
    bounds = np.array([0, 3, 5], dtype=np.int64)
    left, right = kr.window_pairs(items, bounds, 1)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(7, 8), (8, 9), (1, 2)]
    left, right = kr.window_pairs(items, bounds, 0)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(7, 8), (7, 9), (8, 9), (1, 2)]
