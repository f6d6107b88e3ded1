"""The WordPiece and fused BERT kernels equal their twins on generated vocabularies and text."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS, fragments
from tokvec.kernels import bert as kb
from tokvec.kernels import wordpiece as kw
from tokvec.reference import bert as rb
from tokvec.reference import wordpiece as rw
from tokvec.tokens.fused.bert import char_map
from tokvec.tokens.normalizers import hf_unicode as hu

ALPHABET = "ab#é"
token = st.text(ALPHABET, max_size=5)


def _cps(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()


@st.composite
def tries(draw: st.DrawFn):
    tokens = draw(st.lists(token, min_size=1, max_size=30))
    prefix = draw(st.sampled_from(["##", "#", ""]))
    tok_off = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in tokens], out=tok_off[1:])
    ids = np.array(draw(st.permutations(range(len(tokens)))), dtype=np.int32)
    return _cps("".join(tokens)), tok_off, ids, _cps(prefix)


@SETTINGS
@given(tries(), st.lists(st.text(ALPHABET, max_size=8), max_size=6), st.integers(0, 6))
def test_wordpiece_kernel_equals_twin(trie, words: list[str], max_chars: int) -> None:
    built = kw.build_trie(*trie)
    twin = rw.build_trie(*trie)
    assert np.array_equal(built[0], twin[0]) and np.array_equal(built[1], twin[1]) and built[2] == twin[2]
    bounds = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=bounds[1:])
    cps = _cps("".join(words))
    got = kw.encode_words(built[0], built[1], built[2], 7, max_chars, cps, bounds)
    want = rw.encode_words(twin[0], twin[1], twin[2], 7, max_chars, cps, bounds)
    for g, w in zip(got, want, strict=True):
        assert g.tolist() == w.tolist()


@SETTINGS
@given(st.lists(st.lists(fragments, max_size=6).map("".join), max_size=4), st.booleans(), st.booleans(), tries())
def test_bert_kernels_equal_twins(texts: list[str], strip: bool, clean: bool, trie) -> None:
    map_idx, map_off, map_vals, _ = char_map(strip, not clean)
    cps = _cps("".join(texts))
    seg = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=seg[1:])
    args = (cps, seg, hu.flags(), map_idx, map_off, map_vals, clean, strip)
    got, want = kb.normalize_split(*args), rb.normalize_split(*args)
    for g, w in zip(got, want, strict=True):
        assert g.tolist() == w.tolist()
    edges, node_id, cont_root = kw.build_trie(*trie)
    got = kb.wordpiece_words(edges, node_id, cont_root, 3, 5, *want[:3])
    want = rb.wordpiece_words(edges, node_id, cont_root, 3, 5, *want[:3])
    for g, w in zip(got, want, strict=True):
        assert g.tolist() == w.tolist()
