"""Fixtures of the hardening tests: the command in-process (presets loaded once), and a small recommender."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

import tokvec
from tokvec.cli.main import main

_real_load = tokvec.load


@functools.cache
def _preset(name: str) -> tokvec.Tokenizer:
    return _real_load(name)


def _load(name, **options):  # only presets are shared: crafted files must be read every time
    if isinstance(name, str) and name in tokvec.presets() and not options:
        return _preset(name)
    return _real_load(name, **options)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """Run ``tokvec ARGS`` in-process; return (exit status, stdout, stderr)."""
    monkeypatch.setattr(tokvec, "load", _load)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main(list(argv))
        except SystemExit as e:
            status = int(e.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


@functools.cache
def _recommender():
    from tokvec.recommend import preset, sample_playlists, train_recommender

    return train_recommender(sample_playlists(), preset("book").replace(epochs=1, transition_weight=0.5))


@pytest.fixture
def recommender():
    """A recommender trained for one epoch on the bundled sample (immutable: shared)."""
    return _recommender()
