"""Project vectors to two dimensions: PCA in numpy, UMAP and t-SNE through their libraries.

PCA is exact and deterministic: the vectors are centred and multiplied by the two leading right
singular vectors, each flipped so that its largest-magnitude loading is positive (scikit-learn's
``svd_flip`` rule), so the same vectors always give the same picture. UMAP (``umap-learn``) and
t-SNE (scikit-learn) are optional: ``pip install 'tokvec[plot]'`` brings scikit-learn,
``pip install umap-learn`` the other; both take ``seed``.

>>> import numpy as np
>>> x = np.array([[0, 0, 0], [2, 0, 0], [0, 1, 0], [2, 1, 0]], dtype=np.float32)
>>> project(x).round(2).tolist()
[[-1.0, -0.5], [1.0, -0.5], [-1.0, 0.5], [1.0, 0.5]]
"""

from __future__ import annotations

import numpy as np

from ..errors import TokvecError, UnknownNameError

METHODS = ("pca", "umap", "tsne")


def pca(vectors: np.ndarray, components: int = 2) -> np.ndarray:
    """Return the coordinates of ``vectors`` (float[n, D]) on their first principal axes: float64[n, components].

    Fewer points or dimensions than ``components`` leave the missing axes at zero.
    """
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2:
        raise TokvecError(f"pca: expected a 2-D array of vectors, got shape {x.shape}")
    out = np.zeros((x.shape[0], components), dtype=np.float64)
    if x.shape[0] == 0:
        return out
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    k = min(components, vt.shape[0])
    axes = vt[:k]
    # subtle: an SVD's signs are arbitrary; fix them so the picture does not flip between runs or libraries
    signs = np.sign(axes[np.arange(k), np.argmax(np.abs(axes), axis=1)])
    signs[signs == 0] = 1.0
    out[:, :k] = centred @ (axes * signs[:, None]).T
    return out


def project(vectors: np.ndarray, method: str = "pca", *, seed: int = 0) -> np.ndarray:
    """Project ``vectors`` (float[n, D]) to float64[n, 2] with ``method`` (``pca``, ``umap`` or ``tsne``)."""
    if method not in METHODS:
        raise UnknownNameError(f"unknown projection {method!r}; use one of {', '.join(METHODS)}")
    x = np.asarray(vectors, dtype=np.float32)
    if method == "pca" or len(x) < 4:
        return pca(x)  # t-SNE and UMAP need a few points; with fewer, PCA says all there is to say
    if method == "tsne":
        try:
            from sklearn.manifold import TSNE
        except ImportError:
            raise TokvecError("--method tsne needs scikit-learn: pip install 'tokvec[plot]'") from None
        perplexity = float(min(30.0, max(1.0, (len(x) - 1) / 3)))
        model = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed, metric="cosine")
        return np.asarray(model.fit_transform(x), dtype=np.float64)
    try:
        import umap
    except ImportError:
        raise TokvecError("--method umap needs umap-learn: pip install umap-learn (or use --method pca)") from None
    neighbours = int(min(15, len(x) - 1))
    model = umap.UMAP(n_components=2, n_neighbors=neighbours, random_state=seed, metric="cosine")
    return np.asarray(model.fit_transform(x), dtype=np.float64)
