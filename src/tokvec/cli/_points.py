"""What `tokvec plot` and `tokvec export` draw or write: word vectors, songs of a recommender, or embedded texts.

A VECTORS file is either word vectors (word2vec text/binary, GloVe, .npz) or a recommender saved by
``tokvec recommend train`` (told apart by its header); ``-m MODEL --texts FILE`` embeds the lines of
FILE with an encoder instead.
"""

from __future__ import annotations

import argparse
import json
import os
import zipfile
from dataclasses import dataclass

import numpy as np

from .._io import read_utf8
from ..errors import TokvecError
from ._common import CliError


@dataclass(frozen=True)
class Points:
    """Vectors with a label each (for the picture) and metadata columns (for the Projector)."""

    vectors: np.ndarray
    labels: list[str]
    columns: dict[str, list[str]]
    kind: str  # "words", "songs" or "texts"


def add_source_options(parser: argparse.ArgumentParser, *, keys_help: str) -> None:
    """Add VECTORS, KEY..., ``-m/--model``, ``--texts``, ``--limit`` and ``--color-by``."""
    parser.add_argument("vectors", nargs="?", metavar="VECTORS", help="word vectors or a recommender .npz")
    parser.add_argument("keys", nargs="*", metavar="KEY", help=keys_help)
    parser.add_argument("-m", "--model", metavar="MODEL", help="embed the lines of --texts with this encoder")
    parser.add_argument("--texts", metavar="FILE", help="texts to embed, one a line (with -m)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="without KEYs: the first N keys")
    parser.add_argument(
        "--color-by",
        metavar="FILE",
        help="labels to colour by: 'KEY<TAB>LABEL' lines, or one label a line in the order of the points",
    )


def load_encoder(name: str):  # type: ignore[no-untyped-def]
    """Load an encoder by preset name or folder through ``tokvec.load_encoder`` (the transformer encoder)."""
    import tokvec

    loader = getattr(tokvec, "load_encoder", None)
    if loader is None:
        raise CliError(f"-m {name}: this tokvec has no transformer encoder yet (tokvec.load_encoder is missing)")
    return loader(name)


def is_recommender(path: str) -> bool:
    """Tell whether ``path`` is a recommender saved by tokvec (an .npz whose header says so)."""
    if not zipfile.is_zipfile(path):
        return False
    try:
        with np.load(path, allow_pickle=False) as archive:
            if "header" not in archive.files:
                return False
            return json.loads(str(archive["header"])).get("format") == "tokvec-recommender"
    except (OSError, ValueError):
        return False


def load_points(args: argparse.Namespace, *, default_limit: int | None) -> Points:
    """Read the points that ``args`` name (see the module docstring)."""
    limit = args.limit if args.limit is not None else default_limit
    if args.model or args.texts:
        if not (args.model and args.texts):
            raise CliError("embedding texts needs both -m MODEL and --texts FILE")
        if args.vectors:
            raise CliError("give either VECTORS or -m MODEL --texts FILE, not both")
        texts = _lines(args.texts)[:limit] if limit else _lines(args.texts)
        if not texts:
            raise CliError(f"{args.texts}: no texts (one a line)")
        vectors = np.asarray(load_encoder(args.model).embed(texts), dtype=np.float32)
        return Points(vectors, texts, {"text": texts}, "texts")
    if not args.vectors:
        raise CliError("give a VECTORS file (word vectors or a recommender), or -m MODEL --texts FILE")
    if not os.path.exists(args.vectors):
        raise CliError(f"{args.vectors}: no such file")
    if is_recommender(args.vectors):
        return _songs(args.vectors, args.keys, limit)
    from ..vectors.formats import load

    kv = load(args.vectors)
    keys = list(args.keys) or list(kv.keys[: limit or len(kv)])
    return Points(np.asarray(kv[keys]), keys, {"word": keys}, "words")


def _songs(path: str, queries: list[str], limit: int | None) -> Points:
    from ..recommend import load_recommender

    rec = load_recommender(path)
    if queries:
        rows = []
        for q in queries:
            try:
                rows.append(rec.lookup(q))
            except TokvecError:
                found = rec.find(q)
                if not found:
                    raise CliError(f"{path}: no song matches {q!r}") from None
                rows.append(rec.lookup(found[0].key))
    else:
        order = np.lexsort((np.arange(len(rec.popularity)), -rec.popularity))  # most played first
        rows = [int(i) for i in order if rec.known[i]][: limit or len(order)]
    c = rec.catalogue
    labels = [c.describe(i) for i in rows]
    columns = {"title": [c.titles[i] or c.keys[i] for i in rows], "artist": [c.artists[i] for i in rows]}
    return Points(rec.vectors[rows], labels, columns, "songs")


def color_groups(path: str | None, points: Points) -> list[str] | None:
    """Read ``--color-by``: a label per point (``other`` for keys the file does not name)."""
    if path is None:
        return None
    lines = _lines(path)
    if lines and all("\t" in line for line in lines):
        mapping = dict(line.split("\t", 1) for line in lines)
        return [
            mapping.get(label, mapping.get(text, "other"))
            for label, text in zip(points.labels, _keys(points), strict=True)
        ]
    if len(lines) != len(points.labels):
        raise CliError(f"{path}: {len(lines)} labels for {len(points.labels)} points (one a line, or KEY<TAB>LABEL)")
    return lines


def _keys(points: Points) -> list[str]:
    first = next(iter(points.columns.values()))
    return [str(v) for v in first]


def _lines(path: str) -> list[str]:
    text = read_utf8(path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # universal newlines, as open() reads
    return [line for line in lines if line.strip()]
