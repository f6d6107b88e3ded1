"""``tokvec plot`` (a 2-D scatter of vectors) and ``tokvec export projector`` (files for the Embedding Projector)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ..analysis.projection import METHODS
from ._common import CliError, add_command, print_json
from ._points import add_source_options, color_groups, load_points
from .word2vec import _CORPUS, _TRAIN

_SONGS = "tokvec recommend train sample -o songs.npz --preset book --epochs 1 --quiet"
_PLOT_EXAMPLES = (
    _CORPUS,
    _TRAIN,
    "tokvec plot vectors.bin cat dog mat rug sat on -o pca.png",
    "printf 'cat\\tanimal\\ndog\\tanimal\\nmat\\tthing\\nrug\\tthing\\n' > kinds.tsv",
    "tokvec plot vectors.bin cat dog mat rug --color-by kinds.tsv -o kinds.svg",
    _SONGS,
    "tokvec plot songs.npz --limit 40 -o songs.png",
)
_EXPORT_EXAMPLES = (
    _CORPUS,
    _TRAIN,
    "tokvec export projector vectors.bin -o projector/",
    _SONGS,
    "tokvec export projector songs.npz -o songs-projector/ --format json",
)


def register(subparsers: Any) -> None:
    """Add the ``plot`` and ``export`` verbs."""
    p = add_command(
        subparsers,
        "plot",
        summary="draw vectors (words, songs, texts) as a labelled 2-D scatter: PCA, UMAP or t-SNE",
        description=(
            "Project vectors to 2-D and draw them with their labels, as the word-vector tutorials do.\n"
            "VECTORS is a word-vector file or a recommender (.npz from `tokvec recommend train`); KEYs are\n"
            "words or songs (without KEYs: the first --limit, default 50). -m MODEL --texts FILE embeds texts.\n"
            "Needs matplotlib: pip install 'tokvec[plot]'."
        ),
        examples=_PLOT_EXAMPLES,
    )
    add_source_options(p, keys_help="the words or songs to draw (default: the first --limit)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the picture to write (.png, .svg, .pdf)")
    p.add_argument("--method", choices=METHODS, default="pca", help="the projection (default: pca)")
    p.add_argument("--title", help="the title of the picture")
    p.add_argument("--seed", type=int, default=0, help="seed of umap and tsne (default: 0)")
    p.set_defaults(func=run_plot)

    e = add_command(
        subparsers,
        "export",
        summary="write vectors for other tools: `export projector` for the TensorFlow Embedding Projector",
        description=(
            "export projector writes vectors.tsv, metadata.tsv and projector_config.json into a folder:\n"
            "load the two .tsv files in projector.tensorflow.org ('Load'), or serve the folder with the\n"
            "standalone projector. Songs get title and artist columns, words and texts one column."
        ),
        examples=_EXPORT_EXAMPLES,
    )
    kinds = e.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    proj = kinds.add_parser("projector", help="the TensorFlow Embedding Projector's three files")
    add_source_options(proj, keys_help="only these words or songs (default: all, or the first --limit)")
    proj.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write (made if missing)")
    proj.add_argument("--name", default=None, help="the tensor's name in projector_config.json")
    proj.add_argument("--format", choices=("table", "json"), default="table", help="the summary: table or json")
    proj.set_defaults(func=run_export, parser=proj)


def run_plot(args: argparse.Namespace) -> int:
    """Draw the picture and say what was drawn."""
    from ..analysis.scatter import plot_points, save_figure

    points = load_points(args, default_limit=50)
    groups = color_groups(args.color_by, points)
    fig = plot_points(
        points.vectors, points.labels, method=args.method, groups=groups, title=args.title, seed=args.seed
    )
    save_figure(fig, args.output)
    print(f"wrote {args.output}: {len(points.labels)} {points.kind}, {args.method}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the Projector's files and print a summary."""
    from ..analysis.projector import CONFIG, METADATA, VECTORS, export_projector

    if args.color_by:
        raise CliError("--color-by is for `tokvec plot`; the Projector colours by any metadata column itself")
    points = load_points(args, default_limit=None)
    columns = dict(points.columns)
    name = args.name or os.path.basename(os.path.normpath(args.vectors or args.texts or "tokvec"))
    export_projector(
        args.output, points.vectors, columns if len(columns) > 1 else next(iter(columns.values())), name=name
    )
    files = [os.path.join(args.output, f) for f in (VECTORS, METADATA, CONFIG)]
    summary = {
        "points": len(points.labels),
        "dimensions": int(points.vectors.shape[1]),
        "kind": points.kind,
        "columns": list(columns),
        "files": files,
    }
    if args.format == "json":
        print_json(summary)
    else:
        print(f"wrote {len(points.labels):,} {points.kind} of {summary['dimensions']} dimensions to {args.output}")
        for f in files:
            print(f"  {f}")
    return 0
