"""Read item sequences: Cornell "yes" playlists, one sequence per line, or user/item/timestamp CSV files.

Every reader returns :class:`Playlists`: the sequences as one flat ``int32`` array of item indices with
``bounds`` (sequence ``i`` is ``items[bounds[i]:bounds[i + 1]]``), and a :class:`Catalogue` that names
each item index (its key, title and artist). Malformed lines raise :class:`~tokvec.FormatError` with the
file and line number.

>>> from tokvec.recommend import sample_playlists
>>> songs = sample_playlists()
>>> songs.catalogue.describe(songs.catalogue.find("Metallica Fade To Black")[0])
'Metallica - Fade To Black'
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._io import open_binary
from ..errors import FormatError, TokvecFileError

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Names of the items: ``keys[i]`` (the id in the data), ``titles[i]`` and ``artists[i]`` ('' if unknown)."""

    keys: tuple[str, ...]
    titles: tuple[str, ...]
    artists: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not len(self.keys) == len(self.titles) == len(self.artists):
            raise ValueError("keys, titles and artists must have the same length")
        index = {k: i for i, k in enumerate(self.keys)}
        if len(index) != len(self.keys):
            raise FormatError("the catalogue has repeated keys; every item needs its own id")
        object.__setattr__(self, "_index", index)

    @classmethod
    def from_keys(cls, keys: Sequence[str]) -> Catalogue:
        """Build a catalogue of items known only by their keys."""
        return cls(tuple(keys), ("",) * len(keys), ("",) * len(keys))

    def __len__(self) -> int:
        return len(self.keys)

    def index(self, key: str) -> int | None:
        """Return the index of the item whose key is ``key``, or None."""
        return self._index.get(key)

    def describe(self, index: int) -> str:
        """Return 'artist - title' (or the title, or the key, whichever is known)."""
        title, artist = self.titles[index], self.artists[index]
        if title and artist:
            return f"{artist} - {title}"
        return title or self.keys[index]

    def find(self, text: str) -> list[int]:
        """Return the items whose key is ``text``, or whose title and artist hold every word of ``text``.

        Words are compared case-insensitively, punctuation ignored ('metallica - fade to black' finds
        'Fade To Black' by Metallica); items come in catalogue order.
        """
        exact = self._index.get(text.strip())
        if exact is not None:
            return [exact]
        wanted = set(_words(text))
        if not wanted:
            return []
        return [
            i
            for i in range(len(self.keys))
            if wanted <= set(_words(f"{self.titles[i]} {self.artists[i]} {self.keys[i]}"))
        ]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, eq=False)
class Playlists:
    """Sequences of item indices into ``catalogue``; ``items[bounds[i]:bounds[i + 1]]`` is sequence ``i``."""

    items: np.ndarray  # int32[N]
    bounds: np.ndarray  # int64[P + 1]
    catalogue: Catalogue
    name: str = ""

    def __post_init__(self) -> None:
        items = np.ascontiguousarray(self.items, dtype=np.int32)
        bounds = np.ascontiguousarray(self.bounds, dtype=np.int64)
        if bounds.ndim != 1 or len(bounds) < 1 or bounds[0] != 0 or bounds[-1] != len(items):
            raise ValueError("bounds must start at 0 and end at len(items)")
        if np.any(np.diff(bounds) < 0):
            raise ValueError("bounds must not decrease")
        if len(items) and (items.min() < 0 or items.max() >= len(self.catalogue)):
            raise ValueError("items must be indices into the catalogue")
        items.flags.writeable = False
        bounds.flags.writeable = False
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "bounds", bounds)

    @classmethod
    def from_lists(cls, sequences: Iterable[Sequence[int]], catalogue: Catalogue, name: str = "") -> Playlists:
        """Build from sequences of item indices."""
        seqs = [np.asarray(s, dtype=np.int32) for s in sequences]
        bounds = np.zeros(len(seqs) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in seqs], out=bounds[1:])
        items = np.concatenate(seqs) if seqs else np.zeros(0, dtype=np.int32)
        return cls(items, bounds, catalogue, name)

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def __getitem__(self, i: int) -> np.ndarray:
        return self.items[self.bounds[i] : self.bounds[i + 1]]

    def lengths(self) -> np.ndarray:
        """Return the length of every sequence (int64[P])."""
        return np.diff(self.bounds)

    def subset(self, indices: Sequence[int] | np.ndarray) -> Playlists:
        """Return the sequences at ``indices`` (same catalogue)."""
        return Playlists.from_lists([self[int(i)] for i in indices], self.catalogue, self.name)

    def sentences(self) -> list[list[str]]:
        """Return every sequence as a list of item keys (the sentences word2vec trains on)."""
        keys = self.catalogue.keys
        return [[keys[j] for j in self[i].tolist()] for i in range(len(self))]

    def counts(self) -> np.ndarray:
        """Return how often each catalogue item occurs (int64[V])."""
        return np.bincount(self.items, minlength=len(self.catalogue)).astype(np.int64)


def read_yes(path: str | os.PathLike[str]) -> Playlists:
    """Read a Cornell "yes" folder (``train.txt`` and ``song_hash.txt``), or one playlist file of that format.

    The playlist file has two header lines (external ids, appearance counts), then one playlist of
    integer song ids per line. ``song_hash.txt`` (``id<TAB>title<TAB>artist``) beside it names the songs.
    """
    path = os.fspath(path)
    folder, playlist_file = (
        (path, os.path.join(path, "train.txt")) if os.path.isdir(path) else (os.path.dirname(path), path)
    )
    lines = _read_lines(playlist_file)
    if len(lines) < 2:
        raise FormatError(
            f"{playlist_file}: expected two header lines (song ids, counts); is this a yes playlist file?"
        )
    n_songs = len(lines[0].split())
    if len(lines[1].split()) != n_songs:
        raise FormatError(
            f"{playlist_file} line 2: expected {n_songs} appearance counts (one per id on line 1), "
            f"got {len(lines[1].split())}; is this a yes playlist file?"
        )
    for number, line in enumerate(lines[2:], start=3):
        _check_ints(line, playlist_file, number)
    sequences = [[int(w) for w in line.split()] for line in lines[2:] if line.strip()]
    hash_file = os.path.join(folder, "song_hash.txt")
    catalogue = (
        _read_song_hash(hash_file)
        if os.path.exists(hash_file)
        else Catalogue.from_keys([str(i) for i in range(n_songs)])
    )
    for number, line in enumerate(lines[2:], start=3):  # subtle: ids index the catalogue; check before building
        for w in line.split():
            if int(w) >= len(catalogue):
                raise FormatError(
                    f"{playlist_file} line {number}: song id {w} is not in the catalogue of {len(catalogue)} songs"
                )
    return Playlists.from_lists(sequences, catalogue, os.path.basename(os.path.normpath(folder)) or "playlists")


def _read_song_hash(path: str) -> Catalogue:
    keys, titles, artists = [], [], []
    for number, line in enumerate(_read_lines(path), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            raise FormatError(f"{path} line {number}: expected 'id<TAB>title<TAB>artist', got {line[:60]!r}")
        if int(parts[0]) != len(keys):
            raise FormatError(f"{path} line {number}: song id {parts[0].strip()} out of order (expected {len(keys)})")
        keys.append(parts[0].strip())
        titles.append(parts[1].strip().replace("\\/", "/"))
        artists.append(parts[2].strip().replace("\\/", "/"))
    return Catalogue(tuple(keys), tuple(titles), tuple(artists))


def read_sequences(path: str | os.PathLike[str], name: str = "") -> Playlists:
    """Read one sequence of whitespace-separated item keys per line (blank lines are skipped).

    Items are numbered in order of first appearance. Lines starting with ``#`` are comments. When the
    first sequence is all integer ids, every line must be (a junk line is an error, not new songs); keys
    with control characters or U+FFFD (bytes that were not text) are refused.
    """
    path = os.fspath(path)
    index: dict[str, int] = {}
    sequences = []
    numeric: bool | None = None
    for number, line in enumerate(_read_lines(path), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if numeric is None:
            numeric = all(w.isdigit() for w in words)
        if numeric:
            _check_ints(line, path, number)
        for w in words:
            if "\ufffd" in w or any(unicodedata.category(c) == "Cc" for c in w):
                raise FormatError(f"{path} line {number}: {w[:40]!r} is not an item key (binary data?)")
        sequences.append([index.setdefault(w, len(index)) for w in words])
    return Playlists.from_lists(sequences, Catalogue.from_keys(list(index)), name or os.path.basename(path))


def read_interactions(
    path: str | os.PathLike[str],
    *,
    user: str = "userId",
    item: str = "movieId",
    timestamp: str = "timestamp",
    titles: str | os.PathLike[str] | None = None,
    name: str = "",
) -> Playlists:
    """Read a CSV of (user, item, timestamp) rows with a header: one sequence per user, in time order.

    Users come in order of first appearance; equal timestamps keep the file's order. ``titles`` is an
    optional CSV (MovieLens ``movies.csv``) whose first two columns are the item key and its title.
    """
    path = os.fspath(path)
    reader = csv.reader(io.StringIO(_read_text(path)))
    header = next(reader, None)
    if header is None:
        raise FormatError(f"{path}: the file is empty; expected a header with {user},{item},{timestamp}")
    missing = [c for c in (user, item, timestamp) if c not in header]
    if missing:
        raise FormatError(f"{path} line 1: no column {missing[0]!r} in the header {header}; name the columns to use")
    cu, ci, ct = header.index(user), header.index(item), header.index(timestamp)
    users: dict[str, int] = {}
    index: dict[str, int] = {}
    rows: list[tuple[int, float, int]] = []
    for row in reader:
        number = reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            raise FormatError(f"{path} line {number}: expected {len(header)} fields like the header, got {len(row)}")
        try:
            when = float(row[ct])
        except ValueError:
            raise FormatError(f"{path} line {number}: timestamp {row[ct]!r} is not a number") from None
        rows.append((users.setdefault(row[cu], len(users)), when, index.setdefault(row[ci], len(index))))
    order = sorted(range(len(rows)), key=lambda r: (rows[r][0], rows[r][1], r))
    sequences: list[list[int]] = [[] for _ in users]
    for r in order:
        sequences[rows[r][0]].append(rows[r][2])
    keys = list(index)
    names = _read_titles(os.fspath(titles)) if titles is not None else {}
    catalogue = Catalogue(tuple(keys), tuple(names.get(k, "") for k in keys), ("",) * len(keys))
    return Playlists.from_lists(sequences, catalogue, name or os.path.basename(path))


def _read_titles(path: str) -> dict[str, str]:
    reader = csv.reader(io.StringIO(_read_text(path)))
    next(reader, None)
    return {row[0]: row[1] for row in reader if len(row) >= 2}


def read_playlists(path: str | os.PathLike[str]) -> Playlists:
    """Read ``path`` in the format it has: a yes folder or file, a MovieLens folder or ratings CSV, or sequences.

    A folder with ``train.txt`` is read by :func:`read_yes`; a folder with ``ratings.csv`` (and
    ``movies.csv``) or a ``.csv`` file by :func:`read_interactions`; anything else by :func:`read_sequences`.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        if os.path.exists(os.path.join(path, "train.txt")):
            return read_yes(path)
        ratings = os.path.join(path, "ratings.csv")
        if os.path.exists(ratings):
            movies = os.path.join(path, "movies.csv")
            name = os.path.basename(os.path.normpath(path))
            return read_interactions(ratings, titles=movies if os.path.exists(movies) else None, name=name)
        raise TokvecFileError(f"{path}: a folder needs train.txt (yes playlists) or ratings.csv (MovieLens)")
    if path.endswith((".csv", ".csv.gz")):
        movies = os.path.join(os.path.dirname(path), "movies.csv")
        return read_interactions(path, titles=movies if os.path.exists(movies) else None)
    if os.path.basename(path).startswith("train.txt"):
        return read_yes(path)
    return read_sequences(path)


def _check_ints(line: str, path: str, number: int) -> None:
    for w in line.split():
        if not w.isdigit():
            raise FormatError(f"{path} line {number}: {w!r} is not a song id (a non-negative integer)")


def _read_text(path: str) -> str:
    with open_binary(path) as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(f"{path}: not UTF-8 text (bad byte at offset {e.start})") from None


def _read_lines(path: str) -> list[str]:
    return _read_text(path).split("\n")
