"""Count, train, tokenize and embed corpora on a Dask cluster, with the results of one process.

Each job is one function that takes ``client=`` (a Dask client from :func:`connect`, or None to run in
this process); the work of a task is the single-machine function (counting, ``count_words``,
``encode_batch``, ``Encoder.embed``) applied to one file, so both paths share it. Dask is an optional
extra: ``pip install 'tokvec[cluster]'``; without it, every job still runs with ``client=None``.
"""

from .count import count_files
from .embed import LengthEncoder, embed_files
from .engine import ClusterError, connect, map_ordered, map_reduce
from .sources import Source, expand
from .tokenize import read_shard, tokenize_files
from .tokenizers import TokenizerSpec
from .train import merge_counts, train_files

__all__ = [
    "ClusterError",
    "LengthEncoder",
    "Source",
    "TokenizerSpec",
    "connect",
    "count_files",
    "embed_files",
    "expand",
    "map_ordered",
    "map_reduce",
    "merge_counts",
    "read_shard",
    "tokenize_files",
    "train_files",
]
