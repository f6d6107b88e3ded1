"""Bad padding and truncation options raise the one error for bad options, ConfigError; bad values in a
tokenizer.json raise FormatError naming the object. Both are ValueErrors."""

from __future__ import annotations

import pytest

from tokvec.errors import ConfigError, FormatError
from tokvec.tokens.processors.padding import Padding, Truncation


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Padding(direction="up"), "padding direction 'up'"),
        (lambda: Padding(length=-1), "padding length -1"),
        (lambda: Truncation(strategy="middle"), "truncation strategy 'middle'"),
        (lambda: Truncation(direction="down"), "truncation direction 'down'"),
        (lambda: Truncation(max_length=-2), "must not be negative"),
        (lambda: Truncation(stride=-1), "must not be negative"),
    ],
)
def test_bad_options_raise_config_error(make, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=match) as e:
        make()
    assert isinstance(e.value, ValueError) and not isinstance(e.value, FormatError)


def test_bad_values_in_a_file_raise_format_error() -> None:
    with pytest.raises(FormatError, match=r"tokenizer\.json 'padding': padding direction 'up'"):
        Padding.from_json({"direction": "Up"})
    with pytest.raises(FormatError, match=r"tokenizer\.json 'truncation': .*must not be negative"):
        Truncation.from_json({"max_length": -5})
    with pytest.raises(FormatError, match="truncation strategy 'Sideways'"):
        Truncation.from_json({"max_length": 5, "strategy": "Sideways"})
    assert Padding.from_json({"direction": "Left", "strategy": {"Fixed": 8}}) == Padding(direction="left", length=8)
