"""Read and write the bytes of word-vector files: word2vec text and binary, GloVe text, and numpy ``.npz``.

word2vec files start with a ``count dimensions`` line; text rows are ``key v1 v2 ...``, binary rows
are ``key`` + space + D little-endian float32 + newline (as the C tool writes; gensim reads both
with and without the newline). Text values are written with 9 significant digits, which round-trip
float32 exactly. GloVe is the text format without the header line. ``.npz`` holds ``keys`` (a
unicode array), ``vectors``, ``counts``, optionally ``output_vectors`` and the training config as
JSON, and loads with ``allow_pickle=False``. Saves are atomic. Never pickle.

This module knows files, not :class:`~tokvec.vectors.keyed.KeyedVectors` (which builds itself from a
:class:`VectorFile`), so that ``KeyedVectors.save`` and ``load`` need no import circle;
:mod:`tokvec.vectors.formats` is the public face (its ``load`` returns KeyedVectors).

>>> import numpy as np, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
>>> write(VectorFile(["a", "b"], np.array([[0.5, -1], [2, 0.25]], dtype=np.float32)), path)
>>> read(path).keys
['a', 'b']
"""

from __future__ import annotations

import gzip
import io
import json
import os
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .._checks import check_allocation, check_array, check_finite, npz_arrays
from .._io import atomic_write, open_binary
from ..errors import FormatError, FormatWarning, TokvecError
from .config import GloveConfig, Word2VecConfig


@dataclass(frozen=True)
class VectorFile:
    """What a vectors file holds: ``keys``, ``vectors`` [n, d] and, in .npz, ``counts``, ``output_vectors``
    and the training ``config``."""

    keys: list[str]
    vectors: np.ndarray
    counts: np.ndarray | None = None
    output_vectors: np.ndarray | None = None
    config: Any = None


class Vectors(Protocol):
    """What :func:`write` needs of the vectors it saves (KeyedVectors has it, and so has a VectorFile)."""

    @property
    def keys(self) -> Sequence[str]: ...
    @property
    def vectors(self) -> np.ndarray: ...
    @property
    def counts(self) -> np.ndarray | None: ...
    @property
    def output_vectors(self) -> np.ndarray | None: ...
    @property
    def config(self) -> Any: ...


FORMATS = ("word2vec-binary", "word2vec-text", "glove", "npz")
_MAX_DIMS = 1 << 20  # a header asking for more dimensions is corrupted (models have up to a few thousand)


def guess_format(path: str | os.PathLike[str]) -> str:
    """Guess the format from the file name: .npz, .bin, .txt/.vec (word2vec text); GloVe needs ``format=``."""
    name = os.fspath(path).lower().removesuffix(".gz")
    if name.endswith(".npz"):
        return "npz"
    if name.endswith(".bin"):
        return "word2vec-binary"
    return "word2vec-text"


def write(kv: Vectors, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Save ``kv`` to ``path`` atomically in ``format`` (default: from the file name)."""
    fmt = _check(format or guess_format(path))
    if fmt == "npz":
        buf = io.BytesIO()
        arrays: dict[str, Any] = {
            "keys": np.array(kv.keys, dtype=str) if len(kv.keys) else np.zeros(0, dtype="<U1"),
            "vectors": kv.vectors,
            "counts": np.zeros(len(kv.keys), dtype=np.int64) if kv.counts is None else kv.counts,
        }
        if kv.output_vectors is not None:
            arrays["output_vectors"] = kv.output_vectors
        config = getattr(kv.config, "as_dict", None)
        if config is not None:
            arrays["config"] = np.array(json.dumps(config()))
        np.savez(buf, **arrays)
        atomic_write(path, buf.getvalue())
        return
    for key in kv.keys:
        if not key or any(c.isspace() for c in key):
            raise FormatError(
                f"cannot save {path}: the key {key!r} is empty or holds whitespace; use .npz for such keys"
            )
    vectors = kv.vectors
    parts: list[bytes] = []
    if fmt != "glove":
        parts.append(f"{len(kv.keys)} {vectors.shape[1]}\n".encode())
    if fmt == "word2vec-binary":
        data = vectors.astype("<f4")
        for key, row in zip(kv.keys, data, strict=True):
            parts.append(key.encode("utf-8") + b" " + row.tobytes() + b"\n")
    else:
        for key, row in zip(kv.keys, vectors.tolist(), strict=True):
            parts.append((key + " " + " ".join(f"{v:.9g}" for v in row) + "\n").encode("utf-8"))
    data = b"".join(parts)
    if os.fspath(path).endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    atomic_write(path, data)


def read(path: str | os.PathLike[str], *, format: str | None = None) -> VectorFile:
    """Load vectors from ``path`` in ``format`` (default: from the file name; .gz is fine for text).

    GloVe text needs ``format="glove"`` (:func:`sniff_format` tells it apart). Lines that are not UTF-8
    (cp1252 bytes in some GloVe files) are read as cp1252 with a :class:`~tokvec.errors.FormatWarning`
    that names them.
    """
    fmt = _check(format or guess_format(path))
    source = os.fspath(path)
    try:
        if fmt == "npz":
            return _load_npz(source)
        with open_binary(source) as f:
            data = _read_all(f, source)
        if fmt == "word2vec-binary":
            return _load_binary(source, data)
        return _load_text(source, data, header=fmt == "word2vec-text")
    except TokvecError as e:
        msg = str(e)
        raise type(e)(msg if source in msg else f"{source}: {msg}") from None
    except MemoryError:
        raise FormatError(f"{source}: the vectors are too large to load into memory") from None


def _read_all(f: Any, source: str) -> bytes:
    try:
        return f.read()
    except TokvecError:
        raise  # already names the file
    except (OSError, EOFError, zlib.error) as e:
        raise FormatError(f"{source}: corrupted gzip data ({e})") from None


def sniff_format(path: str | os.PathLike[str]) -> str:
    """Guess the format from the name, and tell GloVe text from word2vec text by its first line."""
    fmt = guess_format(path)
    if fmt == "word2vec-text":
        with open_binary(path) as f:
            first = f.readline(1 << 16)
        if first.strip() and not _is_header(first):
            return "glove"  # the first line is a vector, not 'count dimensions'
    return fmt


def _is_header(line: bytes) -> bool:
    parts = line.split()
    return len(parts) == 2 and all(p.isdigit() for p in parts)


def _check(fmt: str) -> str:
    if fmt not in FORMATS:
        raise FormatError(f"unknown vector format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def _header(path: Any, line: bytes) -> tuple[int, int]:
    try:
        count, dims = (int(x) for x in line.split())
        if count < 0 or dims < 0 or (count and not dims) or dims > _MAX_DIMS:
            raise ValueError
    except ValueError:
        raise FormatError(
            f"{path} line 1: expected 'count dimensions', got {line[:60]!r}. Is this a GloVe file (format='glove')?"
        ) from None
    return count, dims


def _load_binary(path: Any, data: bytes) -> VectorFile:
    end = data.find(b"\n")
    count, dims = _header(path, data[:end])
    pos = end + 1
    check_allocation(path, f"the header '{count} {dims}'", count, 4 * dims + 1, available=len(data) - pos)
    keys: list[str] = []
    vectors = np.empty((count, dims), dtype=np.float32)
    width = 4 * dims
    for i in range(count):
        while pos < len(data) and data[pos : pos + 1] == b"\n":  # the newline after the previous row
            pos += 1
        space = data.find(b" ", pos)
        if space < 0 or space + 1 + width > len(data):
            raise FormatError(f"{path}: row {i + 1} of {count} is cut short; the file is truncated or not binary")
        keys.append(data[pos:space].decode("utf-8", errors="replace"))
        vectors[i] = np.frombuffer(data, dtype="<f4", count=dims, offset=space + 1)
        pos = space + 1 + width
    return VectorFile(keys, check_finite(path, vectors))


def _decode_lines(path: Any, data: bytes) -> list[str]:
    """Decode UTF-8 text; a line that is not UTF-8 is read as cp1252 (else latin-1) with a warning naming it.

    # subtle: GloVe files in circulation (glove.6B's) hold a few cp1252 bytes ('\x96' for '–'); replacing
    # them with U+FFFD would make several different words one key, silently
    """
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    bad: list[str] = []
    for n, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            text, codec = raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, codec = raw.decode("latin-1"), "latin-1"
        lines.append(text)
        bad.append(f"line {n} ({text.split(' ', 1)[0]!r} from {raw.split(b' ', 1)[0]!r} as {codec})")
    if data.endswith(b"\n"):
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    warnings.warn(
        f"{path}: {len(bad)} line(s) are not UTF-8 and were read as cp1252: {', '.join(bad[:10])}"
        f"{' ...' if len(bad) > 10 else ''}. Re-encode the file as UTF-8 to silence this warning.",
        FormatWarning,
        stacklevel=4,
    )
    return lines


def _load_text(path: Any, data: bytes, *, header: bool) -> VectorFile:
    lines = _decode_lines(path, data)
    start = 0
    count = dims = None
    if header:
        count, dims = _header(path, lines[0].encode() if lines else b"")
        start = 1
    keys: list[str] = []
    rows: list[list[float]] = []
    for n, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            continue
        key, *values = line.rstrip().split(" ")
        if dims is None:
            dims = len(values)
        if len(values) != dims:
            raise FormatError(f"{path} line {n}: expected a key and {dims} numbers, got {len(values)} numbers")
        try:
            rows.append([float(v) for v in values])
        except ValueError:
            raise FormatError(f"{path} line {n}: a value is not a number: {line[:60]!r}") from None
        keys.append(key)
    if count is not None and count != len(keys):
        raise FormatError(f"{path}: the header says {count} rows but the file has {len(keys)}")
    with np.errstate(over="ignore"):  # too large for float32 becomes inf, refused just below
        vectors = np.array(rows, dtype=np.float32).reshape(len(keys), dims or 0)
    return VectorFile(keys, check_finite(path, vectors))


def _load_npz(path: str) -> VectorFile:
    arrays = npz_arrays(path, "vectors")
    for name in ("keys", "vectors", "counts"):
        if name not in arrays:
            raise FormatError(f"{path}: the .npz has no '{name}' array; it was not saved by tokvec")
    keys = check_array(path, "keys", arrays["keys"], kind="U", ndim=1)
    vectors = check_array(path, "vectors", arrays["vectors"], kind="fiu", ndim=2, shape=(len(keys), None))
    counts = check_array(path, "counts", arrays["counts"], kind="iuf", ndim=1, shape=(len(keys),))
    output = arrays.get("output_vectors")
    if output is not None:
        check_array(path, "output_vectors", output, kind="fiu", ndim=2, shape=vectors.shape)
    config = None
    if "config" in arrays:
        try:
            options = json.loads(str(arrays["config"]))
            if not isinstance(options, dict):
                raise FormatError(f"{path}: the stored training config is not a JSON object")
            config = (GloveConfig if "x_max" in options else Word2VecConfig)(**options)
        except (json.JSONDecodeError, TypeError, ValueError) as e:
            if isinstance(e, FormatError):
                raise
            raise FormatError(f"{path}: the stored training config is not valid ({e})") from None
    return VectorFile(keys.tolist(), vectors, counts, output_vectors=output, config=config)
