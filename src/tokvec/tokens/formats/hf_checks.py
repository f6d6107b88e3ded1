"""Checks on a parsed ``tokenizer.json`` before anything is built from it: ids, sizes, flaws worth a warning.

Ids index tables that are allocated up to the largest id, so an id must stay near the number of
entries the file holds (``SLACK`` more allows sparse files); a padding length allocates per text.
Harmless flaws (an ``unk_token`` missing from the vocabulary, two tokens sharing an id, WordPiece
data tagged BPE) load with a :class:`~tokvec.errors.TokvecWarning`.

>>> check_tokenizer_json({"model": {"type": "WordLevel", "vocab": {"a": 0, "b": 10**12}}})
Traceback (most recent call last):
...
tokvec.errors.FormatError: model.vocab: the id of 'b' is 1000000000000, outside 0..1048577 (corrupted file?)
"""

from __future__ import annotations

import warnings
from typing import Any

from ...errors import FormatError, TokvecWarning

SLACK = 1 << 20  # ids may leave gaps, but not more than this many
MAX_PAD = 1 << 21  # tokens a padded encoding may have (a few arrays of int64 per token and text)


def check_tokenizer_json(obj: dict[str, Any], *, source: str = "tokenizer.json") -> None:
    """Raise FormatError for ids or sizes the file cannot justify; warn about flaws that still load."""
    model = obj.get("model")
    if not isinstance(model, dict):
        raise FormatError("'model' must be an object")
    vocab = model.get("vocab")
    added = obj.get("added_tokens") or []
    if not isinstance(added, list):
        raise FormatError("added_tokens must be a list")
    entries = (len(vocab) if isinstance(vocab, dict | list) else 0) + len(added)
    limit = entries + SLACK
    if isinstance(vocab, dict):
        _check_vocab(vocab, limit, model, source)
    for n, t in enumerate(added):
        if not isinstance(t, dict):
            raise FormatError(f"added_tokens[{n}] must be an object, got {t!r:.60}")
        _check_id(f"added_tokens[{n}] ({t.get('content')!r:.40})", t.get("id"), limit)
    padding = obj.get("padding")
    if isinstance(padding, dict):
        strategy = padding.get("strategy")
        if isinstance(strategy, dict) and "Fixed" in strategy:
            _check_size("padding Fixed", strategy["Fixed"])
        if padding.get("pad_to_multiple_of") is not None:
            _check_size("padding pad_to_multiple_of", padding["pad_to_multiple_of"])
        if padding.get("pad_id") is not None:
            _check_id("padding pad_id", padding["pad_id"], limit)


def _check_vocab(vocab: dict[str, Any], limit: int, model: dict[str, Any], source: str) -> None:
    seen: dict[int, str] = {}
    shared = []
    for token, i in vocab.items():
        _check_id(f"the id of {token!r:.40}", i, limit, where="model.vocab: ")
        if i in seen:
            shared.append((seen[i], token, i))
        seen[i] = token
    if shared:
        a, b, i = shared[0]
        _warn(f"{source}: {len(shared)} tokens share an id with another ({a!r} and {b!r} are both {i});"
              " decoding spells each such id one way")  # fmt: skip
    unk = model.get("unk_token")
    if isinstance(unk, str) and unk not in vocab:
        _warn(f"{source}: the unk_token {unk!r} is not in the vocabulary; unknown text cannot become an id")
    if model.get("type") == "BPE" and not model.get("merges") and "max_input_chars_per_word" in model:
        _warn(f"{source}: the model is tagged BPE but has no merges and WordPiece fields; is it a WordPiece model?")


def _check_id(what: str, value: Any, limit: int, *, where: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"{where}{what} must be a whole number, got {value!r:.40}")
    if not 0 <= value < limit:
        raise FormatError(f"{where}{what} is {value}, outside 0..{limit - 1} (corrupted file?)")


def _check_size(what: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PAD:
        raise FormatError(f"{what} is {value!r:.40}; it must be a whole number from 0 to {MAX_PAD:,}")


def _warn(message: str) -> None:
    warnings.warn(message, TokvecWarning, stacklevel=4)
