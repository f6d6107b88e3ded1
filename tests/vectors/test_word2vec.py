"""word2vec training: the vocabulary equals gensim's, runs are reproducible, and trained vectors make sense."""

from __future__ import annotations

import gzip
import re
import tempfile

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tokvec.vectors import word2vec as word2vec_module
from tokvec.vectors.corpus import WordFile, iter_sentences, read_corpus, read_words
from tokvec.vectors.word2vec import ConfigError

gensim = pytest.importorskip("gensim")


def _lee(lower: bool = True) -> list[list[str]]:
    lines = data_path("text/gensim/lee_background.cor").read_text(encoding="utf-8").splitlines()
    return [re.findall(r"[a-z]+", line.lower()) for line in lines] if lower else [line.split() for line in lines]


@pytest.mark.data
def test_vocabulary_and_counts_equal_gensim():
    path = data_path("text/gensim/lee_background.cor")
    corpus = read_corpus(path, min_count=2)
    model = gensim.models.Word2Vec(min_count=2)
    model.build_vocab(gensim.models.word2vec.LineSentence(str(path)))
    ours = dict(zip(corpus.keys, corpus.counts.tolist(), strict=True))
    assert ours == {k: int(model.wv.get_vecattr(k, "count")) for k in model.wv.index_to_key}
    # gensim orders ties as numpy's argsort leaves them; ours: count, then first appearance
    assert np.all(np.diff(corpus.counts) <= 0)
    text = path.read_text(encoding="utf-8").split()
    first = {w: i for i, w in reversed(list(enumerate(text)))}
    ties = [(c, first[k]) for k, c in zip(corpus.keys, corpus.counts.tolist(), strict=True)]
    assert ties == sorted(ties, key=lambda t: (-t[0], t[1]))


def test_text8_lines_and_token_lists_read_alike(tmp_path):
    words = [f"w{i % 37}" for i in range(25_000)]
    text8 = tmp_path / "one_line.gz"
    with gzip.open(text8, "wt") as f:
        f.write(" " + " ".join(words) + " ")
    from_file = read_corpus(text8, min_count=1)
    cut = [words[i : i + 10_000] for i in range(0, len(words), 10_000)]  # 10,000-word sentences
    from_lists = read_corpus(cut, min_count=1)
    assert list(iter_sentences(from_file)) == list(iter_sentences(from_lists)) == cut
    lines = tmp_path / "lines.txt"
    lines.write_text("a b c\n\n  a b\nc\n")
    assert list(iter_sentences(read_corpus(lines, min_count=1))) == [["a", "b", "c"], ["a", "b"], ["c"]]
    assert list(iter_sentences(read_corpus(lines, min_count=2))) == [["a", "b", "c"], ["a", "b"], ["c"]]
    assert list(iter_sentences(read_corpus(lines, min_count=1, max_vocab=1))) == [["a"], ["a"]]


def test_tokenizer_corpus():
    kv = tokvec.train_word2vec(["Hello world", "Hello there"], tokvec.Word2VecConfig(min_count=1, epochs=1),
                               tokenizer=tokvec.load("gpt2"))  # fmt: skip
    assert kv.keys[0] == "Hello" and "Ġworld" in kv


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_one_thread_is_bit_identical_and_seed_matters(architecture):
    sentences = _small_corpus()
    cfg = tokvec.Word2VecConfig(architecture=architecture, vector_size=16, min_count=1, epochs=2, seed=7)
    a = tokvec.train_word2vec(sentences, cfg)
    b = tokvec.train_word2vec(sentences, cfg)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.output_vectors, b.output_vectors)
    c = tokvec.train_word2vec(sentences, tokvec.Word2VecConfig(**{**cfg.as_dict(), "seed": 8}))
    assert not np.array_equal(a.vectors, c.vectors)
    two = tokvec.train_word2vec(sentences, tokvec.Word2VecConfig(**{**cfg.as_dict(), "threads": 2}))
    assert two.vectors.shape == a.vectors.shape and np.isfinite(two.vectors).all()


def test_continue_training_keeps_the_vocabulary():
    cfg = tokvec.Word2VecConfig(vector_size=8, min_count=1, epochs=1, sample=0)
    first = tokvec.train_word2vec([["a", "b", "c"]] * 20, cfg)
    more = tokvec.train_word2vec([["a", "b", "zzz"]] * 20, cfg, initial=first)
    assert more.keys == first.keys and "zzz" not in more
    assert not np.array_equal(more.vectors, first.vectors)
    np.testing.assert_array_equal(more.counts, first.counts)


def test_bad_options_and_empty_corpus():
    with pytest.raises(ConfigError, match="architecture"):
        tokvec.Word2VecConfig(architecture="sg")
    with pytest.raises(ConfigError, match="window"):
        tokvec.Word2VecConfig(window=0)
    with pytest.raises(tokvec.TokvecError, match="min_count=5"):
        tokvec.train_word2vec([["rare", "words"]], tokvec.Word2VecConfig())
    with pytest.raises(tokvec.TokvecError, match="list of tokens"):
        tokvec.train_word2vec([["ok"], "not a list"], tokvec.Word2VecConfig(min_count=1))


def _small_corpus() -> list[list[str]]:
    rng = np.random.default_rng(0)
    return [[f"w{int(x)}" for x in rng.zipf(1.5, size=30) % 200] for _ in range(100)]


@pytest.mark.data
@pytest.mark.parametrize("architecture,epochs", [("skipgram", 10), ("cbow", 20)])
def test_trained_neighbours_make_sense(architecture, epochs):
    # calibrated on the Lee corpus with seed 3: ranks measured 1-6 (skip-gram, 20 epochs) and 1-6 (CBOW)
    cfg = tokvec.Word2VecConfig(architecture=architecture, vector_size=50, min_count=3, epochs=epochs, seed=3)
    kv = tokvec.train_word2vec(_lee(), cfg)
    assert kv.rank("president", "bush") <= 20
    assert kv.rank("palestinian", "yasser") <= 40
    assert kv.rank("president", "bush") < kv.rank("president", "cricket")


def _spill_everything(monkeypatch):
    """Make every spool move to a temporary file at once, in small blocks, so both passes cross many blocks."""
    from tokvec.vectors import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "SPILL_BYTES", 0)
    monkeypatch.setattr(corpus_module, "_FLUSH", 97)


def test_spilled_corpus_reads_the_same_words_and_leaves_no_file(monkeypatch, tmp_path):
    words = [f"w{i % 37}" for i in range(25_000)] + ["rare"]
    lists = [words[i : i + 7 + i % 5] for i in range(0, len(words), 11)] + [words[:12_345]]
    in_memory = read_corpus(lists, min_count=2)
    assert isinstance(in_memory.words, np.ndarray)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _spill_everything(monkeypatch)
    for spill in (False, True):
        again = read_corpus(lists, min_count=2, spill=spill)
        assert isinstance(again.words, WordFile) == spill
        assert again.keys == in_memory.keys
        np.testing.assert_array_equal(again.counts, in_memory.counts)
        np.testing.assert_array_equal(again.bounds, in_memory.bounds)
        np.testing.assert_array_equal(read_words(again.words, 0, len(again.words)), in_memory.words)
        assert list(iter_sentences(again)) == list(iter_sentences(in_memory))
        assert read_words(again.words, 5, 9).tolist() == in_memory.words[5:9].tolist()
        assert list(tmp_path.iterdir()) == []  # the temporary file has no name, even while open
        again.close()
    fixed = read_corpus(lists, vocabulary=["w3", "rare", "w1"], spill=True)
    assert fixed.counts.tolist() == [sum(s.count(w) for s in lists) for w in ("w3", "rare", "w1")]
    pieces = [s[i : i + 10_000] for s in lists for i in range(0, len(s), 10_000)]  # cut before words drop out
    assert list(iter_sentences(fixed)) == [k for k in ([w for w in s if w in fixed.keys] for s in pieces) if k]
    fixed.close()


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_spilled_corpus_trains_bit_identically(monkeypatch, architecture):
    sentences = _small_corpus()  # 3,000 words: one chunk by default
    cfg = tokvec.Word2VecConfig(architecture=architecture, vector_size=16, min_count=1, epochs=2, seed=5)
    default_chunks = word2vec_module.chunk_starts
    runs = []
    for chunk_words in (word2vec_module.CHUNK_WORDS, 700):  # 700: five chunks, each read back from the file
        monkeypatch.setattr(word2vec_module, "chunk_starts", lambda bounds, n=chunk_words: default_chunks(bounds, n))
        in_memory = tokvec.train_word2vec(sentences, cfg)
        with monkeypatch.context() as m:
            _spill_everything(m)
            spilled = tokvec.train_word2vec(sentences, cfg)
            two = tokvec.train_word2vec(sentences, tokvec.Word2VecConfig(**{**cfg.as_dict(), "threads": 2}))
        np.testing.assert_array_equal(spilled.vectors, in_memory.vectors)
        np.testing.assert_array_equal(spilled.output_vectors, in_memory.output_vectors)
        assert spilled.keys == in_memory.keys and spilled.counts.tolist() == in_memory.counts.tolist()
        assert two.vectors.shape == in_memory.vectors.shape and np.isfinite(two.vectors).all()
        runs.append(in_memory.vectors)
    assert not np.array_equal(*runs)  # other chunks, other random streams: the chunked path was taken
