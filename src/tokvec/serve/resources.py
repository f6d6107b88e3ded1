"""What a server holds: encoders by model name, tokenizers, word vectors, a recommender, and its limits.

Tokenizers are every preset (loaded on first use, then kept: they are immutable) and the tokenizer
of each encoder under the encoder's name. Token counts are what the model sees: the special tokens
its post-processor adds ([CLS] ... [SEP]) included, special-token text in the input read as text.

>>> res = Resources()
>>> res.count("gpt2", ["Hello world", "Hi"]).tolist()
[2, 1]
>>> "cl100k_base" in res.tokenizer_names()
True
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .http import ApiError

LONG_MODES = ("error", "truncate", "chunk")


def _accepts(fn: Any, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


@dataclass
class Resources:
    """The loaded models and the server's settings (see ``tokvec serve --help`` for each)."""

    encoders: Mapping[str, Any] = field(default_factory=dict)
    vectors: Any = None  # KeyedVectors
    vectors_name: str = ""
    recommender: Any = None  # tokvec.recommend.Recommender
    api_key: str | None = None
    long: str = "error"
    batch_window: float = 0.002
    batch_tokens: int = 16_384
    max_body: int = 4 * 1024 * 1024
    max_inputs: int = 2048
    created: int = field(default_factory=lambda: int(time.time()))
    _tokenizers: dict[str, Any] = field(default_factory=dict, repr=False)
    _plain: dict[int, tuple[Any, Any]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.long not in LONG_MODES:
            raise ValueError(f"long must be one of {LONG_MODES}, got {self.long!r}")

    # --- models ----------------------------------------------------------------------------------
    def encoder(self, model: str | None) -> tuple[str, Any]:
        """Return ``(name, encoder)`` for a request's ``model`` (absent: the only one), or raise 404/400."""
        if not self.encoders:
            raise ApiError(404, "this server has no embedding model; start it with `tokvec serve -m MODEL`",
                           param="model", code="model_not_found")  # fmt: skip
        if model is None:
            if len(self.encoders) == 1:
                return next(iter(self.encoders.items()))
            raise ApiError(400, f"say which 'model': one of {', '.join(self.encoders)}", param="model")
        if model in self.encoders:
            return model, self.encoders[model]
        raise ApiError(404, f"the model {model!r} does not exist here; this server has: {', '.join(self.encoders)}",
                       param="model", code="model_not_found")  # fmt: skip

    # --- tokenizers ------------------------------------------------------------------------------
    def tokenizer_names(self) -> list[str]:
        """Every name :meth:`tokenizer` takes: the encoders' names that have a tokenizer, then the presets."""
        from ..tokens.presets import presets

        own = [name for name, enc in self.encoders.items() if getattr(enc, "tokenizer", None) is not None]
        return own + [p for p in presets() if p not in own]

    def tokenizer(self, name: str) -> Any:
        """Return the tokenizer called ``name`` (an encoder's, or a preset), or raise 404."""
        enc = self.encoders.get(name)
        if enc is not None and getattr(enc, "tokenizer", None) is not None:
            return enc.tokenizer
        with self._lock:
            if name not in self._tokenizers:
                from ..tokens.presets import load, presets

                if name not in presets():
                    raise ApiError(404, f"no tokenizer named {name!r}; use one of {', '.join(self.tokenizer_names())}",
                                   param="model", code="model_not_found")  # fmt: skip
                self._tokenizers[name] = load(name)
            return self._tokenizers[name]

    def _unpadded(self, tok: Any) -> Any:
        # subtle: a tokenizer.json may switch padding and truncation on (bert-base-uncased's pads to 128);
        # counts and limits are ours to apply, so encode without them (a copy made once per tokenizer)
        pipeline = getattr(tok, "pipeline", None)
        if pipeline is None or (
            getattr(pipeline, "padding", None) is None and getattr(pipeline, "truncation", None) is None
        ):
            return tok
        with self._lock:
            key = id(tok)
            if key not in self._plain:
                self._plain[key] = (tok, tok.with_padding(None).with_truncation(None))  # the original kept alive
            return self._plain[key][1]

    def encode(self, name_or_tokenizer: Any, texts: Sequence[str]) -> Any:
        """Encode ``texts`` as the model sees them (an EncodingBatch), without padding or truncation."""
        tok = self.tokenizer(name_or_tokenizer) if isinstance(name_or_tokenizer, str) else name_or_tokenizer
        tok = self._unpadded(tok)
        kwargs = {"disallowed_special": ()} if _accepts(tok.encode_batch, "disallowed_special") else {}
        return tok.encode_batch(list(texts), **kwargs)

    def count(self, name_or_tokenizer: Any, texts: Sequence[str]) -> np.ndarray:
        """Return int64[len(texts)]: the tokens of each text, special tokens included."""
        if not texts:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(self.encode(name_or_tokenizer, texts).lengths(), dtype=np.int64)

    def model_counts(self, encoder: Any, texts: Sequence[str]) -> np.ndarray:
        """Count the tokens of ``texts`` for ``encoder``: its tokenizer's, else words (no tokenizer to ask)."""
        tok = getattr(encoder, "tokenizer", None)
        if tok is None:
            return np.array([len(t.split()) for t in texts], dtype=np.int64)
        if not texts:
            return np.zeros(0, dtype=np.int64)
        # an encoder reads special-token text as Hugging Face does ("[SEP]" typed in a text is its id): count so
        tok = self._unpadded(tok)
        kwargs = {"allowed_special": "all"} if _accepts(tok.encode_batch, "allowed_special") else {}
        return np.asarray(tok.encode_batch(list(texts), **kwargs).lengths(), dtype=np.int64)
