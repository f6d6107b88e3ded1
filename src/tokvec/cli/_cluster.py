"""The options that the corpus verbs share: ``--cluster ADDRESS|local[:N]`` and ``--field NAME`` (JSON Lines)."""

from __future__ import annotations

import argparse
import glob

from ..cluster.sources import JSONL_SUFFIXES


def add_cluster_options(parser: argparse.ArgumentParser, *, field: bool = True) -> None:
    """Add ``--cluster`` and (unless the verb has its own) ``--field``."""
    parser.add_argument(
        "--cluster", metavar="WHERE", default=None,
        help="run on Dask: a scheduler address (tcp://host:8786) or local[:N] for N local worker processes"
        " (needs tokvec[cluster]; default: this process)",
    )  # fmt: skip
    if not field:
        return
    parser.add_argument(
        "--field", default="text", metavar="NAME", help="the text field of .jsonl/.ndjson records (default: text)"
    )


def needs_jobs(args: argparse.Namespace, files: list[str]) -> bool:
    """Tell whether the files need the job path: a cluster, a glob, or JSON Lines (which the classic path lacks)."""
    return args.cluster is not None or any(glob.has_magic(f) or f.endswith(JSONL_SUFFIXES) for f in files)
