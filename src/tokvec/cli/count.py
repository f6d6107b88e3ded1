"""``tokvec count``: count the tokens of text files with several tokenizers; cost, context fit, rules of thumb.

The counting itself lives in :mod:`tokvec.analysis.counting`, prices and windows in
:mod:`tokvec.analysis.cost`; this module parses options and prints.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .._io import open_binary
from .._progress import Progress
from ..analysis.cost import WINDOWS, PriceTable, RuleOfThumb, fit_message, load_prices, window_label
from ..analysis.counting import FileCount, count_streams, ratio, total_of
from ..analysis.stream import open_stdin
from ..cluster.tokenizers import TokenizerSpec
from ..errors import TokvecFileError
from ._cluster import add_cluster_options, needs_jobs
from ._common import (
    CliError,
    add_command,
    add_format_option,
    add_tokenizer_option,
    format_table,
    load_tokenizer,
    print_json,
    tokenizer_names,
)
from ._common import warn as _warn

_EXAMPLES = (
    "printf 'Hello world!\\nHallo Welt!\\n' > hello.txt",
    "tokvec count -t gpt2 hello.txt",
    "gzip -kf hello.txt && tokvec count -t gpt2,cl100k_base -t o200k_base hello.txt hello.txt.gz",
    "cat hello.txt | tokvec count -t cl100k_base --format json --quiet -",
    'printf \'[[models]]\\nmodel = "mine"\\ntokenizer = "o200k_base"\\ninput = 1.0\\noutput = 4.0\\n'
    "context_window = 32768\\n' > prices.toml",
    "tokvec count -t o200k_base --prices prices.toml --windows 8k,32k hello.txt",
    "tokvec count -t gpt2 --format json --quiet 'hello.*'",
)


def register(subparsers: Any) -> None:
    """Add the ``count`` verb."""
    p = add_command(
        subparsers,
        "count",
        summary="count tokens of text files with several tokenizers: cost, context-window fit, rules of thumb",
        description=(
            "Count the tokens of each FILE ('-' for stdin) as if the whole file were encoded as one text,\n"
            "special-token text read as ordinary text and no special tokens added. Files are streamed in\n"
            "chunks of about 8 MB and encoded on all cores; a progress bar goes to stderr. Prints tokens,\n"
            "bytes, characters and bytes per token per file and tokenizer (and totals), then for the total:\n"
            "which context windows it fits in, the rules of thumb (about 4 characters or 3/4 of a word per\n"
            "English token) beside the measured ratios, and the cost with each model of the price table\n"
            "that uses the tokenizer (USD per million input and output tokens). The bundled table is an\n"
            "EXAMPLE of 2024 list prices: give yours with --prices FILE (JSON or TOML, see the example).\n"
            "Lines that are not valid UTF-8 are read with U+FFFD for the bad bytes, with a warning.\n"
            "FILE may be a glob; a .jsonl file counts the --field of each record. --cluster counts one\n"
            "file per Dask task (local:N, or a scheduler's address): the same totals as one process."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="text files, plain or gzip-compressed; '-' is stdin")
    add_tokenizer_option(p, several=True)
    add_format_option(p, ("table", "json"), "table or json")
    p.add_argument("--prices", metavar="FILE", help="a price table, .json or .toml (default: the bundled example)")
    p.add_argument(
        "--windows", metavar="SIZES", help="context windows for the fit, e.g. 8k,32k,128000 (default: 4k to 1M)"
    )
    p.add_argument("--threads", type=int, default=None, metavar="N", help="encoding threads (default: all cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_cluster_options(p)
    p.set_defaults(func=run_count)


def run_count(args: argparse.Namespace) -> int:
    """Count every file with every tokenizer and print the tables."""
    if args.threads is not None and args.threads < 1:
        args.parser.error(f"--threads must be at least 1, got {args.threads}")
    windows = _parse_windows(args.windows, args.parser) if args.windows else WINDOWS
    prices = load_prices(args.prices)  # a bad table fails before the slow part
    if "-" not in args.files and needs_jobs(args, args.files):
        return _run_jobs(args, prices, windows)
    sizes = [_size(path) for path in args.files]  # and so does a missing file
    total = None if None in sizes else sum(s or 0 for s in sizes)
    given = tokenizer_names(args.tokenizer)
    loaded = [load_tokenizer(name, args) for name in given]
    # a tokenizer's own name, unless two share one (two vocab.json files): then the name given
    short = [t.name for t in loaded]
    toks = {(t.name if short.count(t.name) == 1 else g): t for g, t in zip(given, loaded, strict=True)}
    results: list[FileCount] = []
    with Progress(total, label="count", enabled=not args.quiet) as bar:
        done = 0
        for path, size in zip(args.files, sizes, strict=True):
            f = open_stdin(sys.stdin.buffer) if path == "-" else open_binary(path)
            try:
                results += count_streams(
                    toks, [(path, f)], num_threads=args.threads, on_position=lambda pos, d=done: bar.set(d + pos)
                )
            finally:
                if path != "-":
                    f.close()
            done += size or results[-1].stats.bytes
    _warn_invalid(results)
    _print(results, list(toks), args.format, prices, windows)
    return 0


def _warn_invalid(results: list[FileCount]) -> None:
    for r in results:
        if r.stats.invalid_lines:
            n = r.stats.invalid_lines
            _warn(
                f"{r.path}: {n} line{' is' if n == 1 else 's are'} not valid UTF-8 (the first is line"
                f" {r.stats.first_invalid_line}); the bad bytes were read as U+FFFD"
            )


def _run_jobs(args: argparse.Namespace, prices: PriceTable, windows: tuple[int, ...]) -> int:
    """Count through :func:`tokvec.cluster.count_files` (globs, JSON Lines, --cluster)."""
    from ..cluster import connect, count_files

    if getattr(args, "pattern", None):
        raise CliError(
            "--pattern does not reach the workers of a cluster count: write the rank file's <name>.json beside it"
            " (as `tokvec train bpe --tiktoken` does), which travels with it"
        )
    given = tokenizer_names(args.tokenizer)
    short = [TokenizerSpec.of(g).label for g in given]
    labels = {(s if short.count(s) == 1 else g): g for g, s in zip(given, short, strict=True)}
    with connect(args.cluster) as client:
        results = count_files(
            args.files, labels, client=client, field=args.field, num_threads=args.threads, progress=not args.quiet
        )
    _warn_invalid(results)
    _print(results, list(labels), args.format, prices, windows)
    return 0


def _print(results: list[FileCount], names: list[str], fmt: str, prices: PriceTable, windows: tuple[int, ...]) -> None:
    total = total_of(results, names)
    s = total.stats
    rules = {n: RuleOfThumb(total.tokens[n], s.characters, s.words) for n in names}
    costs = [(n, m) for n in names for m in prices.for_tokenizer(n)]
    if fmt == "json":
        whole = total.as_json()
        del whole["path"]
        whole["context"] = {n: fit_message(total.tokens[n], windows) for n in names}
        whole["rules_of_thumb"] = {
            n: {
                "characters_per_token": round(r.characters_per_token, 3),
                "words_per_token": round(r.words_per_token, 3),
                "estimate_from_characters": r.estimate_from_characters,
                "estimate_from_words": r.estimate_from_words,
            }
            for n, r in rules.items()
        }
        whole["cost"] = [_cost_json(n, m, total.tokens[n]) for n, m in costs]
        print_json({"files": [r.as_json() for r in results], "total": whole, "prices": prices.source})
        return
    shown = results + [total] if len(results) > 1 else results
    rows = [
        [r.path, n, r.tokens[n], r.stats.bytes, r.stats.characters, ratio(r.stats.bytes, r.tokens[n])]
        for r in shown
        for n in names
    ]
    headers = ["file", "tokenizer", "tokens", "bytes", "characters", "bytes/token"]
    print(format_table(headers, rows, numeric=[2, 3, 4, 5]))
    print(f"\nContext windows ({'/'.join(window_label(w) for w in windows)}):")
    width = max(map(len, names))
    for n in names:
        print(f"  {n:<{width}}  {fit_message(total.tokens[n], windows)}")
    print("\nRules of thumb for English (4 characters, or 3/4 of a word, per token) beside this text:")
    rows = [
        [n, r.tokens, r.characters_per_token, r.estimate_from_characters, r.words_per_token, r.estimate_from_words]
        for n, r in rules.items()
    ]
    headers = ["tokenizer", "tokens", "chars/token", "by 4 chars", "words/token", "by 3/4 word"]
    print(format_table(headers, rows, numeric=range(1, 6)))
    print(f"\nCost (USD; prices per million tokens from {prices.source}):")
    if costs:
        rows = [_cost_row(n, m, total.tokens[n]) for n, m in costs]
        headers = ["model", "tokenizer", "tokens", "input $/M", "as input", "output $/M", "as output", "context"]
        print(format_table(headers, rows, numeric=range(2, 8)))
    missing = [n for n in names if not prices.for_tokenizer(n)]
    if missing:
        print(f"  no model in the price table uses {', '.join(missing)} (--prices FILE adds your own)")


def _cost_row(name: str, m: Any, tokens: int) -> list[Any]:
    fits = "fits" if m.fits(tokens) else "too long"
    return [
        m.model, name, tokens, f"{m.input:.2f}", _usd(m.input_cost(tokens)), f"{m.output:.2f}",
        _usd(m.output_cost(tokens)), f"{window_label(m.context_window)}: {fits}",
    ]  # fmt: skip


def _cost_json(name: str, m: Any, tokens: int) -> dict[str, Any]:
    return {
        "model": m.model,
        "tokenizer": name,
        "tokens": tokens,
        "input_usd": round(m.input_cost(tokens), 6),
        "output_usd": round(m.output_cost(tokens), 6),
        "context_window": m.context_window,
        "fits": m.fits(tokens),
    }


def _usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 1 else f"${value:.4f}" if value >= 0.01 else f"${value:.6f}"


def _parse_windows(text: str, parser: argparse.ArgumentParser) -> tuple[int, ...]:
    sizes = []
    for word in (w.strip().lower() for w in text.split(",") if w.strip()):
        scale = {"k": 1024, "m": 1_000_000}.get(word[-1:], 1)
        try:
            value = int(word[:-1] if scale > 1 else word)
        except ValueError:
            parser.error(f"--windows takes sizes such as 8k,32k,128000, got {word!r}")
        # subtle: 128k is sold as 128,000 tokens, 8k and 32k as 8,192 and 32,768
        sizes.append(value * 1000 if scale == 1024 and value >= 100 else value * scale)
    if not sizes:
        parser.error("--windows needs at least one size")
    return tuple(sorted(set(sizes)))


def _size(path: str) -> int | None:
    if path == "-":
        return None
    try:
        return os.path.getsize(path)
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
