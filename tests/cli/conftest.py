"""Fixtures for the CLI tests: run ``main(argv)`` in-process, and load each tokenizer once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import tokvec
from tokvec.cli.main import main

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


Result = tuple[int, str, str]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``tokvec ARGS`` in-process; return (exit status, stdout, stderr)."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        try:
            rc = main(list(argv))
        except SystemExit as e:  # argparse: --help, usage errors
            rc = e.code if isinstance(e.code, int) else 1
        out, err = capsys.readouterr()
        return rc, out, err

    return run
