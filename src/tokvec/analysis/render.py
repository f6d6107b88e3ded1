"""Show tokens for people: alternating background colours, visible whitespace, partial UTF-8 bytes as <0xF0>.

A token's bytes are shown as text where they decode on their own; bytes that are only part of a
multi-byte character (GPT-2 splits most emoji so) are shown as ``<0xF0>`` in red. Spaces become
``·``, tabs ``→``, newlines ``↵`` (followed by a real line break), invisible characters such as the
zero-width joiner ``<U+200D>``. Without colour, ``│`` (U+2502) separates the tokens.

>>> import tokvec
>>> tok = tokvec.load("gpt2")
>>> print(render_tokens(tok, tok.encode("Hi 👋").ids, color=False))
Hi│·<0xF0><0x9F><0x91>│<0x8B>
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from .adapt import TokenView, token_views

# 256-colour backgrounds, light enough for black text; neighbouring tokens never share one.
PALETTE = (153, 223, 157, 219, 229, 189)
_INK = "38;5;16"  # black text
_STYLE = {"text": _INK, "mark": "38;5;244", "byte": "1;38;5;160", "special": "1;38;5;90"}
_RESET = "\x1b[0m"
SEPARATOR = "│"  # U+2502, not "|": special tokens such as <|endoftext|> contain "|"

_VISIBLE = {" ": "·", "\t": "→", "\n": "↵", "\r": "␍", "\u00a0": "⍽", "\x7f": "␡"}


def token_segments(piece: bytes, *, special: bool = False) -> list[tuple[str, str]]:
    """Split one token's bytes into ``(kind, text)`` segments; kind is text, mark, byte, newline or special.

    >>> token_segments(b" \\xf0\\x9f\\x91")
    [('mark', '·'), ('byte', '<0xF0>'), ('byte', '<0x9F>'), ('byte', '<0x91>')]
    """
    if special:
        return [("special", piece.decode("utf-8", "replace"))]
    out: list[tuple[str, str]] = []
    # subtle: surrogateescape turns each byte that is not part of a whole character into U+DC80..U+DCFF
    text = piece.decode("utf-8", "surrogateescape")
    for k, ch in enumerate(text):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(("byte", f"<0x{code - 0xDC00:02X}>"))
        elif ch == "\n":
            out.append(("newline", _VISIBLE[ch]))
        elif ch in _VISIBLE:
            out.append(("mark", _VISIBLE[ch]))
        elif code < 0x20:
            out.append(("mark", chr(0x2400 + code)))  # control pictures: ␀ ␁ ...
        else:
            category = unicodedata.category(ch)
            if category in ("Cf", "Zl", "Zp", "Zs", "Cc", "Co", "Cn"):
                out.append(("mark", f"<U+{code:04X}>"))
            elif k == 0 and category in ("Mn", "Mc", "Me"):
                out.append(("mark", "◌"))  # a mark opening a token would sit on the previous token's glyph
                out.append(("text", ch))
            else:
                out.append(("text", ch))
    return _merge(out)


def view_segments(view: TokenView) -> list[tuple[str, str]]:
    """Split one token's view into ``(kind, text)`` segments for display (see :func:`token_segments`).

    Byte-fallback pieces show as ``<0xE4>`` and unknown tokens as their spelling, both marked;
    a SentencePiece ``▁`` shows as the space it stands for.

    >>> from tokvec.analysis.adapt import TokenView
    >>> view_segments(TokenView(29871, "▁CA", "CA", "text"))
    [('mark', '·'), ('text', 'CA')]
    """
    if view.kind == "special":
        return [("special", view.token)]
    if view.kind in ("byte", "unknown"):
        return [("byte", view.token)]
    if view.kind == "partial":
        return token_segments(view.data)
    shown = view.token.replace("▁", " ") if "▁" in view.token else view.text
    return token_segments(shown.encode("utf-8", "surrogatepass"))


def render_tokens(tok: Any, ids: Sequence[int] | np.ndarray, *, color: bool) -> str:
    """Render the tokens ``ids`` of ``tok`` on one line per line of text, coloured or ``│``-separated."""
    return render_views(token_views(tok, ids), color=color)


def render_views(views: Sequence[TokenView], *, color: bool) -> str:
    """Render token views on alternating background colours (or ``│``-separated without colour)."""
    cache: dict[tuple[int, str], list[tuple[str, str]]] = {}
    parts: list[str] = []
    for k, view in enumerate(views):
        key = (view.id, view.token)
        if key not in cache:
            cache[key] = view_segments(view)
        if color:
            parts.append(_paint(cache[key], PALETTE[k % len(PALETTE)]))
        else:
            if k:
                parts.append(SEPARATOR)
            parts.extend(text + "\n" if kind == "newline" else text for kind, text in cache[key])
    return "".join(parts)


def render_ids(ids: Sequence[int] | np.ndarray, *, color: bool) -> str:
    """Render ``ids`` separated by spaces, each on the background colour of its token."""
    values = np.asarray(ids).tolist()
    if not color:
        return " ".join(map(str, values))
    return " ".join(f"\x1b[48;5;{PALETTE[k % len(PALETTE)]};{_INK}m{i}{_RESET}" for k, i in enumerate(values))


def paint(text: str, style: str, *, color: bool) -> str:
    """Wrap ``text`` in the ANSI style ``style`` ("bold", or a segment kind such as "byte") when ``color``."""
    if not color:
        return text
    code = "1" if style == "bold" else _STYLE[style]
    return f"\x1b[{code}m{text}{_RESET}"


def _paint(segments: list[tuple[str, str]], background: int) -> str:
    out = []
    for kind, text in segments:
        style = _STYLE["mark" if kind == "newline" else kind]
        out.append(f"\x1b[0;48;5;{background};{style}m{text}")  # 0: drop the bold of the last segment
        if kind == "newline":
            # subtle: reset before the line break, or many terminals paint the rest of the line
            out.append(_RESET + "\n")
    if segments and segments[-1][0] != "newline":
        out.append(_RESET)
    return "".join(out)


def _merge(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for kind, text in segments:
        if merged and merged[-1][0] == kind and kind not in ("byte", "newline"):
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged
