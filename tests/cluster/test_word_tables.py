"""Word tables merged as numpy arrays: the same words, counts and byte order as a dictionary and ``sorted``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokvec.errors import TokvecError
from tokvec.tokens.trainers.counting import WordCounts, count_words
from tokvec.tokens.trainers.word_sort import prefix_words, sum_words

# few distinct bytes (NUL and 0xFF among them) and lengths around the 16-byte key, so that words share
# long prefixes, differ only past byte 16, or end in NUL bytes: the cases a sort by keys could get wrong
BYTES = st.sampled_from([0, 1, 97, 98, 255])
WORD = st.lists(BYTES, max_size=40).map(bytes)
STEMS = st.lists(WORD, min_size=1, max_size=8)


def _pack(words: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=offsets[1:])
    return np.frombuffer(b"".join(words), dtype=np.uint8), offsets


@settings(max_examples=300, deadline=None)
@given(stems=STEMS, picks=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40), WORD, st.integers(1, 9))))
def test_sum_words_equals_a_dictionary_sorted_by_bytes(stems, picks):
    words, counts = [], []
    for k, cut, tail, c in picks:
        words.append(stems[k % len(stems)][:cut] + tail[: len(tail) % 5])
        counts.append(c)
    expected: dict[bytes, int] = {}
    for w, c in zip(words, counts, strict=True):
        if w:
            expected[w] = expected.get(w, 0) + c
    data, offsets = _pack(words)
    got = WordCounts(*sum_words(data, offsets, np.array(counts, dtype=np.int64)), "gpt2")
    assert list(got.items()) == sorted(expected.items())
    assert got.data.dtype == np.uint8 and got.offsets.dtype == np.int64 and got.counts.dtype == np.int64


def test_merge_equals_from_dict_of_the_summed_counts():
    a = WordCounts.from_dict({b"a" * 20 + b"x": 1, b"a" * 20: 2, b"b\x00": 3}, "gpt2", 1)
    b = WordCounts.from_dict({b"a" * 20: 5, b"b": 1, b"a" * 16: 7}, "gpt2", 2)
    merged = WordCounts.merge([a, b])
    want = WordCounts.from_dict({b"a" * 20 + b"x": 1, b"a" * 20: 7, b"b\x00": 3, b"b": 1, b"a" * 16: 7}, "gpt2", 3)
    for name in ("data", "offsets", "counts"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(want, name))
    assert merged.skipped_lines == 3


def test_merge_refuses_tables_of_different_pre_tokenizers():
    a = WordCounts.from_dict({b"a": 1}, "gpt2")
    b = WordCounts.from_dict({b"a": 1}, "whitespace")
    with pytest.raises(TokvecError, match="different pre-tokenizers"):
        WordCounts.merge([a, b])


def test_merge_keeps_empty_parts_out():
    empty = count_words(["   "], pre_tokenizer="whitespace", allow_empty=True)
    full = count_words(["the cat the"], pre_tokenizer="whitespace")
    assert list(WordCounts.merge([empty, full, empty]).items()) == [(b"cat", 1), (b"the", 2)]


def test_metaspace_words_get_the_prefix_once_each():
    wc = count_words(["b a b", "ab"], pre_tokenizer="metaspace")
    assert list(wc.items()) == [("▁a".encode(), 1), ("▁ab".encode(), 1), ("▁b".encode(), 2)]
    data, offsets = prefix_words(np.frombuffer(b"xyz", np.uint8), np.array([0, 2, 3]), b"<>")
    assert (data.tobytes(), offsets.tolist()) == (b"<>xy<>z", [0, 4, 7])
