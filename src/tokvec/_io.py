"""File helpers: atomic writes and transparent gzip reading."""

from __future__ import annotations

import gzip
import os
import tempfile
from typing import BinaryIO

from .errors import TokvecFileError


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    except OSError as e:
        raise TokvecFileError(f"cannot write {path}: {e.strerror} (is the folder there and writable?)") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def open_binary(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a plain or ``.gz`` file for reading bytes, with an error that names the file."""
    path = os.fspath(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - returned to the caller
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    if f.read(2) == b"\x1f\x8b":
        f.seek(0)
        return gzip.open(f, "rb")  # type: ignore[return-value]
    f.seek(0)
    return f
