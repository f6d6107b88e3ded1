"""Files load in gensim with identical vectors (and back); queries and evaluation equal gensim's."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tokvec.vectors import evaluate as ev
from tokvec.vectors.formats import load, save
from tokvec.vectors.keyed import UnknownKeyError

gensim = pytest.importorskip("gensim")
KeyedVectorsG = gensim.models.KeyedVectors


@functools.cache
def _trained() -> tokvec.KeyedVectors:
    sentences = [line.split() for line in data_path("text/gensim/lee_background.cor").read_text().splitlines()]
    return tokvec.train_word2vec(sentences, tokvec.Word2VecConfig(vector_size=24, min_count=2, epochs=3, seed=5))


@pytest.mark.data
@pytest.mark.parametrize("name,binary", [("v.bin", True), ("v.txt", False), ("v.txt.gz", False)])
def test_gensim_loads_ours_and_we_load_gensims(tmp_path, name, binary):
    kv = _trained()
    save(kv, tmp_path / name)
    g = KeyedVectorsG.load_word2vec_format(str(tmp_path / name), binary=binary)
    assert list(g.index_to_key) == kv.keys
    np.testing.assert_array_equal(g.vectors, kv.vectors)
    g.save_word2vec_format(str(tmp_path / ("g" + name)), binary=binary)
    back = load(tmp_path / ("g" + name))
    assert back.keys == kv.keys
    np.testing.assert_array_equal(back.vectors, kv.vectors)


@pytest.mark.data
def test_glove_and_npz_round_trip(tmp_path):
    kv = _trained()
    save(kv, tmp_path / "g.txt", format="glove")
    assert not (tmp_path / "g.txt").read_text().startswith(f"{len(kv)} ")
    glove = load(tmp_path / "g.txt", format="glove")
    np.testing.assert_array_equal(glove.vectors, kv.vectors)
    g = KeyedVectorsG.load_word2vec_format(str(tmp_path / "g.txt"), binary=False, no_header=True)
    np.testing.assert_array_equal(g.vectors, kv.vectors)
    save(kv, tmp_path / "v.npz")
    back = load(tmp_path / "v.npz")
    assert back.keys == kv.keys and back.config == kv.config
    np.testing.assert_array_equal(back.counts, kv.counts)
    np.testing.assert_array_equal(back.output_vectors, kv.output_vectors)
    with np.load(tmp_path / "v.npz", allow_pickle=False) as z:  # no object arrays: never pickle
        assert all(z[n].dtype != object for n in z.files)


def test_bad_files(tmp_path):
    (tmp_path / "bad.txt").write_text("hello 1 2\n")
    with pytest.raises(tokvec.FormatError, match="Is this a GloVe file"):
        load(tmp_path / "bad.txt")
    (tmp_path / "short.bin").write_bytes(b"2 3\nab \x00\x00")
    with pytest.raises(tokvec.FormatError, match="cut short"):
        load(tmp_path / "short.bin")


@pytest.mark.data
def test_queries_equal_gensim():
    kv = _trained()
    g = KeyedVectorsG(kv.vector_size)
    g.add_vectors(kv.keys, kv.vectors)
    for word in kv.keys[:300:7]:
        ours = kv.most_similar(word, top_k=10)
        theirs = g.most_similar(word, topn=10)
        # same scores; keys may swap only where scores tie to float32 rounding (BLAS sums in another order)
        np.testing.assert_allclose([n.score for n in ours], [s for _, s in theirs], atol=1e-5)
        for i, (n, (k, s)) in enumerate(zip(ours, theirs, strict=True)):
            if n.key != k:
                assert abs(n.score - s) < 1e-5 and k in [m.key for m in kv.most_similar(word, top_k=i + 3)]
    ours = kv.most_similar(positive=["Australia", "government"], negative=["the"], top_k=5)
    assert [n.key for n in ours] == [k for k, _ in g.most_similar(["Australia", "government"], ["the"], topn=5)]
    assert kv.doesnt_match(["Australia", "government", "the", "of"]) == g.doesnt_match(
        ["Australia", "government", "the", "of"]
    )
    assert kv.rank("Australia", "the") == g.rank("Australia", "the")
    assert kv.similarity("Australia", "the") == pytest.approx(float(g.similarity("Australia", "the")), abs=1e-6)
    batch = kv.most_similar_to_vector(kv.vectors[:3], top_k=4, exclude=[[0], [1], [2]])
    assert [[n.key for n in row] for row in batch] == [
        [n.key for n in kv.most_similar(k, top_k=4)] for k in kv.keys[:3]
    ]
    cosmul = kv.analogy("Australia", "Sydney", "government", method="3cosmul", top_k=3)
    theirs = g.most_similar_cosmul(positive=["Sydney", "government"], negative=["Australia"], topn=3)
    assert [n.key for n in cosmul] == [k for k, _ in theirs]
    with pytest.raises(UnknownKeyError, match="close keys: 'Australia'"):
        kv["Australiaa"]


@pytest.mark.data
def test_evaluation_equals_gensim():
    kv = _trained()
    g = KeyedVectorsG(kv.vector_size)
    g.add_vectors(kv.keys, kv.vectors)
    for name in ("WS-353", "SimLex-999", "MEN"):
        path = data_path(ev.SIMILARITY_SETS[name])
        ours = ev.evaluate_similarity(kv, path)
        (pearson, _), spearman, oov = g.evaluate_word_pairs(str(path))
        assert ours.pearson == pytest.approx(pearson, abs=1e-6)
        assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-6)
        assert ours.oov_ratio == pytest.approx(oov)
    path = data_path(ev.ANALOGY_SET)
    ours = ev.evaluate_analogies(kv, path, restrict=30_000)
    score, sections = g.evaluate_word_analogies(str(path), restrict_vocab=30_000)
    assert ours.total.correct + ours.total.incorrect > 50  # enough questions to compare
    assert ours.accuracy == pytest.approx(score)
    theirs = {s["section"]: (len(s["correct"]), len(s["incorrect"])) for s in sections}
    assert {s.name: (s.correct, s.incorrect) for s in ours.sections} | {
        "Total accuracy": (ours.total.correct, ours.total.incorrect)
    } == theirs
