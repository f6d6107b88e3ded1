"""Read a corpus file (plain or ``.gz``) in chunks of whole lines, skipping (or refusing) lines that are not UTF-8.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_bytes(b"one\\n\\xff bad\\ntwo\\n")
>>> [(chunk, skipped) for chunk, skipped in read_file(path, strict=False, progress=False)]
[(b'one\\ntwo\\n', 1)]
"""

from __future__ import annotations

import os
import pathlib
import zlib
from collections.abc import Iterator

from ..._progress import Progress
from ...errors import FormatError, TokvecFileError

CHUNK = 8 << 20


def read_file(path: pathlib.Path, *, strict: bool, progress: bool) -> Iterator[tuple[bytes, int]]:
    """Yield (a chunk of whole, valid UTF-8 lines, number of lines skipped) for the file at ``path``."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    total = os.fstat(raw.fileno()).st_size
    gz = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    inflate = zlib.decompressobj(wbits=47) if gz else None
    rest = b""
    first = True
    with raw, Progress(total, label=f"count {path.name}", enabled=progress) as bar:
        while True:
            block = raw.read(CHUNK)
            data = block
            if inflate is not None:
                try:
                    data = inflate.decompress(block) if block else inflate.flush()
                    while inflate.eof and inflate.unused_data:  # concatenated gzip members
                        tail = inflate.unused_data
                        inflate = zlib.decompressobj(wbits=47)
                        data += inflate.decompress(tail)
                except zlib.error as e:
                    raise FormatError(f"{path}: not a valid gzip file ({e})") from None
                if not block and not inflate.eof:
                    raise FormatError(f"{path}: the gzip file ends before its end-of-stream marker (is it truncated?)")
            bar.set(raw.tell())
            data = rest + data
            cut = data.rfind(b"\n") + 1 if block else len(data)
            chunk, rest = data[:cut], data[cut:]
            if first and chunk:
                _check_not_binary(path, chunk)
                first = False
            if chunk:
                yield _valid_lines(path, chunk, strict)
            if not block:
                break


def _check_not_binary(path: pathlib.Path, chunk: bytes) -> None:
    head = chunk[:65536]
    if b"\x00" in head:
        raise FormatError(f"{path} looks like a binary file (it holds NUL bytes): train on text files (plain or .gz)")


def _valid_lines(path: pathlib.Path, chunk: bytes, strict: bool) -> tuple[bytes, int]:
    """Return ``chunk`` without its lines that are not UTF-8, and how many were dropped."""
    try:
        chunk.decode("utf-8")
        return chunk, 0
    except UnicodeDecodeError:
        pass
    keep, bad = [], 0
    for line in _lines(chunk):
        try:
            line.decode("utf-8")
            keep.append(line)
        except UnicodeDecodeError:
            if strict:
                raise FormatError(
                    f"{path}: a line is not valid UTF-8 ({line[:40]!r}); fix the file, or leave out --strict"
                    " (strict=False) to skip such lines with a warning"
                ) from None
            bad += 1
    return b"".join(keep), bad


def _lines(chunk: bytes) -> list[bytes]:
    parts = chunk.split(b"\n")
    return [p + b"\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
