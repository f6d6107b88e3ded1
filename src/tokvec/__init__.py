"""tokvec: tokens and embeddings, exact and fast.

>>> import tokvec
>>> tok = tokvec.load("gpt2")
>>> tok.encode("Hello world").ids.tolist()
[15496, 995]
"""

# first: while the command imports, a Ctrl-C is one line and exit 130 (a no-op for `import tokvec`)
from . import _startup  # noqa: F401  # isort: skip
from .analysis import compare
from .embed import (
    Encoder,
    StaticEncoder,
    TokenEmbeddings,
    TransformerEncoder,
    distill,
    embedding_matrix,
    load_encoder,
)
from .errors import (
    ConfigError,
    FormatError,
    InputTypeError,
    SpecialTokenError,
    TokenIdOverflowError,
    TokvecError,
    TokvecFileError,
    UnknownNameError,
    UnknownTokenError,
)
from .tokens.encoding import Encoding
from .tokens.encoding_batch import EncodingBatch
from .tokens.models.bpe import BytePairModel
from .tokens.pre_tokenizers import SplitPattern
from .tokens.presets import load, presets
from .tokens.tokenizer import Tokenizer
from .tokens.trainers.bpe import BpeResult, train_bpe
from .tokens.trainers.config import BpeConfig, UnigramConfig, WordPieceConfig
from .tokens.trainers.unigram import UnigramResult, train_unigram
from .tokens.trainers.wordpiece import WordPieceResult, train_wordpiece
from .vectors.glove import GloveConfig, train_glove
from .vectors.keyed import KeyedVectors, Neighbor
from .vectors.word2vec import Word2VecConfig, train_word2vec

__version__ = "0.1.0"

__all__ = [
    "BpeConfig",
    "BpeResult",
    "BytePairModel",
    "ConfigError",
    "Encoder",
    "Encoding",
    "EncodingBatch",
    "FormatError",
    "GloveConfig",
    "InputTypeError",
    "KeyedVectors",
    "Neighbor",
    "SpecialTokenError",
    "SplitPattern",
    "StaticEncoder",
    "TokenEmbeddings",
    "TokenIdOverflowError",
    "Tokenizer",
    "TokvecError",
    "TokvecFileError",
    "TransformerEncoder",
    "UnigramConfig",
    "UnigramResult",
    "UnknownNameError",
    "UnknownTokenError",
    "Word2VecConfig",
    "WordPieceConfig",
    "WordPieceResult",
    "compare",
    "distill",
    "embedding_matrix",
    "load",
    "load_encoder",
    "presets",
    "train_bpe",
    "train_glove",
    "train_unigram",
    "train_word2vec",
    "train_wordpiece",
]
