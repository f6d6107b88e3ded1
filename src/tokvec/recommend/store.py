"""Save and load a trained recommender as one ``.npz`` file: arrays and text, never pickle.

The file holds the vectors, the catalogue (keys, titles, artists as Unicode arrays), popularity, the
transition and co-occurrence counts (CSR) and the config as JSON; it loads with
``numpy.load(path, allow_pickle=False)``. Saves are atomic (a temporary file, then a rename).

>>> import os, tempfile
>>> from tokvec.recommend import sample_playlists, train_recommender, preset
>>> rec = train_recommender(sample_playlists(), preset("book").replace(epochs=1))
>>> path = os.path.join(tempfile.mkdtemp(), "songs.npz")
>>> save_recommender(rec, path)
>>> load_recommender(path).similar_items("Metallica - One", top_k=3) == rec.similar_items("Metallica - One", top_k=3)
True
"""

from __future__ import annotations

import io
import json
import os

import numpy as np

from .._checks import check_array, check_csr, npz_arrays
from .._io import atomic_write
from ..errors import FormatError
from .config import RecommenderConfig, RecommenderConfigError
from .counts import SparseCounts
from .item2vec import Recommender
from .playlists import Catalogue

FORMAT = "tokvec-recommender"
VERSION = 1


def save_recommender(recommender: Recommender, path: str | os.PathLike[str]) -> None:
    """Write ``recommender`` to ``path`` (a ``.npz`` file)."""
    c = recommender.catalogue
    header = {"format": FORMAT, "version": VERSION, "config": recommender.config.as_dict()}
    arrays = {
        "header": np.array(json.dumps(header)),
        "keys": np.array(c.keys, dtype=str),
        "titles": np.array(c.titles, dtype=str),
        "artists": np.array(c.artists, dtype=str),
        "vectors": recommender.vectors,
        "known": recommender.known,
        "popularity": recommender.popularity,
    }
    for name, counts in (("transitions", recommender.transitions), ("cooccurrences", recommender.cooccurrences)):
        arrays.update({f"{name}_indptr": counts.indptr, f"{name}_indices": counts.indices, f"{name}_data": counts.data})
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    atomic_write(path, buffer.getvalue())


def load_recommender(path: str | os.PathLike[str]) -> Recommender:
    """Read a recommender written by :func:`save_recommender`; every array is checked before use."""
    path = os.fspath(path)
    archive = npz_arrays(path, "a recommender")
    try:
        header = json.loads(str(archive["header"]))
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise FormatError(f"{path}: not a tokvec recommender (format {_get(header, 'format')!r})")
        if header.get("version") != VERSION:
            raise FormatError(f"{path}: recommender file version {header.get('version')}; this tokvec reads {VERSION}")
        if not isinstance(header.get("config"), dict):
            raise FormatError(f"{path}: the header has no config object")
        config = RecommenderConfig(**header["config"])
        names = [check_array(path, n, archive[n], kind="U", ndim=1) for n in ("keys", "titles", "artists")]
        size = len(names[0])
        for n, a in zip(("titles", "artists"), names[1:], strict=True):
            check_array(path, n, a, kind="U", ndim=1, shape=(size,))
        catalogue = Catalogue(*(tuple(a.tolist()) for a in names))
        vectors = check_array(path, "vectors", archive["vectors"], kind="f", ndim=2, shape=(size, None))
        known = check_array(path, "known", archive["known"], kind="b", ndim=1, shape=(size,))
        popularity = check_array(path, "popularity", archive["popularity"], kind="iu", ndim=1, shape=(size,))
        if len(popularity) and popularity.min() < 0:
            raise FormatError(f"{path}: popularity holds negative counts (corrupted or edited file?)")
        counts = []
        for n in ("transitions", "cooccurrences"):
            parts = (archive[f"{n}_indptr"], archive[f"{n}_indices"], archive[f"{n}_data"])
            counts.append(SparseCounts(*check_csr(path, n, *parts, size, n_rows=size)))
        return Recommender(
            catalogue,
            vectors.astype(np.float32),
            known,
            popularity.astype(np.int64),
            *counts,
            config=config,
        )
    except FormatError as e:
        msg = str(e)
        raise FormatError(msg if msg.startswith(path) else f"{path}: {msg}") from None
    except (KeyError, TypeError, ValueError, RecommenderConfigError) as e:
        raise FormatError(f"{path}: a recommender file needs {e}; was it written by save_recommender?") from None


def _get(obj: object, key: str) -> object:
    return obj.get(key) if isinstance(obj, dict) else None
