"""Ids identical to tiktoken on real text in 204 languages, on ELTeC, and on generated text."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import data_path
from tests.strategies import SETTINGS, texts, texts_with_surrogates
from tests.tokens.reference_libs import ENCODINGS, pair

pytestmark = pytest.mark.data


def flores_lines() -> list[str]:
    folder = data_path("flores200/devtest")
    files = sorted(folder.glob("*.devtest"))
    assert len(files) == 204, f"expected 204 FLORES-200 languages in {folder}, found {len(files)}"
    lines = []
    for f in files:
        lines += f.read_text(encoding="utf-8").splitlines()
    return lines


def eltec_text(size: int = 5_000_000) -> str:
    with gzip.open(data_path("text/eltec-eng/eltec-eng.txt.gz"), "rt", encoding="utf-8") as f:
        return f.read(size)


def assert_batch_equal(name: str, docs: list[str]) -> None:
    """Encode ``docs`` with tokvec's encode_batch and tiktoken's; name the first that differs."""
    ours, ref = pair(name)
    got = ours.encode_batch(docs, disallowed_special=()).tolist()
    want = ref.encode_ordinary_batch(docs, num_threads=2)
    bad = [k for k in range(len(docs)) if got[k] != want[k]]
    assert not bad, f"{len(bad)} of {len(docs)} texts differ, first: {docs[bad[0]][:80]!r}"


@pytest.mark.parametrize("name", ENCODINGS)
def test_flores_every_line_of_204_languages(name: str) -> None:
    lines = flores_lines()
    assert len(lines) > 200_000
    assert_batch_equal(name, lines)


@pytest.mark.parametrize("name", ENCODINGS)
def test_eltec_first_5_mb(name: str) -> None:
    ours, ref = pair(name)
    text = eltec_text()
    assert ours.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)
    lines = text.splitlines(keepends=True)
    assert ours.encode_batch(lines, num_threads=2, disallowed_special=()).tolist() == ref.encode_ordinary_batch(lines)


@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(text=st.one_of(texts, texts_with_surrogates))
def test_generated_text(name: str, text: str) -> None:
    """Corner-case text, lone surrogates included (both libraries read them as U+FFFD)."""
    ours, ref = pair(name)
    assert ours.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)


def all_code_point_contexts() -> list[str]:
    """Every code point but the surrogates, in contexts that touch each pattern alternative."""
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
@pytest.mark.parametrize("unit", ["a", " ", "\n", "a b ", "1234567890", "👋", " \n", "A"])
def test_pathological_repeats(name: str, unit: str) -> None:
    """Long runs (one piece of 200 KB, or many tiny pieces) give tiktoken's ids."""
    ours, ref = pair(name)
    text = unit * (200_000 // len(unit.encode()))
    assert ours.encode_ordinary(text).ids.tolist() == ref.encode_ordinary(text)
