"""The fused scan + BPE kernel equals its twin (regex split, then the plain merge loop).

Models are tiny and generated: random rank vocabularies (tiktoken rule) and random merges lists
(GPT-2 rule, priorities in any order), over a small alphabet so that pieces merge a lot.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import preset
from tests.kernels.strategies import SETTINGS, twin_texts
from tokvec import BytePairModel
from tokvec.kernels import bpe as kb
from tokvec.kernels import pretokenize as kp
from tokvec.reference import bpe as rb
from tokvec.tokens.unicode import class_table

GRAMMARS = [kp.R50K, kp.CL100K, kp.O200K, kp.LLAMA3]
NAMES = ["r50k", "cl100k", "o200k", "llama3"]
ALPHABET = "ab c\n"
BYTES = {bytes([i]): i for i in range(256)}


@st.composite
def rank_models(draw: st.DrawFn) -> BytePairModel:
    """256 bytes plus random tokens over ALPHABET (and one split emoji), with shuffled ranks."""
    extra = draw(st.lists(st.text(ALPHABET, min_size=2, max_size=6).map(str.encode), max_size=40, unique=True))
    extra.append("👋".encode()[:2])
    ranks = draw(st.permutations(list(range(256, 256 + len(extra)))))
    return BytePairModel.from_ranks(BYTES | dict(zip(extra, ranks, strict=True)))


@st.composite
def merge_models(draw: st.DrawFn) -> BytePairModel:
    """A merges list drawn pair by pair from the tokens made so far; ids in a shuffled order."""
    made = [c.encode() for c in ALPHABET]
    merges = []
    for _ in range(draw(st.integers(0, 40))):
        a, c = draw(st.sampled_from(made)), draw(st.sampled_from(made))
        if len(a + c) <= 8 and (a, c) not in merges:
            merges.append((a, c))
            if a + c not in made:
                made.append(a + c)
    new = [t for t in made if len(t) > 1]
    ids = draw(st.permutations(list(range(256, 256 + len(new)))))
    return BytePairModel.from_merges(BYTES | dict(zip(new, ids, strict=True)), merges)


models = st.one_of(rank_models(), merge_models())
docs_strategy = st.lists(st.one_of(twin_texts, st.text(ALPHABET, max_size=150)), min_size=1, max_size=4)


def concat(docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
    datas = [d.encode("utf-8") for d in docs]
    bounds = np.zeros(len(datas) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in datas], out=bounds[1:])
    return np.frombuffer(b"".join(datas), dtype=np.uint8), bounds


def both(m: BytePairModel, b: np.ndarray, bounds: np.ndarray, grammar: int, pieces: np.ndarray) -> tuple:
    """Run the kernel and its twin on the same arguments; return both results."""
    args = (b, bounds, class_table(), grammar, pieces, m.byte_ids, m.tok_bytes, m.tok_off, m.whole, m.pairs)
    return kb.encode_docs(*args, m.whole_first), rb.encode_docs(*args, m.whole_first)


def assert_same(got: tuple, want: tuple) -> None:
    assert got[0].dtype == np.int32 and got[1].dtype == np.int64
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


@pytest.mark.parametrize("grammar", GRAMMARS, ids=NAMES)
@SETTINGS
@given(model=models, docs=docs_strategy)
def test_encode_docs(grammar: int, model: BytePairModel, docs: list[str]) -> None:
    b, bounds = concat(docs)
    got, want = both(model, b, bounds, grammar, bounds[:1])
    assert_same(got, want)
    ids, counts = got
    tb = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=tb[1:])
    np.testing.assert_array_equal(kb.token_offsets(ids, model.tok_off, tb), rb.token_offsets(ids, model.tok_off, tb))
    joined = kb.gather_bytes(ids, model.tok_bytes, model.tok_off)
    np.testing.assert_array_equal(joined, rb.gather_bytes(ids, model.tok_bytes, model.tok_off))
    assert joined.tobytes() == b.tobytes()  # byte-level tokens tile the text


@SETTINGS
@given(model=models, docs=docs_strategy, data=st.data())
def test_encode_docs_with_given_pieces(model: BytePairModel, docs: list[str], data: st.DataObject) -> None:
    """grammar -1: pieces come from ``piece_bounds`` (any byte cuts that include the document bounds)."""
    b, bounds = concat(docs)
    cuts = data.draw(st.lists(st.integers(0, len(b)), max_size=20))
    pieces = np.unique(np.concatenate([bounds, np.array(cuts, dtype=np.int64)]))
    got, want = both(model, b, bounds, -1, pieces)
    assert_same(got, want)


@SETTINGS
@given(model=models, text=st.text(ALPHABET, min_size=120, max_size=400))
def test_long_pieces_use_the_heap(model: BytePairModel, text: str) -> None:
    """One piece longer than kb.SHORT bytes goes through the heap merge inside encode_docs."""
    b, bounds = concat([text.replace(" ", "").replace("\n", "")])
    assert_same(*both(model, b, bounds, -1, bounds))


pieces = st.one_of(
    st.text(ALPHABET, min_size=1, max_size=kb.SHORT).map(str.encode), st.binary(min_size=1, max_size=kb.SHORT)
)


@SETTINGS
@given(model=models, piece=pieces)
def test_merge_long_equals_merge_short(model: BytePairModel, piece: bytes) -> None:
    """The heap merge (long pieces) and the quadratic scan (short pieces) agree with the plain loop.

    subtle: ``_merge_long`` reads ``part[0]`` of an empty piece (out of bounds: a crash under the
    JIT); encode_docs only calls it for pieces longer than SHORT, so pieces here are not empty.
    """
    b = np.frombuffer(piece, dtype=np.uint8)
    n = len(b)
    results = []
    for merge in (kb._merge_short, rb._merge_short):
        ids = np.full(n, -1, np.int32)
        c = merge(b, 0, n, model.byte_ids, model.pairs, ids, np.zeros(n, np.int64), np.zeros(n, np.int64))
        results.append(ids[:c].tolist())
    for merge in (kb._merge_long, rb._merge_long):
        ids = np.full(n, -1, np.int32)
        c = merge(b, 0, n, model.byte_ids, model.pairs, ids)
        results.append(ids[:c].tolist())
    assert results[0] == results[1] == results[2] == results[3]


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base"])
@SETTINGS
@given(piece=st.binary(min_size=1, max_size=kb.SHORT) | twin_texts.filter(bool).map(lambda t: t.encode()[: kb.SHORT]))
def test_merge_long_equals_merge_short_on_a_real_vocabulary(name: str, piece: bytes) -> None:
    m = preset(name).model
    b = np.frombuffer(piece, dtype=np.uint8)
    n = len(b)
    short = np.zeros(n, np.int32)
    c = kb._merge_short(b, 0, n, m.byte_ids, m.pairs, short, np.zeros(n, np.int64), np.zeros(n, np.int64))
    long = np.zeros(n, np.int32)
    c2 = kb._merge_long(b, 0, n, m.byte_ids, m.pairs, long)
    assert short[:c].tolist() == long[:c2].tolist()


def test_memo_does_not_mix_up_pieces() -> None:
    """Pieces of up to 16 bytes are remembered within a call: many distinct ones, repeated, stay right."""
    m = BytePairModel.from_ranks(BYTES | {b"ab": 256, b"abab": 257, b" a": 258, b"ba": 259})
    words = [f" {'ab' * (k % 7)}{'ba' * (k % 5)}{k:x}" for k in range(3000)]
    text = "".join(words * 2)
    b, bounds = concat([text, text[::-1]])
    assert_same(*both(m, b, bounds, kp.CL100K, bounds[:1]))


@pytest.mark.data  # not data-bound, but the twin takes ~10 s on these vocabularies
@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "o200k_base"])
def test_encode_docs_on_a_real_vocabulary(name: str) -> None:
    from tests.kernels.strategies import FRAGMENTS, twin_safe

    frags = [f for f in FRAGMENTS if twin_safe(f)]
    docs = [a + c + a for a in frags for c in frags[::3]]
    b, bounds = concat(docs)
    for grammar in GRAMMARS:
        assert_same(*both(preset(name).model, b, bounds, grammar, bounds[:1]))


@SETTINGS
@given(model=models, words=st.lists(st.text(ALPHABET + "xyz", min_size=1, max_size=20), min_size=1, max_size=60))
def test_cache_of_recent_pieces_does_not_mix_up_pieces(model: BytePairModel, words: list[str]) -> None:
    """A short text gets a small direct-mapped cache (16-64 slots): distinct pieces evict each other, repeats hit."""
    text = " ".join(words * 3)
    b, bounds = concat([text, text[::-1], text])
    for grammar in (kp.R50K, kp.CL100K):
        assert_same(*both(model, b, bounds, grammar, bounds[:1]))
