"""Find a BERT-family encoder's tensors in a safetensors file and lay them out as tokvec runs them.

Linear weights are stored by PyTorch as ``(out, in)``; tokvec keeps them as ``(in, out)`` float32 so that a
layer is ``x @ w + b``, with query, key and value side by side in one ``(hidden, 3 * hidden)`` matrix. Every
shape is checked against ``config.json`` before it is used; the word embedding stays a view of the mapped file.

>>> find_prefix(["bert.embeddings.word_embeddings.weight", "bert.pooler.dense.weight"])
'bert.'
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

import numpy as np

from ..errors import FormatError, TokvecFileError
from .safetensors import SafetensorsFile
from .spec import Dense, TransformerSpec

_WORD = "embeddings.word_embeddings.weight"


@dataclass(frozen=True)
class LayerWeights:
    """One transformer layer (all float32; matrices ``(in, out)``)."""

    qkv: np.ndarray
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    ffn_in: np.ndarray
    ffn_in_bias: np.ndarray
    ffn_out: np.ndarray
    ffn_out_bias: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class EncoderWeights:
    """The embeddings and layers of one encoder."""

    word: np.ndarray  # (vocab, hidden)
    position: np.ndarray  # (positions, hidden)
    token_type: np.ndarray  # (hidden,): type 0, added to every token (zeros when the model has no types)
    embedding_ln: tuple[np.ndarray, np.ndarray]
    layers: tuple[LayerWeights, ...]


def weights_file(folder: str) -> str:
    """Return the ``model.safetensors`` of ``folder``; refuse pickled PyTorch weights with the way to convert them."""
    path = os.path.join(folder, "model.safetensors")
    if os.path.exists(path):
        return path
    if glob.glob(os.path.join(folder, "model-*.safetensors")):
        raise TokvecFileError(f"{folder}: sharded safetensors checkpoints are not supported yet; save it as one file")
    if os.path.exists(os.path.join(folder, "pytorch_model.bin")):
        raise TokvecFileError(
            f"{folder} has pytorch_model.bin (a pickle, which tokvec never loads) but no model.safetensors. Convert it"
            ' once where you trust the file: python -c "from transformers import AutoModel;'
            f" AutoModel.from_pretrained('{folder}').save_pretrained('{folder}', safe_serialization=True)\""
        )
    raise TokvecFileError(f"{folder} has no model.safetensors: is it a model folder?")


def find_prefix(names: list[str]) -> str:
    """Return the prefix (``''``, ``'bert.'``, ``'roberta.'``, ...) in front of the encoder's tensor names."""
    hits = [n[: -len(_WORD)] for n in names if n.endswith(_WORD)]
    if not hits:
        raise FormatError(f"no tensor named *{_WORD} among {len(names)} tensors: is it a BERT-family checkpoint?")
    return min(hits, key=len)


def load_weights(path: str, spec: TransformerSpec) -> EncoderWeights:
    """Read and check the encoder tensors of ``path`` for ``spec``."""
    f = SafetensorsFile(path)
    p = find_prefix(f.names())
    h = spec.hidden

    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        full = p + name
        if full not in f and name.endswith("LayerNorm.weight") and full.replace(".weight", ".gamma") in f:
            full = full.replace(".weight", ".gamma")  # checkpoints of the first BERT release
        elif full not in f and name.endswith("LayerNorm.bias") and full.replace(".bias", ".beta") in f:
            full = full.replace(".bias", ".beta")
        if full not in f:
            raise FormatError(f"{path}: tensor {full!r} is missing for a {spec.model_type} model")
        if f.dtype(full) not in ("F32", "F16", "BF16", "F64"):
            raise FormatError(f"{path}: tensor {full!r} has dtype {f.dtype(full)}; expected a float type")
        got = f.shape(full)
        if got != shape:
            raise FormatError(f"{path}: tensor {full!r} has shape {list(got)}, config.json says {list(shape)}")
        a = f.tensor(full)
        return a if a.dtype == np.float32 else a.astype(np.float32)

    word = get(_WORD, (f.shape(p + _WORD)[0], h))
    positions = (
        f.shape(p + "embeddings.position_embeddings.weight")[0]
        if p + "embeddings.position_embeddings.weight" in f
        else 0
    )
    if positions < spec.max_positions:
        raise FormatError(f"{path}: {positions} position embeddings, config.json says {spec.max_positions}")
    position = get("embeddings.position_embeddings.weight", (positions, h))
    if spec.architecture == "distilbert":
        return EncoderWeights(word, position, np.zeros(h, np.float32), _ln(get, "embeddings.LayerNorm", h),
                              tuple(_distil_layer(get, i, spec) for i in range(spec.layers)))  # fmt: skip
    types = get("embeddings.token_type_embeddings.weight", (spec.type_vocab, h))[0] if spec.type_vocab else np.zeros(h)
    return EncoderWeights(word, position, np.asarray(types, np.float32), _ln(get, "embeddings.LayerNorm", h),
                          tuple(_bert_layer(get, i, spec) for i in range(spec.layers)))  # fmt: skip


def _ln(get, name: str, h: int) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    return np.ascontiguousarray(get(name + ".weight", (h,))), np.ascontiguousarray(get(name + ".bias", (h,)))


def _linear(get, name: str, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    return np.ascontiguousarray(get(name + ".weight", (n_out, n_in)).T), np.array(get(name + ".bias", (n_out,)))


def _bert_layer(get, i: int, s: TransformerSpec) -> LayerWeights:  # type: ignore[no-untyped-def]
    b, h = f"encoder.layer.{i}.", s.hidden
    parts = [_linear(get, b + f"attention.self.{n}", h, h) for n in ("query", "key", "value")]
    return LayerWeights(
        np.ascontiguousarray(np.concatenate([w for w, _ in parts], axis=1)),
        np.concatenate([v for _, v in parts]),
        *_linear(get, b + "attention.output.dense", h, h),
        _ln(get, b + "attention.output.LayerNorm", h),
        *_linear(get, b + "intermediate.dense", h, s.intermediate),
        *_linear(get, b + "output.dense", s.intermediate, h),
        _ln(get, b + "output.LayerNorm", h),
    )


def _distil_layer(get, i: int, s: TransformerSpec) -> LayerWeights:  # type: ignore[no-untyped-def]
    b, h = f"transformer.layer.{i}.", s.hidden
    parts = [_linear(get, b + f"attention.{n}", h, h) for n in ("q_lin", "k_lin", "v_lin")]
    return LayerWeights(
        np.ascontiguousarray(np.concatenate([w for w, _ in parts], axis=1)),
        np.concatenate([v for _, v in parts]),
        *_linear(get, b + "attention.out_lin", h, h),
        _ln(get, b + "sa_layer_norm", h),
        *_linear(get, b + "ffn.lin1", h, s.intermediate),
        *_linear(get, b + "ffn.lin2", s.intermediate, h),
        _ln(get, b + "output_layer_norm", h),
    )


def load_dense(dense: Dense) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a ``Dense`` module's weight ``(in, out)`` and bias from its folder's model.safetensors."""
    f = SafetensorsFile(weights_file(dense.path))
    w = f.tensor("linear.weight")
    if w.shape != (dense.out_features, dense.in_features):
        raise FormatError(f"{dense.path}: linear.weight has shape {list(w.shape)}, config.json says "
                          f"{[dense.out_features, dense.in_features]}")  # fmt: skip
    bias = np.array(f.tensor("linear.bias"), np.float32) if dense.bias else None
    if bias is not None and bias.shape != (dense.out_features,):
        raise FormatError(f"{dense.path}: linear.bias has shape {list(bias.shape)}, expected [{dense.out_features}]")
    return np.ascontiguousarray(w.T.astype(np.float32)), bias
