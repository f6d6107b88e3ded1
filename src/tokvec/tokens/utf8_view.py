"""The UTF-8 of a ``str`` as a read-only uint8 array, without a copy where CPython keeps one.

CPython caches a string's UTF-8 inside the string object the first time a C extension asks for it
(``PyUnicode_AsUTF8AndSize``); for an ASCII string the UTF-8 *is* its data. tiktoken and every
PyO3 extension read text that way, so encoding the same string twice pays the conversion once.
:func:`utf8_of` does the same for long texts: the array points into the string (which it keeps
alive) and is read-only. Short texts, other interpreters and lone surrogates (which have no UTF-8:
``UnicodeEncodeError``, as ``str.encode`` raises) take ``str.encode``.

Performance notes: on 16 MB of ELTeC ``str.encode`` takes 7-20 ms (a fresh 16 MB object: page
faults), 4-11% of a whole single-thread byte-level encode; the cached view costs ~2 us.

>>> utf8_of("héllo" * 20000)[:6].tobytes().decode()
'héllo'
>>> utf8_of("short").tobytes()
b'short'
"""

from __future__ import annotations

import ctypes
import platform

import numpy as np

#: texts with fewer characters than this are encoded with ``str.encode`` (the call costs ~2 us)
VIEW_FROM = 1 << 16

_as_utf8 = None
if platform.python_implementation() == "CPython":  # pragma: no branch
    _as_utf8 = ctypes.pythonapi.PyUnicode_AsUTF8AndSize
    _as_utf8.restype = ctypes.c_void_p
    _as_utf8.argtypes = [ctypes.py_object, ctypes.POINTER(ctypes.c_ssize_t)]


class _View:
    """What numpy reads: the address and size of a string's UTF-8, and the string (kept alive)."""

    __slots__ = ("__array_interface__", "text")

    def __init__(self, text: str, address: int, size: int) -> None:
        self.text = text
        self.__array_interface__ = {"shape": (size,), "typestr": "|u1", "data": (address, True), "version": 3}


def utf8_of(text: str) -> np.ndarray:
    """The UTF-8 of ``text`` as uint8[N], read-only (a view into the string for long texts on CPython)."""
    if _as_utf8 is None or type(text) is not str or len(text) < VIEW_FROM:
        return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    size = ctypes.c_ssize_t()
    address = _as_utf8(text, ctypes.byref(size))
    if not address:  # pragma: no cover - ctypes raises the exception the C API set
        raise MemoryError("PyUnicode_AsUTF8AndSize returned NULL")
    return np.asarray(_View(text, address, size.value))
