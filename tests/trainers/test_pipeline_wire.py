"""Trained WordPiece and Unigram as pipeline tokenizers: the written tokenizer.json gives the same ids in
Hugging Face ``tokenizers``, in our ``result.tokenizer()`` and in ``tokvec.load`` of the file, on
FLORES-200 devtest (eng, deu, zho, arb, hin) and 1 MB of held-out ELTeC."""

from __future__ import annotations

import functools

import pytest

import tokvec
from tests.trainers.corpora import eltec_lines, flores_devtest
from tokvec.tokens.models.unigram import UnigramModel
from tokvec.tokens.models.wordpiece import WordPiece
from tokvec.tokens.trainers.unigram import train_unigram
from tokvec.tokens.trainers.wordpiece import train_wordpiece

pytestmark = pytest.mark.data


@functools.cache
def trained(kind: str):
    corpus = eltec_lines(3)
    if kind == "wordpiece":
        return train_wordpiece(corpus, vocab_size=8000, special_tokens=("[UNK]",), progress=False)
    return train_unigram(corpus, vocab_size=4000, progress=False)


@functools.cache
def texts() -> tuple[str, ...]:
    return flores_devtest() + eltec_lines(1, skip_megabytes=10)


@pytest.mark.parametrize(("kind", "model_type"), [("wordpiece", WordPiece), ("unigram", UnigramModel)])
def test_written_file_gives_identical_ids_in_hf_ours_and_tokvec_load(kind, model_type, tmp_path) -> None:
    tk = pytest.importorskip("tokenizers")
    result = trained(kind)
    ours = result.tokenizer()
    assert isinstance(ours.model, model_type)  # the pipeline's own model, not a trainer-side encoder
    path = tmp_path / "tokenizer.json"
    result.save(path)
    hf = tk.Tokenizer.from_file(str(path))
    loaded = tokvec.load(str(path))
    docs = list(texts())
    theirs = [e.ids for e in hf.encode_batch(docs, add_special_tokens=False)]
    mine = [ours.encode(t).ids.tolist() for t in docs]
    again = [loaded.encode(t).ids.tolist() for t in docs]
    assert len(docs) > 5000
    bad = [i for i in range(len(docs)) if theirs[i] != mine[i]]
    assert not bad, f"{len(bad)} of {len(docs)} texts differ from HF, first: {docs[bad[0]][:80]!r}"
    assert again == mine
    assert sum(len(ids) for ids in mine) > len(docs)  # the texts were really tokenized
    unk = ours.token_to_id(result.config.unk_token)
    assert any(unk in ids for ids in mine[: len(flores_devtest())])  # zho/hin/arb characters unseen in ELTeC


@pytest.mark.parametrize("kind", ["wordpiece", "unigram"])
def test_encode_is_the_pipeline_and_matches_hf_tokens(kind, tmp_path) -> None:
    tk = pytest.importorskip("tokenizers")
    result = trained(kind)
    result.save(tmp_path / "t.json")
    hf = tk.Tokenizer.from_file(str(tmp_path / "t.json"))
    for text in flores_devtest()[:1012]:
        assert result.encode(text) == hf.encode(text, add_special_tokens=False).tokens
