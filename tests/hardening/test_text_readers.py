"""Documents and task files that are not UTF-8, not CSV, nested too deeply or of stop words only: each failed before.

Found by the fuzz targets ``cli_search_build`` and ``cli_evaluate_sts`` (tests/fuzz/targets.py); now each is
a FormatError naming the file (and the line where one is known), and an index of stop words only builds.
"""

from __future__ import annotations

import csv

import pytest

from tokvec.errors import FormatError
from tokvec.search.documents import read_documents
from tokvec.tasks.readers import read_sts


@pytest.mark.parametrize("name", ["docs.txt", "docs.jsonl"])
def test_documents_that_are_not_utf8(tmp_path, name):  # was UnicodeDecodeError
    path = tmp_path / name
    path.write_bytes(b'{"text": "the man"}\n{"text": "\xfb bad"}\n')
    with pytest.raises(FormatError, match=r"not UTF-8 text \(bad byte at offset 30\)") as e:
        read_documents(path)
    assert str(path) in str(e.value)


def test_a_document_folder_with_a_file_that_is_not_utf8(tmp_path):
    (tmp_path / "a.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "b.md").write_bytes(b"caf\xe9")
    with pytest.raises(FormatError, match=r"b\.md, line \d+: not UTF-8"):
        read_documents(tmp_path)


def test_jsonl_documents_nested_too_deeply(tmp_path):  # was RecursionError
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "ok"}\n' + "[" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"docs.jsonl line 2: JSON nested too deeply"):
        read_documents(path)


@pytest.mark.parametrize("name", ["sts.csv", "sts.tsv"])
def test_sts_files_that_are_not_utf8(tmp_path, name):  # was UnicodeDecodeError
    sep = b"," if name.endswith("csv") else b"\t"
    path = tmp_path / name
    path.write_bytes(sep.join([b"A man.", b"A man.", b"5"]) + b"\n" + sep.join([b"\xfc", b"b", b"1"]) + b"\n")
    with pytest.raises(FormatError, match=rf"{name} line 2: not UTF-8"):
        read_sts(path)


def test_an_sts_csv_field_over_the_csv_limit(tmp_path):  # was _csv.Error: field larger than field limit
    path = tmp_path / "sts.csv"
    path.write_text('"' + "a" * (csv.field_size_limit() + 10) + '",b,1\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"sts.csv line 1: not CSV"):
        read_sts(path)


def test_an_index_of_stop_words_only_builds_and_finds_nothing_lexically():  # was ValueError from bm25s (max())
    pytest.importorskip("bm25s", reason="bm25s (the 'search' extra) is not installed")
    import numpy as np

    from tokvec.search import Index

    class Letters:
        name, dim, max_seq_length = "letters", 3, None

        def embed(self, texts, **options):
            texts = [texts] if isinstance(texts, str) else list(texts)
            return np.array([[t.count(c) + 0.01 for c in "abc"] for t in texts], np.float32).reshape(len(texts), 3)

        def fingerprint(self):
            return "letters-v1"

    index = Index.build(Letters(), ["the m", "a"], chunk=None, bm25=True)
    assert index.search(["the cab"], top_k=2, mode="bm25")[0] == []
    assert [h.doc_id for h in index.search(["ca"], top_k=2, mode="hybrid")[0]] != []


def test_parity_names_a_flores_file_that_is_not_utf8(tmp_path):
    """Found by the cli_parity fuzz target: a FLORES file with a stray byte was UnicodeDecodeError ('a bug')."""
    from tokvec.analysis.parity import load_flores

    (tmp_path / "devtest").mkdir()
    (tmp_path / "devtest" / "eng_Latn.devtest").write_text("The man.\nA year.\n", encoding="utf-8")
    (tmp_path / "devtest" / "deu_Latn.devtest").write_bytes(b"Der Mann.\n\xe5 x\n")
    with pytest.raises(FormatError, match=r"deu_Latn.devtest, line 2: not UTF-8"):
        load_flores(tmp_path, splits=("devtest",))


def test_plot_names_a_labels_file_that_is_not_utf8(tmp_path, capsys):
    """Found by the cli_plot fuzz target: a --color-by file with a stray byte was UnicodeDecodeError ('a bug')."""
    pytest.importorskip("matplotlib", reason="tokvec plot needs matplotlib (pip install 'tokvec[plot]')")
    from tokvec.cli.main import main

    vectors = tmp_path / "v.txt"
    vectors.write_text("2 2\ncat 1 0\ndog 0 1\n", encoding="utf-8")
    labels = tmp_path / "labels.tsv"
    labels.write_bytes(b"cat\tanimal\n\xff\tthing\n")
    status = main(["plot", str(vectors), "cat", "dog", "--color-by", str(labels), "-o", str(tmp_path / "p.png")])
    err = capsys.readouterr().err
    assert status == 1 and "labels.tsv, line 2: not UTF-8" in err and "bug" not in err
