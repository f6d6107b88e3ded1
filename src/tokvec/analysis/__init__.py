"""Look at tokenizers and vectors: side-by-side splits, statistics, parity, views, cost, 2-D plots, Projector files.

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
from .projection import pca, project
from .projector import export_projector
from .scatter import plot_points, plot_vectors, save_figure
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
    "export_projector",
    "fit_message",
    "load_flores",
    "load_prices",
    "parity",
    "pca",
    "plot_points",
    "plot_premiums",
    "plot_vectors",
    "project",
    "render_html",
    "save_figure",
    "text_stats",
    "write_html",
]
