"""Encoders: texts to vectors (transformers from safetensors, static token tables, averaged word vectors)."""

from .load import load_encoder
from .matrix import embedding_matrix
from .protocol import Chunks, Encoder
from .transformer import EmbedStats, TokenEmbeddings, TransformerEncoder, TruncationWarning

__all__ = [
    "Chunks",
    "EmbedStats",
    "Encoder",
    "TokenEmbeddings",
    "TransformerEncoder",
    "TruncationWarning",
    "embedding_matrix",
    "load_encoder",
]
