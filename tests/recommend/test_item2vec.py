"""The recommender: queries by title and artist, recommendations, fallbacks, save/load, and agreement with gensim."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

from tests.conftest import data_path
from tokvec import FormatError, UnknownNameError, UnknownTokenError
from tokvec.recommend import (
    Recommender,
    RecommenderConfigError,
    evaluate,
    load_recommender,
    make_queries,
    preset,
    read_yes,
    sample_playlists,
    save_recommender,
    split_playlists,
    train_recommender,
)


@functools.cache
def sample_model(name: str = "default") -> Recommender:
    """Train on the bundled sample once per session (recommenders are immutable)."""
    return train_recommender(sample_playlists(), preset(name).replace(epochs=5))


def test_similar_items_by_title_and_artist() -> None:
    rec = sample_model("book")
    found = rec.similar_items("metallica fade to black", top_k=10)
    assert len(found) == 10
    assert "Metallica - Fade To Black" not in [r.describe() for r in found]
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert found == rec.similar_items(rec.find("Fade To Black Metallica")[0].key, top_k=10)


def test_recommend_excludes_the_playlist() -> None:
    rec = sample_model()
    playlist = ["Metallica - One", "Iron Maiden - Run To The Hills"]
    keys = {rec.find(s)[0].key for s in playlist}
    found = rec.recommend(playlist, top_k=20)
    assert len(found) == 20 and not keys & {r.key for r in found}
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert keys <= {r.key for r in rec.recommend(playlist, top_k=len(rec.catalogue), exclude_seen=False)}


def test_unknown_songs_fall_back_to_popularity() -> None:
    base = sample_model()
    keys = base.catalogue.keys
    partial = Recommender.from_vectors(sample_playlists(), keys[:100], base.vectors[:100], base.config)
    most_played = [keys[i] for i in np.argsort(-partial.popularity, kind="stable")[:3]]
    assert [r.key for r in partial.recommend([], top_k=3)] == most_played
    assert [r.key for r in partial.recommend([keys[500], keys[600]], top_k=3)] == most_played
    assert [r.key for r in partial.recommend([keys[5]], top_k=3)] != most_played


def test_recent_songs_weigh_more() -> None:
    base = sample_model()
    model = dataclasses.replace(base, config=base.config.replace(recency=0.1))
    a, b = "Metallica - Fade To Black", "Bon Jovi - Livin' On A Prayer"
    assert model.recommend([b, a], top_k=5) != model.recommend([a, b], top_k=5)
    flat = dataclasses.replace(base, config=base.config.replace(recency=1.0))
    assert flat.recommend([b, a], top_k=5) == flat.recommend([a, b], top_k=5)


def test_unknown_songs_and_presets_say_how_to_fix() -> None:
    rec = sample_model("book")
    with pytest.raises(UnknownTokenError, match="no song matches 'no such song xyz'"):
        rec.similar_items("no such song xyz")
    with pytest.raises(UnknownNameError, match="choose one of default, book"):
        preset("best")
    with pytest.raises(RecommenderConfigError, match="recency must be in"):
        preset("default").replace(recency=0.0)


def test_save_load_round_trip(tmp_path) -> None:
    rec = sample_model()
    path = tmp_path / "songs.npz"
    save_recommender(rec, path)
    again = load_recommender(path)
    assert again.config == rec.config and again.catalogue.keys == rec.catalogue.keys
    np.testing.assert_array_equal(again.vectors, rec.vectors)
    playlist = ["Metallica - One", "Metallica - Fade To Black"]
    assert again.recommend(playlist) == rec.recommend(playlist)
    with np.load(path, allow_pickle=False) as archive:  # no object arrays anywhere
        assert all(archive[name].dtype != object for name in archive.files)
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(FormatError, match=r"not a \.npz file"):
        load_recommender(tmp_path / "bad.npz")
    np.savez(tmp_path / "other.npz", header=np.array('{"format": "something"}'))
    with pytest.raises(FormatError, match="not a tokvec recommender"):
        load_recommender(tmp_path / "other.npz")


@pytest.mark.data
def test_book_recipe_hit_rate_equals_gensim() -> None:
    """Goal (a): at identical parameters tokvec's item2vec ranks as well as gensim's (yes_small, hide-last).

    Calibration: over seeds 1-3 gensim's HitRate@10 on this split spreads by about 0.005; we allow the
    difference of the means 3 x that spread plus 0.005.
    """
    gensim = pytest.importorskip("gensim.models")
    playlists = read_yes(data_path("playlists/yes_small/train.txt").parent)
    train, test = split_playlists(playlists, test_fraction=0.1, seed=1)
    queries = make_queries(test, "last", seed=1)
    config = preset("book")
    ours, theirs = [], []
    for seed in (1, 2, 3):
        ours.append(evaluate(train_recommender(train, config.replace(seed=seed)), queries).hit_rate)
        model = gensim.Word2Vec(
            train.sentences(), sg=0, vector_size=32, window=20, negative=50, min_count=1, workers=1, seed=seed
        )
        rec = Recommender.from_vectors(train, model.wv.index_to_key, model.wv.vectors, config)
        theirs.append(evaluate(rec, queries).hit_rate)
    spread = max(np.std(theirs, ddof=1), np.std(ours, ddof=1))
    assert abs(np.mean(ours) - np.mean(theirs)) <= 3 * spread + 0.005, (ours, theirs)
