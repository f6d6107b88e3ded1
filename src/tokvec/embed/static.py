"""Static embeddings: a token table and a tokenizer; a text's vector is the mean of its tokens' rows.

:class:`StaticEncoder` follows :class:`~tokvec.embed.protocol.Encoder`. Its table is a
:class:`~tokvec.vectors.keyed.KeyedVectors` over the tokenizer's vocabulary (row i = id i), so
``encoder.vectors.most_similar("engineer")`` works. ``embed`` tokenizes with tokvec (one
``encode_batch``, no special tokens) and averages rows in one numba kernel over the flat batch, as
model2vec's ``StaticModel.encode`` does: texts are first cut to ``max_length * median token length``
characters, then to ``max_length`` tokens, the unknown token is left out, an empty text gets zeros, and
``normalize`` scales to unit length. ``save`` writes model2vec's folder (``model.safetensors`` with the
``embeddings`` tensor, ``tokenizer.json``, ``config.json``, ``modules.json``); :func:`load_static` reads
such folders (vocabulary-quantized ones too: their ``mapping`` and ``weights`` are folded into the table).

>>> import numpy as np, tokvec
>>> tok = tokvec.load("bert-base-uncased")
>>> table = np.zeros((tok.vocab_size, 2), np.float32)
>>> table[tok.token_to_id("hello")] = [1, 0]
>>> table[tok.token_to_id("world")] = [0, 1]
>>> enc = StaticEncoder.from_table(table, tok, name="toy")
>>> enc.embed(["hello world", "hello"]).astype(float).round(3).tolist()
[[0.707, 0.707], [1.0, 0.0]]
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .._checks import check_array, check_finite
from .._io import atomic_write
from ..errors import FormatError, TokvecError, TokvecFileError
from ..kernels import static as kernel
from ..vectors.keyed import KeyedVectors

DEFAULT_MAX_LENGTH = 512  # model2vec's default truncation, in tokens
_BLOCK = 2048  # texts per kernel call


class StaticEncoder:
    """A token table and a tokvec tokenizer (see the module docstring). Immutable."""

    def __init__(
        self,
        vectors: KeyedVectors,
        tokenizer: Any,
        *,
        name: str = "static",
        normalize: bool = True,
        max_length: int | None = DEFAULT_MAX_LENGTH,
        config: dict[str, Any] | None = None,
    ) -> None:
        if tokenizer.vocab_size != len(vectors):
            raise TokvecError(
                f"{name}: the table has {len(vectors)} rows but the tokenizer {tokenizer.vocab_size} ids; "
                "they must match (row i is the vector of id i)"
            )
        self.vectors = vectors
        self.tokenizer = tokenizer.with_padding(None).with_truncation(None)
        self.name = name
        self.dim = vectors.vector_size
        self.max_seq_length: int | None = max_length
        self.normalize = normalize
        self.config = dict(config or {})
        self.unk_id = _unk_id(self.tokenizer)
        lengths = [len(k) for k in vectors.keys]
        self.median_token_length = int(np.median(lengths)) if lengths else 1
        self._table = np.ascontiguousarray(vectors.vectors, dtype=np.float32)

    @classmethod
    def from_table(cls, table: np.ndarray, tokenizer: Any, **options: Any) -> StaticEncoder:
        """Build from a float array [vocab_size, D] whose row i belongs to token id i."""
        keys = tokenizer.id_to_token_list(range(tokenizer.vocab_size))
        return cls(KeyedVectors(_unique(keys), np.asarray(table, dtype=np.float32)), tokenizer, **options)

    def __repr__(self) -> str:
        return f"StaticEncoder({self.name!r}, {len(self.vectors)} tokens, dim={self.dim})"

    def fingerprint(self) -> str:
        """Return a hash of the table and the settings that change vectors."""
        h = hashlib.sha256(self._table.tobytes())
        h.update(repr((self.normalize, self.max_seq_length, self.unk_id, self.tokenizer.vocab_size)).encode())
        return h.hexdigest()[:16]

    def tokenize(self, texts: list[str], *, num_threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the flat token ids and bounds of ``texts`` as ``embed`` sees them (before truncation)."""
        for k, t in enumerate(texts):
            if not isinstance(t, str):
                raise TokvecError(f"text {k} is {type(t).__name__}, not a string: embed takes a list of strings")
        if self.max_seq_length is not None:
            cut = self.max_seq_length * self.median_token_length
            texts = [t[:cut] for t in texts]
        # Hugging Face's reading of special-token text typed in a text ("[SEP]" -> its id), as model2vec
        batch = self.tokenizer.encode_batch(
            texts, add_special_tokens=False, num_threads=num_threads, allowed_special="all"
        )
        return np.asarray(batch.ids), np.asarray(batch.bounds, dtype=np.int64)

    def embed(
        self,
        texts: Any,
        *,
        normalize: bool | None = None,
        num_threads: int | None = None,
        batch_size: int | None = None,
        progress: bool | None = None,
    ) -> np.ndarray:
        """Return float32 [N, dim]: the mean row of each text's tokens (unit length when ``normalize``).

        ``normalize`` defaults to the model's setting (model2vec's ``config.json``); ``batch_size`` and
        ``progress`` are accepted for the protocol and not needed (a table lookup is fast).
        """
        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        threads = max(1, num_threads or os.cpu_count() or 1)
        ids, bounds = self.tokenize(texts, num_threads=threads)
        n = len(texts)
        out = np.empty((n, self.dim), dtype=np.float32)
        unit = self.normalize if normalize is None else bool(normalize)
        skip = -1 if self.unk_id is None else self.unk_id
        limit = -1 if self.max_seq_length is None else self.max_seq_length

        def run(first: int) -> None:
            kernel.mean_rows(self._table, ids, bounds, first, min(first + _BLOCK, n), skip, limit, unit, out)

        starts = range(0, n, _BLOCK)
        if threads > 1 and len(starts) > 1:
            with ThreadPoolExecutor(min(threads, len(starts))) as pool:
                list(pool.map(run, starts))
        else:
            for s in starts:
                run(s)
        return out[0] if single else out

    def save(self, folder: str | os.PathLike[str], *, dtype: str = "float32") -> None:
        """Write model2vec's folder layout (``model2vec.StaticModel.from_pretrained(folder)`` loads it)."""
        from .safetensors import write_safetensors

        if dtype not in ("float32", "float16"):
            raise TokvecError(f"dtype={dtype!r}: use 'float32' or 'float16'")
        os.makedirs(folder, exist_ok=True)
        write_safetensors(os.path.join(folder, "model.safetensors"), {"embeddings": self._table.astype(dtype)})
        self.tokenizer.save(os.path.join(folder, "tokenizer.json"))
        config = {"model_type": "model2vec", "architectures": ["StaticModel"], "tokenizer_name": self.name,
                  "apply_pca": self.dim, "sif_coefficient": None, "hidden_dim": self.dim, "seq_length": 1000000,
                  "pooling": "mean", **self.config, "normalize": self.normalize, "max_length": self.max_seq_length,
                  "embedding_dtype": dtype}  # fmt: skip
        atomic_write(os.path.join(folder, "config.json"), json.dumps(config, indent=4).encode())
        modules = [{"idx": 0, "name": "0", "path": ".", "type": "sentence_transformers.models.StaticEmbedding"}]
        if self.normalize:
            modules.append(
                {"idx": 1, "name": "1", "path": "1_Normalize", "type": "sentence_transformers.models.Normalize"}
            )
        atomic_write(os.path.join(folder, "modules.json"), json.dumps(modules, indent=4).encode())


def is_model2vec_folder(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` holds a model2vec model (its config.json says model_type "model2vec")."""
    path = os.path.join(folder, "config.json")
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and (
        config.get("model_type") == "model2vec" or config.get("architectures") == ["StaticModel"]
    )


def load_static(folder: str | os.PathLike[str], *, name: str | None = None) -> StaticEncoder:
    """Read a model2vec folder (model.safetensors, tokenizer.json, config.json) into a :class:`StaticEncoder`."""
    from ..tokens.presets import load as load_tokenizer
    from .safetensors import SafetensorsFile

    paths = {n: os.path.join(folder, n) for n in ("model.safetensors", "tokenizer.json", "config.json")}
    for n, p in paths.items():
        if not os.path.exists(p):
            raise TokvecFileError(f"{folder} has no {n}; a model2vec folder holds model.safetensors, tokenizer.json"
                                  " and config.json")  # fmt: skip
    config = _read_config(paths["config.json"])
    tokenizer = load_tokenizer(paths["tokenizer.json"])
    st = SafetensorsFile(paths["model.safetensors"])
    where = paths["model.safetensors"]
    tensor = "embeddings" if "embeddings" in st else "embedding.weight" if "embedding.weight" in st else None
    if tensor is None:
        raise FormatError(f"{where}: no 'embeddings' tensor (found {', '.join(st.names()) or 'none'})")
    table = check_array(where, tensor, np.asarray(st.tensor(tensor), dtype=np.float32), kind="f", ndim=2)
    if "mapping" in st:  # vocabulary quantization: token id -> row
        mapping = check_array(where, "mapping", st.tensor("mapping"), kind="iu", ndim=1)
        if mapping.size and (int(mapping.min()) < 0 or int(mapping.max()) >= len(table)):
            raise FormatError(f"{where}: mapping holds rows outside 0..{len(table) - 1} (corrupted or edited file?)")
        if len(mapping) != tokenizer.vocab_size:  # before the table of len(mapping) rows is made
            raise FormatError(f"{where}: mapping has {len(mapping)} entries, the tokenizer {tokenizer.vocab_size} ids")
        table = table[mapping.astype(np.int64)]
    if "weights" in st:  # per-token weights, applied to the rows before the mean
        weights = check_array(where, "weights", np.asarray(st.tensor("weights"), dtype=np.float32), kind="f",
                              ndim=1, shape=(len(table),))  # fmt: skip
        table = check_finite(where, table * weights[:, None])
    if len(table) != tokenizer.vocab_size:
        raise FormatError(f"{where}: the table has {len(table)} rows but {paths['tokenizer.json']} has"
                          f" {tokenizer.vocab_size} ids; they must match (row i is the vector of id i)")  # fmt: skip
    max_length = config.get("max_length", DEFAULT_MAX_LENGTH)
    if max_length is not None and (not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1):
        raise FormatError(f"{paths['config.json']}: max_length must be a positive whole number or null, "
                          f"not {max_length!r}")  # fmt: skip
    return StaticEncoder.from_table(table, tokenizer, name=name or os.path.basename(os.path.normpath(folder)),
                                    normalize=bool(config.get("normalize", True)), max_length=max_length,
                                    config=config)  # fmt: skip


def _read_config(path: str) -> dict[str, Any]:
    """Return model2vec's config.json: a JSON object, else a FormatError naming the file."""
    try:
        with open(path, "rb") as f:
            config = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise FormatError(f"{path}: not JSON ({e}); is it a model2vec config.json?") from None
    if not isinstance(config, dict):
        raise FormatError(f"{path}: must be a JSON object, not {type(config).__name__}")
    return config


def _unk_id(tokenizer: Any) -> int | None:
    """The unknown token's id (WordPiece, BPE, word level: ``unk_token``; Unigram: ``unk_id``), or None."""
    model = getattr(tokenizer, "model", None)
    token = getattr(model, "unk_token", None)
    if token is not None:
        return tokenizer.token_to_id(token)
    unk = getattr(model, "unk_id", None)
    return None if unk is None or unk < 0 else int(unk)


def _unique(keys: list[str]) -> list[str]:
    """Keys for KeyedVectors: an id whose spelling repeats an earlier one's gets ``#id`` appended."""
    seen: set[str] = set()
    out = []
    for i, k in enumerate(keys):
        if k in seen:
            k = f"{k}#{i}"
        seen.add(k)
        out.append(k)
    return out
