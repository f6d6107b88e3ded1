"""``tokvec recommend``: train, similar, next, find, evaluate, errors; and the songs in ``tokvec tour``."""

from __future__ import annotations

import json

import pytest

from tokvec.cli import recommend as cli_recommend


@pytest.fixture(autouse=True)
def _quick_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    # the query commands train on the bundled sample; the tests share one (immutable) model per session
    monkeypatch.setattr(cli_recommend, "sample_recommender", _sample)


_cache: dict = {}


def _sample():
    if "model" not in _cache:
        from tokvec.recommend import preset, sample_playlists, train_recommender

        _cache["model"] = train_recommender(sample_playlists(), preset("default").replace(epochs=5))
    return _cache["model"]


def test_similar_finds_the_song_by_title_and_artist(cli) -> None:
    rc, out, err = cli("recommend", "similar", "metallica fade to black", "-k", "3", "--format", "json")
    assert rc == 0, err
    found = json.loads(out)
    assert len(found) == 3 and all({"key", "title", "artist", "score"} <= set(r) for r in found)
    rc, out, _ = cli("recommend", "similar", "Metallica - Fade To Black")
    assert rc == 0 and out.startswith("songs like Metallica - Fade To Black")


def test_next_and_find(cli) -> None:
    rc, out, _ = cli("recommend", "next", "Metallica - One", "Iron Maiden - Run To The Hills", "-k", "4")
    assert rc == 0 and len(out.strip().splitlines()) == 2 + 4
    rc, out, _ = cli("recommend", "find", "run to the hills", "--format", "json")
    assert rc == 0 and [r["artist"] for r in json.loads(out)] == ["Iron Maiden"]


def test_train_then_query_the_saved_model(cli, tmp_path) -> None:
    model = tmp_path / "m.npz"
    rc, out, err = cli("recommend", "train", "sample", "-o", str(model), "--preset", "book", "--epochs", "1", "-q")
    assert rc == 0 and err == "" and out.startswith(f"saved {model}: 2,132 songs")
    rc, out, _ = cli("recommend", "similar", "-m", str(model), "Metallica - One", "-k", "2", "--format", "json")
    assert rc == 0 and len(json.loads(out)) == 2


def test_errors_say_what_to_do(cli, tmp_path) -> None:
    rc, _, err = cli("recommend", "similar", "no such song at all")
    assert rc == 1 and "tokvec: error: no song matches 'no such song at all'" in err
    rc, _, err = cli("recommend", "train", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "m.npz"))
    assert rc == 1 and "missing.txt" in err
    rc, _, err = cli("recommend", "evaluate", "sample", "--presets", "best", "-q")
    assert rc == 1 and "choose one of default, book" in err


def test_evaluate_table_and_json(cli, tmp_path) -> None:
    data = tmp_path / "seqs.txt"
    data.write_text("".join(f"a{i % 7} b{i % 5} c{i % 3} d{i % 4}\n" for i in range(60)))
    rc, out, _ = cli("recommend", "evaluate", str(data), "--seeds", "2", "--presets", "", "--format", "json", "-q")
    assert rc == 0
    rows = json.loads(out)
    assert {(r["method"], r["protocol"]) for r in rows} == {
        (m, p) for m in ("popularity", "co-occurrence", "transitions") for p in ("last", "random")
    }
    assert all(r["seeds"] == 2 and r["queries"] == 6 for r in rows)
    rc, out, _ = cli("recommend", "evaluate", str(data), "--seeds", "1", "--presets", "", "-q")
    assert rc == 0 and out.splitlines()[0].split()[:3] == ["data", "method", "hide"]


def test_tour_shows_songs_like_fade_to_black(cli) -> None:
    rc, out, _ = cli("tour", "--section", "songs", "--color", "never")
    assert rc == 0
    section = out[out.index("Songs like Metallica - Fade To Black") :]
    assert "songs like Metallica - Fade To Black:" in section
    assert len([line for line in section.splitlines() if line.startswith("    ")]) >= 10
