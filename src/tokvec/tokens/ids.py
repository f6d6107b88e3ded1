"""Token ids given by a caller, checked before they index a table: whole numbers in int64's range.

>>> id_array([1, 2, 3], "gpt2").tolist()
[1, 2, 3]
>>> id_array([1.5], "gpt2")
Traceback (most recent call last):
...
tokvec.errors.InvalidIdError: token ids must be whole numbers; got 1.5 (float) for gpt2
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidIdError, UnknownTokenError

_LOW, _HIGH = -(1 << 63), 1 << 63


def id_array(ids: Any, name: str) -> np.ndarray:
    """Return ``ids`` (a sequence or an integer array) as flat int64; refuse floats, strings, bools, huge ids."""
    if isinstance(ids, np.ndarray):
        if ids.size and ids.dtype.kind not in "iu":
            raise InvalidIdError(f"token ids must be whole numbers; got an array of {ids.dtype} for {name}")
        if ids.dtype.kind == "u" and ids.size and int(ids.max()) >= _HIGH:
            raise UnknownTokenError(f"token id {int(ids.max())} is not in {name}")
        return ids.astype(np.int64, copy=False).ravel()
    if isinstance(ids, str | bytes):
        raise InvalidIdError(f"token ids must be a sequence of whole numbers, got a {type(ids).__name__} for {name}")
    values = list(ids) if hasattr(ids, "__iter__") else [ids]
    if not any(isinstance(v, bool | np.bool_) for v in values):
        try:
            fast = np.array(values)
        except (OverflowError, ValueError, TypeError):
            fast = None
        if fast is not None and fast.dtype.kind == "i" and fast.ndim == 1:
            return fast.astype(np.int64, copy=False)
        if fast is not None and fast.size == 0:
            return np.zeros(0, dtype=np.int64)
    for v in values:
        if isinstance(v, bool | np.bool_) or not isinstance(v, int | np.integer):
            raise InvalidIdError(f"token ids must be whole numbers; got {v!r} ({type(v).__name__}) for {name}")
        if not _LOW <= v < _HIGH:
            raise UnknownTokenError(f"token id {v} is not in {name}")
    return np.array(values, dtype=np.int64).ravel()
