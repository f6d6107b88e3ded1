"""The hash-table kernels equal their twins: same arrays built, same answers to every lookup."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import tables as kt
from tokvec.reference import tables as rt

# tokens over a small alphabet collide and overlap often; some are longer than 8 bytes (hashed keys)
token = st.one_of(st.binary(max_size=3), st.text("ab\xe9", max_size=12).map(str.encode), st.binary(max_size=20))


@st.composite
def vocabularies(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tok_bytes, tok_off, include): tokens with duplicates, the empty token now and then, a random mask."""
    tokens = draw(st.lists(token, min_size=1, max_size=60))
    include = np.array(draw(st.lists(st.booleans(), min_size=len(tokens), max_size=len(tokens))), dtype=np.bool_)
    tok_off = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in tokens], out=tok_off[1:])
    return np.frombuffer(b"".join(tokens), dtype=np.uint8).copy(), tok_off, include


@SETTINGS
@given(st.binary(max_size=24), st.integers(-(2**63), 2**63 - 1))
def test_hash_helpers(data: bytes, word: int) -> None:
    b = np.frombuffer(data, dtype=np.uint8)
    assert int(kt.mix(np.int64(word))) == rt.mix(word)
    for lo in range(len(b) + 1):
        hi = len(b)
        assert int(kt.key_word(b, lo, hi)) == rt.key_word(b, lo, hi)
        n = min(8, hi - lo)
        assert int(kt.pack8(b, lo, n)) == rt.pack8(b, lo, n)


@SETTINGS
@given(vocabularies(), st.binary(max_size=16))
def test_bytes_table(vocab: tuple, probe: bytes) -> None:
    tok_bytes, tok_off, include = vocab
    whole = kt.build_bytes_table(tok_bytes, tok_off, include)
    np.testing.assert_array_equal(whole, rt.build_bytes_table(tok_bytes, tok_off, include))
    # every token (found as the first included id of its bytes, or -1), and every slice of a probe
    tokens = rt.token_list(tok_bytes, tok_off)
    first = {}
    for t, tok in enumerate(tokens):
        if include[t]:
            first.setdefault(tok, t)
    for t, tok in enumerate(tokens):
        lo, hi = int(tok_off[t]), int(tok_off[t + 1])
        got = kt.bytes_lookup(whole, tok_bytes, tok_off, tok_bytes, lo, hi)
        assert got == rt.bytes_lookup(whole, tok_bytes, tok_off, tok_bytes, lo, hi) == first.get(tok, -1)
    b = np.frombuffer(probe, dtype=np.uint8)
    for lo in range(len(b) + 1):
        for hi in range(lo, len(b) + 1):
            got = kt.bytes_lookup(whole, tok_bytes, tok_off, b, lo, hi)
            assert got == rt.bytes_lookup(whole, tok_bytes, tok_off, b, lo, hi)


@SETTINGS
@given(vocabularies())
def test_rank_merges(vocab: tuple) -> None:
    tok_bytes, tok_off, include = vocab
    whole = kt.build_bytes_table(tok_bytes, tok_off, include)
    got = kt.rank_merges(tok_bytes, tok_off, whole, include)
    want = rt.rank_merges(tok_bytes, tok_off, whole, include)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == np.int32
        np.testing.assert_array_equal(g, w)


pair_rows = st.lists(st.tuples(*[st.integers(0, 40)] * 2, st.integers(0, 2**31 - 1), st.integers(0, 2**32 - 1)))


@SETTINGS
@given(pair_rows, st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=20))
def test_pair_table(rows: list[tuple[int, int, int, int]], probes: list[tuple[int, int]]) -> None:
    """Duplicate pairs (the first wins), priorities up to 2^31 and merged ids up to 2^32 survive."""
    cols = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(4)]
    lefts, rights = cols[0].astype(np.int32), cols[1].astype(np.int32)
    pairs = kt.build_pair_table(lefts, rights, cols[2], cols[3])
    np.testing.assert_array_equal(pairs, rt.build_pair_table(lefts, rights, cols[2], cols[3]))
    first = {}
    for a, c, p, m in rows:
        first.setdefault((a, c), (p, m))
    assert rt.pair_dict(pairs) == first
    for a, c in [(r[0], r[1]) for r in rows] + probes:
        s = kt.pair_lookup(pairs, a, c)
        assert s == rt.pair_lookup(pairs, a, c)
        assert (s >= 0) == ((a, c) in first)


def test_tables_of_a_real_vocabulary() -> None:
    """The whole-token and pair tables of GPT-2 equal the twins' (50,257 tokens, 108k pairs)."""
    from tests.conftest import preset

    m = preset("gpt2").model
    np.testing.assert_array_equal(m.whole, rt.build_bytes_table(m.tok_bytes, m.tok_off, m.present))
    merges = kt.rank_merges(m.tok_bytes, m.tok_off, m.whole, m.present)
    for g, w in zip(merges, rt.rank_merges(m.tok_bytes, m.tok_off, m.whole, m.present), strict=True):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(m.pairs, rt.build_pair_table(*merges))
