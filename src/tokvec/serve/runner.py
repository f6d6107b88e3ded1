"""Run the application with uvicorn: in the foreground (``tokvec serve``) or on a background thread.

The socket is bound here, before uvicorn starts, so that port 0 (any free port) works and the
address printed is the one bound. :class:`BackgroundServer` is what the tests, the benchmark and
the screenshot script use: a real server on 127.0.0.1 in the same process.

>>> from tokvec.serve import Resources, create_app
>>> import urllib.request, json
>>> with BackgroundServer(create_app(Resources())) as server:
...     json.load(urllib.request.urlopen(server.url + "/v1/models"))["object"]
'list'
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from ..errors import TokvecError


def bind(host: str, port: int) -> socket.socket:
    """Bind a listening TCP socket on ``host:port`` (IPv4 or IPv6), with a clear error when taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise TokvecError(
            f"cannot listen on {host}:{port}: {e.strerror}; pick another --port (0: any free one)"
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """Return ``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _config(app: Any, **options: Any) -> Any:
    import uvicorn

    options.setdefault("log_level", "warning")
    return uvicorn.Config(app, lifespan="on", timeout_graceful_shutdown=2, **options)


def run(app: Any, sock: socket.socket, *, access_log: bool = False) -> None:
    """Serve ``app`` on ``sock`` until interrupted (Ctrl-C)."""
    import uvicorn

    server = uvicorn.Server(_config(app, access_log=access_log))
    server.run(sockets=[sock])


class BackgroundServer:
    """A uvicorn server on a thread of this process (``with BackgroundServer(app) as s: s.url``)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        self.sock = bind(host, port)
        self.url = url_of(self.sock)
        self.server = uvicorn.Server(_config(app, access_log=False))
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # not the main thread
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise TokvecError("the background server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
