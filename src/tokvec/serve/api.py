"""The OpenAI-compatible routes: ``POST /v1/embeddings``, ``/v1/tokenize``, ``/v1/count``, ``GET /v1/models``.

``/v1/embeddings`` takes OpenAI's request: ``input`` (a string, a list of strings, a list of token
ids, or a list of such lists), ``model``, ``encoding_format`` (``float`` or ``base64``: the
little-endian float32 bytes), ``dimensions`` (the first N components, scaled back to unit length,
as OpenAI shortens its own vectors) and ``user`` (ignored); and answers in OpenAI's shape. Token
ids are ids of the model's own tokenizer, given as the model is to see them (special tokens
included). tokvec adds ``long``: ``error`` (the default: an input over the model's limit is a
400), ``truncate`` or ``chunk`` (``truncate: true`` also works); ``tokvec serve --long`` changes the
default. ``usage`` counts each input's tokens as the model's tokenizer gives them, special tokens
included, after truncation; with ``chunk``, the whole text once (the overlap of its windows and
their repeated special tokens are not counted again).
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import Response

from .http import ApiError, field, json_response, read_json
from .resources import LONG_MODES, Resources


def _resources(request: Request) -> Resources:
    return request.app.state.resources


def _inputs(value: Any) -> tuple[list[Any], bool]:
    """Return ``(inputs, are_ids)`` from a request's ``input``, or raise 400."""
    if value is None:
        raise ApiError(
            400, "'input' is missing: give a string, a list of strings or a list of token ids", param="input"
        )
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ApiError(400, f"'input' must be a string or a list, got {type(value).__name__}", param="input")
    if not value:
        raise ApiError(400, "'input' is an empty list; give at least one text", param="input")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return [value], True
    if all(isinstance(v, str) for v in value):
        for i, v in enumerate(value):
            if not v:
                raise ApiError(400, f"input[{i}] is an empty string; every text needs at least one character",
                               param="input")  # fmt: skip
        return value, False
    if all(isinstance(v, list) for v in value):
        for i, ids in enumerate(value):
            if not ids or not all(isinstance(t, int) and not isinstance(t, bool) and t >= 0 for t in ids):
                raise ApiError(400, f"input[{i}] must be a non-empty list of token ids (integers >= 0)", param="input")
        return value, True
    raise ApiError(400, "'input' must be a string, a list of strings, a list of token ids or a list of such lists",
                   param="input")  # fmt: skip


def _long_mode(body: dict[str, Any], default: str) -> str:
    mode = field(body, "long", str)
    if field(body, "truncate", bool):
        mode = mode or "truncate"
    mode = mode or default
    if mode not in LONG_MODES:
        raise ApiError(400, f"'long' must be one of {', '.join(LONG_MODES)}, got {mode!r}", param="long")
    return mode


def _shorten(vectors: np.ndarray, dimensions: int | None, dim: int) -> np.ndarray:
    if dimensions is None or dimensions == dim:
        return vectors
    if not 1 <= dimensions <= dim:
        raise ApiError(400, f"'dimensions' must be between 1 and {dim} for this model, got {dimensions}",
                       param="dimensions")  # fmt: skip
    cut = vectors[:, :dimensions]
    norms = np.linalg.norm(cut, axis=1, keepdims=True)
    return (cut / np.maximum(norms, 1e-12)).astype(np.float32)


async def embeddings(request: Request) -> Response:
    """Answer ``POST /v1/embeddings``."""
    res = _resources(request)
    body = await read_json(request, res.max_body)
    inputs, are_ids = _inputs(body.get("input"))
    if len(inputs) > res.max_inputs:
        raise ApiError(400, f"'input' has {len(inputs):,} items; send at most {res.max_inputs:,} per request",
                       param="input")  # fmt: skip
    name, encoder = res.encoder(field(body, "model", str))
    fmt = field(body, "encoding_format", str, "float")
    if fmt not in ("float", "base64"):
        raise ApiError(400, f"'encoding_format' must be 'float' or 'base64', got {fmt!r}", param="encoding_format")
    dimensions = field(body, "dimensions", int)
    field(body, "user", str)
    mode = _long_mode(body, res.long)
    limit = getattr(encoder, "max_seq_length", None)
    if are_ids:
        if not callable(getattr(encoder, "embed_ids", None)):
            raise ApiError(400, f"the model {name!r} takes text only, not token ids", param="input")
        counts = np.array([len(ids) for ids in inputs], dtype=np.int64)
        if limit is not None and int(counts.max()) > limit:
            i = int(np.argmax(counts))
            raise ApiError(
                400, f"input[{i}] has {counts[i]:,} token ids; {name} takes at most {limit:,}", param="input"
            )
        options: dict[str, Any] = {"ids": True}
    else:
        counts = res.model_counts(encoder, inputs)
        if limit is not None and len(counts) and int(counts.max()) > limit:
            if mode == "error":
                i = int(np.argmax(counts))
                raise ApiError(
                    400,
                    f"input[{i}] has {counts[i]:,} tokens; {name} takes at most {limit:,}. Shorten it, or send "
                    "'long': 'truncate' (keep the first tokens) or 'long': 'chunk' (average windows)",
                    param="input",
                    code="context_length_exceeded",
                )
            if mode == "truncate":
                counts = np.minimum(counts, limit)
        options = {"long": mode} if limit is not None else {}
    vectors = await request.app.state.batchers[name].embed(inputs, counts.tolist(), **options)
    vectors = _shorten(vectors, dimensions, vectors.shape[1])
    if fmt == "base64":
        encoded: list[Any] = [base64.b64encode(v.astype("<f4").tobytes()).decode("ascii") for v in vectors]
    else:
        encoded = vectors.tolist()
    total = int(counts.sum())
    return json_response({
        "object": "list",
        "data": [{"object": "embedding", "index": i, "embedding": e} for i, e in enumerate(encoded)],
        "model": name,
        "usage": {"prompt_tokens": total, "total_tokens": total},
    })  # fmt: skip


def _texts(body: dict[str, Any]) -> list[str]:
    value = body.get("input", body.get("text"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    raise ApiError(400, "'input' must be a string or a non-empty list of strings", param="input")


def _tokenizer_name(res: Resources, body: dict[str, Any]) -> str:
    name = field(body, "tokenizer", str) or field(body, "model", str)
    if name is None:
        if len(res.encoders) == 1:
            return next(iter(res.encoders))
        raise ApiError(400, f"say which 'tokenizer': one of {', '.join(res.tokenizer_names())}", param="tokenizer")
    return name


async def tokenize(request: Request) -> Response:
    """Answer ``POST /v1/tokenize``: the ids and tokens of each text (``tokenizer`` or ``model``)."""
    res = _resources(request)
    body = await read_json(request, res.max_body)
    texts = _texts(body)
    name = _tokenizer_name(res, body)
    batch = res.encode(name, texts)
    data = []
    for i in range(len(texts)):
        enc = batch[i]
        ids = [int(t) for t in enc.ids]
        data.append({"index": i, "ids": ids, "tokens": list(enc.tokens), "count": len(ids)})
    total = sum(d["count"] for d in data)
    return json_response({"object": "list", "model": name, "data": data, "usage": {"prompt_tokens": total}})


async def count(request: Request) -> Response:
    """Answer ``POST /v1/count``: the number of tokens of each text and their total."""
    res = _resources(request)
    body = await read_json(request, res.max_body)
    texts = _texts(body)
    name = _tokenizer_name(res, body)
    counts = res.count(name, texts).tolist()
    data = [{"index": i, "count": c} for i, c in enumerate(counts)]
    return json_response({"object": "list", "model": name, "data": data, "total": int(sum(counts))})


def _model(res: Resources, name: str, encoder: Any) -> dict[str, Any]:
    return {
        "id": name,
        "object": "model",
        "created": res.created,
        "owned_by": "tokvec",
        "dimensions": int(encoder.dim),
        "max_seq_length": encoder.max_seq_length,
    }


async def models(request: Request) -> Response:
    """Answer ``GET /v1/models``: the embedding models this server holds."""
    res = _resources(request)
    return json_response({"object": "list", "data": [_model(res, n, e) for n, e in res.encoders.items()]})


async def model(request: Request) -> Response:
    """Answer ``GET /v1/models/{model}``."""
    res = _resources(request)
    name, encoder = res.encoder(request.path_params["model"])
    return json_response(_model(res, name, encoder))
