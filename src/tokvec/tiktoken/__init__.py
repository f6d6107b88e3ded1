"""A drop-in for tiktoken: change ``import tiktoken`` to ``import tokvec.tiktoken as tiktoken``.

The same functions, classes, return types (lists of ints) and exceptions as tiktoken 0.14, on
tokvec's tokenizer (numba kernels). It passes tiktoken's own test suite (tests/tiktoken_dropin).
r50k_base (gpt2), cl100k_base, o200k_base and o200k_harmony come bundled; p50k_base and p50k_edit
come from the rank file a tiktoken user already has (see :mod:`tokvec.tiktoken.load`).

>>> import tokvec.tiktoken as tiktoken
>>> enc = tiktoken.encoding_for_model("gpt-4o")
>>> enc.name, enc.encode("hello world"), enc.decode([24912, 2375])
('o200k_base', [24912, 2375], 'hello world')
"""

from .core import Encoding
from .model import encoding_for_model, encoding_name_for_model
from .registry import get_encoding, list_encoding_names

__version__ = "0.14.0"  # the tiktoken release whose API (and test suite) this module follows

__all__ = ["Encoding", "encoding_for_model", "encoding_name_for_model", "get_encoding", "list_encoding_names"]
