"""The word2vec kernel equals its twin bit for bit: same weights, same random state, same loss."""

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
    words = np.array(draw(st.lists(st.integers(0, vocab - 1), min_size=sum(lengths), max_size=sum(lengths))), np.int32)
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
        "cum": negative_table(counts, draw(st.sampled_from([0.75, 0.0, 1.0]))),
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
            syn0, syn1neg, p["corpus"], p["bounds"], 0, len(p["bounds"]) - 1, p["keep"], p["cum"], sig, loss_table,
            p["skipgram"], p["window"], p["negative"], p["shrink"], p["alpha"], 1e-4, p["before"], total, p["rng"],
        )  # fmt: skip
        results.append((syn0, syn1neg, out))
    (a0, a1, (ar, ak, al, ae)), (b0, b1, (br, bk, bl, be)) = results
    assert (int(ar), int(ak), int(ae)) == (br, bk, be)
    np.testing.assert_array_equal(a0, b0)  # bit-identical weights
    np.testing.assert_array_equal(a1, b1)
    assert float(al) == bl


@SETTINGS
@given(st.integers(0, 2**48 - 1), st.lists(st.integers(0, 50), min_size=1, max_size=20))
def test_negative_draw_and_generator(state: int, weights: list[int]) -> None:
    cum = np.cumsum(np.array(weights, dtype=np.int64) + 1)
    assert int(kw.lcg(np.int64(state))) == rw.lcg(state)
    assert int(kw.draw_negative(cum, np.int64(state))) == rw.draw_negative(cum, state)


def test_dot_lanes_match_twin() -> None:
    rng = np.random.default_rng(0)
    for size in (1, 7, 8, 9, 100):
        a = rng.standard_normal((2, size)).astype(np.float32)
        b = rng.standard_normal((3, size)).astype(np.float32)
        assert kw.dot(a, 1, b, 2) == rw.dot(a[1], b[2])
