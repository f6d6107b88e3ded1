"""How a recommender is trained and how it scores: item2vec options plus the weights of the blend.

A recommender scores every song for a playlist as a blend of three signals:

- ``vector_weight`` x the cosine of the song's vector and the playlist vector (the sum of its songs'
  unit vectors, the song ``k`` places before the last weighted ``recency ** k``);
- ``transition_weight`` x the next-song distribution of a Markov chain (transition counts, each row
  divided by its sum), mixed over the playlist's songs with the same recency weights;
- ``cooccurrence_weight`` x the same mix of co-occurrence rows (songs sharing a playlist, each row
  divided by its sum);

plus popularity / 1e6, which orders songs the other terms cannot tell apart and is the fallback for
a playlist of unknown songs. With only ``vector_weight`` the ranking is plain item2vec (cosine).

>>> preset("book").architecture, preset("book").vector_size, preset("book").window
('cbow', 32, 20)
>>> RecommenderConfig(window=0)
Traceback (most recent call last):
...
tokvec.errors.ConfigError: window must be an integer >= 1, got 0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..errors import ConfigError, UnknownNameError
from ..vectors.config import Word2VecConfig

RecommenderConfigError = ConfigError  # the old name of the one error for bad options (tokvec.errors.ConfigError)


@dataclass(frozen=True, kw_only=True)
class RecommenderConfig:
    """Options of :func:`~tokvec.recommend.train_recommender` (word2vec's, then the blend's)."""

    architecture: str = "cbow"
    vector_size: int = 32
    window: int = 20
    negative: int = 50
    ns_exponent: float = 0.75
    sample: float = 1e-3
    epochs: int = 5
    min_count: int = 1
    alpha: float = 0.025
    min_alpha: float = 1e-4
    threads: int = 1
    seed: int = 1
    recency: float = 1.0
    vector_weight: float = 1.0
    transition_weight: float = 0.0
    cooccurrence_weight: float = 0.0

    def __post_init__(self) -> None:
        Word2VecConfig(**self.word2vec_options())  # its options are word2vec's: checked where they are defined
        if not 0 < self.recency <= 1:
            raise ConfigError(f"recency must be in (0, 1] (1: all songs count alike), got {self.recency}")
        weights = (self.vector_weight, self.transition_weight, self.cooccurrence_weight)
        if any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
            raise ConfigError(f"the blend weights must be >= 0 and not all 0, got {weights}")

    def as_dict(self) -> dict[str, Any]:
        """Return the options as a plain dict (for JSON)."""
        return asdict(self)

    def replace(self, **changes: Any) -> RecommenderConfig:
        """Return a copy with ``changes``."""
        return replace(self, **changes)

    def word2vec_options(self) -> dict[str, Any]:
        """Return the keyword arguments of the matching :class:`tokvec.Word2VecConfig`."""
        names = ("architecture", "vector_size", "window", "negative", "ns_exponent", "sample", "epochs")
        options = {n: getattr(self, n) for n in names}
        options.update(min_count=self.min_count, alpha=self.alpha, min_alpha=self.min_alpha)
        options.update(threads=self.threads, seed=self.seed)
        return options


# The book's recipe ("Hands-On Large Language Models", ch. 2): item2vec alone, cosine to the playlist.
BOOK = RecommenderConfig()

# What won on the validation split (tools/tune_recommender.py: validation playlists carved out of the
# training split of yes_small and yes_big, both protocols; the test split is never seen): the book's
# vectors, a little of their cosine, next-song transitions and, above all, co-occurrence rows
# normalised per song. More epochs or ns_exponent -0.5 did not change the ranking of the blends.
DEFAULT = RecommenderConfig(vector_weight=0.025, transition_weight=0.125, cooccurrence_weight=1.0)

PRESETS = {"default": DEFAULT, "book": BOOK}


def preset(name: str) -> RecommenderConfig:
    """Return the named preset: 'default' (what wins the evaluation) or 'book' (the classic recipe)."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownNameError(f"unknown recommender preset {name!r}; choose one of {', '.join(PRESETS)}") from None
