"""Draw vectors as the labelled 2-D scatter of the word-vector tutorials (PCA, or UMAP / t-SNE).

One scatter holds every point, in the order given, so ``fig.axes[0].collections[0].get_offsets()``
is the projection itself (the tests read it there, not the pixels). Points take one colour per
label of ``color_by``, with a legend; every point is labelled with its key. matplotlib is the
``plot`` extra and runs on its file-only Agg backend.

>>> import numpy as np, tokvec
>>> kv = tokvec.KeyedVectors(["sea", "waters", "tea", "lion"], np.eye(4, 3, dtype=np.float32))
>>> fig = plot_vectors(kv, ["sea", "waters", "tea"])
>>> fig.axes[0].collections[0].get_offsets().shape
(3, 2)
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._io import atomic_write
from ..errors import TokvecError
from .plot import _pyplot
from .projection import project

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
_MAX_LABELS = 200  # past this many points the labels are a grey blur; the points stay


def plot_points(
    vectors: np.ndarray,
    labels: Sequence[str],
    *,
    method: str = "pca",
    groups: Sequence[str] | None = None,
    title: str | None = None,
    seed: int = 0,
) -> Any:
    """Return a matplotlib Figure of ``vectors`` (float[n, D]) projected to 2-D, each point labelled.

    ``groups``: one label per point that picks its colour (a legend names them).
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(labels) != len(vectors):
        raise TokvecError(f"plot: {len(vectors)} vectors need as many labels, got {len(labels)}")
    if groups is not None and len(groups) != len(vectors):
        raise TokvecError(f"plot: {len(vectors)} points need as many colour labels, got {len(groups)}")
    if len(vectors) == 0:
        raise TokvecError("plot: nothing to draw; give at least one key")
    coords = project(vectors, method, seed=seed)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 6), layout="constrained")
    names = sorted(set(groups)) if groups is not None else []
    if groups is not None:
        index = {name: k for k, name in enumerate(names)}
        colors = [_PALETTE[index[g] % len(_PALETTE)] for g in groups]
    else:
        colors = [_PALETTE[0]] * len(vectors)
    ax.scatter(coords[:, 0], coords[:, 1], c=colors, s=28, zorder=3)
    if len(labels) <= _MAX_LABELS:
        for (x, y), label in zip(coords, labels, strict=True):
            ax.annotate(str(label)[:40], (x, y), xytext=(4, 3), textcoords="offset points", fontsize=9)
    if names:
        handles = [
            plt.Line2D([], [], marker="o", linestyle="", color=_PALETTE[k % len(_PALETTE)], label=name)
            for k, name in enumerate(names[:20])
        ]
        ax.legend(handles=handles, fontsize=8, loc="best", framealpha=0.9)
    axis = {"pca": "PC", "umap": "UMAP ", "tsne": "t-SNE "}[method]
    ax.set_xlabel(f"{axis}1")
    ax.set_ylabel(f"{axis}2")
    ax.grid(color="0.92", zorder=0)
    ax.set_title(title or f"{len(vectors)} vectors, {method.upper() if method == 'pca' else method}", fontsize=11)
    return fig


def plot_vectors(
    kv: Any,
    words: Sequence[str] | None = None,
    *,
    method: str = "pca",
    color_by: Mapping[str, str] | Sequence[str] | None = None,
    title: str | None = None,
    seed: int = 0,
) -> Any:
    """Return the 2-D scatter (a matplotlib Figure) of ``words`` of ``kv`` (KeyedVectors); all keys up to 100 if None.

    ``color_by``: a label per word (a mapping word -> label, or a list in the order of ``words``);
    words the mapping lacks are coloured ``other``.
    """
    words = list(kv.keys[:100]) if words is None else list(words)
    vectors = kv[words] if words else np.zeros((0, kv.vector_size), dtype=np.float32)
    groups: list[str] | None = None
    if isinstance(color_by, Mapping):
        groups = [str(color_by.get(w, "other")) for w in words]
    elif color_by is not None:
        groups = [str(g) for g in color_by]
    return plot_points(vectors, words, method=method, groups=groups, title=title, seed=seed)


def save_figure(fig: Any, path: str | os.PathLike[str]) -> None:
    """Write ``fig`` to ``path`` atomically, in the format its extension names (.png, .svg, .pdf)."""
    plt = _pyplot()
    ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".") or "png"
    if ext not in ("png", "svg", "pdf"):
        raise TokvecError(f"{path}: cannot draw a .{ext} file; name it .png, .svg or .pdf")
    buf = io.BytesIO()
    fig.savefig(buf, format=ext, dpi=110)
    plt.close(fig)
    atomic_write(path, buf.getvalue())
