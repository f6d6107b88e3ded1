"""Encoders: texts to vectors (transformers from safetensors, static token tables, averaged word vectors)."""

from .protocol import Chunks, Encoder

__all__ = ["Chunks", "Encoder"]
