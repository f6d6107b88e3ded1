"""Each tokenizer loaded once (tests/cli's fixture) for the analysis tests too; ``cli`` is in tests/conftest.py."""

from tests.cli.conftest import _load_once  # noqa: F401
