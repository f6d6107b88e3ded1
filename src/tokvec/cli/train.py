"""``tokvec train``: the verb group of everything that learns from a corpus (one subcommand per model).

Each model's module adds its subcommand through :func:`register`'s ``SUBCOMMANDS`` list.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import epilog
from .word2vec import register_train as _word2vec

SUBCOMMANDS = [_word2vec]

_EXAMPLES = (
    "printf 'the cat sat on the mat\\nthe dog sat on the rug\\n%.0s' {1..50} > corpus.txt",
    "tokvec train word2vec corpus.txt -o vectors.bin --min-count 1 --epochs 1 --quiet",
)


def register(subparsers: Any) -> None:
    """Add ``tokvec train`` and its subcommands."""
    parser = subparsers.add_parser(
        "train",
        help="train a model (word2vec) on a corpus",
        description="Train a model on a corpus. Run 'tokvec train MODEL --help' for its options.",
        epilog=epilog(_EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error"
    )
    models = parser.add_subparsers(dest="model", metavar="MODEL", required=True)
    for add in SUBCOMMANDS:
        add(models)
