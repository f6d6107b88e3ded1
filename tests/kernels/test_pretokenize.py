"""The numba scanner splits text exactly as the split regexes do (run by the ``regex`` module)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import FRAGMENTS, NO_JIT, SETTINGS, twin_disagreements, twin_safe, twin_texts
from tokvec.kernels import pretokenize as kp
from tokvec.kernels import utf8 as ku
from tokvec.reference import pretokenize as rp
from tokvec.reference import utf8 as ru
from tokvec.tokens.unicode import class_table

GRAMMARS = [kp.R50K, kp.CL100K, kp.O200K, kp.LLAMA3]
NAMES = ["r50k", "cl100k", "o200k", "llama3"]


def as_bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def char_starts(b: np.ndarray) -> list[int]:
    """Byte offsets where a character starts (not a continuation byte), and the end."""
    return [i for i in range(len(b)) if b[i] < 0x80 or b[i] >= 0xC0] + [len(b)]


@SETTINGS
@given(twin_texts)
def test_decode_at(text: str) -> None:
    b = as_bytes(text)
    for i in char_starts(b)[:-1]:
        assert ku.decode_at(b, i) == ru.decode_at(b, i)


def test_decode_at_every_length() -> None:
    b = as_bytes("a\u00e9\u20ac\U0001f44b\U0010ffff")
    want = [(0x61, 1), (0xE9, 2), (0x20AC, 3), (0x1F44B, 4), (0x10FFFF, 4)]
    assert [ku.decode_at(b, i) for i in (0, 1, 3, 6, 10)] == [ru.decode_at(b, i) for i in (0, 1, 3, 6, 10)] == want


@pytest.mark.parametrize("grammar", GRAMMARS, ids=NAMES)
@SETTINGS
@given(text=twin_texts)
def test_split_bounds(grammar: int, text: str) -> None:
    b = as_bytes(text)
    got = kp.split_bounds(b, 0, len(b), class_table(), grammar)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, rp.split_bounds(b, 0, len(b), class_table(), grammar))


@pytest.mark.parametrize("grammar", GRAMMARS, ids=NAMES)
@SETTINGS
@given(text=twin_texts, data=st.data())
def test_split_bounds_of_a_slice(grammar: int, text: str, data: st.DataObject) -> None:
    """Offsets are absolute, and ``hi`` is the end of the text (``\\s++$`` matches there)."""
    b = as_bytes(text + " \n x")
    lo, hi = sorted(data.draw(st.lists(st.sampled_from(char_starts(b)), min_size=2, max_size=2)))
    got = kp.split_bounds(b, lo, hi, class_table(), grammar)
    np.testing.assert_array_equal(got, rp.split_bounds(b, lo, hi, class_table(), grammar))


@pytest.mark.parametrize("grammar", GRAMMARS, ids=NAMES)
@SETTINGS
@given(text=twin_texts.filter(bool), data=st.data())
def test_piece_end(grammar: int, text: str, data: st.DataObject) -> None:
    b = as_bytes(text)
    starts = char_starts(b)
    i = data.draw(st.sampled_from(starts[:-1]), label="start")
    n = data.draw(st.sampled_from([s for s in starts if s > i]), label="end")
    assert kp.piece_end(b, i, n, class_table(), grammar) == rp.piece_end(b, i, n, class_table(), grammar)


@SETTINGS
@given(text=twin_texts, data=st.data())
def test_contraction_length(text: str, data: st.DataObject) -> None:
    b = as_bytes("'" + text)
    quotes = [i for i in range(len(b)) if b[i] == 39]
    i = data.draw(st.sampled_from(quotes))
    n = data.draw(st.sampled_from([s for s in char_starts(b) if s > i]))
    for insensitive in (False, True):
        assert kp.contraction_length(b, i, n, insensitive) == rp.contraction_length(b, i, n, insensitive)


def fragment_pairs() -> list[str]:
    """Every ordered pair of fragments (twin-safe ones): each pattern alternative meets each neighbour."""
    frags = [f for f in FRAGMENTS if twin_safe(f)]
    pairs = [a + c for a, c in itertools.product(frags, repeat=2)]
    return pairs[::17] if NO_JIT else pairs


@pytest.mark.parametrize("grammar", GRAMMARS, ids=NAMES)
def test_split_bounds_on_every_pair_of_fragments(grammar: int) -> None:
    cls = class_table()
    for text in fragment_pairs():
        b = as_bytes(text)
        got = kp.split_bounds(b, 0, len(b), cls, grammar)
        want = rp.split_bounds(b, 0, len(b), cls, grammar)
        assert got.tolist() == want.tolist(), f"{text!r}: {got.tolist()} != {want.tolist()}"


@pytest.mark.parametrize(
    ("grammar", "text", "pieces"),
    [
        # the space before a word joins it; the last space of a run is left for the next word
        (kp.CL100K, "a  b", ["a", " ", " b"]),
        # whitespace at the very end stays one piece (\s++$)
        (kp.CL100K, "a  ", ["a", "  "]),
        # cl100k takes one character before a letter run, and digits in threes
        (kp.CL100K, "$hello 12345", ["$hello", " ", "123", "45"]),
        # contractions: r50k is case-sensitive, cl100k is not (and 'ſ folds to 's)
        (kp.R50K, "IT'S it's", ["IT", "'", "S", " it", "'s"]),
        (kp.CL100K, "IT'S it'ſ", ["IT", "'S", " it", "'ſ"]),
        # o200k: a word is [upper]*[lower]+ (or [upper]+[lower]*) with the contraction inside
        (kp.O200K, "HTTPServer's", ["HTTPServer's"]),
        (kp.O200K, "helloWorld ABC", ["hello", "World", " ABC"]),
        # o200k keeps / and newlines after punctuation; llama3 and cl100k only newlines
        (kp.O200K, "!//\n", ["!//\n"]),
        (kp.LLAMA3, "!//\n", ["!//\n"]),
        (kp.LLAMA3, "a!\n/", ["a", "!\n", "/"]),
        # newlines: \s*[\r\n] ends at a newline; r50k has no such rule
        (kp.CL100K, " \n\n a", [" \n\n", " a"]),
        (kp.R50K, " \n\n a", [" \n\n", " a"]),
        (kp.LLAMA3, "x\r\n\r\ny", ["x", "\r\n\r\n", "y"]),
    ],
)
def test_worked_splits(grammar: int, text: str, pieces: list[str]) -> None:
    b = as_bytes(text)
    bounds = kp.split_bounds(b, 0, len(b), class_table(), grammar).tolist()
    assert [b[s:e].tobytes().decode() for s, e in itertools.pairwise(bounds)] == pieces
    assert rp.split_bounds(b, 0, len(b), class_table(), grammar).tolist() == bounds


def test_twin_disagreements_are_few_and_mostly_unassigned() -> None:
    """The Unicode versions of the regex module and of tiktoken differ on a known, small set."""
    import unicodedata

    bad = twin_disagreements()
    assert 0 < len(bad) < 30_000
    assigned = [c for c in bad if unicodedata.category(chr(c)) != "Cn"]
    assert len(assigned) < 100, [hex(c) for c in assigned[:10]]
