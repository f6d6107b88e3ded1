"""The ``wordpiece`` and ``unigram`` trainers of ``tokvec train`` (the group lives in :mod:`tokvec.cli.train`)."""

from __future__ import annotations

import argparse
import time
from typing import Any


def add_wordpiece(sub: Any, make_parser, run) -> None:
    """Add ``tokvec train wordpiece``."""
    p = make_parser(
        sub, "wordpiece", "WordPiece (BERT-style ## pieces)",
        "Train WordPiece: merge the pair with the highest freq(ab) / (freq(a) x freq(b)); --score frequency\n"
        "merges the most frequent pair instead, as Hugging Face's WordPieceTrainer does.",
        ("printf 'hug hugs bug bugs pug pun\\n' > corpus.txt",
         "tokvec train wordpiece corpus.txt --vocab-size 40 -o wordpiece.json --vocab-txt vocab.txt"),
    )  # fmt: skip
    p.add_argument("--min-frequency", type=int, default=0, metavar="N", help="a merge needs a pair seen N times")
    p.add_argument("--score", choices=("likelihood", "frequency"), default="likelihood", help="how pairs are chosen")
    p.add_argument("--limit-alphabet", type=int, default=None, metavar="N", help="keep the N commonest characters")
    p.add_argument("--vocab-txt", default=None, metavar="PATH", help="also write BERT's vocab.txt")
    p.set_defaults(func=run)


def add_unigram(sub: Any, make_parser, run) -> None:
    """Add ``tokvec train unigram``."""
    p = make_parser(
        sub, "unigram", "Unigram language model (SentencePiece-style)",
        "Train a Unigram model: a seed of frequent substrings, EM over each word's lattice, pruning\n"
        "of the pieces whose removal loses the least likelihood; words start with '▁'.",
        ("printf 'the cat sat on the mat\\nthe hat\\n' > corpus.txt",
         "tokvec train unigram corpus.txt --vocab-size 30 -o unigram.json --quiet"),
    )  # fmt: skip
    p.add_argument("--character-coverage", type=float, default=0.9995, metavar="F", help="share of characters kept")
    p.add_argument("--max-token-length", type=int, default=16, metavar="N", help="longest piece, in characters")
    p.add_argument("--seed-size", type=int, default=1_000_000, metavar="N", help="substrings in the seed vocabulary")
    p.set_defaults(func=run)


def run_wordpiece(args: argparse.Namespace, common: dict, corpus, report, train=None) -> int:
    """Train WordPiece and write the files."""
    from ..tokens.trainers.wordpiece import train_wordpiece

    options = common | {"min_frequency": args.min_frequency, "score": args.score}
    if args.limit_alphabet is not None:
        options["limit_alphabet"] = args.limit_alphabet
    start = time.perf_counter()
    result = (train or train_wordpiece)(corpus, progress=not args.quiet, **options)
    result.save(args.output)
    written = [args.output]
    if args.vocab_txt:
        result.save_vocab_txt(args.vocab_txt)
        written.append(args.vocab_txt)
    summary = {"trainer": "wordpiece", "vocab_size": len(result.tokens), "merges": len(result.merges)}
    return report(args, summary, written, time.perf_counter() - start)


def run_unigram(args: argparse.Namespace, common: dict, corpus, report, train=None) -> int:
    """Train Unigram and write the file."""
    from ..tokens.trainers.unigram import train_unigram

    options = common | {
        "character_coverage": args.character_coverage, "max_token_length": args.max_token_length,
        "seed_size": args.seed_size,
    }  # fmt: skip
    start = time.perf_counter()
    result = (train or train_unigram)(corpus, progress=not args.quiet, **options)
    result.save(args.output)
    summary = {"trainer": "unigram", "vocab_size": len(result.pieces)}
    return report(args, summary, [args.output], time.perf_counter() - start)
