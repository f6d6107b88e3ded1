"""The graph without padding for short equal-length inputs (distillation's [CLS] token [SEP]) on the real model.

Its vectors must be the padded graph's and the float32 teacher's (torch, the way model2vec runs it) to float32
rounding; a 2-D id array and a list give the same vectors; bad ids are refused naming the row.
"""

from __future__ import annotations

import numpy as np
import pytest

import tokvec
from tokvec.embed.engines import UNPADDED_MAX

from .conftest import encoder, reference

pytestmark = pytest.mark.data


def _grid(n: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack([np.full(n, 101), rng.integers(1000, 30000, n), np.full(n, 102)], axis=1).astype(np.int64)


def _padded(enc, sequences, **options) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The masked graph's vectors of ``sequences`` (the engine's unpadded graph switched off)."""
    source, enc.engine._source = enc.engine._source, None
    try:
        assert not enc.engine.unpadded
        return enc.embed_ids(sequences, **options)
    finally:
        enc.engine._source = source


def test_unpadded_mean_equals_torch_teacher_and_padded_graph() -> None:
    torch = pytest.importorskip("torch", reason="torch (the reference's backend) is not installed")
    enc = encoder()
    assert enc.engine.unpadded
    grid = _grid()
    got = enc.embed_ids(grid, head=False, batch_size=16)
    with torch.no_grad():
        want = reference()[0].auto_model(input_ids=torch.tensor(grid)).last_hidden_state.mean(dim=1).numpy()
    np.testing.assert_allclose(got, want, atol=2e-5)
    np.testing.assert_allclose(got, _padded(enc, grid.tolist(), head=False), atol=2e-5)
    np.testing.assert_allclose(enc.embed_ids(grid.tolist(), head=False), got, atol=1e-6)  # lists take it too


def test_unpadded_with_the_head_equals_embed() -> None:
    enc = encoder()
    texts = ["hello world", "good morning", "the cat"]
    ids = [enc.tokenizer.encode(t).ids.tolist() for t in texts]
    assert len({len(s) for s in ids}) == 1 and len(ids[0]) <= UNPADDED_MAX
    np.testing.assert_allclose(enc.embed_ids(np.array(ids)), enc.embed(texts), atol=1e-6)


def test_long_rows_of_an_array_take_the_padded_graph() -> None:
    enc = encoder()
    rng = np.random.default_rng(1)
    grid = rng.integers(1000, 30000, size=(5, UNPADDED_MAX + 4))
    np.testing.assert_array_equal(enc.embed_ids(grid), _padded(enc, grid.tolist()))


def test_bad_rows_of_an_array_are_named() -> None:
    enc = encoder()
    grid = _grid(6)
    grid[4, 1] = 10**6
    with pytest.raises(tokvec.TokvecError, match="sequence 4"):
        enc.embed_ids(grid)
    with pytest.raises(tokvec.TokvecError, match="sequence 0"):
        enc.embed_ids(np.zeros((2, 0), np.int64))
    with pytest.raises(tokvec.TokvecError, match="run_unpadded takes"):
        enc.engine.run_unpadded(np.zeros((1, UNPADDED_MAX + 1), np.int64), np.zeros((1, UNPADDED_MAX + 1), np.int64))


def test_int8_engine_has_no_unpadded_graph() -> None:
    enc = encoder("int8")
    assert not enc.engine.unpadded
    with pytest.raises(tokvec.TokvecError, match="float32"):
        enc.engine.run_unpadded(_grid(2), np.zeros((2, 3), np.int64))
    assert enc.embed_ids(_grid(3)).shape == (3, enc.dim)  # the masked int8 graph runs them


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
def test_small_checkpoints_unpadded_equal_transformers(tmp_path, kind: str) -> None:  # type: ignore[no-untyped-def]
    import torch

    from .test_checkpoints import _write

    pytest.importorskip("onnxruntime", reason="onnxruntime (the 'embed' extra) is not installed")
    path = _write(tmp_path, kind)
    enc = tokvec.load_encoder(path)
    import transformers

    model = transformers.AutoModel.from_pretrained(path).eval()
    grid = _grid(7)
    got = enc.embed_ids(grid, head=False, batch_size=3)
    with torch.no_grad():
        want = model(input_ids=torch.tensor(grid)).last_hidden_state.mean(dim=1).numpy()  # RoBERTa: positions 2..4
    np.testing.assert_allclose(got, want, atol=2e-5)
