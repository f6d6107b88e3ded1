"""File helpers: atomic writes (mode from the umask, cancellable), output path checks, gzip reading.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> atomic_write(path, b"hi")
>>> oct(os.stat(path).st_mode & 0o777) == oct(0o666 & ~current_umask())
True
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import tempfile
import threading
import zlib
from typing import BinaryIO

from .errors import FormatError, TokvecFileError

_lock = threading.Lock()
_temporary: set[str] = set()  # temporary files (or folders) being written now
_created: list[str] = []  # files (or folders) this process created (not overwrote), while tracking is on
_folders: list[str] = []  # folders created for output: removed on cancel when no file is left in them
_state = {"tracking": False, "cancelled": False}


def current_umask() -> int:
    """Return the process umask (read by setting it and putting it back)."""
    with _lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file.

    The file gets the mode of the file it replaces, or 0666 less the umask for a new one (as ``open``).
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    check_output_path(path)
    try:
        mode = os.stat(path).st_mode & 0o7777
        existed = True
    except OSError:
        mode, existed = 0o666 & ~current_umask(), False
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    except OSError as e:
        raise TokvecFileError(f"cannot write {path}: {e.strerror} (is the folder there and writable?)") from None
    with _lock:
        _temporary.add(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            f.write(data)
        with _lock:
            if _state["cancelled"]:
                raise KeyboardInterrupt
            os.replace(tmp, path)
            _temporary.discard(tmp)
            if _state["tracking"] and not existed:
                _created.append(path)
    except BaseException:
        with _lock:
            _temporary.discard(tmp)
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def check_output_path(path: str | os.PathLike[str], *, option: str | None = None) -> None:
    """Raise a TokvecFileError now if ``path`` cannot be written (missing folder, a folder, read-only).

    Commands call it before long work so that a bad ``-o`` is found at once, naming the user's path.
    """
    path = os.fspath(path)
    what = f"{option} {path}" if option else path
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise TokvecFileError(f"cannot write {what}: it is a folder; give a file name")
    if not os.path.isdir(folder):
        raise TokvecFileError(f"cannot write {what}: the folder {os.path.dirname(path) or folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise TokvecFileError(f"cannot write {what}: the folder is not writable")


def track_writes() -> None:
    """Remember the files created from now on, so that :func:`cancel_writes` can remove them."""
    with _lock:
        _state["tracking"] = True
        _created.clear()
        _folders.clear()


def register_temporary(path: str | os.PathLike[str]) -> None:
    """Have :func:`cancel_writes` remove ``path`` (a temporary file or folder) until :func:`release_temporary`.

    Raises KeyboardInterrupt (after removing ``path``) when the command was cancelled already.
    """
    path = os.fspath(path)
    with _lock:
        if _state["cancelled"]:
            _remove(path)
            raise KeyboardInterrupt
        _temporary.add(path)


def release_temporary(path: str | os.PathLike[str], *, created: str | os.PathLike[str] | None = None) -> None:
    """Forget the temporary ``path`` (renamed into place, or removed); ``created`` names what it became, if new."""
    with _lock:
        _temporary.discard(os.fspath(path))
        if created is not None and _state["tracking"]:
            _created.append(os.fspath(created))


def keep_on_cancel(path: str | os.PathLike[str]) -> None:
    """Have :func:`cancel_writes` leave the finished file ``path`` in place (a resumable job's progress marker)."""
    with _lock, contextlib.suppress(ValueError):
        _created.remove(os.fspath(path))


def track_folder(path: str | os.PathLike[str]) -> None:
    """Have :func:`cancel_writes` remove the new output folder ``path`` if no file is left in it (nor below)."""
    with _lock:
        if _state["tracking"]:
            _folders.append(os.fspath(path))


def cancel_writes() -> None:
    """Stop every write in progress and remove its temporary file and the files created since tracking began.

    Called on Ctrl-C while a command runs on another thread: nothing half-written stays behind.
    """
    with _lock:
        _state["cancelled"] = True
        for path in [*_temporary, *_created]:
            _remove(path)
        for folder in reversed(_folders):
            for root, _dirs, _files in os.walk(folder, topdown=False):  # the deepest first
                with contextlib.suppress(OSError):
                    os.rmdir(root)  # only empty folders go: what a resumable job finished stays
        _temporary.clear()
        _created.clear()
        _folders.clear()


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the whole file; a file that cannot be read is a TokvecFileError naming it and the reason."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None


def read_utf8(path: str | os.PathLike[str]) -> str:
    """Read a whole UTF-8 text file (a BOM is skipped); an unreadable file or a byte that is not UTF-8 is a
    TokvecError naming the file and the line.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = p.write_bytes(b"ok\\n\\xff\\n")
    >>> read_utf8(p)
    Traceback (most recent call last):
    ...
    tokvec.errors.FormatError: ...t.txt, line 2: not UTF-8 text (bad byte at offset 3); save the file as UTF-8
    """
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FormatError(
            f"{path}, line {line}: not UTF-8 text (bad byte at offset {e.start}); save the file as UTF-8"
        ) from None


def open_binary(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a plain or ``.gz`` file for reading bytes, with an error that names the file."""
    path = os.fspath(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - returned to the caller
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    if f.read(2) == b"\x1f\x8b":
        f.seek(0)
        return _NamedGzip(path, fileobj=f)  # type: ignore[return-value]
    f.seek(0)
    return f


class _NamedGzip(gzip.GzipFile):
    """A gzip reader whose corrupted-data errors are TokvecFileErrors naming the file."""

    def __init__(self, path: str, *, fileobj: BinaryIO) -> None:
        super().__init__(fileobj=fileobj, mode="rb")
        self._path = path
        self._raw = fileobj  # GzipFile leaves a given file open: closed with this one

    def _named(self, call, *args):
        try:
            return call(*args)
        except (OSError, EOFError, zlib.error) as e:
            raise TokvecFileError(f"cannot read {self._path}: corrupted gzip data ({e})") from None

    def read(self, size=-1):
        return self._named(super().read, size)

    def read1(self, size=-1):
        return self._named(super().read1, size)

    def readinto(self, b):
        return self._named(super().readinto, b)

    def readline(self, size=-1):
        return self._named(super().readline, size)

    def close(self) -> None:
        super().close()
        self._raw.close()
