"""Fixtures for the CLI tests: load each tokenizer once per session (``cli`` is in tests/conftest.py)."""

from __future__ import annotations

import pytest

import tokvec

_real_load = tokvec.load
_loaded: dict[str, tokvec.Tokenizer] = {}


def _cached_load(name, **kwargs):
    if kwargs:
        return _real_load(name, **kwargs)
    key = str(name)
    if key not in _loaded:
        _loaded[key] = _real_load(name)
    return _loaded[key]


@pytest.fixture(autouse=True)
def _load_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # tokenizers are immutable, so sharing them between tests only saves time
    monkeypatch.setattr(tokvec, "load", _cached_load)
