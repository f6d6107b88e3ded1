"""KeyedVectors: an immutable table of keys and their vectors, with similarity queries.

Keys are kept in the order given (a trained model: most frequent first), so ``restrict(n)`` keeps the
``n`` most frequent. Queries use unit-length copies of the vectors, made once on first use (the
object is immutable, so they cannot go stale).

>>> import numpy as np
>>> kv = KeyedVectors(["king", "queen", "man", "woman"],
...                   np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]], dtype=np.float32))
>>> kv.analogy("man", "king", "woman")
[Neighbor(key='queen', score=0.959)]
>>> round(kv.similarity("king", "queen"), 3), "king" in kv, len(kv)
(0.5, True, 4)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ..errors import TokvecError, UnknownKeyError
from . import codec
from . import index as _index
from .index import unit_rows


@dataclass(frozen=True)
class Neighbor:
    """A key and its similarity to a query (cosine, or the 3CosMul score)."""

    key: str
    score: float

    def __repr__(self) -> str:
        return f"Neighbor(key={self.key!r}, score={self.score:.3f})"


class KeyList(list):  # type: ignore[type-arg]
    """A list that refuses changes (the keys of immutable vectors)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the keys of KeyedVectors cannot be changed; build new vectors instead")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse  # type: ignore[assignment]


def _array(values: Any, copy: bool) -> np.ndarray:
    if copy:
        return np.array(values, dtype=np.float32, copy=True, order="C")
    return np.ascontiguousarray(values, dtype=np.float32)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class KeyedVectors:
    """Keys with float32 vectors (``vectors[i]`` belongs to ``keys[i]``), their counts, and queries.

    ``output_vectors`` (word2vec's second weight matrix) and ``config`` are kept by training so
    that it can continue; they are ``None`` for vectors loaded from word2vec or GloVe files.
    """

    __slots__ = ("_config", "_counts", "_key_to_index", "_keys", "_output", "_unit", "_vectors")

    def __init__(
        self,
        keys: Sequence[str],
        vectors: np.ndarray,
        counts: np.ndarray | None = None,
        *,
        output_vectors: np.ndarray | None = None,
        config: Any = None,
        copy: bool = True,
    ) -> None:
        # copy=False takes over float32 C-ordered arrays that the caller will not touch again (training)
        vectors = _array(vectors, copy)
        if vectors.ndim != 2 or vectors.shape[0] != len(keys):
            raise TokvecError(
                f"KeyedVectors: {len(keys)} keys need vectors of shape ({len(keys)}, D), got {vectors.shape}"
            )
        index = {k: i for i, k in enumerate(keys)}
        if len(index) != len(keys):
            dup = next(k for i, k in enumerate(keys) if index[k] != i)
            raise TokvecError(f"KeyedVectors: the key {dup!r} appears twice; keys must be unique")
        counts = np.zeros(len(keys), dtype=np.int64) if counts is None else np.array(counts, dtype=np.int64)
        if counts.shape != (len(keys),):
            raise TokvecError(f"KeyedVectors: counts must have one entry per key, got shape {counts.shape}")
        if output_vectors is not None:
            output_vectors = _readonly(_array(output_vectors, copy))
            if output_vectors.shape != vectors.shape:
                raise TokvecError("KeyedVectors: output_vectors must have the shape of vectors")
        self._keys = KeyList(keys)
        self._vectors = _readonly(vectors)
        self._counts = _readonly(counts)
        self._key_to_index = MappingProxyType(index)
        self._output = output_vectors
        self._config = config
        self._unit: np.ndarray | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in KeyedVectors.__slots__ and not hasattr(self, name):
            object.__setattr__(self, name, value)  # first assignment, from __init__
            return
        if name == "_unit" and getattr(self, "_unit", None) is None:
            object.__setattr__(self, name, value)  # the unit vectors, computed once
            return
        raise AttributeError("KeyedVectors are immutable; build new ones instead")

    # --- the table -------------------------------------------------------------------------------
    keys = property(lambda self: self._keys, doc="The keys, most frequent first after training.")
    vectors = property(lambda self: self._vectors, doc="float32[V, D], read-only.")
    counts = property(lambda self: self._counts, doc="int64[V]: training counts (0 when unknown).")
    key_to_index = property(lambda self: self._key_to_index, doc="Read-only mapping key -> row.")
    output_vectors = property(lambda self: self._output, doc="word2vec's output weights, or None.")
    config = property(lambda self: self._config, doc="The training config, or None.")

    @property
    def vector_size(self) -> int:
        """The number of dimensions D."""
        return self._vectors.shape[1]

    @property
    def unit_vectors(self) -> np.ndarray:
        """float32[V, D]: the vectors scaled to length 1 (zero vectors stay zero), read-only."""
        if self._unit is None:
            self._unit = _readonly(unit_rows(self._vectors))
        return self._unit

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._key_to_index

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __getitem__(self, key: str | Sequence[str]) -> np.ndarray:
        """Return the vector of ``key`` (float32[D]), or float32[n, D] for a list of keys."""
        if isinstance(key, str):
            return self._vectors[self.index(key)]
        return self._vectors[[self.index(k) for k in key]]

    def __repr__(self) -> str:
        return f"KeyedVectors({len(self)} keys, {self.vector_size} dimensions)"

    def index(self, key: str) -> int:
        """Return the row of ``key``, or raise :class:`UnknownKeyError` suggesting close keys."""
        try:
            return self._key_to_index[key]
        except KeyError:
            pass
        close = suggestions(str(key), self._keys[:50_000])
        hint = f"; close keys: {', '.join(map(repr, close))}" if close else ""
        raise UnknownKeyError(f"{key!r} is not among the {len(self):,} keys{hint}") from None

    # --- queries ---------------------------------------------------------------------------------
    def similarity(self, a: str, b: str) -> float:
        """Return the cosine similarity of two keys."""
        u = self.unit_vectors
        return float(u[self.index(a)] @ u[self.index(b)])

    def most_similar(
        self,
        positive: str | Iterable[str] = (),
        negative: str | Iterable[str] = (),
        *,
        top_k: int = 10,
        restrict: int | None = None,
    ) -> list[Neighbor]:
        """Return the keys closest to the mean of the ``positive`` unit vectors minus the ``negative`` ones.

        The query keys are never returned (as in gensim). ``restrict``: search the first N keys only.
        """
        pos, neg = _as_list(positive), _as_list(negative)
        if not pos and not neg:
            raise TokvecError("most_similar: give at least one key in positive= or negative=")
        if top_k < 1:
            raise TokvecError(f"most_similar: top_k must be 1 or more, got {top_k}")
        both = sorted(set(pos) & set(neg))
        if both:
            raise TokvecError(f"most_similar: {both[0]!r} is both positive and negative; the two cancel out")
        rows = [self.index(k) for k in pos + neg]
        u = self.unit_vectors
        weights = np.array([1.0] * len(pos) + [-1.0] * len(neg), dtype=np.float32)
        query = (weights[:, None] * u[rows]).mean(axis=0)
        return self.most_similar_to_vector(_unit(query), top_k=top_k, exclude=rows, restrict=restrict)

    def most_similar_to_vector(
        self,
        vector: np.ndarray,
        *,
        top_k: int = 10,
        exclude: Iterable[str | int] | Sequence[Iterable[str | int]] = (),
        restrict: int | None = None,
    ) -> list[Neighbor] | list[list[Neighbor]]:
        """Return the keys with the highest cosine to ``vector`` (float32[D]), or one list per row of float32[Q, D].

        ``exclude``: keys (or rows) never returned; for a batch, either one collection for all
        queries or one per query.
        """
        q = np.asarray(vector, dtype=np.float32)
        single = q.ndim == 1
        q = np.atleast_2d(q)
        if q.shape[1] != self.vector_size:
            raise TokvecError(f"most_similar_to_vector: vectors have {self.vector_size} dimensions, got {q.shape[1]}")
        q = unit_rows(q)
        ex = self._exclusions(exclude, len(q), single)
        idx, scores = _index.top_k(self.unit_vectors, q, top_k, exclude=ex, limit=restrict)
        lists = [
            [Neighbor(self._keys[i], float(s)) for i, s in zip(r, sr, strict=True) if i >= 0]
            for r, sr in zip(idx, scores, strict=True)
        ]
        return lists[0] if single else lists

    def _exclusions(self, exclude: Any, n: int, single: bool) -> list[list[int]]:
        items = list(exclude)
        per_query = (
            not single and len(items) == n and n > 0 and all(not isinstance(e, str | int | np.integer) for e in items)
        )
        if per_query:
            return [[self._row(x) for x in e] for e in items]
        rows = [self._row(x) for x in items]
        return [rows] * n

    def _row(self, x: str | int) -> int:
        return int(x) if isinstance(x, int | np.integer) else self.index(x)

    def analogy(self, a: str, b: str, c: str, *, method: str = "3cosadd", top_k: int = 1) -> list[Neighbor]:
        """Answer "``a`` is to ``b`` as ``c`` is to ?": 3CosAdd (b - a + c) or 3CosMul (Levy and Goldberg)."""
        if method == "3cosadd":
            return self.most_similar(positive=[b, c], negative=[a], top_k=top_k)
        if method != "3cosmul":
            raise TokvecError(f"analogy: unknown method {method!r}; use '3cosadd' or '3cosmul'")
        u = self.unit_vectors
        rows = [self.index(k) for k in (a, b, c)]
        shifted = [(1.0 + u @ u[r]) / 2.0 for r in rows]  # cosines moved to [0, 1]
        scores = shifted[1] * shifted[2] / (shifted[0] + 1e-6)
        scores[rows] = -np.inf
        k = min(top_k, len(self) - len(set(rows)))
        best = np.lexsort((np.arange(len(scores)), -scores))[:k]
        return [Neighbor(self._keys[i], float(scores[i])) for i in best]

    def doesnt_match(self, keys: Iterable[str]) -> str:
        """Return the key farthest from the mean of the others' unit vectors (gensim's rule: from the mean of all)."""
        keys = _as_list(keys)
        if not keys:
            raise TokvecError("doesnt_match: give at least one key")
        u = self.unit_vectors[[self.index(k) for k in keys]]
        mean = _unit(u.mean(axis=0))
        return keys[int(np.argmin(u @ mean))]

    def rank(self, a: str, b: str) -> int:
        """Return the rank of ``b`` among the neighbours of ``a`` (1 = closest; ``a`` itself not counted)."""
        u = self.unit_vectors
        ia, ib = self.index(a), self.index(b)
        scores = u @ u[ia]
        target = scores[ib]
        closer = int(np.count_nonzero(scores > target)) - (1 if scores[ia] > target and ia != ib else 0)
        return closer + 1

    def restrict(self, n: int) -> KeyedVectors:
        """Return new vectors with the first ``n`` keys (the ``n`` most frequent after training)."""
        if n < 0:
            raise TokvecError(f"restrict: n must be >= 0, got {n}")
        out = None if self._output is None else self._output[:n]
        return KeyedVectors(
            self._keys[:n], self._vectors[:n], self._counts[:n], output_vectors=out, config=self._config
        )

    def save(self, path: str, *, format: str | None = None) -> None:
        """Save to ``path`` (word2vec .bin / .txt, GloVe, .npz: see :func:`tokvec.vectors.formats.save`)."""
        codec.write(self, path, format=format)

    @staticmethod
    def load(path: str, *, format: str | None = None) -> KeyedVectors:
        """Load vectors saved in any supported format (see :func:`tokvec.vectors.formats.load`)."""
        f = codec.read(path, format=format)
        return KeyedVectors(f.keys, f.vectors, f.counts, output_vectors=f.output_vectors, config=f.config)


def suggestions(key: str, keys: Sequence[str], *, n: int = 5) -> list[str]:
    """Return up to ``n`` keys close to ``key``: same letters in another case first, then close spellings.

    >>> suggestions("King", ["ing", "king", "kings", "queen"])
    ['king', 'kings', 'ing']
    """
    folded = key.casefold()
    same = [k for k in keys if k.casefold() == folded]
    close = difflib.get_close_matches(folded, keys, n=n, cutoff=0.7) + difflib.get_close_matches(
        key, keys, n=n, cutoff=0.7
    )
    return list(dict.fromkeys(same + close))[:n]


def _as_list(keys: str | Iterable[str]) -> list[str]:
    return [keys] if isinstance(keys, str) else list(keys)


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n if n > 0 else v).astype(np.float32)
