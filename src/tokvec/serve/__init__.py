"""A local web app and an OpenAI-compatible embeddings API (starlette + uvicorn: ``pip install 'tokvec[serve]'``).

``create_app(Resources(encoders={...}, vectors=..., recommender=...))`` builds the ASGI application;
``tokvec serve`` runs it on 127.0.0.1. See :mod:`tokvec.serve.api` for the routes.

>>> app = create_app(Resources())
>>> sorted(r.path for r in app.routes if r.path.startswith("/v1"))[:3]
['/v1/count', '/v1/embeddings', '/v1/models']
"""

try:
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as e:  # pragma: no cover - the extra is missing
    from ..errors import TokvecError

    raise TokvecError(
        f"tokvec serve needs the serve extra ({e.name} is missing): pip install 'tokvec[serve]'"
    ) from None

from .app import create_app
from .resources import Resources
from .runner import BackgroundServer

__all__ = ["BackgroundServer", "Resources", "create_app"]
