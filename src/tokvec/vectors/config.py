"""The training configs of word2vec and GloVe: frozen, validated, stored with the vectors they made.

They live apart from the trainers so that reading a vectors file (:mod:`tokvec.vectors.formats`) can rebuild
the stored config without importing the training code.

>>> Word2VecConfig(architecture="skipgram").window
5
>>> GloveConfig(x_max=0)
Traceback (most recent call last):
...
tokvec.errors.ConfigError: x_max must be a finite number > 0, got 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from ..errors import ConfigError

_ARCHITECTURES = ("cbow", "skipgram")
_OUTPUTS = ("sum", "word")


@dataclass(frozen=True, kw_only=True)
class Word2VecConfig:
    """Options of :func:`train_word2vec` (gensim's names in brackets where they differ).

    architecture: "cbow" [sg=0] or "skipgram" [sg=1]; vector_size; window (the largest distance to a
    context word); negative (negative samples per example); ns_exponent (of the unigram counts that
    negatives are drawn from); sample (subsampling threshold of frequent words, 0 = off); min_count;
    max_vocab (keep at most this many most frequent words, after min_count) [max_final_vocab];
    epochs; alpha and min_alpha (the learning rate falls linearly from one to the other);
    threads [workers]; seed; shrink_windows (draw each window's size from 1..window).
    """

    architecture: str = "cbow"
    vector_size: int = 100
    window: int = 5
    negative: int = 5
    ns_exponent: float = 0.75
    sample: float = 1e-3
    min_count: int = 5
    max_vocab: int | None = None
    epochs: int = 5
    alpha: float = 0.025
    min_alpha: float = 1e-4
    threads: int = 1
    seed: int = 1
    shrink_windows: bool = True

    def __post_init__(self) -> None:
        if self.architecture not in _ARCHITECTURES:
            raise ConfigError(f"architecture must be 'cbow' or 'skipgram', got {self.architecture!r}")
        for name in ("vector_size", "window", "negative", "min_count", "epochs", "threads"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be an integer >= 1, got {value!r}")
        if self.max_vocab is not None and (not isinstance(self.max_vocab, int) or self.max_vocab < 1):
            raise ConfigError(f"max_vocab must be None or an integer >= 1, got {self.max_vocab!r}")
        if not math.isfinite(self.ns_exponent):
            raise ConfigError(f"ns_exponent must be a finite number, got {self.ns_exponent!r}")
        if not (self.sample >= 0 and math.isfinite(self.sample)):
            raise ConfigError(f"sample must be >= 0 (0 turns subsampling off), got {self.sample!r}")
        if not (0 < self.alpha < math.inf) or not (0 <= self.min_alpha <= self.alpha):
            raise ConfigError(
                f"need 0 <= min_alpha <= alpha and alpha > 0, got alpha={self.alpha!r}, min_alpha={self.min_alpha!r}"
            )
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ConfigError(f"seed must be an integer, got {self.seed!r}")

    def as_dict(self) -> dict[str, Any]:
        """Return the options as a plain dict (for JSON)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, kw_only=True)
class GloveConfig:
    """Options of :func:`train_glove` (the reference's flags in brackets).

    vector_size; window [-window-size]; symmetric (left and right context); min_count; max_vocab;
    x_max and alpha (of the weighting ``f(x) = min(1, (x / x_max) ** alpha)``); eta (the initial
    learning rate); grad_clip; epochs [-iter]; threads; seed; memory_mb (the counting budget
    [-memory], in MiB); output_vectors: "sum" (W + W~, [-model 2]) or "word" (W, [-model 1]).
    """

    vector_size: int = 50
    window: int = 15
    symmetric: bool = True
    min_count: int = 5
    max_vocab: int | None = None
    x_max: float = 100.0
    alpha: float = 0.75
    eta: float = 0.05
    grad_clip: float = 100.0
    epochs: int = 25
    threads: int = 1
    seed: int = 1
    memory_mb: float = 64.0
    output_vectors: str = "sum"

    def __post_init__(self) -> None:
        for name in ("vector_size", "window", "min_count", "epochs", "threads"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be an integer >= 1, got {value!r}")
        if self.max_vocab is not None and (not isinstance(self.max_vocab, int) or self.max_vocab < 1):
            raise ConfigError(f"max_vocab must be None or an integer >= 1, got {self.max_vocab!r}")
        for name in ("x_max", "alpha", "eta", "grad_clip"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise ConfigError(f"{name} must be a finite number > 0, got {value!r}")
        if not (isinstance(self.memory_mb, int | float) and self.memory_mb >= 1):
            raise ConfigError(f"memory_mb must be at least 1 (MiB), got {self.memory_mb!r}")
        if self.output_vectors not in _OUTPUTS:
            raise ConfigError(f"output_vectors must be 'sum' (W + W~) or 'word' (W only), got {self.output_vectors!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ConfigError(f"seed must be an integer, got {self.seed!r}")

    def as_dict(self) -> dict[str, Any]:
        """Return the options as a plain dict (for JSON)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
