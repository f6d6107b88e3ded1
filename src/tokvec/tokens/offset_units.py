"""Character and UTF-8 byte offsets, and the one reading of surrogates that every engine shares.

Every :class:`~tokvec.tokens.encoding.Encoding` gives ``offsets`` in characters of the input str and
``byte_offsets`` in bytes of its UTF-8. A text with surrogates has no UTF-8, so every engine first reads
it as tiktoken does (:func:`clean_text`): a lone surrogate becomes U+FFFD (one character for one, so
character positions do not move) and a high surrogate followed by a low one becomes the character the
two encode (as UTF-16 reads them); ``byte_offsets`` then index the UTF-8 of that clean text. A token
that starts inside a multi-byte character gets that character's offset, as tiktoken's
``decode_with_offsets`` gives it, and one that ends inside a character ends after it.

>>> clean_text("a\\ud800b")
('a�b', None)
>>> data = np.frombuffer("h€llo".encode(), dtype=np.uint8)
>>> chars_of_bytes(data, np.array([[0, 1], [1, 3], [3, 6]])).tolist()  # the second token ends inside '€'
[[0, 1], [1, 2], [1, 4]]
>>> utf8_positions("h€l")[[0, 1, 2, 3]].tolist()
[0, 1, 4, 5]
"""

from __future__ import annotations

import numpy as np


def clean_text(text: str) -> tuple[str, np.ndarray | None]:
    """Return ``text`` with surrogates read as tiktoken reads them, and where its characters came from.

    The second value is None when every character stays at its place (always, unless a surrogate pair
    joined); else int64[len(clean) + 1], the position in ``text`` of each character of the clean text
    and, last, ``len(text)``.
    """
    try:
        text.encode("utf-8")
        return text, None
    except UnicodeEncodeError:
        pass
    clean = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if len(clean) == len(text):
        return clean, None
    # subtle: only a joined pair shortens the text; walk both to place each clean character (rare, so a loop)
    where = np.empty(len(clean) + 1, dtype=np.int64)
    i = 0
    for j, c in enumerate(clean):
        where[j] = i
        i += 2 if ord(c) > 0xFFFF and 0xD800 <= ord(text[i]) < 0xDC00 else 1
    where[-1] = len(text)
    return clean, where


def has_surrogates(texts: list[str]) -> bool:
    """Tell whether any of ``texts`` holds a surrogate (one UTF-8 pass over them joined).

    Performance notes: almost never true; a :func:`clean_text` call per text cost about a tenth of
    encoding a batch of short texts, this one pass a few microseconds.
    """
    try:
        "".join(texts).encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def utf8_positions(text: str) -> np.ndarray:
    """Return int64[len(text) + 1]: the UTF-8 byte position of each character of ``text`` and of its end."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.zeros(len(cps) + 1, dtype=np.int64)
    widths = 1 + (cps >= 0x80).astype(np.int64) + (cps >= 0x800) + (cps >= 0x10000)
    np.cumsum(widths, out=out[1:])
    return out


def chars_of_bytes(data: np.ndarray, spans: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
    """Return int64[T, 2], the character spans of byte ``spans`` (int64[T, 2]) of the UTF-8 ``data`` (uint8[B]).

    A start inside a character moves back to that character, an end inside one moves past it. ``where``
    (from :func:`clean_text`) maps the characters of ``data`` to those of the text it was read from.
    """
    chars = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum((data & 0xC0) != 0x80, out=chars[1:])  # chars[b]: characters that start before byte b
    first = np.empty(len(data) + 1, dtype=np.int64)  # first[b]: the character holding byte b
    first[:-1] = chars[1:] - 1
    first[-1] = chars[-1]
    out = np.empty((len(spans), 2), dtype=np.int64)
    out[:, 0] = first[spans[:, 0]]
    out[:, 1] = chars[spans[:, 1]]
    if where is not None:
        out = where[out]
    return out


def frozen(a: np.ndarray) -> np.ndarray:
    """Make ``a`` read-only and return it."""
    a.flags.writeable = False
    return a
