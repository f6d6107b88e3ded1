"""GloVe: counting in bounded memory equals counting in memory, training is reproducible and makes sense,
GloVe files load (cp1252 lines named, never silently), and ``tokvec train glove`` / ``tokvec similar`` run."""

from __future__ import annotations

import gzip
import json
import warnings

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tokvec.cli.main import main
from tokvec.errors import FormatWarning
from tokvec.vectors.cooccur import count_cooccurrences
from tokvec.vectors.corpus import read_corpus
from tokvec.vectors.word2vec import ConfigError

_SAMPLE = "embeddings-eval/glove-sample/glove.6B.50d.first2446"


def _eltec_words(n: int) -> list[list[str]]:
    with gzip.open(data_path("text/eltec-eng/eltec8.gz"), "rt", encoding="utf-8") as f:
        words = f.read(n * 7).split()[:n]
    return [words[i : i + 1000] for i in range(0, len(words), 1000)]


@pytest.mark.data
def test_spilled_runs_merge_to_the_same_records(tmp_path):
    corpus = read_corpus(_eltec_words(60_000), min_count=2)
    whole = count_cooccurrences(corpus, window=8, memory_mb=256)
    spilled = count_cooccurrences(corpus, window=8, memory_mb=1, tmpdir=str(tmp_path))
    assert not whole.spilled and spilled.spilled and spilled.runs >= 2
    assert np.array_equal(whole.rows, spilled.rows) and np.array_equal(whole.cols, spilled.cols)
    # the dense block is smaller with less memory, so some counts add up in another order
    np.testing.assert_allclose(whole.logx, spilled.logx, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(whole.weight, spilled.weight, rtol=1e-6)
    assert list(tmp_path.iterdir()) == []  # the runs' folder is gone
    # symmetric counts: (a, b) and (b, a) carry the same weight
    x = {(a, b): v for a, b, v in zip(whole.rows.tolist(), whole.cols.tolist(), whole.logx.tolist(), strict=True)}
    assert all(np.isclose(v, x[(b, a)], atol=1e-5) for (a, b), v in list(x.items())[:5000])


def test_same_seed_same_vectors_and_config_checks():
    sentences = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "rug"]] * 30
    config = tokvec.GloveConfig(vector_size=10, window=3, min_count=1, epochs=5, seed=7)
    a = tokvec.train_glove(sentences, config)
    b = tokvec.train_glove(sentences, config)
    assert np.array_equal(a.vectors, b.vectors) and a.config == config
    c = tokvec.train_glove(sentences, tokvec.GloveConfig(vector_size=10, window=3, min_count=1, epochs=5, seed=8))
    assert not np.array_equal(a.vectors, c.vectors)
    w = tokvec.train_glove(sentences, tokvec.GloveConfig(vector_size=10, min_count=1, epochs=5, seed=7,
                                                         window=3, output_vectors="word"))  # fmt: skip
    assert not np.array_equal(a.vectors, w.vectors)
    with pytest.raises(ConfigError, match="x_max"):
        tokvec.GloveConfig(x_max=0)
    with pytest.raises(ConfigError, match="output_vectors"):
        tokvec.GloveConfig(output_vectors="both")
    with pytest.raises(tokvec.TokvecError, match="min_count"):
        tokvec.train_glove([["a"]], tokvec.GloveConfig(min_count=5))


@pytest.mark.data
def test_trained_vectors_make_sense():
    config = tokvec.GloveConfig(vector_size=50, window=10, x_max=10, epochs=15, min_count=5)
    kv = tokvec.train_glove(_eltec_words(150_000), config)
    # calibrated on this corpus slice (150k words are few for GloVe): rank 1 seen for both
    assert kv.rank("he", "himself") <= 3
    assert kv.rank("she", "herself") <= 3
    assert kv.similarity("he", "she") > kv.similarity("he", "window")


@pytest.mark.data
def test_glove_sample_cp1252_lines_are_named_and_keys_kept():
    with pytest.warns(FormatWarning, match=r"line 218 \('–' from b'\\x96' as cp1252\)") as record:
        kv = tokvec.KeyedVectors.load(str(data_path(_SAMPLE + ".cp1252-original.txt")), format="glove")
    assert "5 line(s)" in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        utf8 = tokvec.KeyedVectors.load(str(data_path(_SAMPLE + ".utf8.txt")), format="glove")
    assert kv.keys == utf8.keys and np.array_equal(kv.vectors, utf8.vectors)
    assert len(set(kv.keys)) == len(kv) == 2446 and kv.vector_size == 50
    assert round(kv.similarity("king", "queen"), 3) == 0.784  # SOURCE.txt's sanity figures
    assert round(kv.similarity("man", "woman"), 3) == 0.886
    assert kv.most_similar("king", top_k=3)[0].key in {"prince", "queen", "son"}


def test_glove_text_round_trip_and_npz_keeps_config(tmp_path):
    kv = tokvec.train_glove([["x", "y", "z", "x"]] * 20, tokvec.GloveConfig(vector_size=4, min_count=1, epochs=2))
    kv.save(str(tmp_path / "v.txt"), format="glove")
    assert not (tmp_path / "v.txt").read_text().startswith("3 4")
    back = tokvec.KeyedVectors.load(str(tmp_path / "v.txt"), format="glove")
    assert back.keys == kv.keys and np.array_equal(back.vectors, kv.vectors)
    kv.save(str(tmp_path / "v.npz"))
    assert tokvec.KeyedVectors.load(str(tmp_path / "v.npz")).config == kv.config


def test_cli_train_glove_and_similar(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat\nthe dog sat on the rug\n" * 50)
    out = tmp_path / "vectors.txt"
    argv = ["train", "glove", str(corpus), "-o", str(out), "--min-count", "1", "--epochs", "3",
            "--vector-size", "8", "--format", "json", "--quiet"]  # fmt: skip
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["keys"] == 7 and summary["config"]["vector_size"] == 8
    assert out.read_text().split("\n", 1)[0].split(" ")[0] == "the"  # GloVe text: no header
    assert main(["similar", str(out), "cat", "--top-k", "2", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["train", "glove", str(corpus), "-o", str(out), "--x-max", "-1", "--quiet"]) == 1
    assert "x_max must be" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["glove", "word2vec"])
def test_cli_train_refuses_a_bad_output_before_training(tmp_path, capsys, monkeypatch, command):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat\n" * 20)
    trained = []
    monkeypatch.setattr(f"tokvec.cli.{command}.train_{command}", lambda *a, **k: trained.append(1))
    bad = tmp_path / "missing" / "vectors.txt"
    assert main(["train", command, str(corpus), "-o", str(bad), "--min-count", "1", "--quiet"]) == 1
    assert "missing" in capsys.readouterr().err and not trained


@pytest.mark.data
def test_cli_similar_on_a_glove_file(capsys):
    path = str(data_path(_SAMPLE + ".utf8.txt"))
    assert main(["similar", path, "king", "--top-k", "3", "--format", "json"]) == 0
    assert "queen" in [n["key"] for n in json.loads(capsys.readouterr().out)]
