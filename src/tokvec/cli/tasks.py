"""``tokvec evaluate -m MODEL``: embedding tasks on the shared sets (``--task``) or the user's own files.

These options join the word-vector ``tokvec evaluate VECTORS`` (cli/word2vec.py): a call with ``-m`` runs
the tasks; one without keeps scoring word vectors on word-similarity and analogy sets.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from ._common import CliError, format_table, print_json

#: examples for ``tokvec evaluate --help`` (they run in the tests: word vectors trained just before)
EXAMPLES = (
    "printf 'the cat sat,the dog sat,4\\nthe cat,on the rug,1\\nthe mat,the rug,2\\n' > sts.csv",
    "tokvec evaluate -m vectors.bin --sts sts.csv",
    "printf 'text,label\\nthe cat,animal\\nthe dog,animal\\nthe mat,thing\\nthe rug,thing\\n' > labels.csv",
    "tokvec evaluate -m vectors.bin --classification labels.csv labels.csv --format json",
)

DESCRIPTION = (
    "\n\nWith -m MODEL it scores a sentence encoder with MTEB's protocol instead: --task NAME[,NAME] runs\n"
    "shared sets (STSBenchmark, Banking77Classification, AGNewsClassification, Banking77Clustering, SciFact,\n"
    "MRPC, WikiQA, FLORES:deu_Latn-eng_Latn) found under --data; --sts, --retrieval, --classification,\n"
    "--pairs, --reranking, --clustering and --bitext score your own files (see tokvec.tasks.readers for the\n"
    "layouts). MODEL is an encoder name or folder (tokvec.load_encoder) or a word-vector file (.bin, .txt,\n"
    ".npz: the mean of a text's word vectors). For example:\n"
    "  tokvec evaluate -m all-MiniLM-L6-v2 --task STSBenchmark,SciFact --format json"
)

_VECTOR_SUFFIXES = (".bin", ".txt", ".vec", ".npz", ".gz")


def add_options(p: argparse.ArgumentParser) -> None:
    """Add the task options to ``tokvec evaluate``."""
    g = p.add_argument_group("embedding tasks (with -m)")
    g.add_argument("-m", "--model", metavar="MODEL", help="an encoder name or folder, or a word-vector file")
    g.add_argument("--task", action="append", default=[], metavar="NAME", help="shared task(s), comma-separated")
    g.add_argument("--sts", metavar="FILE", help="sentence1,sentence2,score rows (CSV or TSV, no header)")
    g.add_argument("--retrieval", metavar="FOLDER", help="a BEIR folder (corpus.jsonl, queries.jsonl, qrels/)")
    g.add_argument("--split", default="test", help="the qrels split of --retrieval (default: test)")
    g.add_argument("--classification", nargs=2, metavar=("TRAIN", "TEST"), help="text,label files")
    g.add_argument("--clustering", metavar="FILE", help="a text,label file")
    g.add_argument("--pairs", metavar="FILE", help="label<TAB>sentence1<TAB>sentence2 rows")
    g.add_argument("--reranking", metavar="FILE", help="query<TAB>candidate<TAB>label rows")
    g.add_argument("--bitext", nargs=2, metavar=("FILE1", "FILE2"), help="aligned sentences, one a line")
    g.add_argument("--batch-size", type=int, default=32, help="texts embedded at a time (default: 32)")


def wanted(args: argparse.Namespace) -> bool:
    """Whether the call asks for embedding tasks (``-m`` or any task option)."""
    own = (args.task, args.sts, args.retrieval, args.classification, args.clustering, args.pairs, args.reranking,
           args.bitext)  # fmt: skip
    return bool(args.model) or any(own)


def load_model(spec: str) -> Any:
    """Return the encoder ``spec`` names: a word-vector file, else ``tokvec.load_encoder(spec)``."""
    import tokvec

    if os.path.isfile(spec) and spec.lower().endswith(_VECTOR_SUFFIXES):
        from ..embed.word_average import WordAverageEncoder
        from ..vectors.formats import load

        return WordAverageEncoder(load(spec), name=os.path.abspath(spec))
    load_encoder = getattr(tokvec, "load_encoder", None)
    if load_encoder is None:
        raise CliError(
            f"cannot load the encoder {spec!r}: this tokvec has no transformer encoders yet (tokvec.load_encoder); "
            "pass a word-vector file (.bin, .txt, .npz) instead"
        )
    return load_encoder(spec)


def run(args: argparse.Namespace) -> int:
    """Run the asked tasks and print their table (or JSON)."""
    import tokvec.tasks as tasks

    if not args.model:
        raise CliError("the task options need an encoder: pass -m MODEL (a name, a folder or a word-vector file)")
    if args.vectors:
        raise CliError(f"give either word vectors ({args.vectors}) or -m MODEL, not both")
    names = [n.strip() for value in args.task for n in value.split(",") if n.strip()]
    jobs: list[tuple[str, Any]] = [(n, None) for n in names]
    if args.sts:
        jobs.append(("sts", lambda e: tasks.evaluate_sts(e, tasks.read_sts(args.sts), name=args.sts)))
    if args.retrieval:
        beir = tasks.read_beir(args.retrieval, split=args.split)
        jobs.append(("retrieval", lambda e: tasks.evaluate_retrieval(
            e, beir, name=args.retrieval, batch_size=args.batch_size)))  # fmt: skip
    if args.classification:
        train, test = args.classification
        jobs.append(("classification", lambda e: tasks.evaluate_classification(
            e, tasks.read_classification(train), tasks.read_classification(test), name=test)))  # fmt: skip
    if args.clustering:
        jobs.append(("clustering", lambda e: tasks.evaluate_clustering(
            e, tasks.read_classification(args.clustering), name=args.clustering)))  # fmt: skip
    if args.pairs:
        jobs.append(("pairs", lambda e: tasks.evaluate_pairs(e, tasks.read_pairs(args.pairs), name=args.pairs)))
    if args.reranking:
        jobs.append(("reranking", lambda e: tasks.evaluate_reranking(
            e, tasks.read_reranking(args.reranking), name=args.reranking)))  # fmt: skip
    if args.bitext:
        a, b = args.bitext
        jobs.append(("bitext", lambda e: tasks.evaluate_bitext(
            e, tasks.read_lines(a), tasks.read_lines(b), name=f"{a} -> {b}")))  # fmt: skip
    if not jobs:
        raise CliError("nothing to evaluate: add --task NAME or one of --sts/--retrieval/--classification/...")
    encoder = load_model(args.model)
    results = []
    for name, job in jobs:
        results.append(tasks.run_task(encoder, name, data=args.data) if job is None else job(encoder))
    if args.format == "json":
        print_json([{"model": encoder.name, **r.as_dict()} for r in results])
        return 0
    rows = [[r.task, r.family, r.main_metric, f"{r.main_score:.2f}", f"{r.seconds:.1f}"] for r in results]
    print(format_table(["task", "family", "metric", "score", "seconds"], rows, numeric=[3, 4]))
    return 0
