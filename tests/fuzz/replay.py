"""Replay saved findings with their tracebacks: ``python tests/fuzz/replay.py tests/fuzz/crashes/NAME-*.bin``."""

from __future__ import annotations

import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.fuzz.targets import TARGETS, Finding


def main() -> None:
    for path in sys.argv[1:]:
        name = max((n for n in TARGETS if os.path.basename(path).startswith(n + "-")), key=len)
        with open(path, "rb") as f:
            data = f.read()
        try:
            TARGETS[name].run(data)
            print(f"{path}: ok now")
        except Finding as e:
            print(f"{path}: {e}")
            traceback.print_exception(e.__cause__ or e)


if __name__ == "__main__":
    main()
