"""``tokvec embed -m MODEL FILES -o DIR/ [--cluster ...]``: text files into vector shards, here or on Dask.

The hook of :mod:`tokvec.cli.embed` for the sharded job (:func:`tokvec.cluster.embed_files`):
:func:`add_shard_options` adds its options to the verb, and when :func:`wants_shards` (``-o`` names a
folder, or ``--cluster`` is given) the verb's TEXT arguments are files (or globs) and
:func:`run_files` writes the shards and prints what was written.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import time
from collections.abc import Callable
from typing import Any

from ._cluster import add_cluster_options
from ._common import CliError, format_table, print_json

EXAMPLE = "tokvec embed -m lengths --loader tokvec.cluster.embed:LengthEncoder texts.txt -o vectors/ --quiet"
USAGE = (
    "tokvec embed [-m MODEL] FILE... -o DIR/ [--cluster WHERE]   every line (or --field of a .jsonl record) of the\n"
    "                                           files into vector shards DIR/NNNNN-PPPP.npy + .ids.npy, manifest.json\n"
)


def add_shard_options(p: argparse.ArgumentParser) -> None:
    """Add the sharded job's own options: --shard-rows, --loader, --cluster (the verb has --field, --batch-size)."""
    p.add_argument("--shard-rows", type=int, default=1 << 16, metavar="N", help="vectors per shard (default: 65536)")
    p.add_argument(
        "--loader", default=None, metavar="MODULE:FUNCTION",
        help="build the encoder with FUNCTION(MODEL) from MODULE, importable on every worker"
        " (default: tokvec.load_encoder)",
    )  # fmt: skip
    add_cluster_options(p, field=False)


def wants_shards(args: argparse.Namespace) -> bool:
    """Tell whether the verb was asked for shards: ``-o`` is a folder (not ``.npy``), or ``--cluster`` is given."""
    if args.texts and args.texts[0] in ("tokens", "matrix"):
        return False
    return args.cluster is not None or bool(args.output and not args.output.endswith(".npy"))


def run_files(args: argparse.Namespace) -> int:
    """Embed the files and print what was written."""
    from ..cluster import connect, embed_files
    from ..cluster.embed import default_loader

    if not args.texts or not args.output:
        raise CliError("the sharded job takes files and a folder: tokvec embed FILE... -o DIR/")
    if args.shard_rows < 1:
        raise CliError(f"--shard-rows must be at least 1, got {args.shard_rows}")
    loader = _import(args.loader) if args.loader else default_loader
    if not args.loader and getattr(args, "compute", "float32") != "float32":
        loader = functools.partial(default_loader, compute=args.compute)
    start = time.perf_counter()
    with connect(args.cluster) as client:
        m = embed_files(
            args.texts, args.model, args.output, client=client, loader=loader, field=args.field or "text",
            batch_size=args.batch_size, normalize=args.normalize, shard_rows=args.shard_rows,
            num_threads=args.threads, progress=not args.quiet,
        )  # fmt: skip
    summary = {
        "model": m["model"]["name"], "dim": m["model"]["dim"], "files": len(m["files"]),
        "documents": m["documents"], "vectors": m["rows"], "shards": len(m["shards"]), "folder": args.output,
        "seconds": round(time.perf_counter() - start, 3),
    }  # fmt: skip
    if args.format == "json":
        print_json(summary)
    else:
        print(format_table(["", "value"], [[k, v] for k, v in summary.items()]))
    return 0


def _import(spec: str) -> Callable[[str], Any]:
    module, _, name = spec.partition(":")
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as e:
        raise CliError(f"--loader {spec!r}: cannot import it ({e}); write MODULE:FUNCTION") from None
    if not callable(fn):
        raise CliError(f"--loader {spec!r} is not callable")
    return fn
