"""GPT-2's reversible map between bytes and printable characters (``Ġ`` is the space byte).

>>> bytes_to_str(b" hello")
'Ġhello'
>>> str_to_bytes("Ġhello")
b' hello'
"""

from __future__ import annotations

import functools

from ..errors import FormatError


@functools.cache
def byte_to_char() -> tuple[str, ...]:
    """Return the character that stands for each of the 256 bytes."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars = {b: chr(b) for b in keep}
    extra = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + extra)
            extra += 1
    return tuple(chars[b] for b in range(256))


@functools.cache
def char_to_byte() -> dict[str, int]:
    """Return the inverse of :func:`byte_to_char`."""
    return {c: b for b, c in enumerate(byte_to_char())}


def bytes_to_str(data: bytes) -> str:
    """Spell ``data`` with the byte-level characters."""
    table = byte_to_char()
    return "".join(table[b] for b in data)


def str_to_bytes(token: str, *, where: str = "token") -> bytes:
    """Read a byte-level spelled token back into bytes."""
    table = char_to_byte()
    try:
        return bytes(table[c] for c in token)
    except KeyError as e:
        raise FormatError(
            f"{where}: {token!r} contains {e.args[0]!r}, which is not a byte-level character;"
            " is this a byte-level BPE vocabulary (GPT-2 style, with 'Ġ' for spaces)?"
        ) from None
