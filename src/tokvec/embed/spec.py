"""Read a model folder: a sentence-transformers folder (``modules.json``) or a plain Hugging Face checkpoint.

What tokvec runs is written down here, once: the transformer's shape (:class:`TransformerSpec`, from
``config.json``), then the modules after it (:class:`Pooling`, optional ``Dense`` layers, ``Normalize``).
Covered architectures: BERT (``model_type`` bert), RoBERTa and XLM-RoBERTa (roberta, xlm-roberta, camembert),
and DistilBERT; others are refused naming the architecture.

>>> from tokvec.embed.spec import TransformerSpec
>>> s = TransformerSpec.from_config({"model_type": "bert", "hidden_size": 384, "num_hidden_layers": 6,
...     "num_attention_heads": 12, "intermediate_size": 1536, "max_position_embeddings": 512})
>>> s.architecture, s.head_dim, s.max_tokens
('bert', 32, 512)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from ..errors import FormatError, TokvecFileError

#: model_type -> the weight layout tokvec reads it with
ARCHITECTURES = {"bert": "bert", "roberta": "roberta", "xlm-roberta": "roberta", "camembert": "roberta",
                 "distilbert": "distilbert"}  # fmt: skip
_ACTIVATIONS = ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu")
_POOLING = ("mean", "cls", "max", "mean_sqrt_len", "lasttoken")


@dataclass(frozen=True)
class TransformerSpec:
    """The shape of a BERT-family encoder, from its ``config.json``."""

    architecture: str
    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    type_vocab: int = 2
    eps: float = 1e-12
    activation: str = "gelu"
    pad_id: int = 0
    model_type: str = "bert"

    def __post_init__(self) -> None:
        if self.hidden <= 0 or self.layers <= 0 or self.heads <= 0 or self.hidden % self.heads:
            raise FormatError(
                f"config.json: hidden size {self.hidden} must be a positive multiple of {self.heads} heads"
            )
        if self.activation not in _ACTIVATIONS:
            raise FormatError(f"config.json: activation {self.activation!r} is not one of {', '.join(_ACTIVATIONS)}")

    @property
    def head_dim(self) -> int:
        """Width of one attention head."""
        return self.hidden // self.heads

    @property
    def max_tokens(self) -> int:
        """The most tokens one input may have (RoBERTa's positions start after the padding id)."""
        return self.max_positions - (self.pad_id + 1 if self.architecture == "roberta" else 0)

    @classmethod
    def from_config(cls, config: dict[str, Any], where: str = "config.json") -> TransformerSpec:
        """Read a Hugging Face ``config.json`` object."""
        model_type = str(config.get("model_type", ""))
        if model_type not in ARCHITECTURES:
            names = config.get("architectures")
            if not isinstance(names, list) or not names:
                names = [model_type or "unknown"]
            raise FormatError(
                f"{where}: architecture {names[0]!r} (model_type {model_type!r}) is not covered; tokvec runs BERT,"
                " RoBERTa, XLM-RoBERTa and DistilBERT encoders"
            )
        arch = ARCHITECTURES[model_type]
        try:
            if arch == "distilbert":
                return cls(arch, int(config["dim"]), int(config["n_layers"]), int(config["n_heads"]),
                           int(config["hidden_dim"]), int(config.get("max_position_embeddings", 512)), 0, 1e-12,
                           str(config.get("activation", "gelu")), int(config.get("pad_token_id", 0)),
                           model_type)  # fmt: skip
            return cls(arch, int(config["hidden_size"]), int(config["num_hidden_layers"]),
                       int(config["num_attention_heads"]), int(config["intermediate_size"]),
                       int(config.get("max_position_embeddings", 512)), int(config.get("type_vocab_size", 2)),
                       float(config.get("layer_norm_eps", 1e-12)), str(config.get("hidden_act", "gelu")),
                       int(config.get("pad_token_id", 0) or 0), model_type)  # fmt: skip
        except (KeyError, TypeError, ValueError) as e:
            raise FormatError(f"{where}: missing or bad field {e} for a {model_type} config") from None


@dataclass(frozen=True)
class Dense:
    """A sentence-transformers ``Dense`` module: ``activation(x @ weight.T + bias)``."""

    path: str
    in_features: int
    out_features: int
    bias: bool = True
    activation: str = "identity"  # identity | tanh | relu | gelu


@dataclass(frozen=True)
class ModelSpec:
    """Everything tokvec needs to run a model folder."""

    folder: str
    transformer: TransformerSpec
    pooling: str = "mean"
    include_prompt: bool = True
    dense: tuple[Dense, ...] = ()
    normalize: bool = False
    max_seq_length: int = 512
    transformer_path: str = ""
    sentence_transformers: bool = False
    prompts: dict[str, str] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        """Width of the sentence vectors."""
        return self.dense[-1].out_features if self.dense else self.transformer.hidden


def read_json(path: str) -> Any:
    """Read a JSON file, naming it in every error."""
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise TokvecFileError(f"{path} is missing") from None
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise FormatError(f"{path}: not valid JSON ({e})") from None


def read_object(path: str) -> dict[str, Any]:
    """Read a JSON file that must hold an object, naming it in every error."""
    obj = read_json(path)
    if not isinstance(obj, dict):
        raise FormatError(f"{path}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _index(m: object) -> int:
    idx = m.get("idx", 0) if isinstance(m, dict) else 0
    return idx if isinstance(idx, int) else 0  # subtle: a bad idx sorts first, the module is checked next


def _module_path(folder: str, path: object, modules_path: str) -> str:
    """Return the folder of one module: a relative path inside ``folder`` (no NUL, '..' or surrogates)."""
    ok = isinstance(path, str) and "\x00" not in path and not os.path.isabs(path) and ".." not in path.split("/")
    try:
        if ok:
            path.encode("utf-8")  # type: ignore[union-attr]
    except UnicodeEncodeError:
        ok = False
    if not ok:
        raise FormatError(f"{modules_path}: module path {path!r} is not a folder inside the model folder")
    return os.path.join(folder, path)  # type: ignore[arg-type]


def read_spec(folder: str) -> ModelSpec:
    """Read ``folder`` (a sentence-transformers folder, or a Hugging Face checkpoint) into a :class:`ModelSpec`."""
    modules_path = os.path.join(folder, "modules.json")
    if not os.path.exists(modules_path):
        tf = _transformer(folder)
        return ModelSpec(folder, tf, max_seq_length=_max_length(folder, tf, None))
    modules = read_json(modules_path)
    if not isinstance(modules, list):
        raise FormatError(f"{modules_path}: expected a list of modules")
    pooling, include_prompt, dense, normalize, tf_path, tf = "mean", True, [], False, "", None
    for m in sorted(modules, key=_index):
        if not isinstance(m, dict) or not isinstance(m.get("type"), str):
            raise FormatError(f"{modules_path}: every module needs a 'type'")
        kind, path = m["type"].rsplit(".", 1)[-1], _module_path(folder, m.get("path", ""), modules_path)
        if kind == "Transformer":
            tf_path, tf = path, _transformer(path)
        elif kind == "Pooling":
            pooling, include_prompt = _pooling(os.path.join(path, "config.json"))
        elif kind == "Dense":
            dense.append(_dense(path))
        elif kind == "Normalize":
            normalize = True
        else:
            raise FormatError(
                f"{modules_path}: module {m['type']!r} is not supported (Transformer, Pooling, Dense, Normalize)"
            )
    if tf is None:
        raise FormatError(f"{modules_path}: no sentence_transformers.models.Transformer module")
    st_config = os.path.join(tf_path, "sentence_bert_config.json")
    max_len = read_object(st_config).get("max_seq_length") if os.path.exists(st_config) else None
    prompts_path = os.path.join(folder, "config_sentence_transformers.json")
    prompts = read_object(prompts_path).get("prompts") or {} if os.path.exists(prompts_path) else {}
    if not isinstance(prompts, dict) or not all(isinstance(v, str) for v in prompts.values()):
        raise FormatError(f"{prompts_path}: 'prompts' must map names to prompt texts")
    return ModelSpec(folder, tf, pooling, include_prompt, tuple(dense), normalize, _max_length(tf_path, tf, max_len),
                     tf_path, True, dict(prompts))  # fmt: skip


def _transformer(path: str) -> TransformerSpec:
    config = os.path.join(path, "config.json")
    if not os.path.exists(config):
        raise TokvecFileError(f"{path} has no config.json: is it a Hugging Face model folder?")
    return TransformerSpec.from_config(read_object(config), config)


def _max_length(path: str, tf: TransformerSpec, configured: Any) -> int:
    limit = tf.max_tokens
    tok_config = os.path.join(path, "tokenizer_config.json")
    if configured is None and os.path.exists(tok_config):
        configured = read_object(tok_config).get("model_max_length")
    if isinstance(configured, int) and configured > 0:
        return min(configured, limit)
    return limit


def _pooling(path: str) -> tuple[str, bool]:
    cfg = read_object(path)
    if "pooling_mode" in cfg:
        mode = str(cfg["pooling_mode"]).replace("mean_sqrt_len_tokens", "mean_sqrt_len")
    else:
        flags = {"cls": "pooling_mode_cls_token", "mean": "pooling_mode_mean_tokens",
                 "max": "pooling_mode_max_tokens", "mean_sqrt_len": "pooling_mode_mean_sqrt_len_tokens",
                 "lasttoken": "pooling_mode_lasttoken"}  # fmt: skip
        on = [name for name, key in flags.items() if cfg.get(key)]
        if len(on) != 1:
            raise FormatError(f"{path}: expected exactly one pooling mode, got {on or 'none'}")
        mode = on[0]
    if mode not in _POOLING:
        raise FormatError(f"{path}: pooling mode {mode!r} is not one of {', '.join(_POOLING)}")
    return mode, bool(cfg.get("include_prompt", True))


def _dense(path: str) -> Dense:
    config = os.path.join(path, "config.json")
    cfg = read_object(config)
    act = str(cfg.get("activation_function", "torch.nn.modules.linear.Identity")).rsplit(".", 1)[-1].lower()
    act = {"identity": "identity", "tanh": "tanh", "relu": "relu", "gelu": "gelu"}.get(act)
    if act is None:
        raise FormatError(f"{config}: activation {cfg.get('activation_function')!r} is not supported")
    try:
        n_in, n_out = int(cfg["in_features"]), int(cfg["out_features"])
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        raise FormatError(f"{config}: missing or bad field {e} (in_features and out_features are integers)") from None
    return Dense(path, n_in, n_out, bool(cfg.get("bias", True)), act)
