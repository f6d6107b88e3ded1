"""The web pages and the JSON they read: tokenizer playground, word vectors, songs, sentence similarity.

Each page is one HTML file of ``static/`` with its script; all of them ask the routes below (under
``/api/``) for data, so a page never needs anything from outside this server.
"""

from __future__ import annotations

from importlib import resources as package_files
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..analysis.adapt import token_views
from ..analysis.cost import fit_message, load_prices
from ..analysis.projection import pca
from .http import ApiError, field, json_response, read_json
from .resources import Resources

PAGES = {"/": "playground.html", "/vectors": "vectors.html", "/songs": "songs.html", "/sentences": "sentences.html"}
_MAX_TEXT = 200_000  # characters the playground splits at once
_PRICES = load_prices()


def _res(request: Request) -> Resources:
    return request.app.state.resources


def static_folder() -> str:
    """Return the folder of the pages' HTML, CSS and scripts."""
    return str(package_files.files("tokvec.serve") / "static")


async def page(request: Request) -> Response:
    """Serve one of the pages."""
    name = PAGES[request.url.path]
    return HTMLResponse((package_files.files("tokvec.serve") / "static" / name).read_text("utf-8"))


async def info(request: Request) -> Response:
    """What this server holds, for the pages to show what is there."""
    res = _res(request)
    kv, rec = res.vectors, res.recommender
    return json_response({
        "tokenizers": res.tokenizer_names(),
        "models": [{"id": n, "dimensions": int(e.dim), "max_seq_length": e.max_seq_length}
                   for n, e in res.encoders.items()],
        "vectors": None if kv is None else {"name": res.vectors_name, "keys": len(kv), "dimensions": kv.vector_size,
                                              "examples": list(kv.keys[:12])},
        "songs": None if rec is None else {"songs": int(rec.known.sum()), "examples": _popular(rec, 8)},
        "api_key": res.api_key is not None,
    })  # fmt: skip


async def stats(request: Request) -> Response:
    """Model calls and texts embedded per model since the start (the benchmark reads the mean batch)."""
    out = {}
    for name, b in request.app.state.batchers.items():
        out[name] = {
            "calls": b.batches,
            "texts": b.texts,
            "mean_batch": round(b.texts / b.batches, 1) if b.batches else 0,
        }
    return json_response(out)


def _popular(rec: Any, n: int) -> list[dict[str, str]]:
    order = np.lexsort((np.arange(len(rec.popularity)), -rec.popularity))[:n]
    return [{"key": rec.catalogue.keys[i], "label": rec.catalogue.describe(int(i))} for i in order.tolist()]


async def split(request: Request) -> Response:
    """Split ``text`` with each of ``tokenizers``: tokens with ids and kinds, count, cost, context fit."""
    res = _res(request)
    body = await read_json(request, res.max_body)
    text = field(body, "text", str, "")
    if len(text) > _MAX_TEXT:
        raise ApiError(400, f"the text has {len(text):,} characters; the playground splits at most {_MAX_TEXT:,}")
    names = field(body, "tokenizers", list, []) or res.tokenizer_names()[:3]
    out = []
    for name in names[:8]:
        if not isinstance(name, str):
            raise ApiError(400, "'tokenizers' must be a list of names", param="tokenizers")
        tok = res.tokenizer(name)
        enc = res.encode(tok, [text])[0]
        ids = [int(i) for i in enc.ids]
        views = token_views(tok, ids, list(enc.tokens))
        prices = [
            {"model": p.model, "usd": p.input_cost(len(ids)), "window": p.context_window,
             "fits": p.fits(len(ids))}
            for p in _PRICES.for_tokenizer(name)
        ]  # fmt: skip
        out.append({
            "tokenizer": name,
            "count": len(ids),
            "tokens": [{"id": v.id, "token": v.token, "text": v.text, "kind": v.kind} for v in views],
            "chars_per_token": round(len(text) / len(ids), 2) if ids else None,
            "fit": fit_message(len(ids)),
            "prices": prices,
        })  # fmt: skip
    return json_response({"characters": len(text), "bytes": len(text.encode("utf-8", "surrogatepass")), "splits": out})


def _need_vectors(res: Resources) -> Any:
    if res.vectors is None:
        raise ApiError(404, "this server has no word vectors; start it with `tokvec serve --vectors FILE`")
    return res.vectors


def _key(kv: Any, value: str | None, what: str) -> str:
    if not value:
        raise ApiError(400, f"give '{what}'", param=what)
    if value in kv:
        return value
    if value.lower() in kv:
        return value.lower()
    try:
        kv.index(value)
    except KeyError as e:
        raise ApiError(404, str(e.args[0]) if e.args else f"{value!r} is not in the vectors", param=what) from None
    return value


async def neighbors(request: Request) -> Response:
    """The nearest neighbours of ``word`` and a 2-D PCA map of the word with them."""
    kv = _need_vectors(_res(request))
    word = _key(kv, request.query_params.get("word"), "word")
    k = _int(request.query_params.get("k"), 12, 1, 100)
    found = kv.most_similar(word, top_k=k)
    keys = [word] + [n.key for n in found]
    xy = pca(kv[keys])
    return json_response({
        "word": word,
        "neighbors": [{"key": n.key, "score": round(n.score, 4)} for n in found],
        "map": [{"key": key, "x": round(float(x), 4), "y": round(float(y), 4)}
                for key, (x, y) in zip(keys, xy, strict=True)],
    })  # fmt: skip


async def analogy(request: Request) -> Response:
    """Answer "a is to b as c is to ?" (3CosAdd)."""
    kv = _need_vectors(_res(request))
    q = request.query_params
    a, b, c = (_key(kv, q.get(n), n) for n in ("a", "b", "c"))
    found = kv.analogy(a, b, c, top_k=_int(q.get("k"), 5, 1, 50))
    return json_response({"query": [a, b, c], "answers": [{"key": n.key, "score": round(n.score, 4)} for n in found]})


def _int(value: str | None, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        return max(low, min(high, int(value)))
    except ValueError:
        raise ApiError(400, f"expected a whole number, got {value!r}") from None


def _need_songs(res: Resources) -> Any:
    if res.recommender is None:
        raise ApiError(404, "this server has no recommender; start it with `tokvec serve --recommender FILE`")
    return res.recommender


def _song(rec: Any, r: Any) -> dict[str, Any]:
    score = float(r.score)
    return {"key": r.key, "label": r.describe(), "score": round(score, 4) if np.isfinite(score) else None}


async def song_search(request: Request) -> Response:
    """Songs whose title or artist hold the words of ``q``."""
    rec = _need_songs(_res(request))
    q = request.query_params.get("q", "").strip()
    found = rec.find(q)[:20] if q else []
    return json_response({"songs": [_song(rec, r) for r in found]})


async def song_similar(request: Request) -> Response:
    """The songs closest to ``song``."""
    rec = _need_songs(_res(request))
    song = request.query_params.get("song", "")
    try:
        found = rec.similar_items(song, top_k=_int(request.query_params.get("k"), 10, 1, 50))
    except KeyError as e:
        raise ApiError(404, str(e.args[0]) if e.args else f"no song {song!r}", param="song") from None
    return json_response({"songs": [_song(rec, r) for r in found]})


async def song_recommend(request: Request) -> Response:
    """The next songs for a ``playlist`` of song keys."""
    res = _res(request)
    rec = _need_songs(res)
    body = await read_json(request, res.max_body)
    playlist = field(body, "playlist", list, [])
    if not playlist or not all(isinstance(s, str) for s in playlist):
        raise ApiError(400, "'playlist' must be a non-empty list of song keys", param="playlist")
    try:
        found = rec.recommend(playlist, top_k=_int(str(body.get("k", "")), 10, 1, 50))
    except KeyError as e:
        raise ApiError(404, str(e.args[0]) if e.args else "unknown song", param="playlist") from None
    return json_response({"songs": [_song(rec, r) for r in found]})


async def similarity(request: Request) -> Response:
    """The cosine similarity matrix of ``texts`` embedded by ``model``."""
    res = _res(request)
    body = await read_json(request, res.max_body)
    texts = [t for t in field(body, "texts", list, []) if isinstance(t, str) and t.strip()]
    if not texts:
        raise ApiError(400, "'texts' must hold at least one non-empty text", param="texts")
    if len(texts) > 64:
        raise ApiError(400, f"{len(texts)} texts; the page compares at most 64", param="texts")
    name, encoder = res.encoder(field(body, "model", str))
    counts = res.model_counts(encoder, texts)
    options = {"long": "truncate"} if getattr(encoder, "max_seq_length", None) is not None else {}
    vectors = await request.app.state.batchers[name].embed(texts, counts.tolist(), **options)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    matrix = np.clip(unit @ unit.T, -1.0, 1.0)
    return json_response({"model": name, "texts": texts, "tokens": counts.tolist(),
                          "matrix": np.round(matrix, 4).tolist()})  # fmt: skip
