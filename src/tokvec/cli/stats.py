"""``tokvec stats``: corpus statistics per tokenizer (fertility, characters and bytes per token, split words)."""

from __future__ import annotations

import argparse
from typing import Any

from ..analysis.stats import corpus_stats, stats_json, stats_table
from ._common import add_command, add_format_option, add_tokenizer_option, load_tokenizer, tokenizer_names

_EXAMPLES = (
    "printf 'Tokenizers split rare wordpieces.\\nHallo Welt!\\n' > corpus.txt",
    "tokvec stats -t gpt2,cl100k_base,o200k_base corpus.txt",
    "gzip -kf corpus.txt && tokvec stats -t gpt2 --format json --quiet corpus.txt.gz",
)


def register(subparsers: Any) -> None:
    """Add the ``stats`` verb."""
    p = add_command(
        subparsers,
        "stats",
        summary="corpus statistics per tokenizer: tokens per word, characters per token, split words",
        description=(
            "Stream the FILEs (plain or .gz) once and print, per tokenizer: tokens, words (runs of\n"
            "non-space characters), tokens per word (fertility), characters and bytes per token, the\n"
            "share of words cut into two or more tokens, the unknown-token rate ('-' when the tokenizer\n"
            "has no unknown token, as byte-level BPE) and the share of the vocabulary used. A token\n"
            "belongs to the word where its first non-space character lies, whatever marks word starts\n"
            "in its vocabulary (Ġ, ▁ or ##). Tokens are the text's own: no [CLS]/</s> added."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="text files, plain or gzip-compressed")
    add_tokenizer_option(p, several=True)
    add_format_option(p, ("table", "json"), "table or json")
    p.add_argument("--threads", type=int, default=None, metavar="N", help="encoding threads (default: all cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    """Compute and print the statistics."""
    if args.threads is not None and args.threads < 1:
        args.parser.error(f"--threads must be at least 1, got {args.threads}")
    toks = [load_tokenizer(name, args) for name in tokenizer_names(args.tokenizer)]
    results = corpus_stats(toks, args.files, progress=not args.quiet, num_threads=args.threads)
    print(stats_json(results) if args.format == "json" else stats_table(results))
    return 0
