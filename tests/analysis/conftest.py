"""The CLI fixtures (`cli`, each tokenizer loaded once) for the analysis tests too."""

from tests.cli.conftest import _load_once, cli  # noqa: F401
