"""tiktoken rank files: one ``base64(token) rank`` per line.

>>> import io
>>> read_ranks(io.BytesIO(b"YQ== 0\\nYg== 1\\n"), "mini.tiktoken")
{b'a': 0, b'b': 1}
"""

from __future__ import annotations

import base64
import binascii
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
