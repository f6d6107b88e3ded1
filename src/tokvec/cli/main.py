"""Entry point of the ``tokvec`` command: parse the verb, run it, report errors as ``tokvec: error: ...``.

Exit status: 0 on success, 1 on an error (a traceback only with ``--debug``), 2 on a usage error,
130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import tokvec

from . import (
    compare,
    count,
    embed,
    encode,
    glove,
    listing,
    parity,
    plot,
    recommend,
    serve,
    stats,
    tokenize,
    tour,
    train,
    word2vec,
)
from ._common import epilog

_EXAMPLES = (
    'tokvec encode -t cl100k_base "Hello world"',
    "tokvec decode -t gpt2 15496 995",
    "tokvec list",
    "tokvec tour --color never",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of every verb."""
    parser = argparse.ArgumentParser(
        prog="tokvec",
        description=(
            "Tokens and embeddings: see how tokenizers split text, encode, decode and count tokens.\n"
            "Run 'tokvec COMMAND --help' for the options and examples of a command."
        ),
        epilog=epilog(_EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tokvec {tokvec.__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (
        encode,
        compare,
        count,
        stats,
        parity,
        listing,
        tour,
        recommend,
        word2vec,
        embed,
        plot,
        serve,
        tokenize,
    ):
        module.register(subparsers)
    train.register(subparsers, extra=(word2vec.register_train, glove.register_train))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tokvec`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ntokvec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (`tokvec ... | head`): not an error worth a message
        return 1
    except Exception as e:
        if args.debug:
            raise
        print(f"tokvec: error: {_message(e)}", file=sys.stderr)
        return 1


def _message(e: Exception) -> str:
    if isinstance(e, tokvec.TokvecError):
        return str(e)
    if isinstance(e, OSError) and e.filename:
        return f"{e.filename}: {e.strerror or e}"
    return f"{type(e).__name__}: {e} (this looks like a bug in tokvec; --debug shows the traceback)"


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
