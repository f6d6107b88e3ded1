"""tiktoken rank files: one ``base64(token) rank`` per line, and the settings file tokvec writes beside them.

A rank file holds neither the split pattern nor the special tokens (tiktoken keeps both in code), so a
trained one is written with a small JSON file beside it, ``<rank file>.json``
(:func:`save_settings`), which ``tokvec.load`` reads and tiktoken never sees: the rank file itself
stays what ``tiktoken.load.load_tiktoken_bpe`` reads.

>>> import io
>>> read_ranks(io.BytesIO(b"YQ== 0\\nYg== 1\\n"), "mini.tiktoken")
{b'a': 0, b'b': 1}
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from typing import BinaryIO

from ..._io import atomic_write
from ...errors import FormatError


def read_ranks(f: BinaryIO, name: str) -> dict[bytes, int]:
    """Parse a rank file; errors name the file and the line."""
    ranks: dict[bytes, int] = {}
    for lineno, line in enumerate(f, 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise FormatError(
                f"{name} line {lineno}: expected 'base64-token rank', got {line[:60]!r}. Is this a tiktoken rank file?"
            )
        try:
            token = base64.b64decode(parts[0], validate=True)
            rank = int(parts[1])
        except (binascii.Error, ValueError):
            raise FormatError(
                f"{name} line {lineno}: {line[:60]!r} is not 'base64-token rank'. Is this a tiktoken rank file?"
            ) from None
        if token in ranks:
            raise FormatError(f"{name} line {lineno}: token {token!r} appears twice (ranks {ranks[token]} and {rank})")
        ranks[token] = rank
    if not ranks:
        raise FormatError(f"{name}: the file holds no ranks")
    return ranks


def load_ranks(path: str | os.PathLike[str]) -> dict[bytes, int]:
    """Read the rank file at ``path``."""
    with open(path, "rb") as f:
        return read_ranks(f, os.fspath(path))


def save_ranks(ranks: Mapping[bytes, int], path: str | os.PathLike[str]) -> None:
    """Write ``ranks`` as a tiktoken rank file, sorted by rank (atomic)."""
    lines = [base64.b64encode(t) + b" " + str(r).encode() + b"\n" for t, r in sorted(ranks.items(), key=lambda x: x[1])]
    atomic_write(path, b"".join(lines))


#: what the settings file says it is (it is checked when read)
SETTINGS_KIND = "tokvec tiktoken settings"


def settings_path(path: str | os.PathLike[str]) -> str:
    """Return the settings file of the rank file ``path``: ``<path>.json``."""
    return os.fspath(path) + ".json"


def save_settings(path: str | os.PathLike[str], pattern: str, special_tokens: Mapping[str, int]) -> str:
    """Write the split pattern (a name such as ``cl100k``, or a regex) and special tokens of rank file ``path``.

    Returns the settings file's path (``<path>.json``; atomic write).
    """
    target = settings_path(path)
    obj = {"kind": SETTINGS_KIND, "rank_file": os.path.basename(os.fspath(path)), "pattern": pattern,
           "special_tokens": dict(special_tokens)}  # fmt: skip
    atomic_write(target, json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    return target


def read_settings(path: str | os.PathLike[str]) -> tuple[str, dict[str, int]] | None:
    """Return (pattern, special tokens) from the settings file beside rank file ``path``, or None if there is none."""
    target = settings_path(path)
    if not os.path.exists(target):
        return None
    try:
        with open(target, encoding="utf-8") as f:
            obj = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise FormatError(f"{target}: not the JSON settings of {os.fspath(path)} ({e}); delete or fix it") from None
    specials = obj.get("special_tokens", {}) if isinstance(obj, dict) else None
    if (
        not isinstance(obj, dict)
        or obj.get("kind") != SETTINGS_KIND
        or not isinstance(obj.get("pattern"), str)
        or not isinstance(specials, dict)
        or not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in specials.items())
    ):
        raise FormatError(
            f"{target}: expected {{'kind': {SETTINGS_KIND!r}, 'pattern': name or regex, 'special_tokens':"
            f" {{token: id}}}} beside the rank file {os.fspath(path)}; delete it or pass pattern= yourself"
        )
    return obj["pattern"], specials
