"""The GloVe kernels equal their twins: counting, sorting, merging and shuffling exactly, AdaGrad to float32 rounding.

Training tolerance: the kernel sums its dot products in SIMD order (fastmath without nnan/ninf), so each
step's diff differs by float32 rounding (~1e-7 relative); over a few dozen steps with eta <= 0.5 the
weights stay within 1e-4 of the twin's, where a wrong row, sign or clip moves them by ~eta.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import glove as kg
from tokvec.reference import glove as rg
from tokvec.vectors.cooccur import dense_layout


@st.composite
def corpora(draw: st.DrawFn) -> dict:
    vocab = draw(st.integers(1, 9))
    lengths = draw(st.lists(st.integers(0, 15), min_size=1, max_size=4))
    words = np.array(draw(st.lists(st.integers(0, vocab - 1), min_size=sum(lengths), max_size=sum(lengths))))
    words = words.astype(draw(st.sampled_from([np.uint16, np.int32])))
    return {
        "words": words,
        "bounds": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "vocab": vocab,
        "window": draw(st.integers(1, 5)),
        "symmetric": draw(st.booleans()),
        "max_product": draw(st.integers(0, vocab * vocab + 1)),
    }


def _count(impl, p: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    width, offsets = dense_layout(p["vocab"], p["max_product"])
    dense = np.zeros(int(width.sum()), np.float64)
    cap = 2 * p["window"] * len(p["words"]) + 1
    keys, vals = np.zeros(cap, np.int64), np.zeros(cap, np.float64)
    fill = impl.count_window(p["words"], p["bounds"], 0, len(p["bounds"]) - 1, p["window"], p["symmetric"],
                             width, offsets, dense, keys, vals, 0)  # fmt: skip
    return dense, keys, vals, int(fill)


@SETTINGS
@given(corpora(), st.integers(1, 3))
def test_count_sort_merge_equal_twin(p: dict, n_runs: int) -> None:
    dense_k, keys_k, vals_k, fill_k = _count(kg, p)
    dense_r, keys_r, vals_r, fill_r = _count(rg, p)
    assert fill_k == fill_r
    assert np.array_equal(dense_k, dense_r)
    assert np.array_equal(keys_k[:fill_k], keys_r[:fill_r]) and np.array_equal(vals_k[:fill_k], vals_r[:fill_r])
    # cut the buffer into runs, reduce each, then merge with the dense block
    cuts = np.linspace(0, fill_k, n_runs + 1).astype(int)
    run_k, run_v, starts = [], [], [0]
    for lo, hi in itertools.pairwise(cuts):
        a, b = kg.sort_reduce(keys_k[lo:hi].copy(), vals_k[lo:hi].copy(), hi - lo)
        c, d = rg.sort_reduce(keys_k[lo:hi].copy(), vals_k[lo:hi].copy(), hi - lo)
        assert np.array_equal(a, c) and np.array_equal(b, d)
        run_k.append(a), run_v.append(b), starts.append(starts[-1] + len(a))
    keys, vals = np.concatenate([np.zeros(0, np.int64), *run_k]), np.concatenate([np.zeros(0), *run_v])
    starts = np.array(starts, np.int64)
    width, offsets = dense_layout(p["vocab"], p["max_product"])
    fixed = (keys, vals, starts, dense_k, width, offsets, 0, p["vocab"])
    empty = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32))
    n = kg.merge_runs(*fixed, *empty)
    assert n == rg.merge_runs(*fixed, *empty)
    outs = []
    for impl in (kg, rg):
        out = (np.zeros(n, np.int32), np.zeros(n, np.int32), np.zeros(n, np.float32))
        impl.merge_runs(*fixed, *out)
        outs.append(out)
    for a, b in zip(*outs, strict=True):
        if a.dtype == np.float32:
            np.testing.assert_array_max_ulp(a, b, maxulp=1)
        else:
            np.testing.assert_array_equal(a, b)
    # every pair once, in (a, b) order, with the total weight counted
    pairs = outs[0][0].astype(np.int64) * p["vocab"] + outs[0][1]
    assert np.all(np.diff(pairs) > 0)
    per_word = 2 if p["symmetric"] else 1
    expected = sum(
        per_word / d for s in range(len(p["bounds"]) - 1)
        for d in range(1, p["window"] + 1) for _ in range(max(0, int(p["bounds"][s + 1] - p["bounds"][s]) - d))
    )  # fmt: skip
    assert np.isclose(np.exp(outs[0][2].astype(np.float64)).sum(), expected, rtol=1e-5)


@SETTINGS
@given(st.integers(0, 40), st.integers(0, 2**64 - 1))
def test_shuffle_equals_twin(n: int, state: int) -> None:
    arrays = [np.arange(n, dtype=np.int32), np.arange(n, dtype=np.int32)[::-1].copy(),
              np.arange(n, dtype=np.float32)]  # fmt: skip
    twins = [a.copy() for a in arrays]
    s1 = kg.shuffle_records(*arrays, np.uint64(state))
    s2 = rg.shuffle_records(*twins, state)
    assert int(s1) == s2
    for a, b in zip(arrays, twins, strict=True):
        assert np.array_equal(a, b)
    assert sorted(arrays[0].tolist()) == list(range(n))
    assert np.array_equal(arrays[0] + arrays[1], np.full(n, n - 1))  # rows moved together


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 9), st.integers(0, 30), st.integers(0, 2**32 - 1),
       st.sampled_from([0.05, 0.5]), st.sampled_from([100.0, 0.01]), st.sampled_from([10.0, 100.0]))  # fmt: skip
def test_train_equals_twin(vocab: int, dims: int, n: int, seed: int, eta: float, clip: float, x_max: float) -> None:
    rng = np.random.default_rng(seed)
    W = ((rng.random((2 * vocab, dims + 1)) - 0.5) / dims).astype(np.float32)
    gradsq = np.ones_like(W)
    w1 = rng.integers(0, vocab, n).astype(np.int32)
    w2 = rng.integers(0, vocab, n).astype(np.int32)
    x = rng.random(n) * 50 + 1
    logx = np.log(x).astype(np.float32)
    results = []
    for impl in (kg, rg):
        w, g = W.copy(), gradsq.copy()
        cost = impl.train_records(w, g, w1, w2, logx, 0, n, vocab, eta, clip, x_max, 0.75)
        results.append((w, g, cost))
    (wk, gk, ck), (wr, gr, cr) = results
    np.testing.assert_allclose(wk, wr, atol=1e-4)
    np.testing.assert_allclose(gk, gr, rtol=1e-4)
    assert np.isclose(ck, cr, rtol=1e-3, atol=1e-6)


def test_record_weight_is_glove_f_of_x() -> None:
    from tokvec.vectors.cooccur import Cooccurrences

    x = np.array([0.2, 1.0, 3.0, 9.99, 10.0, 10.01, 250.0])
    co = Cooccurrences(np.zeros(7, np.int32), np.zeros(7, np.int32), np.log(x).astype(np.float32), runs=1,
                       spilled=False, x_max=10.0, alpha=0.75)  # fmt: skip
    np.testing.assert_allclose(co.weight, np.minimum(x / 10.0, 1.0) ** 0.75, rtol=2e-6)
    assert co.weight.dtype == np.float32 and co.weight[4:].tolist() == [1.0, 1.0, 1.0]
