"""The encoder's behaviour on the real model: long texts, windows, token vectors, streaming, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tokvec

from .conftest import encoder, long_paragraphs, stsb_test

pytestmark = pytest.mark.data


def test_same_word_gets_different_vectors_in_different_contexts() -> None:
    enc = encoder()
    fruit = enc.embed_tokens("King loves apples while queen likes oranges")
    assert fruit.tokens == ["[CLS]", "king", "loves", "apples", "while", "queen", "likes", "orange", "##s", "[SEP]"]
    assert fruit.offsets[1].tolist() == [0, 4] and fruit.vectors.shape == (10, 384)
    river = enc.embed_tokens("The king sat on the river bank and fished")
    bank = enc.embed_tokens("The bank raised its interest rates")
    money = enc.embed_tokens("She deposited the money at the bank")

    def vec(t: tokvec.TokenEmbeddings, word: str) -> np.ndarray:
        v = t.vectors[t.tokens.index(word)]
        return v / np.linalg.norm(v)

    same_sense = float(vec(bank, "bank") @ vec(money, "bank"))
    other_sense = float(vec(river, "bank") @ vec(money, "bank"))
    assert same_sense > other_sense  # context moves the vector of one and the same token id
    assert float(vec(fruit, "king") @ vec(river, "king")) < 0.999


def test_chunk_covers_long_texts_and_pools_by_tokens() -> None:
    enc = encoder()
    text = long_paragraphs()[1]
    n = len(enc.tokenizer.encode(text, add_special_tokens=False))
    chunks = enc.embed_chunks([text, "short"], stride=16)
    own = chunks.text_index.tolist()
    assert own.count(1) == 1 and own[-1] == 1 and own.count(0) >= 2
    assert chunks.n_tokens[:-1].max() <= enc.max_content
    # consecutive windows overlap by the stride; spans are character spans of the text
    first = chunks.spans[0]
    assert first[0] == 0 and text[first[0] : first[1]].lower().startswith(text[:20].lower())
    assert chunks.spans[own.count(0) - 1][1] == len(text.rstrip())
    assert int(chunks.n_tokens[: own.count(0)].sum()) - 16 * (own.count(0) - 1) == n
    whole = enc.embed([text], long="chunk", stride=16)[0]
    w = chunks.n_tokens[: own.count(0)] + 2
    want = (chunks.vectors[: own.count(0)] * w[:, None]).sum(0) / w.sum()
    np.testing.assert_allclose(whole, want / np.linalg.norm(want), atol=1e-6)
    assert enc.embed(["short"], long="chunk")[0] @ chunks.vectors[-1] > 0.99999


def test_long_error_names_the_text() -> None:
    texts = ["fine", long_paragraphs()[2]]
    with pytest.raises(tokvec.TokvecError, match=r"text 1 has \d+ tokens, more than the model's max_seq_length 256"):
        encoder().embed(texts, long="error")


def test_truncation_warns_and_counts() -> None:
    enc = encoder()
    before = enc.stats.truncated
    with pytest.warns(tokvec.embed.TruncationWarning, match="1 of 2 texts"):
        enc.embed(["short", long_paragraphs()[3]])
    assert enc.stats.truncated == before + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        enc.embed(["short", "also short"])


def test_streaming_iterable_equals_list_and_order_is_kept() -> None:
    s1, _, _ = stsb_test()
    texts = s1[:300]
    enc = encoder()
    listed = enc.embed(texts, batch_size=16)
    streamed = enc.embed((t for t in texts), batch_size=7, block=50)
    np.testing.assert_allclose(streamed, listed, atol=2e-6)
    threaded = enc.embed(texts, num_threads=2, batch_size=8)
    np.testing.assert_allclose(threaded, listed, atol=2e-6)
    parts = list(enc.iter_embed(iter(texts), block=128))
    assert [len(p) for p in parts] == [128, 128, 44]


def test_empty_inputs() -> None:
    enc = encoder()
    assert enc.embed([]).shape == (0, 384)
    v = enc.embed(["", "   "])
    assert v.shape == (2, 384) and np.isfinite(v).all()
    assert enc.embed("one text").shape == (384,)


@pytest.mark.parametrize("bad", [[None], ["ok", 3], [b"bytes"]])
def test_non_strings_are_refused(bad: list) -> None:
    with pytest.raises(tokvec.TokvecError, match="not a string"):
        encoder().embed(bad)


def test_bad_options() -> None:
    enc = encoder()
    with pytest.raises(tokvec.TokvecError, match="long="):
        enc.embed(["x"], long="cut")
    with pytest.raises(tokvec.TokvecError, match="precision"):
        enc.embed(["x"], precision="int4")
    with pytest.raises(tokvec.TokvecError, match="truncate_dim"):
        enc.embed(["x"], truncate_dim=1000)
    with pytest.raises(tokvec.TokvecError, match="compute"):
        tokvec.load_encoder("all-MiniLM-L6-v2", compute="fp8")


def test_embed_ids_runs_given_sequences() -> None:
    enc = encoder()
    ids = enc.tokenizer.encode("hello world").ids.tolist()
    np.testing.assert_allclose(enc.embed_ids([ids])[0], enc.embed(["hello world"])[0], atol=1e-6)
    with pytest.raises(tokvec.TokvecError, match="sequence 0"):
        enc.embed_ids([[101, 10**6, 102]])


def test_prompt_is_prepended() -> None:
    enc = encoder()
    np.testing.assert_allclose(enc.embed(["is it?"], prompt="query: ")[0], enc.embed(["query: is it?"])[0], atol=1e-7)


def test_encoder_follows_the_protocol() -> None:
    enc = encoder()
    assert isinstance(enc, tokvec.Encoder)
    assert enc.dim == 384 and enc.max_seq_length == 256 and len(enc.fingerprint()) == 16
    assert "all-MiniLM-L6-v2" in repr(enc)


def test_embedding_matrix_of_minilm() -> None:
    kv = tokvec.embedding_matrix("all-MiniLM-L6-v2")
    assert kv.vectors.shape == (30522, 384) and kv.keys[101] == "[CLS]"
    near = [n.key for n in kv.most_similar("king", top_k=10)]
    assert "queen" in near or "kings" in near, near
