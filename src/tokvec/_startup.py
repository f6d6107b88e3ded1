"""Ctrl-C while the ``tokvec`` command starts: the one line ``tokvec: interrupted`` and exit 130, no traceback.

The command's imports (numpy, numba, the kernels, onnx glue) take most of a second, and a Ctrl-C in
them used to end in Python's KeyboardInterrupt traceback from deep inside an import. ``tokvec/__init__.py``
imports this module first; when the process is the command (``python -m tokvec`` or the console script
``tokvec``), :func:`install` puts a handler on SIGINT that writes the line and leaves at once with
``os._exit(130)`` (nothing has been written yet, so there is nothing to clean up). Once the imports are
done, :func:`tokvec.cli.main.run` calls :func:`ready`, which gives SIGINT back to Python's handler
(the command's own clean-up then takes over). ``import tokvec`` in a program or notebook is not the
command, and leaves SIGINT alone.

Only modules that Python has loaded already at start-up are imported here, so that the handler is in
place within milliseconds; the first tens of milliseconds (the interpreter, ``site``, ``runpy``) stay Python's.

>>> is_command(["python", "-m", "tokvec", "count"], "-m")
True
>>> is_command(["python", "-m", "pytest"], "-m"), is_command(["python", "app.py"], "app.py")
(False, False)
>>> is_command(["/venv/bin/python", "/venv/bin/tokvec", "list"], "/venv/bin/tokvec")
True
"""

from __future__ import annotations

import _signal  # subtle: `signal` imports enum, not loaded yet at start-up; _signal is built in
import itertools
import os
import sys

_installed = {"on": False}


def is_command(orig_argv: list[str], argv0: str) -> bool:
    """Tell whether the process is the ``tokvec`` command, from ``sys.orig_argv`` and ``sys.argv[0]``.

    ``python -m tokvec``: ``-m`` followed by ``tokvec`` on the interpreter's command line (``argv0`` is
    ``-m`` while the package is imported). The console script: ``argv0`` is a file named ``tokvec``.
    """
    if argv0 == "-m":
        args = list(orig_argv)
        return "-mtokvec" in args or any(a == "-m" and b == "tokvec" for a, b in itertools.pairwise(args))
    name = os.path.basename(argv0).lower()
    return name in ("tokvec", "tokvec.exe", "tokvec-script.py")


def _interrupted(signum: int, frame: object) -> None:
    try:  # noqa: SIM105 - contextlib is not loaded yet
        os.write(2, b"tokvec: interrupted\n")
    except OSError:
        pass
    os._exit(130)


def install() -> None:
    """Catch SIGINT until :func:`ready` if this process is the command and SIGINT has Python's own handler."""
    if not is_command(getattr(sys, "orig_argv", []), sys.argv[0] if sys.argv else ""):
        return
    if _signal.getsignal(_signal.SIGINT) is not _signal.default_int_handler:  # ignored (nohup, a job `&`): keep it
        return
    try:
        _signal.signal(_signal.SIGINT, _interrupted)
    except ValueError:  # not the main thread (imported from a thread): nothing to do
        return
    _installed["on"] = True


def ready() -> None:
    """Give SIGINT back to Python's handler (KeyboardInterrupt), if :func:`install` took it."""
    if _installed["on"] and _signal.getsignal(_signal.SIGINT) is _interrupted:
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    _installed["on"] = False


install()  # on import: tokvec/__init__.py imports this module before anything else
