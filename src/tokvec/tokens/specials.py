"""Special tokens with tiktoken's semantics: allowed ones become their id, disallowed ones raise."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from typing import Literal

from ..errors import SpecialTokenError

AllowedSpecial = Literal["all"] | Collection[str]


@functools.lru_cache(maxsize=64)
def special_regex(tokens: frozenset[str]) -> re.Pattern[str] | None:
    """Compile an alternation of ``tokens``, longest first (so a longer token wins at one position)."""
    if not tokens:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(tokens, key=lambda t: (-len(t), t))))


def resolve(
    specials: Collection[str], allowed: AllowedSpecial, disallowed: AllowedSpecial
) -> tuple[frozenset[str], frozenset[str]]:
    """Return the (allowed, disallowed) sets as tiktoken computes them."""
    allow = frozenset(specials) if allowed == "all" else frozenset(allowed)
    unknown = allow - frozenset(specials)
    if unknown:
        raise SpecialTokenError(
            f"allowed_special names {sorted(unknown)!r}, which are not special tokens of this tokenizer"
            f" (its special tokens: {sorted(specials)[:8]!r}{' ...' if len(specials) > 8 else ''})"
        )
    deny = frozenset(specials) - allow if disallowed == "all" else frozenset(disallowed)
    return allow, deny


def check_disallowed(text: str, disallowed: frozenset[str]) -> None:
    """Raise :class:`SpecialTokenError` if ``text`` contains a disallowed special token."""
    pattern = special_regex(disallowed)
    if pattern is None:
        return
    m = pattern.search(text)
    if m is None:
        return
    tok = m.group()
    raise SpecialTokenError(
        f"the text contains the special token {tok!r} at character {m.start()}, which is not allowed."
        f" To encode it as the special token, pass allowed_special={{{tok!r}}} (or 'all');"
        " to encode it as ordinary text, pass disallowed_special=() or use encode_ordinary().",
        token=tok,
        position=m.start(),
    )


def check_disallowed_all(texts: Sequence[str], disallowed: frozenset[str]) -> None:
    """Raise :class:`SpecialTokenError` for the first of ``texts`` that contains a disallowed special token.

    Performance notes: one search over the texts joined by NUL is ~30x faster than a search per text
    (10,000 lines: 0.8 ms against 26 ms); the texts are searched one by one only to name the one that has a token.
    """
    pattern = special_regex(disallowed)
    if pattern is None or not texts:
        return
    # subtle: NUL keeps a token from matching across two texts, unless a token itself holds a NUL
    if any("\0" in t for t in disallowed) or pattern.search("\0".join(texts)) is not None:
        for t in texts:
            check_disallowed(t, disallowed)
