"""word2vec on the command line: ``tokvec train word2vec``, ``tokvec similar`` and ``tokvec evaluate``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from .._io import check_output_path
from ..vectors import evaluate as ev
from ..vectors.formats import FORMATS, load, save, sniff_format
from ..vectors.word2vec import Word2VecConfig, train_word2vec
from . import tasks as tasks_cli
from ._common import CliError, add_command, add_format_option, format_table, print_json
from ._vector_training import (
    add_config_flags,
    add_corpus_arguments,
    add_summary_options,
    config_from,
    print_summary,
    tokenizer_from,
)

_CORPUS = "printf 'the cat sat on the mat\\nthe dog sat on the rug\\n%.0s' {1..50} > corpus.txt"
_TRAIN = "tokvec train word2vec corpus.txt -o vectors.bin --min-count 1 --epochs 1 --quiet"
_TRAIN_EXAMPLES = (
    _CORPUS,
    _TRAIN,
    "tokvec train word2vec corpus.txt -o vectors.txt --architecture skipgram --vector-size 50 --window 2 "
    "--min-count 1 --threads 2 --format json --quiet",
)
_SIMILAR_EXAMPLES = (
    _CORPUS,
    _TRAIN,
    "tokvec similar vectors.bin cat --top-k 3",
    "tokvec similar vectors.bin cat mat --negative dog",
)
_EVALUATE_EXAMPLES = (
    _CORPUS,
    _TRAIN,
    "printf 'cat\\tdog\\t8\\ncat\\tmat\\t2\\nsat\\ton\\t1\\n' > pairs.tsv",
    "tokvec evaluate vectors.bin --similarity pairs.tsv",
    *tasks_cli.EXAMPLES,
)


def register_train(models: Any) -> None:
    """Add ``word2vec`` to the ``tokvec train`` group; its options are the fields of Word2VecConfig."""
    p = add_command(
        models,
        "word2vec",
        summary="train word vectors (skip-gram or CBOW with negative sampling)",
        description=(
            "Train word2vec on text files (one sentence per line, or one long text8-style line; .gz is fine)\n"
            "and save the vectors (.bin / .txt word2vec, .npz; --vectors-format glove for GloVe text)."
        ),
        examples=_TRAIN_EXAMPLES,
    )
    add_corpus_arguments(p, format_help="format of the output (default: from its name)")
    add_config_flags(p, Word2VecConfig, _special_flag)
    add_summary_options(p, quiet_help="no progress bar")
    p.set_defaults(func=run_train)


def register(subparsers: Any) -> None:
    """Add ``tokvec similar`` and ``tokvec evaluate``."""
    p = add_command(
        subparsers,
        "similar",
        summary="the nearest keys of a word vector file",
        description="Print the keys closest to the mean of WORDs (minus --negative words), by cosine.",
        examples=_SIMILAR_EXAMPLES,
    )
    p.add_argument("vectors", help="a vector file (.bin, .txt, .npz; GloVe text is recognised by its first line)")
    p.add_argument("words", nargs="+", metavar="WORD")
    p.add_argument("--negative", action="append", default=[], metavar="WORD", help="subtract this word (repeatable)")
    p.add_argument("-k", "--top-k", type=int, default=10)
    p.add_argument("--vectors-format", choices=FORMATS, help="format of the file (default: from its name)")
    add_format_option(p, ("table", "json"), "output format")
    p.set_defaults(func=run_similar)

    p = add_command(
        subparsers,
        "evaluate",
        summary="score word vectors on similarity and analogy sets, or an encoder on embedding tasks (-m)",
        description=(
            "Score vectors as gensim does: Pearson/Spearman on word-similarity sets (WS-353, SimLex-999, MEN,\n"
            "Rare Words, MTurk), accuracy on Google analogies among the 30,000 most frequent words. Without\n"
            "--similarity/--analogies it uses every set found under --data (default $TOKVEC_TEST_DATA or\n"
            "../shared/data)." + tasks_cli.DESCRIPTION
        ),
        examples=_EVALUATE_EXAMPLES,
    )
    p.add_argument("vectors", nargs="?", help="a vector file (.bin, .txt, .npz)")
    p.add_argument("--similarity", action="append", default=[], metavar="FILE", help="a word-pair file (repeatable)")
    p.add_argument("--analogies", metavar="FILE", help="an analogy file (questions-words.txt format)")
    p.add_argument("--data", default=os.environ.get("TOKVEC_TEST_DATA", "../shared/data"), help="the data folder")
    p.add_argument("--restrict", type=int, default=30_000, help="analogies use the N most frequent keys")
    p.add_argument("--vectors-format", choices=FORMATS, help="format of the file (default: from its name)")
    add_format_option(p, ("table", "json"), "output format")
    tasks_cli.add_options(p)
    p.set_defaults(func=run_evaluate)


def _special_flag(p: argparse.ArgumentParser, field: Any, flag: str, default: Any) -> bool:
    if field.name == "shrink_windows":
        p.add_argument("--fixed-window", dest="shrink_windows", action="store_false", help="use the full window")
    elif field.name == "architecture":
        p.add_argument(flag, choices=("cbow", "skipgram"), default=default, help="default: cbow (as gensim)")
    else:
        return False
    return True


def run_train(args: argparse.Namespace) -> int:
    check_output_path(args.output, option="-o")
    config = config_from(args, Word2VecConfig)
    start = time.perf_counter()
    kv = train_word2vec(args.corpus, config, tokenizer=tokenizer_from(args), progress=not args.quiet)
    seconds = time.perf_counter() - start
    save(kv, args.output, format=args.vectors_format)
    rate = round(int(kv.counts.sum()) * config.epochs / max(seconds, 1e-9))
    print_summary(args, kv, config, seconds, words_per_second=rate)
    return 0


def run_similar(args: argparse.Namespace) -> int:
    kv = load(args.vectors, format=args.vectors_format or sniff_format(args.vectors))
    found = kv.most_similar(positive=args.words, negative=args.negative, top_k=args.top_k)
    if args.format == "json":
        print_json([{"key": n.key, "score": round(n.score, 6)} for n in found])
    else:
        print(format_table(["key", "cosine"], [[n.key, f"{n.score:.4f}"] for n in found]))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    if tasks_cli.wanted(args):
        return tasks_cli.run(args)
    if not args.vectors:
        raise CliError("nothing to evaluate: give a word-vector file, or -m MODEL with --task/--sts/...")
    kv = load(args.vectors, format=args.vectors_format or sniff_format(args.vectors))
    sims = [(os.path.basename(p), p) for p in args.similarity]
    analogies = args.analogies
    if not sims and not analogies:
        sims = [(n, os.path.join(args.data, p)) for n, p in ev.SIMILARITY_SETS.items()]
        sims = [(n, p) for n, p in sims if os.path.exists(p)]
        candidate = os.path.join(args.data, ev.ANALOGY_SET)
        analogies = candidate if os.path.exists(candidate) else None
        if not sims and not analogies:
            raise CliError(f"no evaluation sets under {args.data}/eval; pass --data, --similarity or --analogies")
    rows: list[dict[str, Any]] = []
    for name, path in sims:
        r = ev.evaluate_similarity(kv, path, name=name)
        rows.append({"set": name, "metric": "spearman", "score": r.spearman, "pearson": r.pearson,
                     "used": r.pairs, "oov_percent": r.oov_ratio})  # fmt: skip
    if analogies:
        res = ev.evaluate_analogies(kv, analogies, restrict=args.restrict)
        for s in [*res.sections, res.total]:
            rows.append({"set": f"analogy {s.name}", "metric": "accuracy", "score": s.accuracy,
                         "pearson": None, "used": s.correct + s.incorrect, "oov_percent": None})  # fmt: skip
    if args.format == "json":
        print_json(rows)
        return 0
    table = [
        [r["set"], r["metric"], f"{r['score']:.4f}", "" if r["pearson"] is None else f"{r['pearson']:.4f}",
         r["used"], "" if r["oov_percent"] is None else f"{r['oov_percent']:.1f}"]
        for r in rows
    ]  # fmt: skip
    print(format_table(["set", "metric", "score", "pearson", "used", "oov %"], table, numeric=[2, 3, 4, 5]))
    sys.stdout.flush()
    return 0
