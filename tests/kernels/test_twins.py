"""Every kernel gives what its pure-Python twin in tokvec.reference gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokvec
from tests.strategies import SETTINGS, TWIN_DISAGREE, twin_texts
from tokvec.kernels import bpe as kb
from tokvec.kernels import pretokenize as kp
from tokvec.kernels import tables as kt
from tokvec.kernels import utf8 as ku
from tokvec.reference import bpe as rb
from tokvec.reference import pretokenize as rp
from tokvec.reference import tables as rt
from tokvec.reference import utf8 as ru
from tokvec.tokens.unicode import class_table

GRAMMARS = [kp.R50K, kp.CL100K, kp.O200K, kp.LLAMA3]


def as_bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


@SETTINGS
@given(twin_texts)
def test_decode_at(text: str) -> None:
    b = as_bytes(text)
    i = 0
    while i < len(b):
        assert ku.decode_at(b, i) == ru.decode_at(b, i)
        i += ku.decode_at(b, i)[1]


@pytest.mark.parametrize("grammar", GRAMMARS)
@SETTINGS
@given(text=twin_texts)
def test_split_bounds(grammar: int, text: str) -> None:
    b = as_bytes(text)
    got = kp.split_bounds(b, 0, len(b), class_table(), grammar)
    np.testing.assert_array_equal(got, rp.split_bounds(b, 0, len(b), class_table(), grammar))


@pytest.mark.parametrize("grammar", GRAMMARS)
@SETTINGS
@given(text=twin_texts, data=st.data())
def test_piece_end(grammar: int, text: str, data: st.DataObject) -> None:
    b = as_bytes(text)
    if len(b) == 0:
        return
    starts = [i for i in range(len(b)) if b[i] < 0x80 or b[i] >= 0xC0]
    i = data.draw(st.sampled_from(starts))
    assert kp.piece_end(b, i, len(b), class_table(), grammar) == rp.piece_end(b, i, len(b), class_table(), grammar)


def tiny_ranks() -> dict[bytes, int]:
    """256 bytes plus a few merges, including two ways to build b'abc' and b'aaaa'."""
    ranks = {bytes([i]): i for i in range(256)}
    for tok in [b"ab", b"bc", b"abc", b"aa", b"aaa", b"aaaa", b" a", b" ab", b"ca", b"cab", b"\xf0\x9f"]:
        ranks[tok] = len(ranks)
    return ranks


small_bytes = st.binary(max_size=40).map(lambda x: bytes(c % 4 + 97 if c < 200 else c for c in x))


@SETTINGS
@given(small_bytes)
def test_tables_and_rank_merges(data: bytes) -> None:
    model = tokvec.BytePairModel.from_ranks(tiny_ranks())
    table = rt.build_bytes_table(model.tok_bytes, model.tok_off, model.present)
    b = np.frombuffer(data, dtype=np.uint8)
    for lo in range(len(b)):
        for hi in range(lo, min(len(b), lo + 5) + 1):
            assert kt.bytes_lookup(model.whole, model.tok_bytes, model.tok_off, b, lo, hi) == rt.bytes_lookup(
                table, model.tok_bytes, model.tok_off, b, lo, hi
            )
    got = kt.rank_merges(model.tok_bytes, model.tok_off, model.whole, model.present)
    want = rt.rank_merges(model.tok_bytes, model.tok_off, table, model.present)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    pairs = rt.build_pair_table(*got)
    for (a, c), (p, m) in pairs.items():
        s = kt.pair_lookup(model.pairs, a, c)
        assert s >= 0 and model.pairs[2 * s + 1] == (p << 32) | m
    assert kt.pair_lookup(model.pairs, 1000, 1000) == -1


def twin_args(model: tokvec.BytePairModel) -> tuple:
    whole = rt.build_bytes_table(model.tok_bytes, model.tok_off, model.present)
    pairs = {}
    for s in range(len(model.pairs) // 2):
        key = int(model.pairs[2 * s])
        if key != -1:
            val = int(model.pairs[2 * s + 1])
            pairs[(key >> 32, key & 0xFFFFFFFF)] = (val >> 32, val & 0xFFFFFFFF)
    return whole, pairs


def models() -> list[tokvec.BytePairModel]:
    ranks = tiny_ranks()
    merges = [(b"a", b"b"), (b"b", b"c"), (b"a", b"bc"), (b"a", b"a"), (b"aa", b"a"), (b"aa", b"aa"), (b" ", b"a")]
    vocab = {bytes([i]): i for i in range(256)}
    for a, c in merges:
        vocab.setdefault(a + c, len(vocab))
    return [tokvec.BytePairModel.from_ranks(ranks), tokvec.BytePairModel.from_merges(vocab, merges)]


@pytest.mark.parametrize("model", models(), ids=["ranks", "merges"])
@pytest.mark.parametrize("grammar", [kp.CL100K, kp.O200K])
@SETTINGS
@given(docs=st.lists(st.one_of(twin_texts, st.text("abc ", max_size=200)), min_size=1, max_size=4))
def test_encode_docs(model: tokvec.BytePairModel, grammar: int, docs: list[str]) -> None:
    datas = [d.encode("utf-8") for d in docs]
    b = np.frombuffer(b"".join(datas), dtype=np.uint8)
    bounds = np.concatenate([[0], np.cumsum([len(d) for d in datas])]).astype(np.int64)
    m = model
    args = (b, bounds, class_table(), grammar, bounds[:1], m.byte_ids, m.tok_bytes, m.tok_off)
    ids, counts = kb.encode_docs(*args, m.whole, m.pairs, m.whole_first)
    want_ids, want_counts = rb.encode_docs(*args, *twin_args(m), m.whole_first)
    np.testing.assert_array_equal(ids, want_ids)
    np.testing.assert_array_equal(counts, want_counts)
    tb = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    np.testing.assert_array_equal(kb.token_offsets(ids, m.tok_off, tb), rb.token_offsets(ids, m.tok_off, tb))
    np.testing.assert_array_equal(
        kb.gather_bytes(ids, m.tok_bytes, m.tok_off), rb.gather_bytes(ids, m.tok_bytes, m.tok_off)
    )
    assert kb.gather_bytes(ids, m.tok_bytes, m.tok_off).tobytes() == b.tobytes()


@pytest.mark.parametrize("model", models(), ids=["ranks", "merges"])
@SETTINGS
@given(st.text("ab c", min_size=1, max_size=kb.SHORT))
def test_merge_long_equals_merge_short(model: tokvec.BytePairModel, text: str) -> None:
    """The heap merge (long pieces) and the quadratic merge (short pieces) agree."""
    b = np.frombuffer(text.encode(), dtype=np.uint8)
    n = len(b)
    short = np.zeros(n, np.int32)
    c = kb._merge_short(b, 0, n, model.byte_ids, model.pairs, short, np.zeros(n, np.int64), np.zeros(n, np.int64))
    long = np.zeros(n, np.int32)
    c2 = kb._merge_long(b, 0, n, model.byte_ids, model.pairs, long)
    np.testing.assert_array_equal(short[:c], long[:c2])


def test_twin_disagreements_are_few() -> None:
    """The Unicode versions of the regex module and of tiktoken differ on a known, small set."""
    assert 0 < len(TWIN_DISAGREE) < 30_000
