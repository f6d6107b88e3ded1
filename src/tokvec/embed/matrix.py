"""The input embedding matrix of a checkpoint as KeyedVectors over its tokenizer's vocabulary.

Only that one tensor is read from the safetensors file (memory-mapped): ``*word_embeddings.weight`` (BERT
family), ``*embed_tokens.weight`` (Llama, Mistral, ...), ``*wte.weight`` (GPT-2), or the one named.

>>> embedding_tensor_name(["model.embed_tokens.weight", "lm_head.weight"])
'model.embed_tokens.weight'
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import FormatError, TokvecFileError
from ..tokens.presets import load as load_tokenizer
from ..vectors.keyed import KeyedVectors
from .safetensors import SafetensorsFile

_SUFFIXES = ("word_embeddings.weight", "embed_tokens.weight", "wte.weight", "shared.weight", "tok_embeddings.weight")


def embedding_tensor_name(names: list[str]) -> str:
    """Return the name of the input embedding tensor among ``names`` (the shortest match of the known suffixes)."""
    for suffix in _SUFFIXES:
        hits = [n for n in names if n.endswith(suffix)]
        if hits:
            return min(hits, key=len)
    raise FormatError(f"no input embedding tensor (*{', *'.join(_SUFFIXES)}) among {len(names)} tensors; name one")


def embedding_matrix(path: str | os.PathLike[str], *, tensor: str | None = None,
                     tokenizer: str | os.PathLike[str] | None = None) -> KeyedVectors:  # fmt: skip
    """Return the input embedding matrix of the checkpoint at ``path`` (a folder, a model name, or a safetensors file).

    Keys are the tokenizer's token strings (``tokenizer.json`` beside the weights, or ``tokenizer``); rows
    beyond the tokenizer's vocabulary (padding rows some models add) are left out.
    """
    from .load import resolve_folder

    path = os.fspath(path)
    if os.path.isfile(path):
        weights, folder = path, os.path.dirname(path) or "."
    else:
        folder = resolve_folder(path)
        weights = os.path.join(folder, "model.safetensors")
        if not os.path.exists(weights):
            raise TokvecFileError(f"{folder} has no model.safetensors")
    f = SafetensorsFile(weights)
    name = tensor or embedding_tensor_name(f.names())
    shape = f.shape(name)
    if len(shape) != 2:
        raise FormatError(f"{weights}: tensor {name!r} has shape {list(shape)}; an embedding matrix is 2-D")
    tok_path = os.fspath(tokenizer) if tokenizer else os.path.join(folder, "tokenizer.json")
    if not os.path.exists(tok_path):
        raise TokvecFileError(f"no tokenizer.json beside {weights}: pass tokenizer=PATH")
    tok = load_tokenizer(tok_path)
    if shape[0] < tok.vocab_size:
        raise FormatError(
            f"{weights}: tensor {name!r} has {shape[0]} rows but {tok_path} has {tok.vocab_size} tokens;"
            " is it the input embedding? (name another with tensor=)"
        )
    n = tok.vocab_size
    keys = tok.id_to_token_list(range(n))
    if len(set(keys)) != len(keys):
        raise FormatError(f"{tok_path}: token strings are not unique, so they cannot key the vectors")
    return KeyedVectors(keys, np.asarray(f.tensor(name)[:n], dtype=np.float32))
