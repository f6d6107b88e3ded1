"""tiktoken built offline from the same rank files, for the exactness tests."""

from __future__ import annotations

import functools

import pytest

import tokvec
from tests.conftest import data_path
from tokvec.tokens.formats.tiktoken import load_ranks
from tokvec.tokens.pre_tokenizers import CL100K_PATTERN, LLAMA3_PATTERN, O200K_PATTERN, R50K_PATTERN

FILES = {
    "r50k": ("tokenizers/tiktoken/r50k_base.tiktoken", R50K_PATTERN),
    "cl100k": ("tokenizers/tiktoken/cl100k_base.tiktoken", CL100K_PATTERN),
    "o200k": ("tokenizers/tiktoken/o200k_base.tiktoken", O200K_PATTERN),
    "llama3": ("tokenizers/llama3_tiktoken/tokenizer.model", LLAMA3_PATTERN),
}
ENCODINGS = list(FILES)


@functools.cache
def pair(name: str):
    """Return (tokvec Tokenizer, tiktoken Encoding) for one encoding, both from the shared file."""
    tiktoken = pytest.importorskip("tiktoken")
    relative, pattern = FILES[name]
    path = data_path(relative)
    ours = tokvec.load(path)
    ref = tiktoken.Encoding(
        name, pat_str=pattern, mergeable_ranks=load_ranks(path), special_tokens=dict(ours.special_tokens)
    )
    return ours, ref
