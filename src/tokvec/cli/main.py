"""Entry point of the ``tokvec`` command: parse the verb, run it, report errors as ``tokvec: error: ...``.

Exit status: 0 on success, 1 on an error (a traceback only with ``--debug``), 2 on a usage error
(argparse's convention), 130 when interrupted (Ctrl-C: one line on stderr, no file left behind).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from collections.abc import Sequence

import tokvec

from .. import _io, _startup
from ..errors import TokvecWarning
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
    search,
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
        search,
    ):
        module.register(subparsers)
    train.register(subparsers, extra=(word2vec.register_train, glove.register_train))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tokvec`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = parse(argv)
    try:
        return execute(args)
    except KeyboardInterrupt:
        _interrupted()
        return 130


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv``; a usage error prints ``tokvec: error: ...`` with the usage and exits with status 2."""
    return build_parser().parse_args(argv)


def execute(args: argparse.Namespace) -> int:
    """Run a parsed command; errors become ``tokvec: error: ...`` and status 1 (KeyboardInterrupt passes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("default", TokvecWarning)
        warnings.showwarning = _show_warning
        try:
            return args.func(args)
        except BrokenPipeError:
            _silence_stdout()  # the reader went away (`tokvec ... | head`): not an error worth a message
            return 1
        except RecursionError as e:
            if args.debug:
                raise
            print(f"tokvec: error: the input is nested too deeply to read ({e})", file=sys.stderr)
            return 1
        except MemoryError:
            if args.debug:
                raise
            print("tokvec: error: out of memory (the input asks for more than this machine has)", file=sys.stderr)
            return 1
        except Exception as e:
            if args.debug:
                raise
            print(f"tokvec: error: {_message(e)}", file=sys.stderr)
            return 1


def run(argv: Sequence[str] | None = None) -> None:
    """The console entry point: run the command on a worker thread and exit with its status."""
    # subtle: Python runs signal handlers in the main thread, between bytecodes or wherever C code
    # checks for signals, numba's dispatcher included: a KeyboardInterrupt raised while a kernel's
    # results are boxed gave "returned a result with an exception set" or a segmentation fault.
    # The command runs on another thread, so the handler only ever interrupts the main thread's
    # wait below; the command's files (temporary and newly created) are removed and the process
    # exits 130 without waiting for a kernel to finish.
    # subtle: until _startup.ready(), a Ctrl-C is tokvec._startup's (one line, exit 130): the imports,
    # the parsing and the set-up below write nothing
    args = parse(argv)
    if getattr(args, "main_thread", False) or args.command == "serve":  # a server handles its own signals
        try:
            _startup.ready()
            sys.exit(execute(args))
        except KeyboardInterrupt:
            _interrupted()
            sys.exit(130)
    _io.track_writes()
    status: list[int] = []

    def work() -> None:
        try:
            status.append(execute(args))
        except KeyboardInterrupt:
            status.append(130)
        except SystemExit as e:
            status.append(e.code if isinstance(e.code, int) else 1)

    worker = threading.Thread(target=work, name="tokvec-command", daemon=True)
    try:
        _startup.ready()
        worker.start()
        ready = os.environ.get("TOKVEC_READY_FILE")  # the interrupt tests wait for it: imports are done
        if ready:
            with open(ready, "w"):
                pass
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        _io.cancel_writes()
        _interrupted()
        sys.stderr.flush()
        os._exit(130)
    try:
        sys.stdout.flush()
    except (BrokenPipeError, OSError, ValueError):
        _silence_stdout()
    sys.exit(status[0] if status else 1)


def _interrupted() -> None:
    lead = "\n" if _isatty(sys.stderr) else ""  # end a progress bar's line on a terminal
    print(f"{lead}tokvec: interrupted", file=sys.stderr)


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    _show_text_warning(str(message))


def _show_text_warning(message: str) -> None:
    print(f"tokvec: warning: {message}", file=sys.stderr)


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
    run()
