"""A minimal protobuf wire-format reader (varints, fixed32/64, length-delimited fields).

Enough to read SentencePiece ``.model`` files without the protobuf package. Every error names the
source and the byte offset where the data stops making sense.

>>> fields(b"\\x08\\x96\\x01\\x12\\x02hi", source="x")
[(1, 0, 150, 0), (2, 2, b'hi', 3)]
"""

from __future__ import annotations

import struct

from ...errors import FormatError

VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5


def _varint(data: bytes, pos: int, end: int, source: str, base: int) -> tuple[int, int]:
    value = shift = 0
    start = pos
    while True:
        if pos >= end:
            raise FormatError(f"{source}: byte {base + start}: the data ends inside a number (truncated file?)")
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise FormatError(f"{source}: byte {base + start}: a number longer than 10 bytes (corrupted file?)")


def fields(data: bytes, *, source: str, base: int = 0) -> list[tuple[int, int, int | bytes, int]]:
    """Return (field number, wire type, value, byte offset) for every field of one message.

    Varints come back as unsigned ints, fixed32/64 as their raw bytes, length-delimited fields as
    bytes; ``base`` is the offset of ``data`` in the file (for error messages).
    """
    out: list[tuple[int, int, int | bytes, int]] = []
    pos, end = 0, len(data)
    while pos < end:
        at = pos
        key, pos = _varint(data, pos, end, source, base)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise FormatError(f"{source}: byte {base + at}: field number 0 is not protobuf (is this a .model file?)")
        if wire == VARINT:
            value, pos = _varint(data, pos, end, source, base)
        elif wire == BYTES:
            size, pos = _varint(data, pos, end, source, base)
            if pos + size > end:
                raise FormatError(
                    f"{source}: byte {base + at}: field {number} claims {size} bytes but only {end - pos} remain"
                    " (truncated or corrupted file?)"
                )
            value, pos = data[pos : pos + size], pos + size
        elif wire in (FIXED32, FIXED64):
            size = 4 if wire == FIXED32 else 8
            if pos + size > end:
                raise FormatError(f"{source}: byte {base + at}: the data ends inside field {number} (truncated file?)")
            value, pos = data[pos : pos + size], pos + size
        else:
            raise FormatError(
                f"{source}: byte {base + at}: wire type {wire} of field {number} is not used by SentencePiece"
                " (not a protobuf .model file, or corrupted)"
            )
        out.append((number, wire, value, base + at))
    return out


def as_float(value: int | bytes) -> float:
    """Decode a fixed32 field as a little-endian float."""
    return struct.unpack("<f", value)[0] if isinstance(value, bytes) else float(value)


def as_int32(value: int | bytes) -> int:
    """Decode a varint field as a signed int32 (negative numbers are sent as 64-bit two's complement)."""
    v = int(value) if not isinstance(value, bytes) else 0
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v
