"""tiktoken built offline from the same rank files, and a fast way to compare many texts with it."""

from __future__ import annotations

import functools
import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
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


def tiktoken_batch(ref, docs: list[str], *, threads: int = 2, chunk: int = 2000) -> list[list[int]]:
    """``ref.encode_ordinary`` on every text, on ``threads`` threads (tiktoken releases the GIL).

    Performance notes: tiktoken's own ``encode_ordinary_batch`` makes one future per text, which
    costs more than the encoding on FLORES's 206k short lines (11 s against 5 s in chunks).
    """
    with ThreadPoolExecutor(threads) as pool:
        parts = pool.map(lambda k: [ref.encode_ordinary(d) for d in docs[k : k + chunk]], range(0, len(docs), chunk))
        return list(itertools.chain.from_iterable(parts))


def assert_batch_equal(name: str, docs: list[str], *, tiktoken_own_batch: bool = False) -> None:
    """Encode ``docs`` with tokvec's encode_batch and with tiktoken; name the first text that differs."""
    ours, ref = pair(name)
    got = ours.encode_batch(docs, num_threads=2, disallowed_special=())
    if tiktoken_own_batch:
        want = ref.encode_ordinary_batch(docs, num_threads=2)
    else:
        want = tiktoken_batch(ref, docs)
    want_ids = np.fromiter(itertools.chain.from_iterable(want), dtype=np.int64)
    want_lengths = np.fromiter(map(len, want), dtype=np.int64, count=len(want))
    if np.array_equal(got.lengths(), want_lengths) and np.array_equal(got.ids, want_ids):
        return
    bad = [k for k in range(len(docs)) if got[k].ids.tolist() != want[k]]
    k = bad[0]
    raise AssertionError(
        f"{name}: {len(bad)} of {len(docs)} texts differ from tiktoken; first, text {k}: {docs[k][:80]!r}\n"
        f"tokvec   {got[k].ids.tolist()[:20]}\ntiktoken {want[k][:20]}"
    )
