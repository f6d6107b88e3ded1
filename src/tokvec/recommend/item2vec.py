"""item2vec: song vectors from playlists with tokvec's word2vec, blended with playlist counts to recommend.

Each playlist is a sentence and each song a word; songs played in the same playlists get close
vectors. :class:`Recommender` keeps the vectors with the catalogue (titles, artists), popularity and
transition/co-occurrence counts, and scores every song for a playlist as :mod:`.config` describes.

>>> from tokvec.recommend import sample_playlists
>>> rec = train_recommender(sample_playlists(), preset("book").replace(epochs=1))
>>> [r.describe() for r in rec.find("fade to black metallica")]
['Metallica - Fade To Black']
>>> len(rec.recommend(["Metallica - Fade To Black", "Metallica - One"], top_k=5))
5
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import UnknownTokenError
from ..kernels import recommend as kr
from .config import RecommenderConfig, preset
from .counts import SparseCounts, cooccurrences, transitions
from .playlists import Catalogue, Playlists

_POPULARITY_WEIGHT = 1e-6


@dataclass(frozen=True)
class Recommendation:
    """A recommended song: its key, title, artist and score (higher is better)."""

    key: str
    title: str
    artist: str
    score: float

    def describe(self) -> str:
        """Return 'artist - title' (or what is known)."""
        if self.title and self.artist:
            return f"{self.artist} - {self.title}"
        return self.title or self.key


@dataclass(frozen=True, eq=False)
class Recommender:
    """Item vectors, counts and the catalogue, with queries: similar songs, next songs for a playlist.

    ``vectors`` float32[V, D] has a row per catalogue item (zeros for items never seen in training,
    ``known`` False); ``popularity`` int64[V] counts the items in the training playlists.
    """

    catalogue: Catalogue
    vectors: np.ndarray
    known: np.ndarray
    popularity: np.ndarray
    transitions: SparseCounts
    cooccurrences: SparseCounts
    config: RecommenderConfig

    def __post_init__(self) -> None:
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        unit = (self.vectors / np.maximum(norms, 1e-12)).astype(np.float32)
        object.__setattr__(self, "_unit", unit)
        object.__setattr__(self, "_next", self.transitions.normalized())
        object.__setattr__(self, "_together", self.cooccurrences.normalized())
        total = max(float(self.popularity.sum()), 1.0)
        object.__setattr__(self, "_prior", (_POPULARITY_WEIGHT * self.popularity / total).astype(np.float32))

    @classmethod
    def from_vectors(
        cls, train: Playlists, keys: Sequence[str], vectors: np.ndarray, config: RecommenderConfig
    ) -> Recommender:
        """Build from vectors trained on ``train`` by any word2vec (``keys[i]`` names ``vectors[i]``)."""
        catalogue = train.catalogue
        aligned = np.zeros((len(catalogue), vectors.shape[1]), dtype=np.float32)
        known = np.zeros(len(catalogue), dtype=bool)
        for row, key in enumerate(keys):
            i = catalogue.index(key)
            if i is not None:
                aligned[i] = vectors[row]
                known[i] = True
        return cls(catalogue, aligned, known, train.counts(), transitions(train), cooccurrences(train), config)

    # ---- scoring (the evaluation calls this with batches of queries) ----

    name = "item2vec"

    def score(self, items: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Return float32[Q, V]: the blended score of every item for each query ``items[bounds[q]:bounds[q + 1]]``."""
        cfg = self.config
        items = np.asarray(items, dtype=np.int32)
        bounds = np.asarray(bounds, dtype=np.int64)
        rows = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
        back = bounds[1:][rows] - 1 - np.arange(len(items))  # 0 for the last song of its query
        weights = (cfg.recency**back).astype(np.float32) * self.known[items]
        totals = _segment_sums(weights, bounds)
        scale = (1.0 / np.maximum(totals, 1e-30)).astype(np.float32)
        scores = np.broadcast_to(self._prior, (len(bounds) - 1, len(self._prior))).copy()
        if cfg.vector_weight > 0:
            query = _segment_sums(self._unit[items] * weights[:, None], bounds)
            query /= np.maximum(np.linalg.norm(query, axis=1, keepdims=True), 1e-12)
            cosine = query @ self._unit.T
            scores += cfg.vector_weight * cosine * (totals > 0)[:, None]
        for weight, matrix in ((cfg.transition_weight, self._next), (cfg.cooccurrence_weight, self._together)):
            if weight > 0:
                scores += matrix.score(items, bounds, weights * (weight * scale[rows]))
        return scores

    # ---- queries ----

    def find(self, text: str) -> list[Recommendation]:
        """Return the songs whose key is ``text`` or whose title and artist hold its words, most played first."""
        found = self.catalogue.find(text)
        found.sort(key=lambda i: (-int(self.popularity[i]), i))
        return [self._result(i, float(self.popularity[i])) for i in found]

    def lookup(self, song: str) -> int:
        """Return the index of ``song`` (a key, or title and artist words: the most played match)."""
        found = self.catalogue.find(song)
        if not found:
            names = {
                self.catalogue.describe(i).casefold(): self.catalogue.describe(i) for i in range(len(self.catalogue))
            }
            close = [names[c] for c in difflib.get_close_matches(song.casefold(), list(names), n=3, cutoff=0.6)]
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise UnknownTokenError(
                f"no song matches {song!r}; give its id or words of its title and artist"
                f" (try `tokvec recommend find`).{hint}"
            )
        return min(found, key=lambda i: (-int(self.popularity[i]), i))

    def similar_items(self, song: str, *, top_k: int = 10) -> list[Recommendation]:
        """Return the ``top_k`` songs whose vectors are closest (cosine) to ``song``'s."""
        i = self.lookup(song)
        if not self.known[i]:
            raise UnknownTokenError(
                f"{self.catalogue.describe(i)!r} was not in the training playlists: it has no vector"
            )
        cosine = (self._unit @ self._unit[i]).astype(np.float32)
        cosine[~self.known] = np.nan
        cosine[i] = np.nan
        top = kr.top_k_rows(cosine[None, :], top_k)[0]
        return [self._result(int(j), float(cosine[j])) for j in top if j >= 0]

    def recommend(self, playlist: Sequence[str], *, top_k: int = 10, exclude_seen: bool = True) -> list[Recommendation]:
        """Return the ``top_k`` songs to play after ``playlist`` (keys or title/artist text, in play order).

        Songs never seen in training are ignored; a playlist of only such songs gets the most popular ones.
        """
        items = np.array([self.lookup(s) for s in playlist], dtype=np.int32)
        scores = self.score(items, np.array([0, len(items)], dtype=np.int64))
        if exclude_seen and len(items):
            scores[0, items] = np.nan
        top = kr.top_k_rows(scores, top_k)[0]
        return [self._result(int(j), float(scores[0, j])) for j in top if j >= 0]

    def _result(self, i: int, score: float) -> Recommendation:
        c = self.catalogue
        return Recommendation(c.keys[i], c.titles[i], c.artists[i], score)


def _segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Return float32[Q, ...]: the sum of ``values[bounds[q]:bounds[q + 1]]`` for each q (0 when empty)."""
    prefix = np.zeros((len(values) + 1, *values.shape[1:]), dtype=np.float64)
    np.cumsum(values, axis=0, out=prefix[1:])
    return (prefix[bounds[1:]] - prefix[bounds[:-1]]).astype(np.float32)


def train_recommender(
    playlists: Playlists, config: RecommenderConfig | None = None, *, progress: bool = False
) -> Recommender:
    """Train item vectors on ``playlists`` with tokvec's word2vec and count their transitions.

    ``config`` defaults to ``preset("default")``.
    """
    from ..vectors.word2vec import Word2VecConfig, train_word2vec

    config = config or preset("default")
    kv = train_word2vec(playlists.sentences(), Word2VecConfig(**config.word2vec_options()), progress=progress)
    return Recommender.from_vectors(playlists, list(kv.keys), np.asarray(kv.vectors), config)
