"""The training kernels equal their pure-Python twins on generated inputs (and the numpy start of character-level
BPE its loops)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS, twin_texts
from tokvec.kernels import bpe_train as kt
from tokvec.kernels import counting as kc
from tokvec.kernels import pretokenize as kp
from tokvec.kernels import wordpiece_train as kw
from tokvec.reference import bpe_train as rt
from tokvec.reference import counting as rc
from tokvec.reference import wordpiece_train as rw
from tokvec.tokens.trainers.bpe import _char_level_start_loops, char_level_start
from tokvec.tokens.trainers.counting import WordCounts, space_table, word_table
from tokvec.tokens.unicode import class_table

GRAMMARS = [kp.R50K, kp.CL100K, kp.O200K, kp.LLAMA3]


def fresh_table():
    return (
        np.full(4, -1, dtype=np.int64), np.empty(1, dtype=np.int64), np.empty(1, dtype=np.uint8),
        np.zeros(2, dtype=np.int64), np.zeros(1, dtype=np.int64), 0,
    )  # fmt: skip


def table_dict(state) -> dict[bytes, int]:
    _, _, wbytes, woff, wcount, n = state
    return {wbytes[woff[w] : woff[w + 1]].tobytes(): int(wcount[w]) for w in range(n)}


DOCS = st.lists(st.one_of(twin_texts, st.text("ab c\n", max_size=60)), min_size=1, max_size=5)


@SETTINGS
@given(DOCS, st.sampled_from(GRAMMARS))
def test_piece_bounds_and_counts(docs: list[str], grammar: int) -> None:
    datas = [d.encode("utf-8") for d in docs]
    doc_bounds = np.zeros(len(datas) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in datas], out=doc_bounds[1:])
    buf = np.frombuffer(b"".join(datas), dtype=np.uint8)
    bounds = kc.piece_bounds(buf, doc_bounds, class_table(), grammar)
    assert bounds.tolist() == rc.piece_bounds(buf, doc_bounds, class_table(), grammar).tolist()
    # counting twice into the same table exercises growth and repeated words
    k_state, r_state = fresh_table(), fresh_table()
    for _ in range(2):
        k_state = kc.count_spans(buf, bounds[:-1], bounds[1:], *k_state)
        r_state = rc.count_spans(buf, bounds[:-1], bounds[1:], *r_state)
    assert table_dict(k_state) == table_dict(r_state)
    assert k_state[5] == r_state[5]
    assert k_state[0].tolist() == r_state[0].tolist()


@SETTINGS
@given(DOCS)
def test_word_spans(docs: list[str]) -> None:
    datas = [d.encode("utf-8") for d in docs]
    doc_bounds = np.zeros(len(datas) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in datas], out=doc_bounds[1:])
    buf = np.frombuffer(b"".join(datas), dtype=np.uint8)
    k = kc.word_spans(buf, doc_bounds, word_table())
    r = rc.word_spans(buf, doc_bounds, word_table())
    assert k[0].tolist() == r[0].tolist() and k[1].tolist() == r[1].tolist()
    # and both are the matches of the regex itself
    found = [m.group() for d in docs for m in regex.finditer(r"\w+|[^\w\s]+", d)]
    assert [buf[a:b].tobytes().decode("utf-8") for a, b in zip(k[0], k[1], strict=True)] == found


# str.split() also splits at the rarer spaces: file/group separators, NEL, ideographic and line separators
SPACES = st.lists(
    st.one_of(twin_texts, st.text("a\x1c\x85\u3000\u2028\u200b\xa0 é\n", max_size=30)), min_size=1, max_size=5
)


@SETTINGS
@given(SPACES)
def test_word_spans_with_the_space_table(docs: list[str]) -> None:
    datas = [d.encode("utf-8") for d in docs]
    doc_bounds = np.zeros(len(datas) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in datas], out=doc_bounds[1:])
    buf = np.frombuffer(b"".join(datas), dtype=np.uint8)
    k = kc.word_spans(buf, doc_bounds, space_table())
    r = rc.word_spans(buf, doc_bounds, space_table())
    assert k[0].tolist() == r[0].tolist() and k[1].tolist() == r[1].tolist()
    # and both are the words of str.split()
    found = [w for d in docs for w in d.split()]
    assert [buf[a:b].tobytes().decode("utf-8") for a, b in zip(k[0], k[1], strict=True)] == found


@st.composite
def bpe_problems(draw: st.DrawFn):
    """Words over a 4-symbol alphabet (one a prefix-marked symbol), counts, and trainer options."""
    n_words = draw(st.integers(1, 12))
    words = [draw(st.lists(st.integers(0, 3), min_size=0, max_size=9)) for _ in range(n_words)]
    counts = [draw(st.integers(1, 6)) for _ in range(n_words)]
    # token contents: 0='a', 1='b', 2='c', 3='##b' (so that 'a'+'##b' and 'a'+'b' give the same token)
    contents = [[97], [98], [99], [1000, 98]]
    vocab_size = draw(st.integers(4, 30))
    min_frequency = draw(st.integers(0, 4))
    max_length = draw(st.sampled_from([-1, 2, 3, 5]))
    prefix = draw(st.sampled_from([-1, 1000]))
    return words, counts, contents, vocab_size, min_frequency, max_length, prefix


def as_arrays(words, counts, contents):
    wlen = np.array([len(w) for w in words], dtype=np.int64)
    wstart = np.zeros(len(words), dtype=np.int64)
    np.cumsum(wlen[:-1], out=wstart[1:])
    syms = np.array([s for w in words for s in w], dtype=np.int32)
    uoff = np.zeros(len(contents) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in contents], out=uoff[1:])
    units = np.array([u for c in contents for u in c], dtype=np.int32)
    return syms, wstart, wlen, np.array(counts, dtype=np.int64), units, uoff


@SETTINGS
@given(bpe_problems())
def test_train_merges(problem) -> None:
    words, counts, contents, vocab_size, min_frequency, max_length, prefix = problem
    k_in = as_arrays(words, counts, contents)
    r_in = as_arrays(words, counts, contents)
    args = (len(contents), vocab_size, min_frequency, max_length, prefix)
    k_progress, r_progress = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    k_out = kt.train_merges(*k_in, *args, k_progress)
    r_out = rt.train_merges(*r_in, *args, r_progress)
    assert k_progress[0] == r_progress[0] == len(k_out[0])
    for k, r in zip(k_out[:5], r_out[:5], strict=True):
        assert k.tolist() == r.tolist()
    assert k_out[5] == r_out[5]
    # the words after merging, too
    for w in range(len(words)):
        a, n = k_in[1][w], k_in[2][w]
        assert k_in[0][a : a + n].tolist() == r_in[0][a : a + r_in[2][w]].tolist()


@SETTINGS
@given(bpe_problems())
def test_train_wordpiece_merges(problem) -> None:
    words, counts, contents, vocab_size, min_frequency, _max_length, prefix = problem
    k_in = as_arrays(words, counts, contents)
    r_in = as_arrays(words, counts, contents)
    args = (len(contents), vocab_size, min_frequency, prefix)
    k_progress, r_progress = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    k_out = kw.train_wordpiece_merges(*k_in, *args, k_progress)
    r_out = rw.train_wordpiece_merges(*r_in, *args, r_progress)
    for k, r in zip(k_out[:5], r_out[:5], strict=True):
        assert k.tolist() == r.tolist()
    assert k_out[5] == r_out[5]
    for w in range(len(words)):
        a = k_in[1][w]
        assert k_in[0][a : a + k_in[2][w]].tolist() == r_in[0][a : a + r_in[2][w]].tolist()


def test_train_merges_on_a_problem_that_outgrows_every_buffer() -> None:
    """Enough symbols and distinct pairs that the kernel grows its pair table, its per-step buffers and
    takes its changes in several rounds (one word alone is longer than a round), as on a real corpus."""
    rng = np.random.default_rng(7)
    words = [rng.integers(0, 300, rng.integers(1, 30)).tolist() for _ in range(1500)]
    words += [[5, 6] * 40, [7] * 50, [8, 8, 9] * 20]
    counts = rng.integers(1, 50, len(words)).tolist()
    # and one long word of its own symbols, seen once: its pairs are too rare to merge (it is only counted)
    words.append(rng.integers(300, 2300, 66_000).tolist())
    counts.append(1)
    contents = [[x] for x in range(2300)]
    n_pairs = len({p for w in words for p in itertools.pairwise(w)})
    assert max(len(w) for w in words) > 1 << 16 and n_pairs > 1 << 13  # beyond the kernel's first sizes
    k_in, r_in = as_arrays(words, counts, contents), as_arrays(words, counts, contents)
    args = (len(contents), len(contents) + 30, 2, 4, -1)
    k_out = kt.train_merges(*k_in, *args, np.zeros(1, dtype=np.int64))
    r_out = rt.train_merges(*r_in, *args, np.zeros(1, dtype=np.int64))
    assert len(k_out[0]) == 30
    for k, r in zip(k_out[:5], r_out[:5], strict=True):
        assert k.tolist() == r.tolist()
    assert k_in[2].tolist() == r_in[2].tolist()  # the words after merging, too
    assert all(
        k_in[0][a : a + n].tolist() == r_in[0][a : a + n].tolist() for a, n in zip(k_in[1], k_in[2], strict=True)
    )


@st.composite
def char_problems(draw: st.DrawFn):
    """Words (with code points of 1 to 4 UTF-8 bytes), counts, and the character-level options."""
    alphabet = st.sampled_from("abcé€𝟘\u0301 z")
    words = draw(st.lists(st.text(alphabet, min_size=1, max_size=8), min_size=1, max_size=10, unique=True))
    counts = {w.encode(): draw(st.integers(1, 1 << 40)) for w in words}
    initial = tuple(draw(st.lists(st.sampled_from("aéxΩ𝟘"), max_size=3)))
    limit = draw(st.sampled_from([None, 1, 2, 4, 10]))
    prefix = draw(st.sampled_from([None, "", "##"]))
    suffix = draw(st.sampled_from([None, "", "</w>"]))
    specials = draw(st.sampled_from([(), ("<s>",), ("<s>", "</s>")]))
    return counts, specials, initial, limit, prefix, suffix


@SETTINGS
@given(char_problems())
def test_char_level_start_equals_its_loops(problem) -> None:
    counts, *options = problem
    words = WordCounts.from_dict(counts, "whitespace")
    fast, loops = char_level_start(words, *options), _char_level_start_loops(words, *options)
    assert fast[:2] == loops[:2]
    assert fast[2].dtype == loops[2].dtype and fast[2].tolist() == loops[2].tolist()
    assert fast[3].dtype == loops[3].dtype and fast[3].tolist() == loops[3].tolist()


def test_char_level_start_takes_the_loops_where_a_word_is_not_utf8_alone() -> None:
    # "é" split across two words: the bytes decode together, not word by word (as the loops find)
    words = WordCounts(np.frombuffer("aé".encode(), np.uint8).copy(), np.array([0, 2, 3]), np.array([1, 1]), "x")
    with pytest.raises(UnicodeDecodeError):
        char_level_start(words, (), (), None, None, None)
