"""GloVe on the command line: ``tokvec train glove``."""

from __future__ import annotations

import argparse
import time
from typing import Any

from .._io import check_output_path
from ..vectors.formats import save
from ..vectors.glove import GloveConfig, train_glove
from ._common import add_command
from ._vector_training import (
    add_config_flags,
    add_corpus_arguments,
    add_summary_options,
    config_from,
    print_summary,
    tokenizer_from,
)

_EXAMPLES = (
    "printf 'the cat sat on the mat\\nthe dog sat on the rug\\n%.0s' {1..50} > corpus.txt",
    "tokvec train glove corpus.txt -o vectors.txt --min-count 1 --epochs 5 --quiet",
    "tokvec train glove corpus.txt -o vectors.txt --vector-size 20 --window 5 --x-max 10 --min-count 1 "
    "--threads 2 --output-vectors word --format json --quiet",
    "tokvec similar vectors.txt cat --top-k 3",
)


def register_train(models: Any) -> None:
    """Add ``glove`` to the ``tokvec train`` group; its options are the fields of GloveConfig."""
    p = add_command(
        models,
        "glove",
        summary="train GloVe word vectors (co-occurrence counts, weighted least squares, AdaGrad)",
        description=(
            "Train GloVe as the Stanford reference does (vocab_count, cooccur, shuffle and glove in one run)\n"
            "on text files (one sentence per line, or one long text8-style line; .gz is fine) and save the\n"
            "vectors (GloVe text by default for .txt; .bin word2vec binary, .npz; or --vectors-format)."
        ),
        examples=_EXAMPLES,
    )
    add_corpus_arguments(p, format_help="format of the output (default: glove for .txt)")
    p.add_argument("--tmpdir", help="where counting spills its sorted runs (default: the system's temp folder)")
    add_config_flags(p, GloveConfig, _special_flag)
    add_summary_options(p, quiet_help="no progress bars")
    p.set_defaults(func=run_train)


def _special_flag(p: argparse.ArgumentParser, field: Any, flag: str, default: Any) -> bool:
    if field.name == "symmetric":
        p.add_argument("--left-only", dest="symmetric", action="store_false", help="left context only")
    elif field.name == "output_vectors":
        p.add_argument(flag, choices=("sum", "word"), default=default,
                       help="sum: W + W~ (the reference's -model 2, default); word: W only")  # fmt: skip
    elif field.name == "max_vocab":
        p.add_argument(flag, type=int, default=None, metavar="N", help="keep the N most frequent words")
    else:
        return False
    return True


def run_train(args: argparse.Namespace) -> int:
    check_output_path(args.output, option="-o")
    config = config_from(args, GloveConfig)
    start = time.perf_counter()
    kv = train_glove(args.corpus, config, tokenizer=tokenizer_from(args), tmpdir=args.tmpdir, progress=not args.quiet)
    seconds = time.perf_counter() - start
    fmt = args.vectors_format
    if fmt is None and args.output.lower().removesuffix(".gz").endswith(".txt"):
        fmt = "glove"
    save(kv, args.output, format=fmt)
    print_summary(args, kv, config, seconds)
    return 0
