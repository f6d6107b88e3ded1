"""Added tokens: strings cut out of the text before normalization, as Hugging Face does.

Tokens with ``normalized=False`` are found in the original text; the rest of the text is then
normalized and tokens with ``normalized=True`` are found in the normalized text (their content is
normalized the same way). ``lstrip``/``rstrip`` make a token swallow the whitespace on its left or
right; ``single_word`` keeps a match only where it is not inside a word. Matching is leftmost-longest.

>>> vocab = AddedVocabulary([AddedToken("[SEP]", 3, special=True), AddedToken("<m>", 4, lstrip=True)])
>>> vocab.split("a [SEP] b <m>c")
[(0, 2, None), (2, 7, 3), (7, 9, None), (9, 13, 4), (13, 14, None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import FormatError

_NOT_WHITE_SPACE = "\x1c\x1d\x1e\x1f"  # str.isspace() says yes, Unicode White_Space (Rust) says no


def is_white_space(c: str) -> bool:
    """Unicode White_Space, as Rust's ``char::is_whitespace``."""
    return c.isspace() and c not in _NOT_WHITE_SPACE


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass(frozen=True)
class AddedToken:
    """One added token of a ``tokenizer.json`` (``added_tokens`` entry)."""

    content: str
    id: int
    special: bool = False
    single_word: bool = False
    lstrip: bool = False
    rstrip: bool = False
    normalized: bool = False

    def __post_init__(self) -> None:
        if not self.content:
            raise FormatError(f"added token {self.id} has empty content")

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> AddedToken:
        """Read one ``added_tokens`` entry."""
        if not isinstance(obj, dict) or not isinstance(obj.get("content"), str):
            raise FormatError(f"added token {obj!r:.80}: needs an object with a 'content' string")
        try:
            return cls(
                obj["content"], int(obj["id"]), special=bool(obj.get("special", False)),
                single_word=bool(obj.get("single_word", False)), lstrip=bool(obj.get("lstrip", False)),
                rstrip=bool(obj.get("rstrip", False)), normalized=bool(obj.get("normalized", False)),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as e:
            raise FormatError(f"added token {obj!r}: missing or bad field {e}") from None

    def to_json(self) -> dict[str, Any]:
        """Write the ``added_tokens`` entry."""
        return {"id": self.id, "content": self.content, "single_word": self.single_word, "lstrip": self.lstrip,
                "rstrip": self.rstrip, "normalized": self.normalized, "special": self.special}  # fmt: skip


def _alternation(contents: list[str]) -> re.Pattern[str] | None:
    # subtle: Python's alternation is leftmost-first; longest first makes it leftmost-longest (aho-corasick's)
    if not contents:
        return None
    return re.compile("|".join(re.escape(c) for c in sorted(set(contents), key=lambda c: (-len(c), c))))


class AddedVocabulary:
    """The added tokens of a tokenizer and the two matchers (original text, normalized text)."""

    def __init__(self, tokens: list[AddedToken], normalize=None) -> None:
        # the normalized tokens are searched for in normalized text, so their content is normalized too
        norm_content: dict[str, AddedToken] = {}
        for t in tokens:
            if t.normalized:
                key = normalize(t.content) if normalize is not None else t.content
                norm_content.setdefault(key, t)
        self._build(tuple(tokens), norm_content)
        kept = tuple(t for t in tokens if not t.special)
        # subtle: built once here (not on first use), so no cache can go stale on this immutable object
        self._ordinary = self if len(kept) == len(tokens) else self._subset(kept)

    def _build(self, tokens: tuple[AddedToken, ...], norm_content: dict[str, AddedToken]) -> None:
        self.tokens = tokens
        self.by_content: dict[str, AddedToken] = {}
        for t in tokens:
            self.by_content.setdefault(t.content, t)
        self.by_id = {t.id: t for t in tokens}
        self._raw = _alternation([t.content for t in tokens if not t.normalized])
        self._norm_content = norm_content
        self._norm = _alternation([c for c in norm_content if c])
        self._special_names = frozenset(t.content for t in tokens if t.special)

    def _subset(self, kept: tuple[AddedToken, ...]) -> AddedVocabulary:
        sub = object.__new__(AddedVocabulary)
        keep = set(kept)
        sub._build(kept, {k: t for k, t in self._norm_content.items() if t in keep})
        sub._ordinary = sub
        return sub

    def allowing(self, specials: frozenset[str]) -> AddedVocabulary:
        """The vocabulary that splits out the non-special tokens and the special tokens named in ``specials``.

        The other special tokens are left out, so their text is read as ordinary text (tiktoken's
        rule for special tokens that are neither allowed nor disallowed).
        """
        names = self._special_names
        if names <= specials:
            return self
        if not specials & names:
            return self._ordinary
        return self._subset(tuple(t for t in self.tokens if not t.special or t.content in specials))

    @property
    def raw_pattern(self) -> Any:
        """The compiled alternation of the tokens matched in the raw text (None when there are none)."""
        return self._raw

    @property
    def has_normalized(self) -> bool:
        """Whether some tokens are matched after normalization."""
        return self._norm is not None

    def special_ids(self) -> frozenset[int]:
        """Ids of the special tokens."""
        return frozenset(t.id for t in self.tokens if t.special)

    def split(self, text: str) -> list[tuple[int, int, int | None]]:
        """Cut ``text`` at the non-normalized tokens: (start, end, id or None) in characters."""
        return self._split(text, self._raw, None)

    def split_normalized(self, text: str) -> list[tuple[int, int, int | None]]:
        """Cut normalized ``text`` at the normalized tokens."""
        return self._split(text, self._norm, self._norm_content)

    def _split(self, text: str, pattern, table) -> list[tuple[int, int, int | None]]:
        if pattern is None or not text:
            return [(0, len(text), None)]
        out: list[tuple[int, int, int | None]] = []
        pos = 0
        for m in pattern.finditer(text):
            start, stop = m.start(), m.end()
            tok = (table or self.by_content)[m.group()]
            if tok.single_word and (
                (start > 0 and _is_word_char(text[start - 1])) or (stop < len(text) and _is_word_char(text[stop]))
            ):
                continue
            if tok.lstrip:
                s = start
                while s > 0 and is_white_space(text[s - 1]):
                    s -= 1
                start = max(s, pos)
            if tok.rstrip:
                while stop < len(text) and is_white_space(text[stop]):
                    stop += 1
            if start > pos:
                out.append((pos, start, None))
            out.append((start, stop, tok.id))
            pos = stop
        if pos < len(text):
            out.append((pos, len(text), None))
        return out
