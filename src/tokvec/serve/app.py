"""The ASGI application: routes, the API key check, JSON errors for every refusal, one batcher per model.

Every error, ours or the framework's (404 route, 405 method), is a JSON body in OpenAI's shape; an
unexpected exception is a 500 with the same shape and the server goes on serving. With an API key,
every ``/v1/`` and ``/api/`` route wants ``Authorization: Bearer KEY``; the pages themselves and
their static files do not (they ask for the key and send it).

>>> from starlette.testclient import TestClient
>>> with TestClient(create_app(Resources())) as client:
...     client.post("/v1/count", json={"tokenizer": "gpt2", "input": "Hello world"}).json()["total"]
2
"""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import TokvecError
from . import api, pages
from .batcher import Batcher
from .http import ApiError, error_body, error_response, json_response
from .resources import Resources

_log = logging.getLogger("tokvec.serve")


class _ApiKey:
    """Refuse ``/v1/`` and ``/api/`` requests without ``Authorization: Bearer KEY`` (pure ASGI: no buffering)."""

    def __init__(self, app: ASGIApp, key: str | None) -> None:
        self.app, self.key = app, key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.key is not None and scope["type"] == "http" and scope["path"].startswith(("/v1/", "/api/")):
            given = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            if not hmac.compare_digest(given.encode(), f"Bearer {self.key}".encode()):
                what = "a wrong API key" if given else "no API key"
                response = error_response(ApiError(401, f"{what}: send the header 'Authorization: Bearer KEY'"))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _api_error(request: Request, exc: Exception) -> Response:
    return error_response(exc)  # type: ignore[arg-type]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"no route {request.method} {request.url.path}; see GET /v1/models, POST /v1/embeddings"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return json_response(error_body(ApiError(exc.status_code, message)), status=exc.status_code, headers=exc.headers)


async def _tokvec_error(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, KeyError) else 400
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return error_response(ApiError(status, text))


async def _crash(request: Request, exc: Exception) -> Response:
    _log.exception("tokvec serve: %s %s failed", request.method, request.url.path)
    return error_response(ApiError(500, f"the server failed on this request: {type(exc).__name__}: {exc}"))


def create_app(resources: Resources) -> Starlette:
    """Build the application over ``resources`` (models, vectors, recommender, settings)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        for batcher in app.state.batchers.values():
            batcher.start()
        yield
        for batcher in app.state.batchers.values():
            await batcher.stop()

    post, get = ["POST"], ["GET"]
    routes: list[Any] = [
        Route("/v1/embeddings", api.embeddings, methods=post),
        Route("/v1/tokenize", api.tokenize, methods=post),
        Route("/v1/count", api.count, methods=post),
        Route("/v1/models", api.models, methods=get),
        Route("/v1/models/{model:path}", api.model, methods=get),
        Route("/api/info", pages.info, methods=get),
        Route("/api/stats", pages.stats, methods=get),
        Route("/api/split", pages.split, methods=post),
        Route("/api/neighbors", pages.neighbors, methods=get),
        Route("/api/analogy", pages.analogy, methods=get),
        Route("/api/songs/search", pages.song_search, methods=get),
        Route("/api/songs/similar", pages.song_similar, methods=get),
        Route("/api/songs/recommend", pages.song_recommend, methods=post),
        Route("/api/similarity", pages.similarity, methods=post),
        *[Route(path, pages.page, methods=get) for path in pages.PAGES],
        Mount("/static", StaticFiles(directory=pages.static_folder()), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            TokvecError: _tokvec_error,
            Exception: _crash,
        },
    )
    app.state.resources = resources
    app.state.batchers = {
        name: Batcher(encoder, window=resources.batch_window, token_budget=resources.batch_tokens)
        for name, encoder in resources.encoders.items()
    }
    app.add_middleware(_ApiKey, key=resources.api_key)
    return app
