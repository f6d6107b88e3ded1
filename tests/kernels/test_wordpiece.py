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


def test_normalize_split_grows_when_replacements_expand() -> None:
    """Text made of the character with the widest replacement outgrows the first arrays (one entry a character)."""
    map_idx, map_off, map_vals, _ = char_map(True, True)
    widths = np.diff(map_off)
    k = int(np.argmax(widths))
    char = int(np.flatnonzero(map_idx == k)[0])
    assert widths[k] >= 3
    texts = [chr(char) * 300 + " a.b", "x", chr(char) * 40]
    cps = _cps("".join(texts))
    seg = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=seg[1:])
    args = (cps, seg, hu.flags(), map_idx, map_off, map_vals, True, True)
    got, want = kb.normalize_split(*args), rb.normalize_split(*args)
    assert len(got[0]) > 2 * len(cps)
    for g, w in zip(got, want, strict=True):
        assert g.tolist() == w.tolist()


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=30), st.integers(1, 5))
def test_relative_offsets_equal_twin(spans: list[tuple[int, int]], n_texts: int) -> None:
    from tokvec.kernels import spans as ks
    from tokvec.reference import spans as rs

    starts = np.cumsum([a for a, _ in spans]).astype(np.int64) if spans else np.zeros(0, np.int64)
    ends = starts + np.array([b for _, b in spans], dtype=np.int64) if spans else np.zeros(0, np.int64)
    cuts = np.linspace(0, len(spans), n_texts + 1).astype(np.int64)
    text_start = np.concatenate([[0], np.cumsum(np.arange(1, n_texts + 1))]).astype(np.int64)
    got = ks.relative_offsets(starts, ends, cuts, text_start)
    want = rs.relative_offsets(starts, ends, cuts, text_start)
    assert got.tolist() == want.tolist()
