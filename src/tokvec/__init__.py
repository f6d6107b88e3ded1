"""tokvec: tokens and embeddings, exact and fast.

>>> import tokvec
>>> tok = tokvec.load("gpt2")
>>> tok.encode("Hello world").ids.tolist()
[15496, 995]

The public names below are re-exported lazily (PEP 562): ``import tokvec`` loads only the errors,
and each name's module is imported on first use (``tokvec.load``, ``from tokvec import KeyedVectors``).

>>> "train_word2vec" in dir(tokvec)
True

Performance notes: importing every subpackage up front cost ~12 MB of resident memory on top of
numba's, which word2vec training (or a ``tokvec similar`` query) carried for nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import FormatError, SpecialTokenError, TokvecError, TokvecFileError, UnknownNameError, UnknownTokenError

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and editors
    from .analysis import compare
    from .tokens.encoding import Encoding, EncodingBatch
    from .tokens.models.bpe import BytePairModel
    from .tokens.pipeline import Tokenizer
    from .tokens.pre_tokenizers import SplitPattern
    from .tokens.presets import load, presets
    from .tokens.trainers.bpe import BpeResult, train_bpe
    from .tokens.trainers.config import BpeConfig, UnigramConfig, WordPieceConfig
    from .tokens.trainers.unigram import UnigramResult, train_unigram
    from .tokens.trainers.wordpiece import WordPieceResult, train_wordpiece
    from .vectors.keyed import KeyedVectors, Neighbor
    from .vectors.word2vec import Word2VecConfig, train_word2vec

__version__ = "0.1.0"

# public name -> the module (relative to this package) that defines it
_LAZY = {
    "compare": ".analysis",
    "Encoding": ".tokens.encoding",
    "EncodingBatch": ".tokens.encoding",
    "BytePairModel": ".tokens.models.bpe",
    "Tokenizer": ".tokens.pipeline",
    "SplitPattern": ".tokens.pre_tokenizers",
    "load": ".tokens.presets",
    "presets": ".tokens.presets",
    "BpeResult": ".tokens.trainers.bpe",
    "train_bpe": ".tokens.trainers.bpe",
    "BpeConfig": ".tokens.trainers.config",
    "UnigramConfig": ".tokens.trainers.config",
    "WordPieceConfig": ".tokens.trainers.config",
    "UnigramResult": ".tokens.trainers.unigram",
    "train_unigram": ".tokens.trainers.unigram",
    "WordPieceResult": ".tokens.trainers.wordpiece",
    "train_wordpiece": ".tokens.trainers.wordpiece",
    "KeyedVectors": ".vectors.keyed",
    "Neighbor": ".vectors.keyed",
    "Word2VecConfig": ".vectors.word2vec",
    "train_word2vec": ".vectors.word2vec",
}


def __getattr__(name: str) -> Any:
    """Import the module of a public name on first use and keep the name here (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tokvec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "BpeConfig",
    "BpeResult",
    "BytePairModel",
    "Encoding",
    "EncodingBatch",
    "FormatError",
    "KeyedVectors",
    "Neighbor",
    "SpecialTokenError",
    "SplitPattern",
    "Tokenizer",
    "TokvecError",
    "TokvecFileError",
    "UnigramConfig",
    "UnigramResult",
    "UnknownNameError",
    "UnknownTokenError",
    "Word2VecConfig",
    "WordPieceConfig",
    "WordPieceResult",
    "compare",
    "load",
    "presets",
    "train_bpe",
    "train_unigram",
    "train_word2vec",
    "train_wordpiece",
]
