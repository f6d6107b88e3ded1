"""The 2-D pictures: the points drawn are the projection (numpy PCA), labels and colours as asked."""

from __future__ import annotations

import os

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tokvec.analysis.projection import pca, project

pytest.importorskip("matplotlib", reason="matplotlib (the plot extra) is missing: pip install 'tokvec[plot]'")
from tokvec.analysis.scatter import plot_points, plot_vectors, save_figure

# the tutorial's words that the 2,446-word GloVe sample holds, and a few more of the same kinds
TUTORIAL = ["sea", "water", "river", "lake", "coast", "giant", "hockey", "football", "soccer", "baseball"]


def _numpy_pca(x: np.ndarray) -> np.ndarray:
    """PCA as the textbooks write it: eigenvectors of the covariance matrix, largest first."""
    centred = x.astype(np.float64) - x.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    axes = vectors[:, np.argsort(values)[::-1][:2]]
    return centred @ axes


def _same_up_to_sign(a: np.ndarray, b: np.ndarray) -> None:
    for k in range(a.shape[1]):
        sign = np.sign(a[:, k] @ b[:, k]) or 1.0
        np.testing.assert_allclose(a[:, k], sign * b[:, k], atol=1e-5)


def test_pca_equals_the_covariance_eigenvectors():
    x = np.random.default_rng(0).standard_normal((30, 6)) * np.array([5, 3, 1, 0.5, 0.2, 0.1])
    _same_up_to_sign(pca(x), _numpy_pca(x))
    assert np.allclose(pca(x).mean(axis=0), 0)


def test_pca_signs_are_fixed_and_small_inputs_work():
    x = np.random.default_rng(1).standard_normal((10, 4))
    np.testing.assert_array_equal(pca(x), pca(x.copy()))
    assert pca(np.ones((1, 3))).tolist() == [[0.0, 0.0]]
    assert pca(np.zeros((0, 3))).shape == (0, 2)


def test_the_tutorial_picture_on_glove():
    kv = tokvec.KeyedVectors.load(
        str(data_path("embeddings-eval/glove-sample/glove.6B.50d.first2446.utf8.txt")), format="glove"
    )
    words = [w for w in TUTORIAL if w in kv]
    assert words == TUTORIAL
    water = {"sea", "water", "river", "lake", "coast"}
    fig = plot_vectors(kv, words, color_by={w: "water" for w in water})
    ax = fig.axes[0]
    offsets = np.asarray(ax.collections[0].get_offsets())
    _same_up_to_sign(offsets, _numpy_pca(kv[words]))
    assert [t.get_text() for t in ax.texts] == words
    colors = ax.collections[0].get_facecolors()
    rows = [i for i, w in enumerate(words) if w in water]
    assert np.allclose(colors[rows[0]], colors[rows[-1]]) and not np.allclose(
        colors[rows[0]], colors[words.index("hockey")]
    )
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["other", "water"]


def test_save_figure_writes_png_and_svg(tmp_path):
    fig = plot_points(np.eye(4, 3), ["a", "b", "c", "d"], groups=["x", "x", "y", "y"])
    save_figure(fig, tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    save_figure(plot_points(np.eye(4, 3), list("abcd")), tmp_path / "p.svg")
    assert b"<svg" in (tmp_path / "p.svg").read_bytes()[:500]
    with pytest.raises(tokvec.TokvecError, match=r"\.png, \.svg or \.pdf"):
        save_figure(plot_points(np.eye(4, 3), list("abcd")), tmp_path / "p.gif")


def test_wrong_lengths_and_methods_are_errors():
    with pytest.raises(tokvec.TokvecError, match="as many labels"):
        plot_points(np.eye(3), ["a"])
    with pytest.raises(tokvec.UnknownNameError, match="pca, umap, tsne"):
        project(np.eye(5), "mds")


_FULL = pytest.mark.skipif(
    os.environ.get("TOKVEC_TEST_FULL") != "1", reason="slow (numba/sklearn start-up): TOKVEC_TEST_FULL=1"
)


@_FULL
@pytest.mark.parametrize(("method", "module"), [("tsne", "sklearn"), ("umap", "umap")])
def test_tsne_and_umap_give_two_columns_seeded(method, module):
    pytest.importorskip(module, reason=f"{module} is missing (the plot extra)")
    x = np.random.default_rng(2).standard_normal((12, 5)).astype(np.float32)
    out = project(x, method, seed=1)
    assert out.shape == (12, 2) and np.isfinite(out).all()
    np.testing.assert_allclose(out, project(x, method, seed=1), rtol=1e-5, atol=1e-5)
