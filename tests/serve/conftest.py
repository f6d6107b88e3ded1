"""Fixtures: a real server on 127.0.0.1 (uvicorn on a thread) over a fake encoder, word vectors and songs."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("starlette", reason="the serve extra (starlette) is missing: pip install 'tokvec[serve]'")
pytest.importorskip("uvicorn", reason="the serve extra (uvicorn) is missing: pip install 'tokvec[serve]'")

import tokvec
from tests.serve.fakes import HashEncoder
from tokvec.serve import BackgroundServer, Resources, create_app

WORDS = ["king", "queen", "man", "woman", "sea", "waters", "tea", "lion", "hockey", "giant", "arctic", "ocean"]


@pytest.fixture(scope="session")
def encoder() -> HashEncoder:
    return HashEncoder()


@pytest.fixture(scope="session")
def word_vectors() -> tokvec.KeyedVectors:
    rng = np.random.default_rng(3)
    base = rng.standard_normal((len(WORDS), 8)).astype(np.float32)
    base[1] = base[0] + 0.1 * base[3]  # queen near king
    base[5] = base[4] + 0.05  # waters near sea
    return tokvec.KeyedVectors(WORDS, base)


@pytest.fixture(scope="session")
def songs():
    from tokvec.recommend import preset, sample_playlists, train_recommender

    return train_recommender(sample_playlists(), preset("book").replace(epochs=1))


@pytest.fixture(scope="session")
def resources(encoder, word_vectors, songs) -> Resources:
    return Resources(encoders={encoder.name: encoder}, vectors=word_vectors, vectors_name="test-vectors",
                     recommender=songs, max_body=256 * 1024)  # fmt: skip


@pytest.fixture(scope="session")
def server(resources):
    with BackgroundServer(create_app(resources)) as running:
        yield running


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # lets the browser fixture see whether the test failed, to keep a screenshot of the page
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
