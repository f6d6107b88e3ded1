"""The search index: exact, windows with spans, ANN, hybrid, add, save/load, and the errors on bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tokvec.errors import FormatError, ModelMismatchError, TokvecFileError
from tokvec.search import Hit, Index, read_documents, rrf

from ..tasks.toy import LetterEncoder, WindowedLetterEncoder

pytest.importorskip("faiss")
pytest.importorskip("bm25s")

DOCS = {
    "cats": "cats purr and nap. the cat sat on a mat all day long",
    "dogs": "dogs bark at the mailman, a dog digs holes in the yard",
    "zoo": "zebras and wombats live at the zoo with oxen",
    "quiz": "a quiz of jazz and fizz buzz puzzles",
}


def test_exact_search_single_and_batch():
    index = Index.build(LetterEncoder(), DOCS, chunk=None)
    hits = index.search("zzz jazz fizz", top_k=2)
    assert [h.doc_id for h in hits] == ["quiz", "zoo"] and isinstance(hits[0], Hit)
    assert hits[0].span == (0, len(DOCS["quiz"])) and hits[0].text == DOCS["quiz"]
    batch = index.search(["zzz jazz fizz", "woof dog bark"], top_k=10)
    assert len(batch) == 2 and len(batch[1]) == 4 and batch[0][0].doc_id == "quiz"
    assert batch[0][0].score == pytest.approx(hits[0].score)


def test_windows_give_the_best_span():
    index = Index.build(WindowedLetterEncoder(), DOCS, chunk="tokens")
    assert len(index.owner) > len(DOCS)
    hit = index.search("mat all day", top_k=1)[0]
    assert hit.doc_id == "cats" and hit.text == DOCS["cats"][hit.span[0] : hit.span[1]]
    assert hit.text == "mat all day" and hit.score == pytest.approx(1.0)
    with pytest.raises(TypeError, match="no embed_chunks"):
        Index.build(LetterEncoder(), DOCS, chunk="tokens")


def test_approximate_search_agrees_with_exact_on_a_small_index():
    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 12)) for _ in range(300)]
    exact = Index.build(WindowedLetterEncoder(), words, chunk="tokens", bm25=False)
    ann = Index.build(WindowedLetterEncoder(), words, chunk="tokens", ann="hnsw", bm25=False)
    queries = words[:20]
    got = [[h.doc_id for h in hits] for hits in ann.search(queries, top_k=5)]
    want = [[h.doc_id for h in hits] for hits in exact.search(queries, top_k=5)]
    overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(got, want, strict=True)])
    assert overlap >= 0.9 and all(g[0] == w[0] for g, w in zip(got, want, strict=True))
    assert [h.doc_id for h in ann.search(queries[0], top_k=5, exact=True)] == want[0]
    with pytest.raises(ValueError, match="no ANN graph"):
        exact.search("x", exact=False)


def test_hybrid_and_bm25_modes():
    index = Index.build(LetterEncoder(), DOCS, chunk=None)
    lexical = index.search("mailman", top_k=4, mode="bm25")
    assert lexical[0].doc_id == "dogs" and len(lexical) == 1  # BM25 finds only the document with the word
    fused = index.search("mailman", top_k=4, mode="hybrid")
    assert fused[0].doc_id == "dogs" and len(fused) == 4
    assert fused[0].score == pytest.approx(
        1 / 61 + 1 / (60 + 1 + [h.doc_id for h in index.search("mailman", top_k=4)].index("dogs"))
    )
    with pytest.raises(ValueError, match="mode must be one of"):
        index.search("x", mode="sparse")
    assert rrf([["a", "b"], ["b"]]) == [("b", 1 / 62 + 1 / 61), ("a", 1 / 61)]


def test_add_grows_the_index(tmp_path):
    index = Index.build(WindowedLetterEncoder(), DOCS, chunk="tokens", ann="hnsw")
    index.add({"kiwi": "kiwi kiwi kiwi fruit"})
    assert len(index) == 5 and index.search("kkiiwwii", top_k=1)[0].doc_id == "kiwi"
    assert index.search("kkiiwwii", top_k=1, exact=True)[0].doc_id == "kiwi"
    assert index.search("kiwi", top_k=1, mode="bm25")[0].doc_id == "kiwi"
    with pytest.raises(FormatError, match="duplicate document id 'kiwi': it is already in the index"):
        index.add({"kiwi": "again"})
    index.add(["unnamed text"])
    assert index.doc_ids[-1] == "5"


def test_save_and_load_round_trip(tmp_path):
    index = Index.build(WindowedLetterEncoder(), DOCS, chunk="tokens", ann="hnsw")
    folder = tmp_path / "idx"
    index.save(folder)
    index.save(folder)  # replacing an index is fine
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx"]  # no temporary folders left behind
    meta = json.loads((folder / "index.json").read_text())
    assert meta["model"] == "letters" and meta["fingerprint"] == WindowedLetterEncoder().fingerprint()
    loaded = Index.load(folder, WindowedLetterEncoder())
    for q in ("mat cat", "zebra"):
        assert loaded.search(q, top_k=3) == index.search(q, top_k=3)
        assert loaded.search(q, top_k=3, exact=True) == index.search(q, top_k=3, exact=True)
    with pytest.raises(ModelMismatchError, match=r"built with 'letters'.*not 'other'"):
        Index.load(folder, WindowedLetterEncoder("other"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(TokvecFileError, match="is not a tokvec index"):
        index.save(tmp_path / "mine")
    with pytest.raises(TokvecFileError, match="not a tokvec index"):
        Index.load(tmp_path / "mine", WindowedLetterEncoder())


def test_bad_documents():
    with pytest.raises(FormatError, match="the corpus is empty"):
        Index.build(LetterEncoder(), [])
    with pytest.raises(FormatError, match=r"document '1' \(#1\) is empty"):
        Index.build(LetterEncoder(), ["text", "  "])
    with pytest.raises(FormatError, match=r"duplicate document id 'a' \(#0 and #2\)"):
        Index.build(LetterEncoder(), ["x", "y", "z"], ids=["a", "b", "a"])
    with pytest.raises(TypeError, match="not one string"):
        Index.build(LetterEncoder(), "one text")


def test_read_documents(tmp_path):
    (tmp_path / "d.jsonl").write_text('{"_id": "a", "title": "T", "text": "body"}\n{"_id": "b", "text": "x"}\n')
    assert read_documents(tmp_path / "d.jsonl") == (["a", "b"], ["T body", "x"])
    with pytest.raises(FormatError, match="line 1: no field 'body'"):
        read_documents(tmp_path / "d.jsonl", text_field="body")
    (tmp_path / "d.txt").write_text("one\n\ntwo\n")
    assert read_documents(tmp_path / "d.txt") == (["1", "3"], ["one", "two"])
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("# A")
    (folder / "sub" / "b.txt").write_text("B")
    (folder / "c.bin").write_text("skip")
    assert read_documents(folder) == (["a.md", "sub/b.txt"], ["# A", "B"])
