"""``tokvec serve``: the web app and the OpenAI-compatible embeddings API on this machine (uvicorn)."""

from __future__ import annotations

import argparse
import os
import warnings
from typing import Any

from ._common import CliError, add_command, warn
from ._points import load_encoder
from .word2vec import _CORPUS, _TRAIN

_EXAMPLES = (
    _CORPUS,
    _TRAIN,
    "tokvec serve --vectors vectors.bin --dry-run",
    "tokvec recommend train sample -o songs.npz --preset book --epochs 1 --quiet",
    "tokvec serve --recommender songs.npz --port 8000 --api-key secret --dry-run",
)
_LOCAL = ("127.0.0.1", "localhost", "::1")


def register(subparsers: Any) -> None:
    """Add the ``serve`` verb."""
    p = add_command(
        subparsers,
        "serve",
        summary="a local web app (tokenizers, word vectors, songs, sentences) and an OpenAI-compatible API",
        description=(
            "Start a web server on 127.0.0.1 (this machine only) and print its address. Pages: / (tokenizer\n"
            "playground), /vectors, /songs, /sentences. API: POST /v1/embeddings (OpenAI's shape: point the\n"
            "openai package's base_url at http://127.0.0.1:PORT/v1), POST /v1/tokenize, POST /v1/count,\n"
            "GET /v1/models. Requests of many clients are embedded together in batches. Stop it with Ctrl-C.\n"
            "Needs the serve extra: pip install 'tokvec[serve]'."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("-m", "--model", action="append", default=[], metavar="MODEL",
                   help="an embedding model (a preset name or a folder); repeat for several")  # fmt: skip
    p.add_argument("--vectors", metavar="FILE", help="word vectors for the /vectors page")
    p.add_argument("--recommender", metavar="FILE", help="a recommender (.npz) for the /songs page")
    p.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)"
    )
    p.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0: any free port)")
    p.add_argument("--api-key", default=os.environ.get("TOKVEC_API_KEY"),
                   help="require 'Authorization: Bearer KEY' on the API routes (default: $TOKVEC_API_KEY)")  # fmt: skip
    p.add_argument("--long", choices=("error", "truncate", "chunk"), default="error",
                   help="inputs over the model's limit: refuse with 400 (default), truncate or chunk")  # fmt: skip
    p.add_argument("--batch-window-ms", type=float, default=2.0, help="how long a batch waits for more requests")
    p.add_argument("--batch-tokens", type=int, default=16_384, help="the most tokens in one model call")
    p.add_argument("--max-body-mb", type=float, default=4.0, help="the largest request body taken (default: 4 MB)")
    p.add_argument("--access-log", action="store_true", help="log every request on stderr")
    p.add_argument("--dry-run", action="store_true", help="load everything and print what would be served, then exit")
    p.set_defaults(func=run_serve)


def build_resources(args: argparse.Namespace) -> Any:
    """Load the models, vectors and recommender that ``args`` name."""
    from ..serve import Resources

    if args.batch_window_ms < 0 or args.batch_tokens < 1 or args.max_body_mb <= 0:
        raise CliError("--batch-window-ms must be >= 0, --batch-tokens >= 1 and --max-body-mb > 0")
    encoders = {}
    for name in args.model:
        encoder = load_encoder(name)
        encoders[str(getattr(encoder, "name", name))] = encoder
    vectors = None
    if args.vectors:
        from ..vectors.formats import load

        vectors = load(args.vectors)
    recommender = None
    if args.recommender:
        from ..recommend import load_recommender

        recommender = load_recommender(args.recommender)
    return Resources(
        encoders=encoders,
        vectors=vectors,
        vectors_name=os.path.basename(args.vectors or ""),
        recommender=recommender,
        api_key=args.api_key or None,
        long=args.long,
        batch_window=args.batch_window_ms / 1000.0,
        batch_tokens=args.batch_tokens,
        max_body=int(args.max_body_mb * 1024 * 1024),
    )


def run_serve(args: argparse.Namespace) -> int:
    """Start the server (or, with --dry-run, say what it would serve)."""
    from ..serve import create_app
    from ..serve.runner import bind, run, url_of

    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, got {args.port}")
    if args.host not in _LOCAL:
        warn(f"--host {args.host}: other machines can reach this server" + ("" if args.api_key else "; set --api-key"))
    resources = build_resources(args)
    app = create_app(resources)
    held = [f"{len(resources.encoders)} embedding model(s)"]
    if resources.vectors is not None:
        held.append(f"{len(resources.vectors):,} word vectors")
    if resources.recommender is not None:
        held.append(f"{int(resources.recommender.known.sum()):,} songs")
    if args.dry_run:
        print(
            f"would serve on http://{args.host}:{args.port}: {', '.join(held)}; key: {'yes' if args.api_key else 'no'}"
        )
        print("pages: /  /vectors  /songs  /sentences;  API: /v1/embeddings  /v1/tokenize  /v1/count  /v1/models")
        return 0
    # a request that asks for long="truncate" knows its text is cut: no warning per request on the console
    warnings.filterwarnings("ignore", message=r".*longer than \d+ tokens and were cut there")
    sock = bind(args.host, args.port)
    print(f"tokvec: serving on {url_of(sock)} ({', '.join(held)}); Ctrl-C stops it", flush=True)
    run(app, sock, access_log=args.access_log)
    return 0
