"""Running top-k: the kernel's folds equal the twin's and a full sort, ties and -inf/NaN included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokvec.kernels import topk as kernel
from tokvec.reference import topk as twin
from tokvec.vectors.index import top_k

from .strategies import SETTINGS


def _fold_all(impl, scores: np.ndarray, k: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    q = scores.shape[0]
    best_s = np.full((q, k), -np.inf, dtype=np.float32)
    best_i = np.full((q, k), -1, dtype=np.int64)
    for r0 in range(0, scores.shape[1], block):
        impl.fold_block(np.ascontiguousarray(scores[:, r0 : r0 + block]), r0, 0, q, best_s, best_i)
    impl.sort_heaps(best_s, best_i)
    return best_i, best_s


def _by_sort(scores: np.ndarray, k: int) -> tuple[list[list[int]], list[list[float]]]:
    """The k best of each row by a plain sort (higher score, then lower index); -inf and NaN left out."""
    idx, val = [], []
    for row in scores.tolist():
        ok = sorted(((-s, j) for j, s in enumerate(row) if s == s and s > -np.inf))[:k]
        idx.append([j for _, j in ok] + [-1] * (k - len(ok)))
        val.append([-s for s, _ in ok] + [-np.inf] * (k - len(ok)))
    return idx, val


@SETTINGS
@given(
    q=st.integers(1, 5), m=st.integers(0, 60), k=st.integers(1, 12), block=st.integers(1, 17),
    levels=st.integers(1, 6), specials=st.booleans(), seed=st.integers(0, 2**31),
)  # fmt: skip
def test_kernel_equals_twin_and_a_sort(q, m, k, block, levels, specials, seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, levels, (q, m)).astype(np.float32) / levels  # few distinct values: many ties
    if specials and m:
        scores[rng.random((q, m)) < 0.2] = -np.inf
        scores[rng.random((q, m)) < 0.1] = np.nan
    got_i, got_s = _fold_all(kernel, scores, k, block)
    ref_i, ref_s = _fold_all(twin, scores, k, block)
    np.testing.assert_array_equal(got_i, ref_i)
    np.testing.assert_array_equal(got_s, ref_s)
    want_i, want_s = _by_sort(scores, k)
    assert got_i.tolist() == want_i
    np.testing.assert_array_equal(got_s, np.array(want_s, dtype=np.float32).reshape(q, k))


@pytest.mark.parametrize("threads", [1, 2])
def test_top_k_equals_a_full_product_and_sort(threads):
    rng = np.random.default_rng(3)
    matrix = rng.standard_normal((9_001, 24)).astype(np.float32)  # three row blocks, the last one short
    queries = rng.standard_normal((600, 24)).astype(np.float32)  # three query blocks
    matrix[17] = matrix[5]  # an exact tie: the lower row comes first
    queries[0] = matrix[5]
    exclude = [[1, 2, 9_000]] + [[] for _ in range(599)]
    idx, scores = top_k(matrix, queries, 7, exclude=exclude, threads=threads)
    full = queries @ matrix.T
    full[0, [1, 2, 9_000]] = -np.inf
    want_i, want_s = _by_sort(full, 7)
    np.testing.assert_allclose(scores, np.array(want_s, dtype=np.float32), rtol=1e-5)
    # subtle: the blocked products may round differently from one full product, so two rows whose scores
    # differ by float noise may swap; anywhere else the order must be the sort's
    rows, cols = np.nonzero(idx != np.array(want_i))
    gaps = np.abs(full[rows, idx[rows, cols]] - full[rows, np.array(want_i)[rows, cols]])
    assert (gaps <= 1e-5 * np.abs(full[rows]).max(axis=1)).all(), (rows, cols, gaps)
    assert len(rows) <= 4  # a swap is rare: a loose or broken merge would differ on many queries
    assert idx[0, 0] == 5 and idx[0, 1] == 17


def test_top_k_limits_and_excluded_everything():
    matrix = np.eye(4, dtype=np.float32)
    idx, scores = top_k(matrix, matrix[:1], 3, exclude=[[0, 1, 2, 3]])
    assert idx.tolist() == [[-1, -1, -1]] and np.isneginf(scores).all()
    idx, _ = top_k(matrix, matrix[3:], 5, limit=2)
    assert idx.shape == (1, 2) and set(idx[0].tolist()) == {0, 1}
