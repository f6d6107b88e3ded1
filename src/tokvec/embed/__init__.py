"""Encoders: texts to vectors (transformers from safetensors, static token tables, averaged word vectors)."""

from .distill import distill
from .load import load_encoder
from .matrix import embedding_matrix
from .protocol import Chunks, Encoder
from .static import StaticEncoder, load_static
from .transformer import EmbedStats, TokenEmbeddings, TransformerEncoder, TruncationWarning

__all__ = [
    "Chunks",
    "EmbedStats",
    "Encoder",
    "StaticEncoder",
    "TokenEmbeddings",
    "TransformerEncoder",
    "TruncationWarning",
    "distill",
    "embedding_matrix",
    "load_encoder",
    "load_static",
]
