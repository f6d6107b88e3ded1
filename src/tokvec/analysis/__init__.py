"""Look at tokenizers: side-by-side splits, corpus statistics, parity across languages, views, counts and cost."""

from .compare import Comparison, TokenizerSplit, compare

__all__ = ["Comparison", "TokenizerSplit", "compare"]
