"""GloVe on the command line: ``tokvec train glove``."""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

from ..vectors.formats import FORMATS, save
from ..vectors.glove import GloveConfig, train_glove
from ._common import add_command, add_format_option, format_table, print_json

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
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="text files to train on")
    p.add_argument("-o", "--output", required=True, help="where to save the vectors")
    p.add_argument("--vectors-format", choices=FORMATS, help="format of the output (default: glove for .txt)")
    p.add_argument("-t", "--tokenizer", help="cut raw text into tokens with this tokvec tokenizer (default: spaces)")
    p.add_argument("--tmpdir", help="where counting spills its sorted runs (default: the system's temp folder)")
    defaults = GloveConfig()
    for field in dataclasses.fields(GloveConfig):
        flag = "--" + field.name.replace("_", "-")
        default = getattr(defaults, field.name)
        if field.name == "symmetric":
            p.add_argument("--left-only", dest="symmetric", action="store_false", help="left context only")
        elif field.name == "output_vectors":
            p.add_argument(flag, choices=("sum", "word"), default=default,
                           help="sum: W + W~ (the reference's -model 2, default); word: W only")  # fmt: skip
        elif field.name == "max_vocab":
            p.add_argument(flag, type=int, default=None, metavar="N", help="keep the N most frequent words")
        else:
            kind = float if isinstance(default, float) else int
            p.add_argument(flag, type=kind, default=default, metavar="N", help=f"default: {default}")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_format_option(p, ("table", "json"), "how to print the summary")
    p.set_defaults(func=run_train)


def run_train(args: argparse.Namespace) -> int:
    config = GloveConfig(**{f.name: getattr(args, f.name) for f in dataclasses.fields(GloveConfig)})
    tokenizer = None
    if args.tokenizer:
        import tokvec

        tokenizer = tokvec.load(args.tokenizer)
    start = time.perf_counter()
    kv = train_glove(args.corpus, config, tokenizer=tokenizer, tmpdir=args.tmpdir, progress=not args.quiet)
    seconds = time.perf_counter() - start
    fmt = args.vectors_format
    if fmt is None and args.output.lower().removesuffix(".gz").endswith(".txt"):
        fmt = "glove"
    save(kv, args.output, format=fmt)
    summary = {
        "output": args.output,
        "keys": len(kv),
        "dimensions": kv.vector_size,
        "corpus_words": int(kv.counts.sum()),
        "seconds": round(seconds, 2),
        "config": config.as_dict(),
    }
    if args.format == "json":
        print_json(summary)
    else:
        rows = [[k, str(v)] for k, v in summary.items() if k != "config"]
        rows += [[k, str(v)] for k, v in config.as_dict().items()]
        print(format_table(["", "value"], rows))
    return 0
