"""Ids identical to tiktoken on real text in 204 languages, on ELTeC, on every code point, and on generated text."""

from __future__ import annotations

import functools
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import data_path
from tests.kernels.strategies import SETTINGS, texts, texts_with_surrogates, twin_safe
from tests.tokens.reference_libs import ENCODINGS, assert_batch_equal, pair
from tokvec import SplitPattern, Tokenizer
from tokvec.kernels.pretokenize import R50K
from tokvec.tokens.pre_tokenizers import GPT2_PATTERN

pytestmark = pytest.mark.data


def flores_lines() -> list[str]:
    """Every line of FLORES-200 devtest, all 204 languages (206,448 lines)."""
    folder = data_path("flores200/devtest")
    files = sorted(folder.glob("*.devtest"))
    assert len(files) == 204, f"expected 204 FLORES-200 languages in {folder}, found {len(files)}"
    lines = []
    for f in files:
        lines += f.read_text(encoding="utf-8").splitlines()
    return lines


def eltec_text(size: int = 5_000_000) -> str:
    """The first ``size`` characters of ELTeC (English novels, one paragraph a line)."""
    with gzip.open(data_path("text/eltec-eng/eltec-eng.txt.gz"), "rt", encoding="utf-8") as f:
        return f.read(size)


@pytest.mark.parametrize("name", ENCODINGS)
def test_flores_every_line_of_204_languages(name: str) -> None:
    lines = flores_lines()
    assert len(lines) == 204 * 1012
    assert_batch_equal(name, lines)


@pytest.mark.parametrize("name", ENCODINGS)
def test_eltec_first_5_mb(name: str) -> None:
    """The 5 MB as one string (long documents, the memo filled), and line by line in a batch."""
    ours, ref = pair(name)
    text = eltec_text()
    assert ours.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)
    assert ours.encode(text).ids.tolist() == ref.encode(text)
    assert_batch_equal(name, text.splitlines(keepends=True), tiktoken_own_batch=True)


@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(text=st.one_of(texts, texts_with_surrogates))
def test_generated_text(name: str, text: str) -> None:
    """Corner-case text, lone surrogates included (both libraries read them as U+FFFD)."""
    ours, ref = pair(name)
    assert ours.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)


@functools.cache
def all_code_point_contexts() -> list[str]:
    """Every code point but the surrogates, in contexts that touch each pattern alternative, 512 to a text."""
    out = []
    chunk = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        chunk.append(f"a{ch}b {ch}{ch}1 '{ch}s A{ch}a {ch}\n")
        if len(chunk) == 512:
            out.append("".join(chunk))
            chunk = []
    out.append("".join(chunk))
    return out


@pytest.mark.parametrize("name", ENCODINGS)
def test_every_code_point(name: str) -> None:
    assert_batch_equal(name, all_code_point_contexts())


@pytest.mark.parametrize("name", ENCODINGS)
@pytest.mark.parametrize("unit", ["a", " ", "\n", "a b ", "1234567890", "👋", " \n", "A", "\r\n", "'s"])
def test_pathological_repeats(name: str, unit: str) -> None:
    """Long runs (one piece of 200 KB, or many tiny pieces) give tiktoken's ids, and finish."""
    ours, ref = pair(name)
    text = unit * (200_000 // len(unit.encode()))
    assert ours.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)


CUSTOM = r"""\p{L}+(?=\s)|\p{L}+|\p{N}{1,2}|\s+(?!\S)|\s|[^\s\p{L}\p{N}]+"""


@functools.cache
def r50k_with_pattern(pattern: str):
    """(tokvec, tiktoken) on r50k's ranks with another split pattern."""
    import tiktoken

    ours, _ = pair("r50k")
    tok = Tokenizer("custom", ours.model, SplitPattern(pattern))
    ref = tiktoken.Encoding("custom", pat_str=pattern, mergeable_ranks=ours.model.ranks(), special_tokens={})
    return tok, ref


@SETTINGS
@given(text=texts.filter(twin_safe))
def test_custom_and_gpt2_patterns(text: str) -> None:
    """A regex that the scanner does not know runs with ``regex`` (grammar -1), and GPT-2's paper
    pattern (Hugging Face's) runs as r50k: both give what tiktoken gives with that ``pat_str``."""
    for pattern, grammar in ((CUSTOM, -1), (GPT2_PATTERN, R50K)):
        tok, ref = r50k_with_pattern(pattern)
        assert tok.pattern.grammar == grammar
        assert tok.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)
        docs = [text, text[::-1], ""]
        assert tok.encode_batch(docs, num_threads=2).tolist() == [ref.encode_ordinary(d) for d in docs]
