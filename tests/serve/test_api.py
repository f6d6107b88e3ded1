"""The OpenAI-compatible API on a real server: the official openai client, raw HTTP faults, tokenize and count."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import urllib.parse

import numpy as np
import pytest

import tokvec

openai = pytest.importorskip("openai", reason="the openai package (test-only) is missing: pip install openai")


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=30)


def _post(server, path: str, body: bytes | str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    u = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    data = body.encode() if isinstance(body, str) else body
    conn.request("POST", path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    payload = json.loads(response.read() or b"{}")
    conn.close()
    return response.status, payload


def _get(server, path: str, method: str = "GET") -> tuple[int, dict]:
    u = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, path)
    response = conn.getresponse()
    payload = json.loads(response.read() or b"{}")
    conn.close()
    return response.status, payload


TEXTS = ["Hello world", "The sea and its waters.", "naïve café 東京 👋"]


@pytest.mark.parametrize("encoding_format", ["float", "base64"])
def test_openai_client_gets_the_encoders_vectors(client, encoder, encoding_format):
    got = client.embeddings.create(model=encoder.name, input=TEXTS, encoding_format=encoding_format)
    want = encoder.embed(TEXTS)
    rows = [d.embedding for d in sorted(got.data, key=lambda d: d.index)]
    if encoding_format == "base64":  # asked for explicitly, the client hands the strings over as they came
        assert all(isinstance(r, str) for r in rows)
        rows = [np.frombuffer(base64.b64decode(r), dtype="<f4") for r in rows]
    vectors = np.array(rows, dtype=np.float32)
    np.testing.assert_array_equal(vectors, want)  # float32 survives JSON and base64 exactly
    cosine = (vectors * want).sum(1) / np.linalg.norm(vectors, axis=1) / np.linalg.norm(want, axis=1)
    assert cosine.min() >= 0.99999
    assert got.model == encoder.name and got.object == "list"
    counts = [len(encoder.tokenizer.encode(t).ids) for t in TEXTS]
    assert got.usage.prompt_tokens == got.usage.total_tokens == sum(counts)


def test_the_clients_default_is_base64_and_a_single_string_works(client, encoder):
    got = client.embeddings.create(model=encoder.name, input="Hello world")  # the client asks for base64 itself
    np.testing.assert_array_equal(np.array(got.data[0].embedding, dtype=np.float32), encoder.embed(["Hello world"])[0])


def test_token_id_arrays_run_embed_ids(client, encoder):
    ids = [[101, 7592, 2088, 102], [101, 102]]
    got = client.embeddings.create(model=encoder.name, input=ids, encoding_format="float")
    np.testing.assert_array_equal(np.array([d.embedding for d in got.data], dtype=np.float32), encoder.embed_ids(ids))
    assert got.usage.prompt_tokens == 6
    one = client.embeddings.create(model=encoder.name, input=[101, 7592, 102], encoding_format="float")
    assert len(one.data) == 1 and one.usage.prompt_tokens == 3


def test_dimensions_shorten_and_renormalize(client, encoder):
    got = client.embeddings.create(model=encoder.name, input=TEXTS, dimensions=8, encoding_format="float")
    v = np.array([d.embedding for d in got.data])
    full = encoder.embed(TEXTS)[:, :8]
    np.testing.assert_allclose(v, full / np.linalg.norm(full, axis=1, keepdims=True), rtol=1e-6)
    with pytest.raises(openai.BadRequestError, match="dimensions"):
        client.embeddings.create(model=encoder.name, input="x", dimensions=encoder.dim + 1)


def test_over_long_input_is_refused_unless_truncate_or_chunk(client, encoder):
    long = "word " * 40
    n = len(encoder.tokenizer.encode(long).ids)
    with pytest.raises(openai.BadRequestError) as caught:
        client.embeddings.create(model=encoder.name, input=["short", long])
    assert caught.value.code == "context_length_exceeded" and "input[1]" in str(caught.value)
    got = client.embeddings.create(
        model=encoder.name, input=[long], extra_body={"long": "truncate"}, encoding_format="float"
    )
    np.testing.assert_array_equal(
        np.array(got.data[0].embedding, dtype=np.float32), encoder.embed([long], long="truncate")[0]
    )
    assert got.usage.prompt_tokens == encoder.max_seq_length
    got = client.embeddings.create(model=encoder.name, input=[long], extra_body={"truncate": True})
    assert got.usage.prompt_tokens == encoder.max_seq_length
    got = client.embeddings.create(
        model=encoder.name, input=[long], extra_body={"long": "chunk"}, encoding_format="float"
    )
    np.testing.assert_allclose(np.array(got.data[0].embedding), encoder.embed([long], long="chunk")[0], rtol=1e-6)
    assert got.usage.prompt_tokens == n


def test_unknown_model_is_404(client):
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        client.embeddings.create(model="text-embedding-3-small", input="x")


def test_models(client, encoder):
    models = client.models.list()
    assert [m.id for m in models.data] == [encoder.name]
    assert client.models.retrieve(encoder.name).id == encoder.name


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ("{not json", 400, "could not parse the JSON body"),
        ("[1, 2]", 400, "must be an object"),
        ("", 400, "no body"),
        ('{"input": 3}', 400, "'input' must be"),
        ('{"input": []}', 400, "empty list"),
        ('{"input": [""]}', 400, "empty string"),
        ('{"input": ["a", 1]}', 400, "'input' must be"),
        ('{"input": [[1, -2]]}', 400, "token ids"),
        ('{"input": "a", "model": 7}', 400, "'model' must be a string"),
        ('{"input": "a", "encoding_format": "int8"}', 400, "encoding_format"),
        ('{"input": "a", "dimensions": "8"}', 400, "'dimensions' must be an integer"),
        ('{"input": "a", "dimensions": true}', 400, "'dimensions' must be an integer"),
        ('{"input": "a", "long": "fold"}', 400, "'long' must be one of"),
        ('{"input": "a", "model": "nope"}', 404, "does not exist"),
        (b'{"input": "\xff"}', 400, "not UTF-8"),
    ],
)
def test_bad_requests_get_json_errors(server, body, status, says):
    code, payload = _post(server, "/v1/embeddings", body)
    assert code == status, payload
    assert says in payload["error"]["message"] and payload["error"]["type"]


def test_huge_body_is_413_and_the_server_keeps_serving(server, encoder):
    code, payload = _post(server, "/v1/embeddings", b'{"input": "' + b"a" * (10 * 1024 * 1024) + b'"}')
    assert code == 413 and "bytes" in payload["error"]["message"]
    assert _post(server, "/v1/count", '{"tokenizer": "gpt2", "input": "Hello world"}') == (
        200, {"object": "list", "model": "gpt2", "data": [{"index": 0, "count": 2}], "total": 2})  # fmt: skip


def test_a_client_that_disconnects_mid_request(server):
    u = urllib.parse.urlsplit(server.url)
    for _ in range(3):
        with socket.create_connection((u.hostname, u.port), timeout=10) as s:
            s.sendall(b"POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000\r\n\r\n{\"input\": [\"hal")  # fmt: skip
    code, payload = _post(server, "/v1/embeddings", '{"input": "still here"}')
    assert code == 200 and len(payload["data"]) == 1


def test_unknown_routes_and_methods_answer_json(server):
    code, payload = _get(server, "/v1/nothing")
    assert code == 404 and "no route" in payload["error"]["message"]
    code, payload = _get(server, "/v1/embeddings")
    assert code == 405 and "not allowed" in payload["error"]["message"]


def test_tokenize_and_count_any_tokenizer(server, encoder):
    gpt2 = tokvec.load("gpt2")
    code, payload = _post(
        server, "/v1/tokenize", json.dumps({"tokenizer": "gpt2", "input": ["Hello world", "<|endoftext|>"]})
    )
    assert code == 200
    assert payload["data"][0]["ids"] == gpt2.encode("Hello world").ids.tolist() == [15496, 995]
    assert payload["data"][1]["count"] == len(gpt2.encode("<|endoftext|>", disallowed_special=()).ids)
    code, payload = _post(server, "/v1/count", json.dumps({"model": encoder.name, "input": TEXTS}))
    assert [d["count"] for d in payload["data"]] == [len(encoder.tokenizer.encode(t).ids) for t in TEXTS]
    code, payload = _post(server, "/v1/count", json.dumps({"tokenizer": "nope", "input": "x"}))
    assert code == 404 and "cl100k_base" in payload["error"]["message"]


def test_api_key_guards_every_api_route(encoder):
    from tokvec.serve import BackgroundServer, Resources, create_app

    app = create_app(Resources(encoders={encoder.name: encoder}, api_key="s3cret"))
    with BackgroundServer(app) as server:
        for path in ("/v1/embeddings", "/v1/count", "/v1/tokenize", "/api/split"):
            code, payload = _post(server, path, '{"input": "x"}')
            assert code == 401 and "API key" in payload["error"]["message"]
        assert _get(server, "/v1/models")[0] == 401
        code, _ = _post(server, "/v1/count", '{"input": "x"}', {"Authorization": "Bearer wrong"})
        assert code == 401
        good = openai.OpenAI(base_url=server.url + "/v1", api_key="s3cret", max_retries=0)
        assert len(good.embeddings.create(model=encoder.name, input=["a", "b"]).data) == 2
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=server.url + "/v1", api_key="bad", max_retries=0).models.list()
        u = urllib.parse.urlsplit(server.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200  # the pages load, then ask for the key
