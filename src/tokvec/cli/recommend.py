"""``tokvec recommend``: train a song recommender on playlists, ask it for similar or next songs, evaluate it.

Without ``-m MODEL`` the query commands train on the bundled playlist sample first (a few seconds).
"""

from __future__ import annotations

import argparse
import functools
import sys
from typing import Any

from .._io import check_output_path
from ..recommend import (
    PRESETS,
    Recommendation,
    Recommender,
    load_recommender,
    preset,
    read_playlists,
    sample_playlists,
    save_recommender,
    train_recommender,
)
from ..recommend.report import run_evaluation, standard_methods
from ._common import CliError, add_command, add_format_option, format_table, print_json

_EXAMPLES = (
    'tokvec recommend similar "Metallica - Fade To Black"',
    'tokvec recommend next "Metallica - One" "Iron Maiden - Run To The Hills" --top-k 5',
    "tokvec recommend train sample -o songs.npz --preset book --quiet",
    'tokvec recommend find -m songs.npz "fade to black" --format json',
    "tokvec recommend evaluate sample --seeds 1 --presets book --quiet",
)


def register(subparsers: Any) -> None:
    """Add the ``recommend`` verb and its commands."""
    p = add_command(
        subparsers,
        "recommend",
        summary="song recommendations from playlists (item2vec): train, similar, next, find, evaluate",
        description=(
            "Treat each playlist as a sentence and each song as a word: word2vec gives songs played in\n"
            "the same playlists close vectors. DATA is a Cornell 'yes' folder (train.txt, song_hash.txt),\n"
            "a MovieLens folder or ratings CSV (user, item, timestamp), a file of one playlist per line,\n"
            "or 'sample' (bundled: 5,000 rock radio playlists). Songs are named by id or by words of\n"
            "their title and artist. Without -m, similar/next/find train on the sample first."
        ),
        examples=_EXAMPLES,
    )
    commands = p.add_subparsers(dest="recommend_command", metavar="COMMAND", required=True)
    train = add_command(
        commands, "train", summary="train a recommender on DATA and save it",
        description="Train song vectors and counts on DATA (see `tokvec recommend --help`) and save them as .npz.",
        examples=("tokvec recommend train sample -o songs.npz --preset book --epochs 1 --quiet",),
    )  # fmt: skip
    train.add_argument("data", metavar="DATA", help="playlists to train on (see above)")
    train.add_argument("-o", "--output", required=True, metavar="MODEL", help="the .npz file to write")
    _add_preset(train)
    train.set_defaults(func=run_train)
    for name, helptext, example in (
        ("similar", "the songs whose vectors are closest to SONG", 'tokvec recommend similar "fade to black" -k 3'),
        ("next", "the songs to play after a playlist of SONGs", 'tokvec recommend next "Metallica - One" -k 3'),
        ("find", "the songs whose title or artist hold the words of SONG", "tokvec recommend find metallica -k 3"),
    ):
        q = add_command(commands, name, summary=helptext, description=helptext[0].upper() + helptext[1:] + ".",
                        examples=(example,))  # fmt: skip
        q.add_argument("songs", nargs="+" if name == "next" else None, metavar="SONG", help="an id or title words")
        q.add_argument("-m", "--model", metavar="MODEL", help="a recommender saved by `tokvec recommend train`")
        q.add_argument("-k", "--top-k", type=int, default=10, help="how many songs, 1 or more (default: 10)")
        add_format_option(q, ("table", "json"), "table or json")
        q.set_defaults(func=run_query, query=name)
    ev = add_command(
        commands, "evaluate", summary="HitRate, MRR, NDCG@10 and coverage of the baselines and presets",
        description="Hide a song of each test playlist and rank every song: the baselines and tokvec's presets.",
        examples=("tokvec recommend evaluate sample --seeds 1 --presets book --quiet",),
    )  # fmt: skip
    ev.add_argument("data", nargs="+", metavar="DATA", help="data sets to evaluate on (see above)")
    ev.add_argument("--seeds", type=int, default=3, help="seeded train/test splits to average (default: 3)")
    ev.add_argument("--presets", default="book,default", help="tokvec presets to evaluate (default: book,default)")
    ev.add_argument("--test-fraction", type=float, default=0.1, help="share of playlists to test (default: 0.1)")
    ev.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    add_format_option(ev, ("table", "json"), "table or json")
    ev.set_defaults(func=run_evaluate)


def _add_preset(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=tuple(PRESETS), default="default", help="options (default: default)")
    parser.add_argument("--epochs", type=int, default=None, help="word2vec epochs (default: the preset's)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _read(data: str) -> Any:
    return sample_playlists() if data == "sample" else read_playlists(data)


def run_train(args: argparse.Namespace) -> int:
    """Train and save a recommender."""
    check_output_path(args.output, option="-o")
    config = preset(args.preset).replace(seed=args.seed)
    if args.epochs is not None:
        config = config.replace(epochs=args.epochs)
    playlists = _read(args.data)
    recommender = train_recommender(playlists, config, progress=not args.quiet)
    save_recommender(recommender, args.output)
    known = int(recommender.known.sum())
    print(f"saved {args.output}: {known:,} songs with vectors of {len(playlists)} playlists, preset {args.preset}")
    return 0


def run_query(args: argparse.Namespace) -> int:
    """Answer similar / next / find."""
    if args.top_k < 1:
        raise CliError(f"--top-k must be 1 or more, got {args.top_k}")
    recommender = load_recommender(args.model) if args.model else sample_recommender()
    if args.query == "similar":
        song = recommender.lookup(args.songs)
        title = f"songs like {recommender.catalogue.describe(song)}"
        found = recommender.similar_items(recommender.catalogue.keys[song], top_k=args.top_k)
    elif args.query == "next":
        title = "next songs"
        found = recommender.recommend(args.songs, top_k=args.top_k)
    else:
        title = f"songs matching {args.songs!r}"
        found = recommender.find(args.songs)[: args.top_k]
    _print(title, found, args.format)
    return 0


@functools.cache
def sample_recommender() -> Recommender:
    """Train the default recommender on the bundled sample (once per process: it is immutable)."""
    return train_recommender(sample_playlists())


def song_tour(*, top_k: int = 5) -> list[str]:
    """Return the lines of the tour's song section: songs like Metallica - Fade To Black, and what comes next."""
    rec = sample_recommender()
    song = rec.find("Metallica Fade To Black")[0]
    lines = [
        f"Trained in a few seconds on {len(rec.catalogue):,} songs of 5,000 bundled radio playlists (Cornell",
        "'yes' data): each playlist is a sentence and each song a word, so word2vec gives songs played in",
        'the same playlists close vectors. Found by title and artist: tokvec recommend similar "fade to black"',
        f"  songs like {song.describe()}:",
    ]
    lines += [f"          {r.describe()}" for r in rec.similar_items(song.key, top_k=top_k)]
    playlist = [song.key, rec.find("Iron Maiden Run To The Hills")[0].key]
    lines.append("  after Metallica - Fade To Black, Iron Maiden - Run To The Hills, play:")
    lines += [f"          {r.describe()}" for r in rec.recommend(playlist, top_k=top_k)]
    return lines


def _print(title: str, found: list[Recommendation], fmt: str) -> None:
    if fmt == "json":
        print_json([{"key": r.key, "title": r.title, "artist": r.artist, "score": round(r.score, 6)} for r in found])
        return
    print(title)
    rows = [[r.key, r.artist, r.title, f"{r.score:.4f}"] for r in found]
    print(format_table(["id", "artist", "title", "score"], rows, numeric=[3]))


def run_evaluate(args: argparse.Namespace) -> int:
    """Print the evaluation table."""
    if not 0.0 < args.test_fraction < 1.0:
        raise CliError(f"--test-fraction must be between 0 and 1 (both excluded), got {args.test_fraction}")
    if args.seeds < 1:
        raise CliError(f"--seeds must be 1 or more, got {args.seeds}")
    datasets = {}
    for data in args.data:
        playlists = _read(data)
        datasets[playlists.name or data] = playlists
    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    for name in presets:
        preset(name)  # unknown names fail before any work
    log = None if args.quiet else (lambda line: print(f"tokvec: {line}", file=sys.stderr))
    rows = run_evaluation(
        datasets, standard_methods(presets), seeds=range(1, args.seeds + 1), test_fraction=args.test_fraction, log=log
    )
    if args.format == "json":
        print_json([r.as_dict() for r in rows])
        return 0
    spread = (lambda r: f" ± {r.hit_rate_std:.4f}") if args.seeds > 1 else (lambda r: "")  # one seed: no spread
    table = [
        [r.dataset, r.method, r.protocol, f"{r.hit_rate:.4f}{spread(r)}", f"{r.mrr:.4f}", f"{r.ndcg:.4f}"]
        + [f"{r.coverage:.3f}", r.queries, f"{r.train_seconds:.1f}"]
        for r in rows
    ]
    headers = ["data", "method", "hide", "HitRate@10", "MRR@10", "NDCG@10", "coverage", "queries", "train s"]
    print(format_table(headers, table, numeric=[3, 4, 5, 6, 7, 8]))
    return 0
