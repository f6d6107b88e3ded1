"""Look at tokenizers: side-by-side splits, corpus statistics, parity across languages, views, counts and cost.

>>> from tokvec.analysis import compare, fit_message
>>> compare(["gpt2", "o200k_base"], "Hello world")["o200k_base"].count
2
>>> fit_message(61_234)
'61,234 tokens: fits in 128k, not in 32k'
"""

from .compare import Comparison, TokenizerSplit, compare
from .cost import PriceTable, fit_message, load_prices
from .html import render_html, write_html
from .parity import FloresCorpus, ParityResult, load_flores, parity
from .plot import plot_premiums
from .stats import CorpusStats, corpus_stats, text_stats

__all__ = [
    "Comparison",
    "CorpusStats",
    "FloresCorpus",
    "ParityResult",
    "PriceTable",
    "TokenizerSplit",
    "compare",
    "corpus_stats",
    "fit_message",
    "load_flores",
    "load_prices",
    "parity",
    "plot_premiums",
    "render_html",
    "text_stats",
    "write_html",
]
