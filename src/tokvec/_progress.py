"""A small progress bar on stderr: percentage, rate and time left, redrawn at most 10 times a second.

On a terminal the bar redraws in place; elsewhere (a log file, a pipe) it prints only one final line,
so logs stay short. ``enabled=False`` (``--quiet``) prints nothing at all.

>>> import io
>>> out = io.StringIO()
>>> with Progress(2_000_000, label="count", stream=out, clock=iter([0.0, 2.0]).__next__) as bar:
...     bar.update(1_000_000)
>>> print(out.getvalue().strip())
count 50% 1.0/2.0 MB in 2.0 s (500.0 kB/s)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

_BAR_WIDTH = 24
_BLOCKS = " ▏▎▍▌▋▊▉█"


class Progress:
    """Show how much of ``total`` bytes is done (``total=None`` when unknown: no percentage, no ETA).

    Call :meth:`update` with each increment or :meth:`set` with the position; use as a context
    manager, or call :meth:`close` to print the final line.
    """

    def __init__(
        self,
        total: int | None,
        *,
        label: str = "",
        stream: TextIO | None = None,
        enabled: bool = True,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        unit: str = "B",
    ) -> None:
        self.total = total if total and total > 0 else None
        self.label = label
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.interval = interval
        self._clock = clock
        self._start = clock()
        self._last_draw = -1.0e9
        self._live = enabled and _isatty(self.stream)
        self._width = 0
        self._closed = False
        self.unit = unit

    def update(self, n: int) -> None:
        """Add ``n`` to the position."""
        self.set(self.done + n)

    def set(self, done: int) -> None:
        """Move to position ``done``; redraw if the last redraw is older than ``interval``."""
        self.done = done
        if not self._live:
            return
        now = self._clock()
        if now - self._last_draw >= self.interval:
            self._last_draw = now
            self._draw(self.line(now, final=False), end="")

    def line(self, now: float, *, final: bool) -> str:
        """Return the status line at time ``now`` (the final line says the time taken, not the ETA)."""
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        scale, unit = _unit(max(self.total or 0, self.done), self.unit)
        parts = [self.label] if self.label else []
        if self.total is not None:
            frac = min(self.done / self.total, 1.0)
            parts.append(f"{frac:.0%}" if final else f"{frac:4.0%}")
            if not final:
                parts.append(_bar(frac))
            parts.append(f"{self.done / scale:.1f}/{self.total / scale:.1f} {unit}")
        else:
            parts.append(f"{self.done / scale:.1f} {unit}")
        rate_scale, rate_unit = _unit(rate, self.unit)
        if final:
            parts.append(f"in {elapsed:.1f} s ({rate / rate_scale:.1f} {rate_unit}/s)")
        else:
            parts.append(f"{rate / rate_scale:.1f} {rate_unit}/s")
            if self.total is not None and rate > 0:
                parts.append(f"ETA {_clock_time((self.total - self.done) / rate)}")
        return " ".join(parts)

    def close(self) -> None:
        """Print the final line (once)."""
        if self._closed or not self.enabled:
            self._closed = True
            return
        self._closed = True
        self._draw(self.line(self._clock(), final=True), end="\n")

    def _draw(self, text: str, *, end: str) -> None:
        if self._live:
            pad = max(self._width - len(text), 0)
            self.stream.write("\r" + text + " " * pad + end)
            self._width = 0 if end else len(text)
        else:
            self.stream.write(text + end)
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        elif self._live and self._width:
            self.stream.write("\n")  # leave the bar where it stopped; the error goes below it
            self.stream.flush()
            self._closed = True


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _bar(frac: float) -> str:
    eighths = int(frac * _BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    cells = "█" * full + (_BLOCKS[part] if full < _BAR_WIDTH else "")
    return "|" + cells.ljust(_BAR_WIDTH) + "|"


def _unit(n: float, base: str = "B") -> tuple[float, str]:
    """Return the scale and name of the decimal unit that suits ``n`` bytes (or ``n`` of ``base``: "4.2k texts")."""
    if base != "B":
        for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if n >= scale:
                return scale, f"{prefix} {base}"
        return 1.0, base
    for scale, name in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if n >= scale:
            return scale, name
    return 1.0, "B"


def _clock_time(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
