"""What every task shares: the result record, where the shared data lives, and embedding each text once.

>>> r = TaskResult("toy", "sts", "cosine_spearman", 81.5, {"cosine_spearman": 81.5}, 0.1)
>>> r.as_dict()["main_score"]
81.5
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..embed.protocol import Encoder
from ..errors import FormatError

#: the environment variable naming the shared data folder (the one holding ``embeddings-eval/``)
DATA_ENV = "TOKVEC_TEST_DATA"


@dataclass(frozen=True)
class TaskResult:
    """The scores of one task: ``main_score`` (x100, as MTEB reports), every score, and the seconds taken."""

    task: str
    family: str
    main_metric: str
    main_score: float
    scores: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready values."""
        return {
            "task": self.task,
            "family": self.family,
            "main_metric": self.main_metric,
            "main_score": round(float(self.main_score), 4),
            "scores": _plain(self.scores),
            "seconds": round(float(self.seconds), 3),
        }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float):
        return round(value, 6)
    return value


def data_root() -> pathlib.Path:
    """Return the shared data folder: ``$TOKVEC_TEST_DATA``, else ``../shared/data`` from the working folder."""
    return pathlib.Path(os.environ.get(DATA_ENV, "../shared/data"))


def embed_texts(encoder: Encoder, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
    """Embed ``texts`` with ``encoder``, each distinct text once; return float32 rows in the order given.

    >>> class Length:
    ...     name, dim, max_seq_length = "len", 1, None
    ...     calls = []
    ...     def embed(self, texts, **options):
    ...         self.calls.append(list(texts)); return np.array([[len(t)] for t in texts], np.float32)
    ...     def fingerprint(self): return "len"
    >>> enc = Length()
    >>> embed_texts(enc, ["ab", "c", "ab"]).ravel().tolist(), enc.calls
    ([2.0, 1.0, 2.0], [['ab', 'c']])
    """
    if not isinstance(encoder, Encoder):
        raise TypeError(
            f"{type(encoder).__name__} is not an encoder: it needs name, dim, max_seq_length, embed(texts) and "
            "fingerprint() (see tokvec.embed.Encoder)"
        )
    if len(texts) == 0:
        return np.zeros((0, int(encoder.dim)), dtype=np.float32)
    position: dict[str, int] = {}
    unique: list[str] = []
    rows = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        j = position.get(text)
        if j is None:
            j = position[text] = len(unique)
            unique.append(text)
        rows[i] = j
    vectors = np.asarray(encoder.embed(unique, batch_size=batch_size), dtype=np.float32)
    if vectors.shape != (len(unique), int(encoder.dim)):
        raise FormatError(
            f"encoder {encoder.name!r} returned an array of shape {vectors.shape} for {len(unique)} texts; "
            f"expected ({len(unique)}, {encoder.dim})"
        )
    return vectors[rows]


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix`` with rows scaled to unit length (zero rows stay zero), as float32.

    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def require_sklearn() -> None:
    """Raise ImportError naming the ``tasks`` extra when scikit-learn is missing."""
    try:
        import sklearn  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("tokvec.tasks needs scikit-learn: pip install 'tokvec[tasks]'") from e
