"""``tokvec train bpe|wordpiece|unigram``: learn a tokenizer from text files and write ``tokenizer.json``.

The group is easy to extend: ``register(subparsers, extra=(add_more,))`` calls each ``add_more(sub)``
with the group's sub-parsers (``tokvec train word2vec`` adds itself this way).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shlex
import time
from collections.abc import Callable, Iterable
from typing import Any

from .._io import check_output_path
from ..tokens.trainers.counting import PRE_TOKENIZERS
from ..tokens.trainers.normalize import NORMALIZERS
from ._cluster import add_cluster_options, needs_jobs
from ._common import CliError, add_command, add_format_option, epilog, format_table, print_json, warn

_EXAMPLES = (
    "printf 'low lower newest wider\\nthe lowest and the newest\\n' > corpus.txt",
    "tokvec train bpe corpus.txt --vocab-size 280 -o tokenizer.json",
    "tokvec train wordpiece corpus.txt --vocab-size 60 -o wordpiece.json --format json",
    "tokvec train unigram corpus.txt --vocab-size 40 -o unigram.json --quiet",
    "tokvec train bpe 'corpus.*' --vocab-size 280 -o same.json --quiet",
)


def register(subparsers: Any, extra: Iterable[Callable[[Any], None]] = ()) -> None:
    """Add the ``train`` verb and its trainers (and any ``extra`` ones)."""
    group = add_command(
        subparsers,
        "train",
        summary="train a tokenizer (bpe, wordpiece, unigram) or word vectors (word2vec) on text files",
        description=(
            "Learn a tokenizer from text files (plain or .gz, one document per line) and write it as a\n"
            "Hugging Face tokenizer.json that `tokenizers` loads with the same ids. Counting streams the\n"
            "files in one pass, so a corpus larger than memory works. Run 'tokvec train bpe --help'.\n"
            "With --cluster each Dask task counts one file, the counts are added on the workers and the\n"
            "trainer runs once: the same tokenizer.json, byte for byte. CORPUS may be a glob or .jsonl."
        ),
        examples=_EXAMPLES,
    )
    sub = group.add_subparsers(dest="trainer", metavar="TRAINER", required=True)
    for add in (_add_bpe, _add_wordpiece, _add_unigram, *extra):
        add(sub)


def _trainer_parser(sub: Any, name: str, summary: str, description: str, examples: tuple[str, ...]):
    p = sub.add_parser(
        name, help=summary, description=description, epilog=epilog(examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error")
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="text files, plain or .gz (one document per line)")
    p.add_argument("--vocab-size", type=int, required=True, metavar="N", help="size of the vocabulary")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="the tokenizer.json to write")
    p.add_argument("--special-tokens", default=None, metavar="LIST", help="comma-separated special tokens")
    p.add_argument("--normalizer", choices=NORMALIZERS, default=None, help="normalize text before counting")
    p.add_argument("--strict", action="store_true", help="stop at a line that is not UTF-8 (default: skip it)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_cluster_options(p)
    add_format_option(p, ("table", "json"), "the summary as a table or json")
    return p


def _add_bpe(sub: Any) -> None:
    p = _trainer_parser(
        sub, "bpe", "byte-level or character-level BPE",
        "Train BPE. Byte-level (default) gives the same merges as Hugging Face's BpeTrainer with the\n"
        "ByteLevel pre-tokenizer; --char-level learns over characters (--end-of-word-suffix '</w>').",
        ("printf 'low lower newest wider\\n' > corpus.txt",
         "tokvec train bpe corpus.txt --vocab-size 270 --min-frequency 1 -o bpe.json --tiktoken bpe.tiktoken",
         "tokvec encode -t bpe.tiktoken 'lower newest'",
         "tokvec train bpe corpus.txt --vocab-size 40 --char-level --end-of-word-suffix '</w>' -o c.json"),
    )  # fmt: skip
    p.add_argument("--min-frequency", type=int, default=2, metavar="N", help="a merge needs a pair seen N times")
    p.add_argument(
        "--pre-tokenizer", choices=PRE_TOKENIZERS, default=None, help="default: gpt2 (whitespace with --char-level)"
    )
    p.add_argument("--char-level", action="store_true", help="characters instead of bytes")
    p.add_argument("--end-of-word-suffix", default=None, metavar="S", help="e.g. '</w>' (character-level)")
    p.add_argument("--continuing-subword-prefix", default=None, metavar="S", help="e.g. '##' (character-level)")
    p.add_argument("--limit-alphabet", type=int, default=None, metavar="N", help="keep the N commonest characters")
    p.add_argument("--max-token-length", type=int, default=None, metavar="N", help="longest token, in symbols")
    p.add_argument("--vocab-merges", default=None, metavar="DIR", help="also write vocab.json + merges.txt here")
    p.add_argument(
        "--tiktoken",
        default=None,
        metavar="PATH",
        help="also write a tiktoken rank file (byte-level), and PATH.json beside it with its split pattern and"
        " special tokens (tokvec reads it, tiktoken's rank-file reader never sees it)",
    )
    p.set_defaults(func=run_bpe)


def _add_wordpiece(sub: Any) -> None:
    from . import train_more

    train_more.add_wordpiece(sub, _trainer_parser, run_wordpiece)


def _add_unigram(sub: Any) -> None:
    from . import train_more

    train_more.add_unigram(sub, _trainer_parser, run_unigram)


def _common(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"vocab_size": args.vocab_size, "normalizer": args.normalizer, "strict": args.strict}
    if args.special_tokens is not None:
        out["special_tokens"] = tuple(t for t in args.special_tokens.split(",") if t)
    return out


def _corpus(args: argparse.Namespace) -> list[pathlib.Path]:
    """The corpus files, checked with every output path before any work starts."""
    check_outputs(args)
    if needs_jobs(args, args.corpus):
        return []  # read by the job (_jobs_trainer)
    paths = [pathlib.Path(p) for p in args.corpus]
    for p in paths:
        if not p.is_file():
            raise CliError(f"{p}: no such file (give text files, plain or .gz)")
    return paths


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse an output path that cannot be written (missing folder, a folder) before training, naming it."""
    for option in ("output", "tiktoken", "vocab_txt"):
        path = getattr(args, option, None)
        if path:
            check_output_path(path, option="-o" if option == "output" else "--" + option.replace("_", "-"))
    folder = getattr(args, "vocab_merges", None)
    if folder and not os.path.isdir(folder):
        raise CliError(f"cannot write --vocab-merges {folder}: no such folder (create it first)")


def run_bpe(args: argparse.Namespace) -> int:
    """Train BPE and write the files."""
    from ..tokens.trainers.bpe import train_bpe

    options = _common(args) | {"min_frequency": args.min_frequency, "byte_level": not args.char_level}
    options["pre_tokenizer"] = args.pre_tokenizer or ("whitespace" if args.char_level else "gpt2")
    for name in ("end_of_word_suffix", "continuing_subword_prefix", "limit_alphabet", "max_token_length"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    start = time.perf_counter()
    result = (_jobs_trainer(args, "bpe") or train_bpe)(_corpus(args), progress=not args.quiet, **options)
    result.save(args.output)
    written = [args.output]
    if args.vocab_merges:
        written += [str(p) for p in result.save_vocab_merges(args.vocab_merges)]
    if args.tiktoken:
        from ..tokens.formats.tiktoken import settings_path

        pattern = result.save_tiktoken(args.tiktoken)
        written += [args.tiktoken, settings_path(args.tiktoken)]
    else:
        pattern = None
    summary = {"trainer": "bpe", "vocab_size": len(result.tokens), "merges": len(result.merges)}
    if pattern:
        summary["tiktoken_pattern"] = pattern
        name = "r50k" if result.config.pre_tokenizer == "gpt2" else result.config.pre_tokenizer
        # without the .json beside it (copied alone), the rank file needs its pattern named
        summary["tiktoken_use"] = f"tokvec encode -t {shlex.quote(args.tiktoken)} --pattern {name} TEXT"
    return report(args, summary, written, time.perf_counter() - start)


def run_wordpiece(args: argparse.Namespace) -> int:
    """Train WordPiece and write the files."""
    from . import train_more

    train = _jobs_trainer(args, "wordpiece")
    return train_more.run_wordpiece(args, _common(args), _corpus(args), report, train=train)


def run_unigram(args: argparse.Namespace) -> int:
    """Train Unigram and write the file."""
    from . import train_more

    train = _jobs_trainer(args, "unigram")
    return train_more.run_unigram(args, _common(args), _corpus(args), report, train=train)


def _jobs_trainer(args: argparse.Namespace, kind: str) -> Callable[..., Any] | None:
    """Return a trainer that counts through :func:`tokvec.cluster.train_files`, when the files need it."""
    if not needs_jobs(args, args.corpus):
        return None

    def train(_corpus: Any, *, progress: bool, **options: Any) -> Any:
        from ..cluster import connect, train_files

        with connect(args.cluster) as client:
            return train_files(kind, args.corpus, client=client, field=args.field, progress=progress, **options)

    return train


def report(args: argparse.Namespace, summary: dict[str, Any], written: list[str], seconds: float) -> int:
    """Print what was trained and written (table or JSON)."""
    if summary.get("vocab_size", args.vocab_size) < args.vocab_size:
        warn(
            f"the vocabulary has {summary['vocab_size']:,} tokens, fewer than --vocab-size {args.vocab_size:,}:"
            " the corpus has no more pairs to merge or pieces to keep (a larger corpus or a lower --min-frequency"
            " gives more)"
        )
    summary = summary | {"seconds": round(seconds, 3), "written": written}
    if args.format == "json":
        print_json(summary)
    else:
        rows = [[k, ", ".join(v) if isinstance(v, list) else v] for k, v in summary.items()]
        print(format_table(["", "value"], rows))
    return 0
