"""Song recommendations from playlists: item2vec blended with playlist counts, and its offline evaluation.

>>> from tokvec.recommend import sample_playlists, train_recommender, preset
>>> songs = sample_playlists()
>>> len(songs), len(songs.catalogue)
(5000, 2132)
"""

from __future__ import annotations

from importlib import resources

from .config import PRESETS, RecommenderConfig, RecommenderConfigError, preset
from .evaluate import (
    BASELINES,
    PROTOCOLS,
    CoOccurrence,
    Metrics,
    Popularity,
    Queries,
    Transitions,
    evaluate,
    make_queries,
    split_playlists,
)
from .item2vec import Recommendation, Recommender, train_recommender
from .playlists import Catalogue, Playlists, read_interactions, read_playlists, read_sequences, read_yes
from .store import load_recommender, save_recommender


def sample_playlists() -> Playlists:
    """Return the bundled sample: 5,000 mostly-rock radio playlists of the Cornell "yes" data (2,132 songs)."""
    folder = resources.files("tokvec.data.playlists")
    with resources.as_file(folder) as path:
        playlists = read_yes(path)
    return Playlists(playlists.items, playlists.bounds, playlists.catalogue, "sample")


__all__ = [
    "BASELINES",
    "PRESETS",
    "PROTOCOLS",
    "Catalogue",
    "CoOccurrence",
    "Metrics",
    "Playlists",
    "Popularity",
    "Queries",
    "Recommendation",
    "Recommender",
    "RecommenderConfig",
    "RecommenderConfigError",
    "Transitions",
    "evaluate",
    "load_recommender",
    "make_queries",
    "preset",
    "read_interactions",
    "read_playlists",
    "read_sequences",
    "read_yes",
    "sample_playlists",
    "save_recommender",
    "split_playlists",
    "train_recommender",
]
