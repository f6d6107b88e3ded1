"""Draw the parity premiums as a PNG: one row per language, one marker per tokenizer, English at 1.

matplotlib is an optional extra (``pip install 'tokvec[plot]'``); it is imported only here, with the
file-only Agg backend, so nothing opens a window and headless machines work.
"""

from __future__ import annotations

import io
import os

import numpy as np

from .._io import atomic_write
from ..errors import TokvecError
from .parity import ParityResult

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_ROW_INCHES = 0.16  # a row per language: 7-point labels stay readable without overlapping


def check_plotting() -> None:
    """Raise the error of a missing matplotlib now (commands call it before their work, not after)."""
    _pyplot()


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise TokvecError(
            "the parity chart needs matplotlib: pip install 'tokvec[plot]' (or leave out --png)"
        ) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_premiums(result: ParityResult, path: str | os.PathLike[str], *, sort: str = "premium") -> None:
    """Write a PNG chart of every language's premium per tokenizer (log scale, sorted), atomically."""
    plt = _pyplot()
    order = result.order(sort)
    prem = result.premiums[order]
    labels = [f"{result.names[k]} ({result.codes[k]})" for k in order.tolist()]
    rows = len(labels)
    fig, ax = plt.subplots(figsize=(10, 1.6 + _ROW_INCHES * rows), layout="constrained")
    y = np.arange(rows)
    for t, tok in enumerate(result.tokenizers):
        ax.scatter(prem[:, t], y, s=14, marker=_MARKERS[t % len(_MARKERS)], label=tok, alpha=0.85, zorder=3)
    ax.axvline(1.0, color="0.3", linewidth=1, zorder=2)
    ax.set_xscale("log")
    ticks = [
        t for t in (0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16) if np.nanmin(prem) / 1.2 <= t <= np.nanmax(prem) * 1.2
    ]
    ax.set_xticks(ticks, [f"{t:g}x" for t in ticks])
    ax.minorticks_off()
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_ylim(rows - 0.5, -0.5)  # the first row at the top
    ax.grid(axis="x", color="0.85", zorder=0)
    ax.grid(axis="y", color="0.93", linewidth=0.5, zorder=0)
    ax.set_xlabel(f"tokens relative to {result.baseline} on the same FLORES-200 sentences (log scale)")
    ax.set_title("Tokenization premium per language (Petrov et al. 2023): 1x is parity with English", fontsize=11)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.95)
    for side in ("top", "right"):
        ax.xaxis.set_tick_params(labeltop=True)
        ax.spines[side].set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    atomic_write(path, buf.getvalue())
