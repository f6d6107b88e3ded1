"""Token ids in, checked: what ``decode`` accepts, and the decoding tables of a byte-level tokenizer.

Ids come from users as lists, numpy arrays or :class:`Encoding` objects. A wrong type is a
:class:`InputTypeError` (a ``TypeError``); an id that is negative or does not fit in 32 bits is a
:class:`TokenIdOverflowError` (an ``OverflowError``, as tiktoken raises, and also a ``KeyError``);
an id inside that range that names no token is an :class:`UnknownTokenError` (a ``KeyError``).

>>> as_id_array([1, 2, 3]).tolist()
[1, 2, 3]
>>> as_id_array([1.5])
Traceback (most recent call last):
...
tokvec.errors.InputTypeError: token ids must be integers, got float64 (1.5)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import FormatError, InputTypeError, TokenIdOverflowError

ID_LIMIT = 2**32  # tiktoken's ids are u32: anything outside [0, 2**32) is an OverflowError there


def as_id_array(ids: Any) -> np.ndarray:
    """Return ``ids`` (a sequence of ints, an integer array, or an Encoding) as a flat int64 array."""
    raw = getattr(ids, "ids", ids)
    if isinstance(raw, np.ndarray):
        arr = raw
    else:
        if isinstance(raw, (str, bytes)) or not hasattr(raw, "__len__"):
            raise InputTypeError(f"token ids must be a sequence of integers, got {type(raw).__name__}")
        try:
            arr = np.asarray(raw)
        except (OverflowError, ValueError, TypeError):
            arr = np.asarray(raw, dtype=object)
    if arr.dtype == object:
        for i in arr.ravel().tolist():
            check_id(i)  # raises: numpy keeps Python ints as int64, so these are huge ints or non-ints
        raise InputTypeError(f"token ids must be integers, got {arr.dtype}")  # pragma: no cover
    if arr.size and arr.dtype.kind not in "iub":
        first = arr.ravel()[0].item()
        raise InputTypeError(f"token ids must be integers, got {arr.dtype} ({first!r})")
    if arr.dtype.kind == "u" and arr.size and int(arr.max()) >= ID_LIMIT:
        raise TokenIdOverflowError(f"token id {int(arr.max())} does not fit in 32 bits")
    return arr.astype(np.int64, copy=False).ravel()


def check_id(i: Any) -> int:
    """Return ``i`` as an int if it is an integer in [0, 2**32), else raise the matching error."""
    if not isinstance(i, (int, np.integer)):
        raise InputTypeError(f"token ids must be integers, got {type(i).__name__} ({i!r})")
    i = int(i)
    if not 0 <= i < ID_LIMIT:
        raise TokenIdOverflowError(f"token id {i} is {'negative' if i < 0 else 'too large (ids fit in 32 bits)'}")
    return i


def first_bad_id(arr: np.ndarray, present: np.ndarray, name: str) -> Exception | None:
    """Return the error for the first id of ``arr`` that is not a token (``present`` marks tokens), or None."""
    if not len(arr):
        return None
    lo, hi = int(arr.min()), int(arr.max())
    if lo >= 0 and hi < len(present) and present[arr].all():
        return None
    from ..errors import UnknownTokenError

    bad = next(int(i) for i in arr.tolist() if not 0 <= i < len(present) or not present[i])
    if not 0 <= bad < ID_LIMIT:
        return TokenIdOverflowError(f"token id {bad} is not in {name}: ids are 32-bit, 0 to {len(present) - 1}")
    return UnknownTokenError(f"token id {bad} is not in {name} (ids run from 0 to {len(present) - 1})")


def byte_level_tables(
    model: Any, specials: Mapping[str, int], name: str
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], dict[int, str]]:
    """Return the decoding tables (tok_bytes, tok_off, present) of ``model`` plus ``specials``, and {id: special}.

    Several special tokens may share an id, and a special token may share an ordinary token's id,
    as tiktoken allows (o200k_harmony gives ``<|endofprompt|>`` and ``<|reserved_200018|>`` one
    id): every string encodes to its id; an id decodes as its ordinary token if it has one, else
    as the first special token given for it. The returned map holds those decoding specials.
    """
    first: dict[int, str] = {}
    for tok, i in specials.items():
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= int(i) < 2**31:
            raise FormatError(f"{name}: special token {tok!r} has id {i!r}; ids are integers from 0 to 2**31 - 1")
        first.setdefault(int(i), tok)
    vocab = model.vocab_size
    present = model.present
    extra = {i: t for i, t in first.items() if not (i < vocab and present[i])}
    if not extra:
        return (model.tok_bytes, model.tok_off, present), extra
    size = max(vocab, max(extra) + 1)
    lengths = np.zeros(size, dtype=np.int64)
    lengths[:vocab] = np.diff(model.tok_off)
    encoded = {i: t.encode("utf-8", "surrogatepass") for i, t in extra.items()}
    for i, b in encoded.items():
        lengths[i] = len(b)
    tok_off = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(lengths, out=tok_off[1:])
    tok_bytes = np.empty(int(tok_off[-1]), dtype=np.uint8)
    # the ordinary tokens keep their order, so copy them in runs between the special ids
    cuts = sorted(i for i in encoded if i < vocab)
    start = 0
    for i in [*cuts, vocab]:
        tok_bytes[tok_off[start] : tok_off[i]] = model.tok_bytes[model.tok_off[start] : model.tok_off[i]]
        start = i + 1 if i < vocab else i
    for i, b in encoded.items():
        tok_bytes[tok_off[i] : tok_off[i + 1]] = np.frombuffer(b, dtype=np.uint8)
    full = np.zeros(size, dtype=np.bool_)
    full[:vocab] = present
    full[list(extra)] = True
    return (tok_bytes, tok_off, full), extra
