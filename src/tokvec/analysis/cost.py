"""What a token count means: price (a table of USD per million tokens), context-window fit, rules of thumb.

The bundled table (``tokvec/data/prices.json``) is an EXAMPLE of public list prices; prices change,
so a user passes their own as JSON (``{"models": [{...}, ...]}``) or TOML (``[[models]]`` tables)
with the same fields: ``model``, ``tokenizer``, ``input`` and ``output`` (USD per million tokens) and
``context_window`` (tokens).

>>> fit_message(61_234)
'61,234 tokens: fits in 128k, not in 32k'
>>> window_label(8192), window_label(16385), window_label(200_000)
('8k', '16k', '200k')
>>> table = load_prices()
>>> [p.model for p in table.for_tokenizer("o200k_base")]
['gpt-4o', 'gpt-4o-mini']
>>> round(table.for_tokenizer("o200k_base")[0].input_cost(1_000_000), 2)
2.5
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .._io import read_bytes
from ..errors import FormatError

#: context windows for the fit message, in tokens ("k" = 1,024 up to 32k; 128k and up as sold: 128,000)
WINDOWS = (4_096, 8_192, 16_384, 32_768, 128_000, 200_000, 1_000_000)
CHARACTERS_PER_TOKEN = 4.0  # rule of thumb for English text (OpenAI's help pages)
WORDS_PER_TOKEN = 0.75  # "a token is about 3/4 of a word"
_ALIASES = {"gpt2": "r50k_base"}


def window_label(tokens: int) -> str:
    """Name a window size as people say it: 4096 -> '4k', 128000 -> '128k', 1000000 -> '1M'."""
    if tokens >= 1_000_000 and tokens % 1_000_000 == 0:
        return f"{tokens // 1_000_000}M"
    if tokens >= 100_000 and tokens % 1000 == 0:  # subtle: 128,000 is also 125 x 1024
        return f"{tokens // 1000}k"
    if tokens % 1024 == 0:
        return f"{tokens // 1024}k"
    return f"{round(tokens / 1000)}k" if tokens >= 1000 else str(tokens)


def fit_message(tokens: int, windows: tuple[int, ...] = WINDOWS) -> str:
    """Say which context windows ``tokens`` fits in: the smallest that holds it and the largest that does not."""
    fits = [w for w in windows if tokens <= w]
    misses = [w for w in windows if tokens > w]
    parts = []
    if fits:
        parts.append(f"fits in {window_label(min(fits))}")
    if misses:
        parts.append(f"not in {window_label(max(misses))}")
    return f"{tokens:,} tokens: {', '.join(parts)}"


@dataclass(frozen=True)
class ModelPrice:
    """One model's prices in USD per million tokens and its context window."""

    model: str
    tokenizer: str
    input: float
    output: float
    context_window: int

    def __post_init__(self) -> None:
        if self.input < 0 or self.output < 0 or self.context_window <= 0:
            raise FormatError(f"model {self.model!r}: prices must be >= 0 and context_window > 0")

    def input_cost(self, tokens: int) -> float:
        """USD for ``tokens`` tokens sent to the model."""
        return tokens * self.input / 1e6

    def output_cost(self, tokens: int) -> float:
        """USD for ``tokens`` tokens that the model writes."""
        return tokens * self.output / 1e6

    def fits(self, tokens: int) -> bool:
        """Tell whether ``tokens`` fits in the model's context window."""
        return tokens <= self.context_window


@dataclass(frozen=True)
class PriceTable:
    """Models with prices; ``source`` says where the table came from."""

    models: tuple[ModelPrice, ...]
    source: str
    about: str = ""

    def for_tokenizer(self, name: str) -> list[ModelPrice]:
        """Return the models that use tokenizer ``name`` (``gpt2`` and ``r50k_base`` are one)."""
        key = _ALIASES.get(name, name)
        return [m for m in self.models if _ALIASES.get(m.tokenizer, m.tokenizer) == key]


def load_prices(path: str | os.PathLike[str] | None = None) -> PriceTable:
    """Read a price table from ``path`` (``.json`` or ``.toml``), or the bundled example table."""
    if path is None:
        raw = resources.files("tokvec.data").joinpath("prices.json").read_text(encoding="utf-8")
        return _parse(json.loads(raw), "the bundled example table")
    path = os.fspath(path)
    data = read_bytes(path)
    try:
        if path.endswith(".toml"):
            obj = tomllib.loads(data.decode("utf-8"))
        else:
            obj = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        kind = "TOML" if path.endswith(".toml") else "JSON (name a TOML file *.toml)"
        raise FormatError(f"{path}: not valid {kind}: {e}") from None
    return _parse(obj, path)


_NUMBER = (int, float)
_FIELDS = {"model": str, "tokenizer": str, "input": _NUMBER, "output": _NUMBER, "context_window": int}
_KIND_NAMES = {str: "text", _NUMBER: "number", int: "whole number"}


def _parse(obj: Any, source: str) -> PriceTable:
    models = obj.get("models") if isinstance(obj, dict) else None
    if not isinstance(models, list) or not models:
        raise FormatError(f"{source}: expected a list 'models' of tables with fields {', '.join(_FIELDS)}")
    out = []
    for k, entry in enumerate(models):
        if not isinstance(entry, dict):
            raise FormatError(f"{source}: models[{k}] is not a table/object")
        for name, kind in _FIELDS.items():
            value = entry.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise FormatError(
                    f"{source}: models[{k}] ({entry.get('model', '?')}): field {name!r} is missing or not a"
                    f" {_KIND_NAMES[kind]}, got {value!r}"
                )
        try:
            out.append(ModelPrice(**{name: entry[name] for name in _FIELDS}))
        except FormatError as e:
            raise FormatError(f"{source}: models[{k}]: {e}") from None
    return PriceTable(tuple(out), source, str(obj.get("about", "")))


@dataclass(frozen=True)
class RuleOfThumb:
    """The rules of thumb beside what a tokenizer measured on the user's text."""

    tokens: int
    characters: int
    words: int

    @property
    def characters_per_token(self) -> float:
        """Measured characters per token (the rule says about 4 in English)."""
        return self.characters / self.tokens if self.tokens else 0.0

    @property
    def words_per_token(self) -> float:
        """Measured words per token (the rule says about 3/4 in English)."""
        return self.words / self.tokens if self.tokens else 0.0

    @property
    def estimate_from_characters(self) -> int:
        """Tokens that the 4-characters rule predicts."""
        return round(self.characters / CHARACTERS_PER_TOKEN)

    @property
    def estimate_from_words(self) -> int:
        """Tokens that the 3/4-word rule predicts."""
        return round(self.words / WORDS_PER_TOKEN)
