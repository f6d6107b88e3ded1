"""``tokvec tokenize``: encode text files into token shards (flat uint16/uint32 ``.bin`` + document index).

The work is :func:`tokvec.cluster.tokenize_files` (one task per file, here or on Dask); this module
parses options and prints the summary.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from ._cluster import add_cluster_options
from ._common import add_command, add_format_option, add_tokenizer_option, format_table, print_json

_EXAMPLES = (
    "printf 'Hello world!\\nHallo Welt!\\n' > hello.txt && gzip -kf hello.txt",
    "tokvec tokenize -t gpt2 hello.txt hello.txt.gz -o shards/",
    "tokvec tokenize -t o200k_base 'hello.*' -o shards2/ --eot --shard-tokens 4 --format json --quiet",
    "tokvec tokenize -t gpt2 hello.txt hello.txt.gz -o shards3/ --cluster local:2 --quiet",
)


def register(subparsers: Any) -> None:
    """Add the ``tokenize`` verb."""
    p = add_command(
        subparsers,
        "tokenize",
        summary="encode text files into token shards for training (nanoGPT-style .bin + index, manifest)",
        description=(
            "Encode every FILE (plain, .gz, or .jsonl with --field; globs allowed) into DIR as token\n"
            "shards: NNNNN-PPPP.bin holds the ids of part PPPP of file NNNNN as flat little-endian uint16\n"
            "(a vocabulary of at most 65,536) or uint32, NNNNN-PPPP.idx.npy the int64 start of each\n"
            "document (and the end of the last). A document is a line with its newline, or a record's\n"
            "field; no special tokens are added unless --eot appends the end-of-text token to each.\n"
            "manifest.json is written last (tokenizer name, sha256 and size, dtype, files, shards,\n"
            "token counts). Run it again after an interruption: finished files are skipped. With\n"
            "--cluster, each file is one Dask task; the shards are identical to one process's.\n"
            "Read a shard: np.memmap('DIR/00000-0000.bin', dtype=manifest['dtype'], mode='r')."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="text files or globs: plain, .gz, .jsonl")
    add_tokenizer_option(p, several=False)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder for the shards and manifest")
    p.add_argument(
        "--shard-tokens", type=int, default=1 << 27, metavar="N",
        help="close a shard at the first document end past N tokens (default: 134217728)",
    )  # fmt: skip
    p.add_argument("--eot", action="store_true", help="append the end-of-text token after each document")
    p.add_argument("--threads", type=int, default=None, metavar="N", help="encoding threads per task")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_format_option(p, ("table", "json"), "the summary as a table or json")
    add_cluster_options(p)
    p.set_defaults(func=run_tokenize)


def run_tokenize(args: argparse.Namespace) -> int:
    """Write the shards and print what was written."""
    from ..cluster import connect, tokenize_files

    if args.shard_tokens < 1:
        args.parser.error(f"--shard-tokens must be at least 1, got {args.shard_tokens}")
    start = time.perf_counter()
    with connect(args.cluster) as client:
        m = tokenize_files(
            args.files, args.tokenizer, args.output, client=client, field=args.field, shard_tokens=args.shard_tokens,
            eot=args.eot, num_threads=args.threads, progress=not args.quiet,
        )  # fmt: skip
    summary = {
        "tokenizer": m["tokenizer"]["name"], "dtype": m["dtype"], "files": len(m["files"]),
        "documents": m["documents"], "tokens": m["tokens"], "shards": len(m["shards"]), "folder": args.output,
        "seconds": round(time.perf_counter() - start, 3),
    }  # fmt: skip
    if args.format == "json":
        print_json(summary)
    else:
        print(format_table(["", "value"], [[k, v] for k, v in summary.items()]))
    return 0
