"""Compare how several tokenizers split the same text: counts and tokens as decoded strings, side by side.

Each tokenizer encodes the text as its model would see it, with the special tokens its
post-processor adds ([CLS] ... [SEP] for BERT, </s> for T5); special-token text typed in the input
(``<|endoftext|>``) is read as ordinary text. Each token is shown as what it decodes to on its own,
as the reference libraries' ``decode([id])`` gives it.

>>> result = compare(["gpt2", "cl100k_base"], "CAPITALIZATION and other stuff")
>>> print(result.to_table())
tokenizer    tokens  vs gpt2  chars/token  tokens as decoded strings
gpt2              7                  4.29  ['CAP', 'ITAL', 'IZ', 'ATION', ' and', ' other', ' stuff']
cl100k_base       6     -14%         5.00  ['CAP', 'ITAL', 'IZATION', ' and', ' other', ' stuff']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._table import format_table  # the one table layout of the project
from ..errors import TokvecError
from .adapt import TokenView, encode_shown, name_of, token_views


@dataclass(frozen=True)
class TokenizerSplit:
    """How one tokenizer splits the text: ids, vocabulary spellings and per-token views."""

    name: str
    ids: tuple[int, ...]
    tokens: tuple[str, ...]
    views: tuple[TokenView, ...]

    @property
    def count(self) -> int:
        """Number of tokens, special tokens included."""
        return len(self.ids)

    @property
    def pieces(self) -> list[str]:
        """Each token decoded on its own (special tokens as their text)."""
        return [v.text for v in self.views]

    def as_json(self) -> dict[str, Any]:
        """Return this split as a JSON object."""
        return {
            "tokenizer": self.name,
            "count": self.count,
            "pieces": self.pieces,
            "tokens": list(self.tokens),
            "ids": list(self.ids),
            "kinds": [v.kind for v in self.views],
        }


@dataclass(frozen=True)
class Comparison:
    """The splits of one text by several tokenizers, in the order given."""

    text: str
    splits: tuple[TokenizerSplit, ...]

    def __getitem__(self, name: str) -> TokenizerSplit:
        for split in self.splits:
            if split.name == name:
                return split
        raise KeyError(f"{name!r} is not among the compared tokenizers: {[s.name for s in self.splits]}")

    def as_json(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict."""
        return {
            "text": self.text,
            "characters": len(self.text),
            "bytes": len(self.text.encode("utf-8", "surrogatepass")),
            "tokenizers": [s.as_json() for s in self.splits],
        }

    def to_json(self) -> str:
        """Return the comparison as JSON text."""
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2)

    def to_table(self) -> str:
        """Return an aligned table: tokenizer, count, change against the first, characters per token, pieces."""
        first = self.splits[0].count if self.splits else 0
        rows = []
        for k, s in enumerate(self.splits):
            change = f"{100 * (s.count - first) / first:+.0f}%" if k and first else ""
            per = round(len(self.text) / s.count, 2) if s.count else 0.0
            rows.append([s.name, s.count, change, per, repr(s.pieces)])
        vs = f"vs {self.splits[0].name}" if self.splits else "vs first"
        headers = ["tokenizer", "tokens", vs, "chars/token", "tokens as decoded strings"]
        return format_table(headers, rows, numeric=[1, 2, 3])


def split_text(tok: Any, text: str, *, name: str | None = None) -> TokenizerSplit:
    """Encode ``text`` with ``tok`` (specials added as the model sees them) and describe every token."""
    enc = encode_shown(tok, text)
    ids = [int(i) for i in enc.ids]
    tokens = list(enc.tokens)
    return TokenizerSplit(name or name_of(tok), tuple(ids), tuple(tokens), tuple(token_views(tok, ids, tokens)))


def compare(tokenizers: Sequence[Any], text: str) -> Comparison:
    """Split ``text`` with every tokenizer (objects, or names/paths for :func:`tokvec.load`).

    >>> compare(["gpt2"], "Hello world")["gpt2"].pieces
    ['Hello', ' world']
    """
    if isinstance(tokenizers, str):
        tokenizers = [tokenizers]
    if not isinstance(text, str):
        raise TokvecError(f"compare needs the text as a str, got {type(text).__name__}")
    from ..tokens.presets import load

    splits = []
    for tok in tokenizers:
        splits.append(split_text(load(tok) if isinstance(tok, str) else tok, text))
    return Comparison(text, tuple(splits))
