"""``tokvec search build`` and ``tokvec search query``: a semantic index over the user's documents."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ._common import CliError, add_color_option, add_command, add_format_option, epilog, print_json, use_color
from .tasks import load_model

_SETUP = (
    "printf 'the cat sat on the mat\\nthe dog sat on the rug\\n%.0s' {1..50} > corpus.txt",
    "tokvec train word2vec corpus.txt -o vectors.bin --min-count 1 --epochs 1 --quiet",
    "printf 'the cat sat on the mat\\nthe dog dug in the rug\\n' > docs.txt",
)
_BUILD = "tokvec search build docs.txt -m vectors.bin -o index --quiet"
_QUERY = 'tokvec search query index "a cat on a mat" -k 1 --color never'
_EXAMPLES = (*_SETUP, _BUILD, _QUERY)


def register(subparsers: Any) -> None:
    """Add ``tokvec search`` with ``build`` and ``query``."""
    group = add_command(
        subparsers,
        "search",
        summary="build a semantic search index over documents, and query it",
        description=(
            "Embed documents with an encoder (-m: an encoder name or folder, or a word-vector file) into an\n"
            "index folder, then find the documents closest to a question, with the matching window of text.\n"
            "Run 'tokvec search build --help' and 'tokvec search query --help'."
        ),
        examples=_EXAMPLES,
    )
    sub = group.add_subparsers(dest="search_command", metavar="ACTION", required=True)
    p = _sub(sub, "build", "embed documents into an index folder", (*_SETUP, _BUILD,
             "tokvec search build docs.txt -m vectors.bin -o index --ann hnsw --format json --quiet"))  # fmt: skip
    p.add_argument(
        "documents", metavar="DOCS", help=".jsonl (one object a line), .txt (one document a line) or a folder"
    )
    p.add_argument("-m", "--model", required=True, metavar="MODEL", help="an encoder name or folder, or a vector file")
    p.add_argument("-o", "--output", required=True, metavar="INDEX", help="the index folder to write")
    p.add_argument("--text-field", default="text", help="the text field of .jsonl documents (default: text)")
    p.add_argument("--id-field", default=None, help="the id field of .jsonl documents (default: _id or id)")
    p.add_argument("--chunk", choices=("auto", "tokens", "none"), default="auto",
                   help="cut long documents into token windows (auto: when the encoder can)")  # fmt: skip
    p.add_argument("--ann", choices=("none", "hnsw"), default="none", help="add an HNSW graph for large indexes")
    p.add_argument("--no-bm25", action="store_true", help="keep no BM25 (no --mode hybrid/bm25 later)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    add_format_option(p, ("table", "json"), "how to print the summary")
    p.set_defaults(func=run_build)

    p = _sub(sub, "query", "find the documents closest to a question", (*_SETUP, _BUILD, _QUERY,
             'tokvec search query index "dog" "rug" -k 2 --mode hybrid --format json'))  # fmt: skip
    p.add_argument("index", metavar="INDEX", help="an index folder written by `tokvec search build`")
    p.add_argument("queries", nargs="+", metavar="QUERY")
    p.add_argument("-k", "--top-k", type=int, default=5, help="documents per query (default: 5)")
    p.add_argument("--mode", choices=("dense", "hybrid", "bm25"), default="dense", help="default: dense")
    p.add_argument("--exact", action="store_true", help="search exactly even if the index has an HNSW graph")
    p.add_argument("-m", "--model", metavar="MODEL", help="the index's model (default: the name stored in it)")
    add_format_option(p, ("table", "json"), "output format")
    add_color_option(p)
    p.set_defaults(func=run_query)


def _sub(sub: Any, name: str, summary: str, examples: tuple[str, ...]) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                       epilog=epilog(examples), formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error")
    return p


def run_build(args: argparse.Namespace) -> int:
    from ..search import Index, read_documents

    ids, texts = read_documents(args.documents, text_field=args.text_field, id_field=args.id_field)
    encoder = load_model(args.model)
    chunk = {"tokens": "tokens", "none": None}.get(args.chunk, "tokens" if hasattr(encoder, "embed_chunks") else None)
    if not args.quiet:
        print(f"tokvec: embedding {len(texts):,} documents with {encoder.name} ...", file=sys.stderr)
    start = time.perf_counter()
    index = Index.build(encoder, texts, ids=ids, chunk=chunk, ann=None if args.ann == "none" else args.ann,
                        bm25=not args.no_bm25)  # fmt: skip
    index.save(args.output)
    summary = {"index": args.output, "model": encoder.name, "documents": len(index), "windows": len(index.owner),
               "chunk": chunk or "none", "ann": args.ann, "seconds": round(time.perf_counter() - start, 2)}  # fmt: skip
    if args.format == "json":
        print_json(summary)
    else:
        print("\n".join(f"{k:10} {v}" for k, v in summary.items()))
    return 0


def run_query(args: argparse.Namespace) -> int:
    from ..search import Index
    from ..search.store import read_manifest

    if args.top_k < 1:
        raise CliError(f"-k must be at least 1, not {args.top_k}")
    encoder = load_model(args.model or read_manifest(args.index)["model"])
    index = Index.load(args.index, encoder)
    results = index.search(args.queries, top_k=args.top_k, mode=args.mode, exact=True if args.exact else None)
    if args.format == "json":
        print_json([{"query": q, "hits": [{"doc_id": h.doc_id, "score": round(h.score, 6), "span": list(h.span),
                                           "text": h.text} for h in hits]}
                    for q, hits in zip(args.queries, results, strict=True)])  # fmt: skip
        return 0
    color = use_color(args.color)
    for q, hits in zip(args.queries, results, strict=True):
        if len(args.queries) > 1:
            print(f"# {q}")
        for rank, h in enumerate(hits, 1):
            document = index.document(h.doc_id)
            print(f"{rank:>3}. {h.doc_id}  {h.score:.4f}  {_snippet(document, h.span, color)}")
    return 0


def _snippet(text: str, span: tuple[int, int], color: bool, width: int = 60) -> str:
    """The span of ``text`` highlighted (bold yellow, or between [[ ]]), with up to ``width`` characters around."""
    a, b = span
    before, inside, after = text[max(0, a - width) : a], text[a:b], text[b : b + width]
    if len(inside) > 3 * width:
        inside = inside[: 3 * width] + "…"
    lead = "…" if a > width else ""
    tail = "…" if b + width < len(text) else ""
    mark = ("\x1b[1;33m", "\x1b[0m") if color else ("[[", "]]")
    return (lead + before + mark[0] + inside + mark[1] + after + tail).replace("\n", " ")
