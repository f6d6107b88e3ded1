"""The one table layout of the project: aligned columns, thousands separators, two decimals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric: Iterable[int] = ()) -> str:
    """Lay out ``rows`` under ``headers`` in aligned columns; columns in ``numeric`` align right.

    >>> print(format_table(["name", "n"], [["a", 1], ["bbb", 22]], numeric=[1]))
    name   n
    a      1
    bbb   22
    """
    right = set(numeric)
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[c]) for row in cells) for c in range(len(headers))]
    lines = []
    for row in cells:
        parts = [v.rjust(w) if c in right else v.ljust(w) for c, (v, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
