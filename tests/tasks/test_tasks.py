"""Each task family on small data with a toy encoder, the readers, and the errors on bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tokvec.tasks as tasks
from tokvec.errors import FormatError, TokvecError, TokvecFileError, UnknownNameError

from .toy import LetterEncoder

pytest.importorskip("sklearn")


def test_sts_reader_and_score(tmp_path):
    path = tmp_path / "sts.csv"
    path.write_text('aaa,aaa,5\nabc,"xyz, q",0\nab,abz,3\n', encoding="utf-8")
    data = tasks.read_sts(path)
    assert data.sentences2[1] == "xyz, q"
    r = tasks.evaluate_sts(LetterEncoder(), data, name="toy")
    assert r.main_metric == "cosine_spearman" and r.main_score == pytest.approx(100.0)
    assert set(r.as_dict()) == {"task", "family", "main_metric", "main_score", "scores", "seconds"}


def test_sts_reader_errors(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.tsv line 1: expected 3 fields"):
        tasks.read_sts(bad)
    bad.write_text("a\tb\tfive\n", encoding="utf-8")
    with pytest.raises(FormatError, match="'five' is not a number"):
        tasks.read_sts(bad)
    with pytest.raises(TokvecFileError, match="no such file"):
        tasks.read_sts(tmp_path / "absent.csv")


def test_classification_needs_two_labels_and_known_test_labels(tmp_path):
    one = tasks.LabelledTexts(["a", "b"], ["x", "x"])
    with pytest.raises(FormatError, match="single label"):
        tasks.evaluate_classification(LetterEncoder(), one, one)
    train = tasks.LabelledTexts(["a", "b"], ["x", "y"])
    with pytest.raises(FormatError, match=r"test labels \['z'\]"):
        tasks.evaluate_classification(LetterEncoder(), train, tasks.LabelledTexts(["c"], ["z"]))


def test_classification_and_clustering_on_separable_texts(tmp_path):
    path = tmp_path / "train.csv"
    rows = (
        ["text,label"]
        + [f"aaaaa{chr(98 + i % 3)},A" for i in range(10)]
        + [f"zzzzz{chr(120 - i % 3)},Z" for i in range(10)]
    )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = tasks.read_classification(path)
    assert len(data.texts) == 20 and data.labels[0] == "A"
    r = tasks.evaluate_classification(LetterEncoder(), data, data, n_experiments=2, samples_per_label=2)
    assert r.main_score >= 80 and len(r.scores["accuracy_per_experiment"]) == 2
    c = tasks.evaluate_clustering(LetterEncoder(), data, n_runs=2, sample_size=20)
    assert c.main_score > 50 and c.scores["v_measure_std"] >= 0
    with pytest.raises(FormatError, match="clustering needs at least two"):
        tasks.evaluate_clustering(LetterEncoder(), tasks.LabelledTexts(["a"], ["A"]))


def test_pairs_and_reranking(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("1\taaa\taa\n0\taaa\tzzz\n1\tbbb\tbb\n0\tbb\tyy\n", encoding="utf-8")
    r = tasks.evaluate_pairs(LetterEncoder(), tasks.read_pairs(pairs))
    assert r.main_score == pytest.approx(100.0) and "manhattan_ap" in r.scores
    pairs.write_text("1\ta\tb\n", encoding="utf-8")
    with pytest.raises(FormatError, match="need 0s and 1s"):
        tasks.evaluate_pairs(LetterEncoder(), tasks.read_pairs(pairs))
    rerank = tmp_path / "rerank.tsv"
    rerank.write_text("aaa\taa\t1\naaa\tzz\t0\nbbb\tyy\t0\nbbb\tbb\t1\nccc\tcc\t1\n", encoding="utf-8")
    samples = tasks.read_reranking(rerank)
    assert [len(s.positive) + len(s.negative) for s in samples] == [2, 2, 1]
    r = tasks.evaluate_reranking(LetterEncoder(), samples)
    assert r.scores["queries"] == 2 and r.main_score == 100.0 and r.scores["mrr_at_10"] == 100.0


def _beir(folder, corpus, queries, qrels):
    folder.mkdir()
    (folder / "qrels").mkdir()
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in corpus), encoding="utf-8")
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries), encoding="utf-8")
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + qrels, encoding="utf-8")


def test_retrieval_reader_and_score(tmp_path):
    corpus = [{"_id": "1", "title": "aaa", "text": "aa"}, {"_id": "2", "title": "", "text": "zzz"},
              {"_id": "q1", "title": "aaa", "text": "aaaa"}]  # fmt: skip
    _beir(
        tmp_path / "set", corpus, [{"_id": "q1", "text": "aaaa"}, {"_id": "q2", "text": "zz"}], "q1\t1\t1\nq2\t2\t1\n"
    )
    data = tasks.read_beir(tmp_path / "set")
    assert list(data.queries) == ["q1", "q2"] and data.corpus["2"] == ("", "zzz")
    r = tasks.evaluate_retrieval(LetterEncoder(), data)
    # q1 would find the document with its own id first: MTEB leaves it out
    assert r.main_score == pytest.approx(100.0) and r.scores["recall_at_100"] == 100.0


def test_retrieval_bad_folders(tmp_path):
    corpus = [{"_id": "1", "text": "a"}, {"_id": "1", "text": "b"}]
    _beir(tmp_path / "dup", corpus, [{"_id": "q", "text": "a"}], "q\t1\t1\n")
    with pytest.raises(FormatError, match=r"corpus.jsonl line 2: duplicate _id '1' \(first on line 1\)"):
        tasks.read_beir(tmp_path / "dup")
    _beir(tmp_path / "noq", [{"_id": "1", "text": "a"}], [{"_id": "q", "text": "a"}], "q\t1\t1\n")
    (tmp_path / "noq" / "qrels" / "test.tsv").unlink()
    with pytest.raises(TokvecFileError, match=r"qrels/test.tsv: missing"):
        tasks.read_beir(tmp_path / "noq")
    _beir(tmp_path / "empty", [], [{"_id": "q", "text": "a"}], "")
    with pytest.raises(FormatError, match="the corpus is empty"):
        tasks.read_beir(tmp_path / "empty")
    _beir(tmp_path / "ghost", [{"_id": "1", "text": "a"}], [{"_id": "q", "text": "a"}], "q\t9\t1\n")
    with pytest.raises(FormatError, match="corpus-id '9' is not in"):
        tasks.read_beir(tmp_path / "ghost")


def test_bitext():
    r = tasks.evaluate_bitext(LetterEncoder(), ["aaa", "bbb", "ccc"], ["AAA!", "bbb", "cc"])
    assert r.main_score == 100.0 and r.scores["accuracy"] == 100.0
    with pytest.raises(FormatError, match="3 sentences on one side and 1"):
        tasks.evaluate_bitext(LetterEncoder(), ["a", "b", "c"], ["a"])


def test_named_tasks_and_errors(tmp_path):
    with pytest.raises(UnknownNameError, match="did you mean SciFact"):
        tasks.run_task(LetterEncoder(), "Scifact")
    with pytest.raises(TokvecFileError, match="TOKVEC_TEST_DATA"):
        tasks.run_task(LetterEncoder(), "SciFact", data=tmp_path)
    with pytest.raises(TypeError, match="not an encoder"):
        tasks.evaluate_sts(object(), tasks.SentencePairs(["a", "b"], ["a", "c"], np.array([1.0, 2.0])))
    assert issubclass(FormatError, TokvecError)
