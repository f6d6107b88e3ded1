"""The packed and full float32 graphs and the batches a call is cut into.

The packed graph (the real tokens of a padded batch in one row each) must give the masked graph's hidden
states at every real position, to float32 rounding, on ragged batches of real texts; the full graph (a batch
without padding, no mask) must give them on every position, and the engine must run exactly the batches
without padding of at least ``FULL_FROM`` tokens on it. ``batch_slices`` must cover every input once, in
order, in batches of at most ``batch_size`` and of at most ``max_tokens`` padded tokens (or one input), and on
small calls reach the smallest largest batch (padded tokens) that a brute force finds.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tokvec.embed.batching import batch_slices, length_order, pad_batch

from .conftest import encoder

TEXTS = [
    "A man is playing a guitar.",
    "Kids",
    "The quick brown fox jumps over the lazy dog while the farmer watches from the porch of his house.",
    "",
    "Héllo wörld, ça va? 東京は晴れ",
    "Two dogs run across a field of snow chasing a red ball that their owner threw.",
]


@pytest.mark.data
def test_packed_graph_equals_the_masked_graph_on_ragged_batches() -> None:
    from tokvec.embed.engines import OnnxEngine
    from tokvec.embed.onnx_graph import build_graph

    enc = encoder()
    engine = enc.engine
    assert engine._packed
    masked = OnnxEngine._new_session(build_graph(engine.spec, engine._source(), packed=False), OnnxEngine._options())
    ids, bounds, _ = enc._tokenize(TEXTS * 3, None)
    ranges = np.stack([bounds[:-1], bounds[1:]], axis=1)
    for rows in (np.arange(len(ranges)), length_order(ranges)[:5], np.array([3]), np.array([2, 0])):
        input_ids, positions, mask = pad_batch(ids, ranges[rows], enc._specials, pad_id=enc._pad_id,
                                               roberta_positions=enc._roberta)  # fmt: skip
        got = engine.run(input_ids, positions, mask)
        want = masked.run(["hidden"], {"input_ids": input_ids, "position_ids": positions, "mask": mask})[0]
        real = mask > 0
        assert got.shape == want.shape
        np.testing.assert_allclose(got[real], want[real], atol=2e-5)


@pytest.mark.data
def test_full_graph_equals_the_masked_graph_and_takes_only_batches_without_padding(monkeypatch) -> None:
    from tokvec.embed.engines import FULL_FROM, OnnxEngine
    from tokvec.embed.onnx_graph import build_graph

    enc = encoder()
    engine = enc.engine
    masked = OnnxEngine._new_session(build_graph(engine.spec, engine._source(), packed=False), OnnxEngine._options())
    calls: list[tuple[int, ...]] = []
    full = engine._run_full
    monkeypatch.setattr(engine, "_run_full", lambda i, p: calls.append(i.shape) or full(i, p))
    long = " ".join(TEXTS) * 8  # over 256 tokens: cut to the model's limit below, as embed cuts
    ids, bounds, _ = enc._tokenize([long, long[7:], TEXTS[2] * 3, TEXTS[2] * 3, TEXTS[0], TEXTS[0]], None)
    ranges = np.stack([bounds[:-1], bounds[1:]], axis=1)
    ranges[:2, 1] = ranges[:2, 0] + 254  # 256 tokens with [CLS] and [SEP]
    cases = {"full": 0, "padded": 0, "short": 0}
    for rows in ([0, 1], [2, 3], [0], [1, 2], [0, 2, 3], [4, 5], [4]):
        input_ids, positions, mask = pad_batch(ids, ranges[rows], enc._specials, pad_id=enc._pad_id,
                                               roberta_positions=enc._roberta)  # fmt: skip
        before = len(calls)
        got = engine.run(input_ids, positions, mask)
        want = masked.run(["hidden"], {"input_ids": input_ids, "position_ids": positions, "mask": mask})[0]
        real = mask > 0
        np.testing.assert_allclose(got[real], want[real], atol=2e-5)
        kind = "padded" if not real.all() else "full" if mask.shape[1] >= FULL_FROM else "short"
        cases[kind] += 1
        assert len(calls) - before == (kind == "full"), (rows, kind, mask.shape)
    assert min(cases.values()) > 0, cases  # every kind of batch was seen


def test_full_graph_is_float32_and_its_own_layout() -> None:
    from tokvec.embed.onnx_graph import build_graph
    from tokvec.errors import TokvecError

    for options in ({"packed": True}, {"padded": False}, {"precision": "int8"}):
        with pytest.raises(TokvecError, match="full=True"):
            build_graph(None, None, full=True, **options)  # type: ignore[arg-type]


@pytest.mark.data
def test_int8_engine_keeps_the_masked_graph() -> None:
    enc = encoder("int8")
    assert not enc.engine._packed
    assert enc.embed(TEXTS).shape == (len(TEXTS), enc.dim)


def _best(lengths: list[int], batch_size: int, most: int) -> int:
    """The smallest largest padded batch (count x first length) over every cut into at most ``most`` batches."""
    n, best = len(lengths), None
    for k in range(1, min(most, n) + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            edges = [0, *cuts, n]
            if any(b - a > batch_size for a, b in itertools.pairwise(edges)):
                continue
            worst = max((b - a) * lengths[a] for a, b in itertools.pairwise(edges))
            best = worst if best is None else min(best, worst)
    assert best is not None
    return best


def test_batch_slices_on_small_calls_reach_the_brute_force_optimum() -> None:
    rng = np.random.default_rng(0)
    for _ in range(300):
        n = int(rng.integers(1, 11))
        batch_size, threads = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        lengths = np.sort(rng.integers(1, 40, n))[::-1]
        slices = batch_slices(lengths, batch_size, threads)
        assert [a for a, _ in slices] == [0] + [b for _, b in slices[:-1]] and slices[-1][1] == n
        assert all(0 < b - a <= batch_size for a, b in slices)
        count = -(-n // batch_size)
        if threads == 1 or n < 2:
            assert slices == [(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]
            continue
        want = -(-count // threads) * threads
        assert len(slices) <= want
        worst = max((b - a) * int(lengths[a]) for a, b in slices)
        assert worst == _best(lengths.tolist(), batch_size, want)


def test_batch_slices_on_large_calls_take_batch_size_at_a_time() -> None:
    lengths = np.sort(np.random.default_rng(1).integers(1, 100, 4096))[::-1]
    slices = batch_slices(lengths, 32, 2)
    assert slices == [(s, s + 32) for s in range(0, 4096, 32)]
    assert batch_slices(np.zeros(0, np.int64), 32, 2) == []


def test_batch_slices_hold_at_most_max_tokens() -> None:
    rng = np.random.default_rng(2)
    for _ in range(500):
        n, batch_size, threads = int(rng.integers(1, 60)), int(rng.integers(1, 40)), int(rng.integers(1, 4))
        cap = int(rng.integers(1, 700))
        lengths = np.sort(rng.integers(1, 300, n))[::-1]
        slices = batch_slices(lengths, batch_size, threads, cap)
        assert [a for a, _ in slices] == [0] + [b for _, b in slices[:-1]] and slices[-1][1] == n
        assert all(0 < b - a <= batch_size for a, b in slices)
        assert all(b - a == 1 or (b - a) * int(lengths[a]) <= cap for a, b in slices), (cap, slices)
        if threads == 1 or len(slices) >= 16 * threads:  # as many as fit: the next input would pass a bound
            for a, b in slices[:-1]:
                assert b - a == batch_size or (b - a + 1) * int(lengths[a]) > cap
    assert batch_slices(np.array([300, 256, 256, 1]), 32, 1, 512) == [(0, 1), (1, 3), (3, 4)]
