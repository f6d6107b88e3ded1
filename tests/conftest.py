"""Shared fixtures: where the real data lives, and skipping (with the file named) when it is absent."""

from __future__ import annotations

import functools
import os
import pathlib
from collections.abc import Callable

import pytest

import tokvec

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("TOKVEC_TEST_DATA", ROOT.parent / "shared" / "data"))
#: every FLORES-200 line in the slow pipeline sweeps with TOKVEC_TEST_FULL=1; by default every 8th line
#: (25,806 lines, every language), which keeps `make test` within its time budget
FLORES_STRIDE = 1 if os.environ.get("TOKVEC_TEST_FULL") == "1" else 8


def data_path(relative: str) -> pathlib.Path:
    """Return ``$TOKVEC_TEST_DATA/relative``, or skip the test naming the missing file."""
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"test data file {path} is missing (set TOKVEC_TEST_DATA to the shared data folder)")
    return path


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "data: needs the real data in ../shared/data (slow with NUMBA_DISABLE_JIT)")


@functools.cache
def preset(name: str) -> tokvec.Tokenizer:
    """Load a bundled preset once per test session (tokenizers are immutable, so sharing is safe)."""
    return tokvec.load(name)


Result = tuple[int, str, str]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``tokvec ARGS`` in-process; return (exit status, stdout, stderr)."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        try:
            from tokvec.cli.main import main

            rc = main(list(argv))
        except SystemExit as e:  # argparse: --help, usage errors
            rc = e.code if isinstance(e.code, int) else 1
        out, err = capsys.readouterr()
        return rc, out, err

    return run
