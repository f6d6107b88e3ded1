"""What every tokvec encoder offers: texts in, one float32 vector per text out.

Transformers (``tokvec.load_encoder``), static token tables (``tokvec.distill``) and averaged word
vectors all follow this protocol, so tasks, search, plots and the server take any of them.

>>> import numpy as np
>>> class Ones:
...     name, dim, max_seq_length = "ones", 3, None
...     def embed(self, texts, **options):
...         return np.ones((len(list(texts)), 3), dtype=np.float32)
...     def fingerprint(self):
...         return "ones"
>>> isinstance(Ones(), Encoder)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """An object that turns texts into vectors.

    ``name`` names the model (a preset name or a folder), ``dim`` is the width of the vectors,
    ``max_seq_length`` the most tokens one text may have (``None``: no limit, as for static tables).
    ``embed(texts, *, batch_size=32, normalize=False, progress=None, num_threads=None)`` returns a
    float32 array of shape ``(len(texts), dim)``; ``fingerprint()`` a short hash of the weights, so
    that an index built with one model refuses queries from another.
    """

    name: str
    dim: int
    max_seq_length: int | None

    def embed(self, texts: Iterable[str], **options: Any) -> np.ndarray: ...

    def fingerprint(self) -> str: ...


@dataclass(frozen=True)
class Chunks:
    """Windows of long texts and their vectors (``Encoder.embed_chunks``).

    ``text_index[i]`` is the text that window ``i`` comes from, ``spans[i]`` its character span
    ``[start, end)`` in that text, ``n_tokens[i]`` the tokens it holds (without special tokens), and
    ``vectors[i]`` its vector. Windows of one text are consecutive and in text order.
    """

    text_index: np.ndarray  # int64 (n,)
    spans: np.ndarray  # int64 (n, 2)
    n_tokens: np.ndarray  # int64 (n,)
    vectors: np.ndarray  # float32 (n, dim)

    def __len__(self) -> int:
        return int(self.text_index.shape[0])
