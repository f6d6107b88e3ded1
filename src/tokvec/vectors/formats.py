"""Read and write word vectors: word2vec text and binary, GloVe text, and numpy ``.npz``. Never pickle.

word2vec files start with a ``count dimensions`` line; text rows are ``key v1 v2 ...``, binary rows
are ``key`` + space + D little-endian float32 + newline (as the C tool writes; gensim reads both
with and without the newline). Text values are written with 9 significant digits, which round-trip
float32 exactly. GloVe is the text format without the header line. ``.npz`` holds ``keys`` (a
unicode array), ``vectors``, ``counts``, optionally ``output_vectors`` and the training config as
JSON, and loads with ``allow_pickle=False``. Saves are atomic.

>>> import numpy as np, tempfile, os
>>> from tokvec.vectors.keyed import KeyedVectors
>>> kv = KeyedVectors(["a", "b"], np.array([[0.5, -1], [2, 0.25]], dtype=np.float32), [3, 1])
>>> path = os.path.join(tempfile.mkdtemp(), "v.bin")
>>> save(kv, path)
>>> back = load(path)
>>> back.keys, (back.vectors == kv.vectors).all()
(['a', 'b'], np.True_)
"""

from __future__ import annotations

import os

from .codec import FORMATS as FORMATS
from .codec import guess_format as guess_format
from .codec import sniff_format as sniff_format
from .codec import write
from .keyed import KeyedVectors


def save(kv: KeyedVectors, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Save ``kv`` to ``path`` atomically in ``format`` (default: from the file name)."""
    write(kv, path, format=format)


def load(path: str | os.PathLike[str], *, format: str | None = None) -> KeyedVectors:
    """Load vectors from ``path`` in ``format`` (default: from the file name; .gz is fine for text).

    GloVe text needs ``format="glove"`` (:func:`sniff_format` tells it apart). Lines that are not UTF-8
    (cp1252 bytes in some GloVe files) are read as cp1252 with a :class:`~tokvec.errors.FormatWarning`
    that names them.
    """
    return KeyedVectors.load(path, format=format)
