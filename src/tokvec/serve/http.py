"""HTTP plumbing of the server: JSON errors in OpenAI's shape, a size-limited JSON body, compact JSON replies.

Every refusal is an :class:`ApiError` with its status (400 bad request, 401 key, 404 unknown
model or route, 405 method, 413 body too large) that :func:`error_response` turns into
``{"error": {"message", "type", "param", "code"}}`` as OpenAI's API answers, so clients that parse
those errors (the ``openai`` package raises ``BadRequestError`` and so on) read ours too.

>>> error_body(ApiError(400, "input must not be empty", param="input"))["error"]["type"]
'invalid_request_error'
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

_TYPES = {401: "authentication_error", 404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error"}


class ApiError(Exception):
    """A request the server refuses: HTTP ``status`` and a message that says how to fix it."""

    def __init__(self, status: int, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code


def error_body(e: ApiError) -> dict[str, Any]:
    """Return the JSON object of an error reply."""
    kind = "server_error" if e.status >= 500 else _TYPES.get(e.status, "invalid_request_error")
    return {"error": {"message": e.message, "type": kind, "param": e.param, "code": e.code}}


def error_response(e: ApiError) -> Response:
    """Return the reply for ``e``."""
    headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
    return json_response(error_body(e), status=e.status, headers=headers)


def json_response(obj: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Return ``obj`` as compact UTF-8 JSON (NaN refused: it is not JSON)."""
    body = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, media_type="application/json", headers=headers)


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """Read the request's body (at most ``limit`` bytes) as a JSON object, or raise :class:`ApiError`."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the request body has {int(declared):,} bytes; this server takes at most {limit:,}")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"the request body is over {limit:,} bytes, the most this server takes")
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, "the client went away before sending the whole body") from None
    data = b"".join(chunks)
    if not data:
        raise ApiError(400, "the request has no body; send a JSON object (Content-Type: application/json)")
    try:
        obj = json.loads(data)
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise ApiError(400, f"could not parse the JSON body: {e.msg} at line {e.lineno} column {e.colno}") from None
    if not isinstance(obj, dict):
        raise ApiError(400, f"the JSON body must be an object, got {type(obj).__name__}")
    return obj


def field(body: dict[str, Any], name: str, kinds: type | tuple[type, ...], default: Any = None) -> Any:
    """Return ``body[name]`` checked against ``kinds`` (absent or null: ``default``); bool is not an int."""
    value = body.get(name)
    if value is None:
        return default
    names = kinds if isinstance(kinds, tuple) else (kinds,)
    if (isinstance(value, bool) and bool not in names) or not isinstance(value, kinds):
        wanted = " or ".join({str: "a string", int: "an integer", bool: "true or false", list: "a list",
                              float: "a number", dict: "an object"}.get(k, k.__name__) for k in names)  # fmt: skip
        raise ApiError(400, f"'{name}' must be {wanted}, got {type(value).__name__}", param=name)
    return value
