"""``tokvec embed -m MODEL FILES -o DIR/``: embed text files into vector shards, here or on a Dask cluster.

The work is :func:`tokvec.cluster.embed_files`. :func:`add_file_options` and :func:`run_files` are
the hook for a ``tokvec embed`` verb that also embeds single texts: it adds the options and calls
``run_files`` when ``-o DIR`` is given; :func:`register` adds a verb of its own until such a verb exists.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable
from typing import Any

from ._cluster import add_cluster_options
from ._common import CliError, add_command, add_format_option, format_table, print_json

_EXAMPLES = (
    "printf 'Hello world!\\nHallo Welt!\\n' > hello.txt",
    "tokvec embed -m lengths --loader tokvec.cluster.embed:LengthEncoder hello.txt -o vectors/ --quiet",
)


def register(subparsers: Any) -> None:
    """Add the ``embed`` verb (files to vector shards)."""
    p = add_command(
        subparsers,
        "embed",
        summary="embed text files into vector shards (float32 .npy + ids, manifest), here or on Dask",
        description=(
            "Embed each document of every FILE (a line, or the --field of a .jsonl record; globs allowed)\n"
            "with MODEL and write DIR/NNNNN-PPPP.npy (float32 vectors), NNNNN-PPPP.ids.npy (int64 pairs:\n"
            "file number, line or record number; blank lines are left out) and manifest.json last\n"
            "(model name, fingerprint and dim, files, shards). Finished files are skipped when the job\n"
            "runs again. With --cluster each file is one Dask task and each worker loads the model once."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="text files or globs: plain, .gz, .jsonl")
    p.add_argument(
        "-m", "--model", required=True, metavar="MODEL", help="a model name (all-MiniLM-L6-v2) or a model folder"
    )
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder for the shards and manifest")
    add_file_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_format_option(p, ("table", "json"), "the summary as a table or json")
    p.set_defaults(func=run_files)


def add_file_options(p: argparse.ArgumentParser) -> None:
    """Add the options of the sharded job: --batch-size, --normalize, --shard-rows, --loader, --cluster, --field."""
    p.add_argument("--batch-size", type=int, default=32, metavar="N", help="texts per forward pass (default: 32)")
    p.add_argument("--normalize", action="store_true", help="scale each vector to length 1")
    p.add_argument("--shard-rows", type=int, default=1 << 16, metavar="N", help="vectors per shard (default: 65536)")
    p.add_argument(
        "--loader", default=None, metavar="MODULE:FUNCTION",
        help="build the encoder with FUNCTION(MODEL) from MODULE, importable on every worker"
        " (default: tokvec.load_encoder)",
    )  # fmt: skip
    add_cluster_options(p)


def run_files(args: argparse.Namespace) -> int:
    """Embed the files and print what was written."""
    from ..cluster import connect, embed_files
    from ..cluster.embed import default_loader

    loader = _import(args.loader) if args.loader else default_loader
    start = time.perf_counter()
    with connect(args.cluster) as client:
        m = embed_files(
            args.files, args.model, args.output, client=client, loader=loader, field=args.field,
            batch_size=args.batch_size, normalize=args.normalize, shard_rows=args.shard_rows,
            progress=not args.quiet,
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
