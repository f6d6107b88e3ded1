"""Checks on what a file hands over before a kernel sees it: dtypes, shapes, ranges, offsets, sizes.

A file shared by someone else must never make a kernel read or write outside a buffer, nor make
tokvec allocate more than the file can justify. Every loader passes its arrays through these
functions; each raises :class:`~tokvec.errors.FormatError` naming the file and the array.

>>> import numpy as np
>>> check_csr("songs.npz", "transitions", np.array([0, 1, 2]), np.array([1, 5]), np.ones(2), 2)
Traceback (most recent call last):
...
tokvec.errors.FormatError: songs.npz: transitions_indices holds 5, outside 0..1 (corrupted or edited file?)
"""

from __future__ import annotations

import contextlib
import os
import tokenize
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from .errors import FormatError, TokvecError, TokvecFileError


def npz_arrays(path: str, what: str) -> dict[str, np.ndarray]:
    """Read every array of a ``.npz`` file without pickle; errors name ``path`` and say it is not ``what``."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
        if magic[:2] != b"PK":
            raise FormatError(f"{path}: not a .npz file (it does not start as a zip archive); is it {what}?")
        check_npz_sizes(path)
        with np.load(path, allow_pickle=False) as z:
            return {name: z[name] for name in z.files}
    except FormatError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            raise FormatError(f"{path}: an array holds Python objects (pickle), which tokvec never loads") from None
        raise FormatError(f"{path}: not a readable .npz file of {what} ({e})") from None
    except FileNotFoundError:
        raise TokvecFileError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise TokvecFileError(f"cannot read {path}: it is a folder, not a file") from None
    except PermissionError:
        raise TokvecFileError(f"cannot read {path}: permission denied") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, TypeError, NotImplementedError, SyntaxError, RuntimeError,
            tokenize.TokenError, zlib.error) as e:  # fmt: skip
        raise FormatError(f"{path}: not a readable .npz file of {what} ({type(e).__name__}: {e})") from None
    except MemoryError:
        raise FormatError(f"{path}: an array of the .npz is too large to load (corrupted file?)") from None


def npy_array(path: str, what: str) -> np.ndarray:
    """Read a ``.npy`` file without pickle, its header checked against the file's size before anything is read.

    A header whose shape and dtype claim more (or fewer) bytes than the file holds is refused with a
    :class:`~tokvec.errors.FormatError` naming ``path``, as are pickled arrays and files that are not ``.npy``.
    """
    fmt = np.lib.format
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            version = fmt.read_magic(f)
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape, _, dtype = read(f, max_header_size=2**16)
            if dtype.hasobject:
                raise FormatError(f"{path}: the array holds Python objects (pickle), which tokvec never loads")
            count = 1
            for n in shape:
                count *= int(n)
            header = f.tell()
            if count * dtype.itemsize != size - header:
                raise FormatError(
                    f"{path}: the header says shape {tuple(shape)} of {dtype} ({count * dtype.itemsize:,} bytes)"
                    f" but the file holds {size - header:,} bytes after it (corrupted or cut short?)"
                )
            f.seek(0)
            return np.load(f, allow_pickle=False)
    except FormatError:
        raise
    except FileNotFoundError:
        raise TokvecFileError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise TokvecFileError(f"cannot read {path}: it is a folder, not a file") from None
    except PermissionError:
        raise TokvecFileError(f"cannot read {path}: permission denied") from None
    except (OSError, EOFError, ValueError, KeyError, TypeError, SyntaxError, tokenize.TokenError) as e:
        raise FormatError(f"{path}: not a readable .npy file of {what} ({type(e).__name__}: {e})") from None
    except MemoryError:
        raise FormatError(f"{path}: the array is too large to load (corrupted file?)") from None


# an archive member may expand this many times its compressed size once it is past _BOMB_FLOOR bytes
_BOMB_RATIO = 1000
_BOMB_FLOOR = 64 * 2**20


def check_npz_sizes(path: str, *, limit: int | None = None) -> None:
    """Refuse a ``.npz`` whose arrays would need more memory than the file can justify, before anything is read.

    Each member's ``.npy`` header must agree with the member's size in the zip directory; a member that
    expands more than 1000 times past 64 MiB (a zip bomb) and a total above ``limit`` (default: this
    machine's memory) are refused with a :class:`~tokvec.errors.FormatError` naming the member.
    """
    limit = _physical_memory() if limit is None else limit
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            size, packed = info.file_size, max(info.compress_size, 1)
            if size > _BOMB_FLOOR and size > _BOMB_RATIO * packed:
                raise FormatError(
                    f"{path}: member {info.filename} expands from {packed:,} to {size:,} bytes (a zip bomb?);"
                    " tokvec refuses it: ask for the file again or save it with tokvec"
                )
            if info.filename.endswith(".npy"):
                with archive.open(info) as member:
                    version = np.lib.format.read_magic(member)
                    fmt = np.lib.format
                    read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
                    shape, _, dtype = read(member, max_header_size=2**16)
                    header = member.tell() if hasattr(member, "tell") else None
                count = 1
                for n in shape:
                    count *= int(n)
                nbytes = count * dtype.itemsize
                if dtype.hasobject:
                    continue  # np.load refuses pickled arrays with its own message
                if header is not None and nbytes != size - header:
                    raise FormatError(
                        f"{path}: member {info.filename} says shape {tuple(shape)} of {dtype} ({nbytes:,} bytes)"
                        f" but holds {size - header:,} bytes (corrupted or edited file?)"
                    )
            total += size
            if total > limit:
                raise FormatError(
                    f"{path}: the arrays need {total:,} bytes or more, above the {limit:,} bytes of memory here"
                    " (corrupted file, or too large for this machine)"
                )


def _physical_memory() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 2**40


def check_array(
    source: str, name: str, array: Any, *, kind: str, ndim: int, shape: tuple[int | None, ...] | None = None
) -> np.ndarray:
    """Return ``array`` if it is a numpy array of ``ndim`` dimensions whose dtype kind is in ``kind``.

    ``kind`` is numpy's dtype kind letters ('i' integers, 'u' unsigned, 'f' floats, 'b' bool, 'U'
    text); ``shape`` may fix some dimensions (None leaves one free).
    """
    if not isinstance(array, np.ndarray) or array.dtype.kind not in kind:
        dtype = getattr(array, "dtype", type(array).__name__)
        raise FormatError(f"{source}: {name} has dtype {dtype}, expected {_kinds(kind)} (corrupted or edited file?)")
    if array.ndim != ndim:
        raise FormatError(f"{source}: {name} has {array.ndim} dimensions, expected {ndim} (corrupted or edited file?)")
    if shape is not None:
        for axis, (got, want) in enumerate(zip(array.shape, shape, strict=True)):
            if want is not None and got != want:
                raise FormatError(
                    f"{source}: {name} has {got} entries along axis {axis}, expected {want} (corrupted or edited file?)"
                )
    if array.dtype.kind == "f" and array.size and not np.isfinite(array).all():
        raise FormatError(f"{source}: {name} holds NaN or infinite numbers (corrupted file?)")
    return array


def check_csr(
    source: str, name: str, indptr: Any, indices: Any, data: Any, n_columns: int, *, n_rows: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (int64 indptr, int32 indices, float32 data) of a CSR matrix checked to be in bounds.

    ``indptr`` must start at 0, never decrease and end at ``len(indices) == len(data)``; every index
    lies in ``0..n_columns-1``.
    """
    rows = None if n_rows is None else n_rows + 1
    indptr = check_array(source, f"{name}_indptr", indptr, kind="iu", ndim=1, shape=(rows,))
    indices = check_array(source, f"{name}_indices", indices, kind="iu", ndim=1)
    data = check_array(source, f"{name}_data", data, kind="fiu", ndim=1, shape=(len(indices),))
    steps = np.diff(indptr.astype(np.int64))
    if len(indptr) == 0 or indptr[0] != 0 or indptr[-1] != len(indices) or (steps < 0).any():
        raise FormatError(
            f"{source}: {name}_indptr must start at 0, never decrease and end at {len(indices)}"
            " (corrupted or edited file?)"
        )
    if len(indices):
        low, high = int(indices.min()), int(indices.max())
        if low < 0 or high >= n_columns:
            bad = low if low < 0 else high
            raise FormatError(
                f"{source}: {name}_indices holds {bad}, outside 0..{n_columns - 1} (corrupted or edited file?)"
            )
    return indptr.astype(np.int64), indices.astype(np.int32), data.astype(np.float32)


def check_allocation(source: str, what: str, count: int, item_bytes: int, *, available: int) -> None:
    """Refuse to allocate ``count * item_bytes`` when the file (``available`` bytes) cannot hold that much."""
    if count < 0 or count * item_bytes > available:
        raise FormatError(
            f"{source}: {what} says {count:,} entries ({count * item_bytes:,} bytes) but the file holds only"
            f" {available:,} bytes; the header is wrong or the file is cut short"
        )


def _kinds(kind: str) -> str:
    names = {"i": "integers", "u": "unsigned integers", "f": "floats", "b": "booleans", "U": "text"}
    return " or ".join(names[k] for k in kind)


# what a malformed file can make Python code raise, deep inside a parser
_PARSE_ERRORS = (
    ValueError, IndexError, KeyError, TypeError, OverflowError, AttributeError, UnicodeError, EOFError, zlib.error,
)  # fmt: skip


@contextlib.contextmanager
def file_errors(source: str) -> Iterator[None]:
    """Turn what a malformed file makes a parser raise into a FormatError naming ``source``.

    The parsers check what they read and say what is wrong; this is the net below them, so that a
    file never ends in another exception type. TokvecErrors get ``source`` in front when they lack
    it. ``TOKVEC_FUZZ=1`` lets the raw exception through, so that the fuzzer finds the gap.
    """
    try:
        yield
    except TokvecError as e:
        message = str(e)
        if source in message:
            raise
        try:
            named = type(e)(f"{source}: {message}")
        except TypeError:  # a subclass with its own arguments: keep it as it is
            raise e from None
        raise named from None
    except RecursionError:
        raise FormatError(f"{source}: nested too deeply to read (corrupted file?)") from None
    except MemoryError:
        raise FormatError(f"{source}: asks for more memory than this machine has (corrupted file?)") from None
    except _PARSE_ERRORS as e:
        if os.environ.get("TOKVEC_FUZZ") == "1":
            raise
        raise FormatError(f"{source}: cannot be read ({type(e).__name__}: {e}); is the file corrupted?") from None


def check_finite(source: str, vectors: np.ndarray) -> np.ndarray:
    """Return ``vectors`` if every number is finite; else name the first row with NaN or infinity."""
    bad = ~np.isfinite(vectors)
    if bad.any():
        row = int(np.flatnonzero(bad.any(axis=1))[0]) if vectors.ndim == 2 else 0
        raise FormatError(f"{source}: row {row + 1} holds NaN or infinite numbers (too large for float32?)")
    return vectors
