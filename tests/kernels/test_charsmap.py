"""SentencePiece's normalizer kernel equals its twin on the real character maps, for generated text.

The maps are those of sentencepiece's test models (NFKC rules) and T5 (tokenizer.json); every
space option combination is drawn. Exactness against sentencepiece itself is in
tests/tokens/test_sentencepiece.py.
"""

from __future__ import annotations

import base64
import functools
import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import data_path
from tests.kernels.strategies import SETTINGS
from tokvec.kernels import charsmap as kernel
from tokvec.kernels import spans as spans_kernel
from tokvec.kernels.cp_tables import build_cps_table
from tokvec.reference import charsmap as twin
from tokvec.reference import spans as spans_twin
from tokvec.tokens.formats.sentencepiece import read_model
from tokvec.tokens.normalizers.precompiled import CharsMap

FRAGMENTS = [" ", "  ", "\t", "a", "Hello", "ﬁ", "Ａ", "１２", "ｶﾞ", "e\u0301", "Å", "\u3000", "\u00a0", "▁", "Ⅻ", "½"]


@functools.cache
def charsmap(name: str) -> CharsMap:
    if name == "empty":
        return CharsMap.parse(b"")
    if name == "spm_test":
        raw = read_model(data_path("tokenizers/sentencepiece_testdata/test_model.model")).precompiled_charsmap
    else:
        path = data_path("tokenizers/ortx/tokenizer/t5-small/tokenizer.json")
        raw = base64.b64decode(json.loads(path.read_text())["normalizer"]["precompiled_charsmap"])
    return CharsMap.parse(raw)


SYMBOLS = ["<sep>", "<s", "ﬁ x", " ", "１"]  # user-defined symbols, some the map would change
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS + SYMBOLS), st.text(max_size=3)), max_size=8).map("".join)


@functools.cache
def user_tables(on: bool):
    symbols = SYMBOLS if on else [""]
    cps = np.frombuffer("".join(symbols).encode("utf-32-le"), dtype=np.uint32)
    off = np.cumsum([0] + [len(x) for x in symbols]).astype(np.int64)
    table = build_cps_table(cps, off, np.array([on] * len(symbols)))
    return table, cps, off, max(map(len, symbols)) if on else 0


@SETTINGS
@given(
    name=st.sampled_from(["spm_test", "t5", "empty"]), text=texts, options=st.tuples(*[st.booleans()] * 4),
    user=st.booleans(),
)  # fmt: skip
def test_normalize_equals_twin(name: str, text: str, options: tuple[bool, bool, bool, bool], user: bool) -> None:
    cm = charsmap(name)
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    got = kernel.normalize(cps, cm.units, cm.blob_cps, cm.blob_at, *user_tables(user), *options)
    want = twin.normalize(cps, cm.units, cm.blob_cps, cm.blob_at, *user_tables(user), *options)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
    for i in range(len(cps)):
        assert kernel.longest_match(cm.units, cps, i, len(cps)) == twin.longest_match(cm.units, cps, i, len(cps))


@SETTINGS
@given(
    name=st.sampled_from(["spm_test", "t5", "empty"]), docs=st.lists(texts, max_size=5),
    options=st.tuples(*[st.booleans()] * 4), user=st.booleans(),
)  # fmt: skip
def test_normalize_batch_equals_twin(name: str, docs: list[str], options: tuple[bool, ...], user: bool) -> None:
    cm = charsmap(name)
    cps = np.frombuffer("".join(docs).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bounds = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=bounds[1:])
    args = (cps, bounds, cm.units, cm.blob_cps, cm.blob_at, *user_tables(user), *options)
    got, want = kernel.normalize_batch(*args), twin.normalize_batch(*args)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


def test_empty_map_copies_characters() -> None:
    cm = CharsMap.parse(b"")
    cps = np.frombuffer(" a  b ".encode("utf-32-le"), dtype=np.uint32)
    out, lo, hi = kernel.normalize(cps, cm.units, cm.blob_cps, cm.blob_at, *user_tables(False), True, True, True, False)
    assert out.tobytes().decode("utf-32-le") == "▁a▁b"
    assert lo.tolist() == [1, 1, 2, 4] and hi.tolist() == [1, 2, 3, 5]


@SETTINGS
@given(name=st.sampled_from(["spm_test", "t5"]), text=texts)
def test_first_match_each_equals_twin(name: str, text: str) -> None:
    cm = charsmap(name)
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    got = kernel.first_match_each(cps, cm.units, cm.blob_cps, cm.blob_at)
    want = twin.first_match_each(cps, cm.units, cm.blob_cps, cm.blob_at)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


@SETTINGS
@given(
    segments=st.lists(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), max_size=6), max_size=5),
    cuts=st.lists(st.integers(1, 3), max_size=40), back=st.booleans(),
)  # fmt: skip
def test_token_spans_equal_twin(segments: list[list[tuple[int, int]]], cuts: list[int], back: bool) -> None:
    """Spans of tokens over normalized characters, some added (empty), in segments, some empty."""
    lo, hi, nb, seg_bounds = [], [], [0], [0]
    for seg in segments:
        pos = 0
        for step, width in seg:
            pos += step
            lo.append(pos)
            hi.append(pos + width)  # width 0: an added character
        nb.append(len(lo))
        seg_bounds.append(seg_bounds[-1] + pos + 3)
    st_, en_, a = [], [], 0
    for c in cuts:
        if a >= len(lo):
            break
        st_.append(a)
        en_.append(min(a + c, len(lo)))
        a = en_[-1]
    if back and len(st_) > 1:  # tokens need not run forward
        st_.insert(0, st_.pop())
        en_.insert(0, en_.pop())
    i64 = lambda v: np.asarray(v, dtype=np.int64)  # noqa: E731
    args = (i64(seg_bounds), i64(nb), i64(lo), i64(hi), i64(st_), i64(en_))
    got, want = spans_kernel.token_spans(*args), spans_twin.token_spans(*args)
    assert got[2] and want[2]
    assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()


def test_token_spans_refuse_a_token_past_the_end() -> None:
    i64 = lambda *v: np.array(v, dtype=np.int64)  # noqa: E731
    assert not spans_kernel.token_spans(i64(0, 2), i64(0, 2), i64(0, 1), i64(1, 2), i64(1), i64(3))[2]
    assert not spans_kernel.token_spans(i64(0, 2), i64(0, 2), i64(0, 1), i64(1, 2), i64(1), i64(1))[2]


def test_normalize_batch_grows_when_rules_expand() -> None:
    """A map whose replacements are longer than their keys outgrows the batch's first arrays."""
    cm = charsmap("t5")
    text = "\ufdfa" * 300  # NFKC: 18 characters each
    docs = [text, "a", text[:7]]
    cps = np.frombuffer("".join(docs).encode("utf-32-le"), dtype=np.uint32)
    bounds = np.array([0, 300, 301, 308], dtype=np.int64)
    args = (cps, bounds, cm.units, cm.blob_cps, cm.blob_at, *user_tables(False), True, False, True, False)
    got, want = kernel.normalize_batch(*args), twin.normalize_batch(*args)
    assert len(got[0]) > 5 * len(cps)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
