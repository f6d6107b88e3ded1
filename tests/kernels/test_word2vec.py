"""The word2vec kernel equals its twin: the same random stream, kept words and examples exactly, and the
same weights and loss up to float32 rounding (the kernel is compiled with fastmath: see its performance notes).

Tolerance: a rounding difference can move a dot product across one of the 1,000 steps of the sigmoid
table, which changes that update by about alpha * 0.003 * |weight|; with weights up to 1.5 and alpha up
to 0.5 over a few dozen updates, 0.02 * alpha bounds it with room. A logic error (a wrong row, sign or
draw) moves weights by about alpha * |weight|, far beyond it. Measured: at most 7e-6 * alpha (400 examples).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import NO_JIT, SETTINGS
from tokvec.kernels import word2vec as kw
from tokvec.reference import word2vec as rw
from tokvec.vectors.word2vec import keep_thresholds, negative_table, sigmoid_tables


@st.composite
def problems(draw: st.DrawFn) -> dict:
    """A tiny corpus (a few sentences over a small vocabulary) and random training options."""
    vocab = draw(st.integers(2, 12))
    lengths = draw(st.lists(st.integers(0, 12), min_size=1, max_size=5))
    dtype = draw(st.sampled_from([np.int32, np.uint16]))  # the corpus reader's two index types
    words = np.array(draw(st.lists(st.integers(0, vocab - 1), min_size=sum(lengths), max_size=sum(lengths))), dtype)
    bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    counts = np.bincount(words, minlength=vocab) + draw(st.integers(0, 3))
    size = draw(st.sampled_from([1, 3, 8, 13, 20]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32)))
    scale = draw(st.sampled_from([0.5, 3.0]))  # large weights push dot products past +-6 (the clipped branch)
    return {
        "syn0": ((rng.random((vocab, size), dtype=np.float32) - 0.5) * scale).astype(np.float32),
        "syn1neg": ((rng.random((vocab, size), dtype=np.float32) - 0.5) * scale).astype(np.float32),
        "corpus": words,
        "bounds": bounds,
        "keep": keep_thresholds(counts, draw(st.sampled_from([0.0, 1e-3, 0.2]))),
        "alias": negative_table(counts, draw(st.sampled_from([0.75, 0.0, 1.0]))),
        "skipgram": draw(st.booleans()),
        "window": draw(st.integers(1, 4)),
        "negative": draw(st.integers(1, 5 if NO_JIT else 8)),
        "shrink": draw(st.booleans()),
        "alpha": draw(st.sampled_from([0.025, 0.5])),
        "rng": draw(st.integers(0, 2**48 - 1)),
        "before": draw(st.integers(0, 100)),
    }


@SETTINGS
@given(problems())
def test_kernel_equals_twin(p: dict) -> None:
    sig, loss_table = sigmoid_tables()
    results = []
    for impl in (kw, rw):
        syn0, syn1neg = p["syn0"].copy(), p["syn1neg"].copy()
        total = p["before"] + int(p["bounds"][-1]) + 1
        out = impl.train_sentences(
            syn0, syn1neg, p["corpus"], p["bounds"], 0, len(p["bounds"]) - 1, p["keep"], *p["alias"], sig, loss_table,
            p["skipgram"], p["window"], p["negative"], p["shrink"], p["alpha"], 1e-4, p["before"], total, p["rng"],
        )  # fmt: skip
        results.append((syn0, syn1neg, out))
    (a0, a1, (ar, ak, al, ae)), (b0, b1, (br, bk, bl, be)) = results
    assert (int(ar), int(ak), int(ae)) == (br, bk, be)
    tol = 0.02 * p["alpha"]
    np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=tol)
    np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=tol)
    assert abs(float(al) - bl) <= 1e-3 * max(1.0, abs(bl)) + 0.05 * be


@SETTINGS
@given(st.integers(0, 2**48 - 1), st.lists(st.integers(0, 50), min_size=1, max_size=20), st.sampled_from([0.0, 0.75]))
def test_alias_table_and_generator(state: int, counts: list[int], exponent: float) -> None:
    counts_array = np.array(counts, dtype=np.int64)
    threshold, alias = negative_table(counts_array, exponent)
    n = len(counts)
    weights = np.where(counts_array > 0, counts_array.astype(np.float64) ** exponent, 0.0)
    if weights.sum() <= 0:
        weights[:] = 1.0
    mass = np.floor(weights / weights.sum() * n * 2**32).astype(np.int64)
    mass[np.argmax(mass)] += n * 2**32 - int(mass.sum())
    twin = rw.alias_table(mass, 2**32)
    np.testing.assert_array_equal(threshold, twin[0])
    np.testing.assert_array_equal(alias, twin[1])
    # the table holds every word's mass exactly: its own bucket's share plus what other buckets alias to it
    held = threshold.copy()
    np.add.at(held, alias, 2**32 - threshold)
    np.testing.assert_array_equal(held, mass)
    assert int(kw.lcg(np.int64(state))) == rw.lcg(state)
    assert int(kw.draw_negative(threshold, alias, np.int64(state))) == rw.draw_negative(threshold, alias, state)


def test_negatives_follow_the_weights() -> None:
    counts = np.array([100, 30, 30, 5, 1, 0, 12])
    threshold, alias = negative_table(counts, 0.75)
    rng, draws = np.int64(12345), []
    for _ in range(100_000):
        rng = kw.lcg(rng)
        draws.append(int(kw.draw_negative(threshold, alias, rng)))
    share = np.bincount(draws, minlength=len(counts)) / len(draws)
    want = counts**0.75 / (counts**0.75).sum()
    np.testing.assert_allclose(share, want, atol=0.005)  # 100,000 draws: standard error <= 0.0016
    assert share[5] == 0.0


def test_dot_matches_twin() -> None:
    rng = np.random.default_rng(0)
    for size in (1, 7, 8, 9, 100):
        a = rng.standard_normal((2, size)).astype(np.float32)
        b = rng.standard_normal((3, size)).astype(np.float32)
        assert abs(kw.dot(a, 1, b, 2) - rw.dot(a[1], b[2])) <= 1e-5 * size


def _zipf_problem(seed: int, skipgram: bool) -> dict:
    """A corpus of 1,500 Zipf-distributed words over 300 words with 100-dimensional rows (the default size:
    the hypothesis problems stay under 64 dimensions, so they never reach the widest SIMD loop)."""
    rng = np.random.default_rng(seed)
    vocab, size = 300, 100
    words = np.minimum(rng.zipf(1.3, 1500) - 1, vocab - 1).astype(np.int32)
    bounds = np.array([0, 1, 2, 400, 401, 1100, 1500], dtype=np.int64)  # one-word sentences: empty windows
    counts = np.bincount(words, minlength=vocab) + 1
    return {
        "syn0": ((rng.random((vocab, size), dtype=np.float32) - 0.5) / size).astype(np.float32),
        "syn1neg": ((rng.random((vocab, size), dtype=np.float32) - 0.5) * 0.2).astype(np.float32),
        "corpus": words,
        "bounds": bounds,
        "keep": keep_thresholds(counts, 1e-2),
        "alias": negative_table(counts, 0.75),
        "skipgram": skipgram,
        "window": 5,
        "negative": 5,
        "shrink": True,
        "alpha": 0.025,
        "rng": 12345 + seed,
        "before": 0,
    }


def _run(impl: object, p: dict) -> tuple[np.ndarray, np.ndarray, tuple]:
    sig, loss_table = sigmoid_tables()
    syn0, syn1neg = p["syn0"].copy(), p["syn1neg"].copy()
    total = int(p["bounds"][-1]) * 2
    out = impl.train_sentences(  # type: ignore[attr-defined]
        syn0, syn1neg, p["corpus"], p["bounds"], 0, len(p["bounds"]) - 1, p["keep"], *p["alias"], sig, loss_table,
        p["skipgram"], p["window"], p["negative"], p["shrink"], p["alpha"], 1e-4, p["before"], total, p["rng"],
    )  # fmt: skip
    return syn0, syn1neg, out


def test_full_size_rows_equal_twin_and_repeat() -> None:
    for skipgram in (True, False):
        p = _zipf_problem(1, skipgram)
        a0, a1, (ar, ak, al, ae) = _run(kw, p)
        b0, b1, (br, bk, bl, be) = _run(rw, p)
        assert (int(ar), int(ak), int(ae)) == (br, bk, be)
        assert ae > 500  # enough examples that a wrong row or draw would show
        tol = 0.02 * p["alpha"]
        np.testing.assert_allclose(a0, b0, rtol=1e-4, atol=tol)
        np.testing.assert_allclose(a1, b1, rtol=1e-4, atol=tol)
        assert abs(float(al) - bl) <= 1e-3 * max(1.0, abs(bl)) + 0.05 * be
        if NO_JIT:  # the pure-Python run of the kernel repeats trivially
            continue
        c0, c1, again = _run(kw, p)  # the same build and inputs give the same bits
        np.testing.assert_array_equal(a0, c0)
        np.testing.assert_array_equal(a1, c1)
        assert again == (ar, ak, al, ae)
