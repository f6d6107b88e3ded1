"""Progress of training steps (merges, EM rounds) on stderr, and running a kernel while showing it.

A kernel that reports progress writes its step count into ``progress[0]`` (an int64[1] array) as it
goes; :func:`run_with_progress` runs it on a worker thread (kernels release the GIL) and redraws the
bar from that number until the kernel returns.

>>> import io, numpy as np
>>> out = io.StringIO()
>>> def kernel(n, progress):
...     progress[0] = n
...     return n * 2
>>> run_with_progress(kernel, 10, total=10, label="merges", enabled=True, stream=out)
20
>>> out.getvalue().split(" in ")[0]
'merges 10/10'
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

import numpy as np

from ..._progress import Progress


class StepProgress(Progress):
    """A :class:`tokvec._progress.Progress` that counts steps instead of bytes."""

    def line(self, now: float, *, final: bool) -> str:
        """Return the status line: steps done, of how many, rate and time left."""
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        head = f"{self.label} {self.done}" + (f"/{self.total}" if self.total else "")
        if final:
            return f"{head} in {elapsed:.1f} s ({rate:.0f}/s)"
        if self.total and rate > 0:
            return f"{head} {self.done / self.total:4.0%} {rate:.0f}/s ETA {(self.total - self.done) / rate:.0f} s"
        return f"{head} {rate:.0f}/s"


def run_with_progress(
    kernel: Callable[..., Any], *args: Any, total: int | None, label: str, enabled: bool, stream: TextIO | None = None
) -> Any:
    """Call ``kernel(*args, progress)`` and show ``progress[0]`` as a bar while it runs.

    The kernel always runs on a worker thread, bar or not: a Ctrl-C then interrupts this thread's
    wait, never the numba call itself (where it could crash the process).
    """
    progress = np.zeros(1, dtype=np.int64)
    result: list[Any] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            result.append(kernel(*args, progress))
        except BaseException as e:  # handed to the caller's thread
            error.append(e)

    bar = StepProgress(total, label=label, stream=stream if stream is not None else sys.stderr, enabled=enabled)
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
        bar.set(int(progress[0]))
    if error:
        raise error[0]
    bar.set(int(progress[0]))
    bar.close()
    return result[0]
