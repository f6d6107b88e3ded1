"""Embedding Projector files: vectors.tsv, metadata.tsv (header only with several columns), projector_config.json."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tokvec.analysis.projector import export_projector
from tokvec.errors import TokvecError


def _read(folder):
    vectors = np.loadtxt(folder / "vectors.tsv", delimiter="\t", dtype=np.float32, ndmin=2)
    meta = (folder / "metadata.tsv").read_text("utf-8").split("\n")
    config = json.loads((folder / "projector_config.json").read_text("utf-8"))
    return vectors, meta, config


def test_one_column_has_no_header(tmp_path):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    export_projector(tmp_path, x, ["king", "qu\teen", "line\nbreak"], name="words")
    vectors, meta, config = _read(tmp_path)
    np.testing.assert_allclose(vectors, x, rtol=1e-7)
    assert meta == ["king", "qu een", "line break", ""]
    emb = config["embeddings"][0]
    assert emb == {
        "tensorName": "words",
        "tensorShape": [3, 4],
        "tensorPath": "vectors.tsv",
        "metadataPath": "metadata.tsv",
    }


def test_several_columns_have_a_header(tmp_path):
    export_projector(tmp_path / "songs", np.eye(2), {"title": ["One", ""], "artist": ["Metallica", "X"]})
    _, meta, config = _read(tmp_path / "songs")
    assert meta == ["title\tartist", "One\tMetallica", " \tX", ""]
    assert config["embeddings"][0]["tensorShape"] == [2, 2]


def test_mismatched_metadata_is_an_error(tmp_path):
    with pytest.raises(TokvecError, match="2 vectors need 2 values"):
        export_projector(tmp_path, np.eye(2), ["a"])
    with pytest.raises(TokvecError, match="nothing to export"):
        export_projector(tmp_path, np.zeros((0, 3)), [])
