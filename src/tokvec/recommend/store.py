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
import zipfile

import numpy as np

from .._io import atomic_write
from ..errors import FormatError, TokvecFileError
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
    """Read a recommender written by :func:`save_recommender`."""
    path = os.fspath(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror or e}") from None
    except (ValueError, zipfile.BadZipFile):
        raise FormatError(f"{path}: not a .npz file; is it a recommender saved by tokvec?") from None
    with archive:
        try:
            header = json.loads(str(archive["header"]))
            if header.get("format") != FORMAT:
                raise FormatError(f"{path}: not a tokvec recommender (format {header.get('format')!r})")
            if header.get("version") != VERSION:
                raise FormatError(
                    f"{path}: recommender file version {header.get('version')}; this tokvec reads {VERSION}"
                )
            config = RecommenderConfig(**header["config"])
            catalogue = Catalogue(
                tuple(archive["keys"].tolist()), tuple(archive["titles"].tolist()), tuple(archive["artists"].tolist())
            )
            counts = [
                SparseCounts(archive[f"{n}_indptr"], archive[f"{n}_indices"], archive[f"{n}_data"])
                for n in ("transitions", "cooccurrences")
            ]
            return Recommender(
                catalogue, archive["vectors"], archive["known"], archive["popularity"], *counts, config=config
            )
        except (KeyError, TypeError, json.JSONDecodeError, RecommenderConfigError) as e:
            raise FormatError(f"{path}: a recommender file needs {e}; was it written by save_recommender?") from None
