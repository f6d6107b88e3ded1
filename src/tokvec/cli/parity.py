"""``tokvec parity``: tokens per language on FLORES-200 and the premium over English, per tokenizer."""

from __future__ import annotations

import argparse
from typing import Any

from .._io import check_output_path
from ..analysis.parity import SPLITS, load_flores, parity
from ._common import (
    add_command,
    add_format_option,
    add_tokenizer_option,
    format_table,
    load_tokenizer,
    print_json,
    tokenizer_names,
)

_EXAMPLES = (
    "tokvec parity -t gpt2,cl100k_base,o200k_base --languages eng_Latn,deu_Latn,hin_Deva,zho_Hans,mya_Mymr",
    "tokvec parity -t gpt2,o200k_base --splits dev --languages eng_Latn,fra_Latn,tha_Thai"
    " --csv parity.csv --png parity.png --sort name",
    "tokvec parity -t cl100k_base --top 10 --quiet",
)


def register(subparsers: Any) -> None:
    """Add the ``parity`` verb."""
    p = add_command(
        subparsers,
        "parity",
        summary="compare tokenizers across 204 languages on FLORES-200 (premium over English)",
        description=(
            "Tokenizer parity (Petrov et al. 2023): FLORES-200 has the same sentences in 204 languages,\n"
            "so each language's token count over English's (the premium) shows how much more its speakers\n"
            "pay per sentence. Counts are the sentences' own tokens (no [CLS]/</s> added), summed over the\n"
            "dev and devtest splits. Prints a summary per tokenizer and a table per language (sorted by the\n"
            "mean premium, highest first); --csv and --png write every language. The FLORES folder is\n"
            "$TOKVEC_TEST_DATA/flores200, else ../shared/data/flores200 (or give --flores)."
        ),
        examples=_EXAMPLES,
    )
    add_tokenizer_option(p, several=True)
    p.add_argument("--flores", metavar="DIR", help="the FLORES-200 folder with dev/ and devtest/")
    p.add_argument("--splits", default=",".join(SPLITS), help="comma-separated splits (default: dev,devtest)")
    p.add_argument("--languages", metavar="CODES", help="comma-separated language codes (default: all 204)")
    p.add_argument("--baseline", default="eng_Latn", metavar="CODE", help="the language at 1x (default: eng_Latn)")
    p.add_argument(
        "--sort", choices=("premium", "name", "code"), default="premium", help="row order (default: premium)"
    )
    p.add_argument("--top", type=int, metavar="N", help="print only the first N languages (files get all)")
    p.add_argument("--csv", metavar="FILE", help="write every language's tokens and premiums as CSV")
    p.add_argument("--png", metavar="FILE", help="write a chart of the premiums (needs matplotlib: tokvec[plot])")
    add_format_option(p, ("table", "json"), "table or json")
    p.add_argument("--threads", type=int, default=None, metavar="N", help="encoding threads (default: all cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_parity)


def run_parity(args: argparse.Namespace) -> int:
    """Count, then print and write the results."""
    if args.top is not None and args.top < 0:
        args.parser.error(f"--top must be 0 or more, got {args.top}")
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if not splits or any(s not in SPLITS for s in splits):
        args.parser.error(f"--splits takes dev, devtest or both, got {args.splits!r}")
    languages = [c.strip() for c in (args.languages or "").split(",") if c.strip()]
    if languages and args.baseline not in languages:
        languages.insert(0, args.baseline)
    for option, path in (("--csv", args.csv), ("--png", args.png)):
        if path:
            check_output_path(path, option=option)
    if args.png:
        from ..analysis.plot import check_plotting

        check_plotting()  # before the counting, not after the CSV is written
    corpus = load_flores(args.flores, splits=splits, languages=languages)
    toks = [load_tokenizer(name, args) for name in tokenizer_names(args.tokenizer)]
    result = parity(toks, corpus, baseline=args.baseline, progress=not args.quiet, num_threads=args.threads)
    if args.csv:
        result.to_csv(args.csv, sort=args.sort)
    if args.png:
        from ..analysis.plot import plot_premiums

        plot_premiums(result, args.png, sort=args.sort)
    if args.format == "json":
        print_json({"splits": splits, "summary": result.summary(), "languages": result.rows(args.sort)[: args.top]})
        return 0
    summary = result.summary()
    print(format_table(list(summary[0]), [list(r.values()) for r in summary], numeric=[1, 2, 3, 5]))
    print()
    print(result.to_table(args.sort, limit=args.top))
    written = [f for f in (args.csv, args.png) if f]
    if written:
        print(f"\nwrote {' and '.join(written)}")
    return 0
