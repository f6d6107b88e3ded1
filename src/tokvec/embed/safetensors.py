"""Read tensors from a ``.safetensors`` file, memory-mapped and checked before anything is handed on.

The format: 8 bytes (little-endian u64) giving the length N of a JSON header, the header (names ->
``{"dtype", "shape", "data_offsets": [begin, end]}``, plus an optional ``__metadata__``), then the raw
little-endian data. Everything is checked against the file: the header's size, that it is a JSON object,
every dtype, that shape and byte length agree, that the data lies inside the file. A tensor is read
without copying (a read-only view of the mapped file) and only when asked for, so taking one tensor of a
large checkpoint reads only that tensor's pages.

>>> import os, tempfile
>>> import numpy as np
>>> path = os.path.join(tempfile.mkdtemp(), "t.safetensors")
>>> write_safetensors(path, {"w": np.arange(6, dtype=np.float32).reshape(2, 3)})
>>> f = SafetensorsFile(path)
>>> f.names(), f.shape("w"), f.tensor("w")[1].tolist()
(['w'], (2, 3), [3.0, 4.0, 5.0])
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._io import atomic_write
from ..errors import FormatError, TokvecFileError, UnknownNameError

#: the dtypes tokvec reads; BF16 is widened to float32 on reading
_DTYPES: dict[str, np.dtype[Any]] = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
_NAMES = {v: k for k, v in _DTYPES.items() if k != "BF16"}
#: a header larger than this is not a model's (safetensors itself refuses 100 MB)
_MAX_HEADER = 100_000_000


class SafetensorsFile:
    """The tensors of one file: :meth:`names`, :meth:`shape`, :meth:`dtype`, :meth:`tensor`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            with open(self.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                head = f.read(8)
                if len(head) < 8:
                    raise FormatError(f"{self.path}: {size} bytes is too short for a safetensors file")
                (n,) = struct.unpack("<Q", head)
                if n > min(_MAX_HEADER, size - 8):
                    raise FormatError(
                        f"{self.path}: the header claims {n} bytes but the file has {size}; is it a safetensors file?"
                    )
                raw = f.read(n)
                self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size > 8 + n else None
        except OSError as e:
            raise TokvecFileError(f"cannot read {self.path}: {e.strerror}") from None
        try:
            header = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
            raise FormatError(f"{self.path}: the header is not JSON ({e}); is it a safetensors file?") from None
        if not isinstance(header, dict):
            raise FormatError(f"{self.path}: the header must be a JSON object")
        self.metadata: Mapping[str, str] = header.pop("__metadata__", None) or {}
        if not isinstance(self.metadata, dict):
            raise FormatError(f"{self.path}: __metadata__ must be a JSON object of strings")
        self._data_start = 8 + n
        self._entries: dict[str, tuple[np.dtype[Any], str, tuple[int, ...], int, int]] = {}
        data_len = size - self._data_start
        for name, entry in header.items():
            self._entries[name] = _check_entry(self.path, name, entry, data_len)

    def names(self) -> list[str]:
        """Return the tensor names, in the file's order."""
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def shape(self, name: str) -> tuple[int, ...]:
        """Return the shape of tensor ``name``."""
        return self._entry(name)[2]

    def dtype(self, name: str) -> str:
        """Return the safetensors dtype name (``F32``, ``BF16``, ...) of tensor ``name``."""
        return self._entry(name)[1]

    def tensor(self, name: str) -> np.ndarray:
        """Return tensor ``name``: a read-only view of the file, or a float32 copy for BF16."""
        dtype, tag, shape, begin, end = self._entry(name)
        if end == begin:
            return np.zeros(shape, dtype=np.float32 if tag == "BF16" else dtype)
        assert self._map is not None  # subtle: a non-empty tensor was checked to lie inside the data
        array = np.frombuffer(self._map, dtype=dtype, count=(end - begin) // dtype.itemsize,
                              offset=self._data_start + begin).reshape(shape)  # fmt: skip
        if tag == "BF16":
            return (array.astype(np.uint32) << 16).view(np.float32)
        return array

    def _entry(self, name: str) -> tuple[np.dtype[Any], str, tuple[int, ...], int, int]:
        try:
            return self._entries[name]
        except KeyError:
            some = ", ".join(list(self._entries)[:8])
            n = len(self._entries)
            raise UnknownNameError(f"{self.path} has no tensor {name!r} (it has {n}: {some}, ...)") from None

    def __repr__(self) -> str:
        return f"SafetensorsFile({self.path!r}, {len(self._entries)} tensors)"


def _check_entry(
    path: str, name: str, entry: Any, data_len: int
) -> tuple[np.dtype[Any], str, tuple[int, ...], int, int]:
    where = f"{path}: tensor {name!r}"
    if not isinstance(entry, dict):
        raise FormatError(f"{where}: expected an object with dtype, shape and data_offsets")
    tag, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(tag, str) or tag not in _DTYPES:
        raise FormatError(f"{where}: dtype {tag!r} is not one tokvec reads ({', '.join(_DTYPES)})")
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise FormatError(f"{where}: shape {shape!r} must be a list of non-negative integers")
    if (not isinstance(offsets, list) or len(offsets) != 2
            or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):  # fmt: skip
        raise FormatError(f"{where}: data_offsets {offsets!r} must be two integers")
    begin, end = offsets
    dtype = _DTYPES[tag]
    count = int(np.prod(shape, dtype=np.float64)) if shape else 1
    if not 0 <= begin <= end <= data_len:
        raise FormatError(f"{where}: data [{begin}, {end}) lies outside the file's {data_len} data bytes")
    if (end - begin) != count * dtype.itemsize:
        raise FormatError(
            f"{where}: shape {shape} of {tag} needs {count * dtype.itemsize} bytes, the file gives {end - begin}"
        )
    return dtype, tag, tuple(shape), begin, end


def write_safetensors(
    path: str | os.PathLike[str], tensors: Mapping[str, np.ndarray], *, metadata: Mapping[str, str] | None = None
) -> None:
    """Write ``tensors`` to ``path`` as a safetensors file (atomically; names sorted, as the reference does)."""
    header: dict[str, Any] = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs, offset = [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        dtype = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
        if dtype not in _NAMES:
            raise FormatError(f"tensor {name!r}: dtype {a.dtype} cannot be written to safetensors")
        data = a.astype(dtype, copy=False).tobytes()
        header[name] = {"dtype": _NAMES[dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)  # the reference pads the header to 8 bytes
    atomic_write(path, struct.pack("<Q", len(head)) + head + b"".join(blobs))
