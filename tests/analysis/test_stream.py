"""The cut rule of tokvec.analysis.stream: documents' token counts add up to the whole text's, for every pattern."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokvec
from tests.conftest import data_path
from tokvec.analysis.stream import TextStats, cut_documents, read_documents

# characters and runs that the split patterns treat specially: spaces of several kinds, line ends,
# punctuation (o200k's [\r\n/]*), contractions, digits, marks, letters of several cases and scripts
PIECES = [
    "a", "B", "é", "ß", "ǅ", "ʰ", "中", "1", "23", "٣", "Ⅻ", "½", ".", "/", ",", "$", "?!", "'s", "'S",
    " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0b", "\u00a0", "\u3000", "\u2028", "\u0085", "\x1c",
    "👋", "\u200d", "\u0301",
]  # fmt: skip
texts = st.one_of(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.text(max_size=40))


def _check(tok: tokvec.Tokenizer, text: str) -> None:
    docs, rest = cut_documents(text, len(text) + 1)  # cut at every safe point
    docs = [*docs, rest] if rest else docs
    assert "".join(docs) == text
    got = sum(len(tok.encode_ordinary(d)) for d in docs)
    assert got == len(tok.encode_ordinary(text)), docs


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "o200k_base"])
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_cuts_keep_the_count_of_the_presets(name, text):
    _check(tokvec.load(name), text)


@pytest.mark.data
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_cuts_keep_the_count_of_llama3(text):
    _check(_llama3(), text)


def _llama3(cache: list[tokvec.Tokenizer] = []) -> tokvec.Tokenizer:  # noqa: B006 - a cache on purpose
    if not cache:
        cache.append(tokvec.load(data_path("tokenizers/llama3_tiktoken/tokenizer.model")))
    return cache[0]


def test_cut_points_worked_example():
    # after "One.\n" (non-space, newline, non-space); not after "two  \n" (the spaces before the
    # newline); before the "\n" that follows "three" (a letter before a line break); not before "/"
    docs, rest = cut_documents("One.\ntwo  \nthree\n/x", 100)
    assert docs == ["One.\n", "two  \nthree"]
    assert rest == "\n/x"


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_read_documents_any_chunk_size(chunk):
    data = "Hello\n\nworld.\r\nline  \nend 👋\nGrüße\n".encode() * 3 + b"tail"
    stats = TextStats()
    docs = [d for batch in read_documents(io.BytesIO(data), stats, chunk_bytes=chunk) for d in batch]
    assert "".join(docs) == data.decode()
    assert (stats.bytes, stats.characters, stats.lines) == (len(data), len(data.decode()), 19)
