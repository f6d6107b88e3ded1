"""The CLI tests here run ``tokvec`` in-process with the fixture of tests/cli."""

from tests.cli.conftest import cli  # noqa: F401 - a fixture
