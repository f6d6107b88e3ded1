"""Readers: the real yes and MovieLens files read completely and correctly; malformed lines named by number."""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pytest

from tests.conftest import data_path
from tokvec import FormatError
from tokvec.recommend import (
    Catalogue,
    Playlists,
    read_interactions,
    read_playlists,
    read_sequences,
    read_yes,
    sample_playlists,
)


@pytest.mark.data
@pytest.mark.parametrize("name", ["yes_small", "yes_big"])
def test_yes_counts_equal_the_files_own_header(name: str) -> None:
    # line 2 of train.txt holds each song's number of appearances: an independent check of every playlist read
    folder = data_path(f"playlists/{name}/train.txt").parent
    playlists = read_yes(folder)
    header = (folder / "train.txt").read_text().split("\n")[1].split()
    np.testing.assert_array_equal(playlists.counts(), np.array(header, dtype=np.int64))
    lines = [line for line in (folder / "train.txt").read_text().split("\n")[2:] if line.strip()]
    assert len(playlists) == len(lines)
    for i in (0, len(lines) // 2, len(lines) - 1):
        assert playlists[i].tolist() == [int(w) for w in lines[i].split()]
    assert len(playlists.catalogue) == len(header)


@pytest.mark.data
def test_yes_titles_and_artists() -> None:
    playlists = read_yes(data_path("playlists/yes_big/train.txt").parent)
    c = playlists.catalogue
    assert c.describe(793) == "Metallica - Fade To Black"
    assert c.find("metallica: fade to black") == [793]
    assert c.titles[0] == "Gucci Time (w/ Swizz Beatz)"  # the file's "w\/" is an escaped slash
    assert all(c.find(c.keys[i]) == [i] for i in range(0, len(c), 997))


@pytest.mark.data
def test_movielens_sequences_are_users_in_time_order() -> None:
    path = data_path("movielens/ratings.csv")
    playlists = read_playlists(path.parent)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    # subtle: this copy has one row more than ml-latest-small's 100,836: its last row (user 999, movie
    # 999999, not in movies.csv) was added in the repository it came from; it is a one-item sequence
    assert rows[-1] == {"userId": "999", "movieId": "999999", "rating": "5.0", "timestamp": "1493846415"}
    assert len(playlists) == len({r["userId"] for r in rows}) == 611
    assert len(playlists.items) == len(rows) == 100_837
    by_user: dict[str, list[tuple[float, int, str]]] = {}
    for n, r in enumerate(rows):
        by_user.setdefault(r["userId"], []).append((float(r["timestamp"]), n, r["movieId"]))
    keys = playlists.catalogue.keys
    for i, user in enumerate(by_user):  # users in order of first appearance
        assert [keys[j] for j in playlists[i].tolist()] == [m for _, _, m in sorted(by_user[user])]
    assert playlists.catalogue.describe(playlists.catalogue.index("1")) == "Toy Story (1995)"


def test_sample_is_bundled_with_titles() -> None:
    songs = sample_playlists()
    assert len(songs) == 5000 and songs.lengths().min() >= 2
    assert songs.catalogue.find("Iron Maiden Run To The Hills")


def test_sequences_and_gzip(tmp_path) -> None:
    path = tmp_path / "seqs.txt.gz"
    with gzip.open(path, "wt") as f:
        f.write("a b c\n\nb a\n")
    playlists = read_sequences(path)
    assert playlists.catalogue.keys == ("a", "b", "c")
    assert [playlists[i].tolist() for i in range(len(playlists))] == [[0, 1, 2], [1, 0]]
    assert playlists.sentences() == [["a", "b", "c"], ["b", "a"]]


def test_interactions_ties_keep_file_order(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("user,item,time\nu,x,5\nv,y,1\nu,z,2\nu,w,5\n")
    playlists = read_interactions(path, user="user", item="item", timestamp="time")
    keys = playlists.catalogue.keys
    assert [[keys[j] for j in playlists[i].tolist()] for i in range(2)] == [["z", "x", "w"], ["y"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2\n1 1\n0 1 \n0 x \n", "train.txt line 4: 'x' is not a song id"),
        ("1 2\n1 1\n0 1 \n1 5 \n", "train.txt line 4: song id 5 is not in the catalogue of 2 songs"),
        ("1 2\n", "line 2: expected 2 appearance counts"),
        ("", "expected two header lines"),
    ],
)
def test_yes_errors_name_the_line(tmp_path, text: str, message: str) -> None:
    (tmp_path / "train.txt").write_text(text)
    with pytest.raises(FormatError, match=message):
        read_yes(tmp_path)


def test_song_hash_errors(tmp_path) -> None:
    (tmp_path / "train.txt").write_text("1 2\n1 1\n0 1 \n")
    (tmp_path / "song_hash.txt").write_text("0\tA\tB\n1\tonly a title\n")
    with pytest.raises(FormatError, match=r"song_hash.txt line 2: expected 'id<TAB>title<TAB>artist'"):
        read_yes(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("userId,movieId,timestamp\n1,2,3\n1,2\n", r"r.csv line 3: expected 3 fields like the header, got 2"),
        ("userId,movieId,timestamp\n1,2,soon\n", r"r.csv line 2: timestamp 'soon' is not a number"),
        ("user,movieId,timestamp\n", r"r.csv line 1: no column 'userId'"),
    ],
)
def test_interaction_errors(tmp_path, text: str, message: str) -> None:
    (tmp_path / "r.csv").write_text(text)
    with pytest.raises(FormatError, match=message):
        read_interactions(tmp_path / "r.csv")


def test_playlists_are_immutable_and_checked() -> None:
    catalogue = Catalogue.from_keys(["a", "b"])
    playlists = Playlists.from_lists([[0, 1], [1]], catalogue)
    with pytest.raises(ValueError):
        playlists.items[0] = 1
    with pytest.raises(ValueError, match="indices into the catalogue"):
        Playlists.from_lists([[0, 2]], catalogue)
    assert playlists.subset([1])[0].tolist() == [1]
