"""What every verb shares: the sub-parser with its ``example:`` epilog, options, tables, JSON and warnings."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from .._table import format_table as format_table  # it lives in tokvec._table; the old name stays
from ..errors import CliError as CliError  # defined in errors.py; the old name stays


def add_command(
    subparsers: Any, name: str, *, summary: str, description: str, examples: Sequence[str]
) -> argparse.ArgumentParser:
    """Add the verb ``name`` whose ``--help`` ends with an ``example:`` section (the tests run every line)."""
    parser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog(examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error"
    )
    parser.set_defaults(parser=parser)
    return parser


def epilog(examples: Sequence[str]) -> str:
    """Format shell command lines as the ``example:`` section of a help text."""
    return "example:\n" + "\n".join(f"  {line}" for line in examples)


def add_tokenizer_option(parser: argparse.ArgumentParser, *, several: bool, default: str | None = None) -> None:
    """Add ``-t/--tokenizer`` (repeatable and comma-separated when ``several``)."""
    what = "a preset name (see `tokvec list`) or the path of a tokenizer file"
    if several:
        parser.add_argument(
            "-t",
            "--tokenizer",
            action="append",
            required=default is None,
            metavar="NAME",
            help=f"{what}; repeat it or separate names with commas to use several"
            + (f" (default: {default})" if default else ""),
        )
    else:
        parser.add_argument("-t", "--tokenizer", required=True, metavar="NAME", help=what)
    parser.add_argument(
        "--pattern",
        default=None,
        metavar="NAME",
        help="the split pattern of a tiktoken rank file that is not a published encoding and has no .json beside"
        " it: r50k, cl100k, o200k, llama3 or a regex (presets keep their own)",
    )


def load_tokenizer(name: str, args: argparse.Namespace | None = None) -> Any:
    """Load ``-t NAME`` with the ``--pattern`` of ``args`` (used for files only: a preset keeps its own)."""
    import tokvec

    pattern = getattr(args, "pattern", None)
    if pattern is None or name in tokvec.presets():
        return tokvec.load(name)
    return tokvec.load(name, pattern=pattern)


def add_format_option(parser: argparse.ArgumentParser, choices: Sequence[str], help_text: str) -> None:
    """Add ``--format`` with ``choices`` (the first is the default)."""
    parser.add_argument("--format", choices=choices, default=choices[0], help=f"{help_text} (default: {choices[0]})")


def add_color_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--color auto|always|never``."""
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the tokens: auto (when stdout is a terminal and NO_COLOR is unset), always or never",
    )


def use_color(choice: str, stream: TextIO | None = None) -> bool:
    """Decide ``--color``: ``auto`` colours a terminal unless ``NO_COLOR`` is set or ``TERM=dumb``."""
    if choice != "auto":
        return choice == "always"
    stream = stream if stream is not None else sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def tokenizer_names(values: Iterable[str]) -> list[str]:
    """Split comma-separated ``-t`` values, dropping blanks and repeats (order kept)."""
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    if not names:
        raise CliError("no tokenizer given: pass -t NAME (see `tokvec list` for the presets)")
    return names


def read_stdin_text() -> str:
    """Read all of stdin as UTF-8 (bad bytes become U+FFFD, with a warning)."""
    if _isatty(sys.stdin):
        print("tokvec: reading text from stdin; end it with Ctrl-D (or give the text as an argument)", file=sys.stderr)
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        warn(f"stdin is not valid UTF-8 (first bad byte at offset {e.start}); bad bytes were read as U+FFFD")
        return data.decode("utf-8", "replace")


def warn(message: str) -> None:
    """Print ``tokvec: warning: message`` on stderr."""
    print(f"tokvec: warning: {message}", file=sys.stderr)


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout: objects one key a line, lists of numbers or strings on one line.

    >>> print_json({"ids": [1, 2], "offsets": [[0, 1], [1, 3]], "name": "ö"})
    {
      "ids": [1, 2],
      "offsets": [[0, 1], [1, 3]],
      "name": "ö"
    }
    """
    print(to_json(obj))


def to_json(obj: Any, indent: str = "") -> str:
    """Format ``obj`` as :func:`print_json` prints it (non-ASCII kept readable)."""
    inner = indent + "  "
    if isinstance(obj, dict) and obj:
        items = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {to_json(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(obj, list) and any(isinstance(v, dict) for v in obj):
        return "[\n" + ",\n".join(inner + to_json(v, inner) for v in obj) + "\n" + indent + "]"
    return json.dumps(obj, ensure_ascii=False)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
