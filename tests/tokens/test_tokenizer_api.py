"""The Tokenizer API: specials with tiktoken's semantics, decoding, batches, immutability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokvec
from tests.conftest import preset
from tests.strategies import SETTINGS, texts
from tests.tokens.reference_libs import pair

PRESETS = ["gpt2", "cl100k_base", "o200k_base"]


@pytest.fixture(scope="module", params=PRESETS)
def tok(request: pytest.FixtureRequest) -> tokvec.Tokenizer:
    return preset(request.param)


@SETTINGS
@given(text=texts)
def test_decode_encode_round_trip(tok: tokvec.Tokenizer, text: str) -> None:
    enc = tok.encode_ordinary(text)
    assert tok.decode(enc) == text
    assert tok.decode_bytes(enc.ids) == text.encode()
    assert b"".join(enc.pieces) == text.encode()


def test_decode_replaces_invalid_utf8(tok: tokvec.Tokenizer) -> None:
    ids = tok.encode("👋").ids
    assert len(ids) >= 1
    # the first token of a multi-byte character alone is not valid UTF-8 (gpt2 splits 👋)
    if len(ids) > 1:
        assert "\ufffd" in tok.decode(ids[:1])
    assert tok.decode_bytes(ids) == "👋".encode()


def test_unknown_id_is_a_clear_error(tok: tokvec.Tokenizer) -> None:
    with pytest.raises(tokvec.UnknownTokenError, match=r"token id 999999999 is not in"):
        tok.decode([1, 999999999])
    with pytest.raises(KeyError):
        tok.decode([-1])


def test_disallowed_special_raises_and_names_the_fix(tok: tokvec.Tokenizer) -> None:
    with pytest.raises(tokvec.SpecialTokenError) as e:
        tok.encode("hello <|endoftext|> world")
    message = str(e.value)
    assert "'<|endoftext|>'" in message and "allowed_special" in message and "encode_ordinary" in message
    assert isinstance(e.value, ValueError)
    assert (e.value.token, e.value.position) == ("<|endoftext|>", 6)


def test_special_token_modes(tok: tokvec.Tokenizer) -> None:
    eot = tok.special_tokens["<|endoftext|>"]
    text = "a<|endoftext|>b"
    assert eot in tok.encode(text, allowed_special="all").ids.tolist()
    assert eot in tok.encode(text, allowed_special={"<|endoftext|>"}).ids.tolist()
    ordinary = tok.encode(text, disallowed_special=()).ids.tolist()
    assert eot not in ordinary and ordinary == tok.encode_ordinary(text).ids.tolist()
    with pytest.raises(tokvec.SpecialTokenError, match="not special tokens"):
        tok.encode(text, allowed_special={"<|nope|>"})


@pytest.mark.data
@pytest.mark.parametrize("name", ["cl100k", "llama3"])
def test_specials_equal_tiktoken(name: str) -> None:
    ours, ref = pair(name)
    specials = list(ours.special_tokens)[:6]
    texts_ = [
        f"{specials[0]}Hello{specials[1]} world {specials[0]}{specials[0]}",
        f"<|{specials[0]}|>x {specials[-1]}\n",
        "no specials at all",
    ]
    for text in texts_:
        assert ours.encode(text, allowed_special="all").ids.tolist() == ref.encode(text, allowed_special="all")
        assert ours.encode(text, allowed_special={specials[0]}, disallowed_special=()).ids.tolist() == ref.encode(
            text, allowed_special={specials[0]}, disallowed_special=()
        )
    if name == "llama3":
        assert ours.special_tokens["<|begin_of_text|>"] == 128000
        assert ours.special_tokens["<|eot_id|>"] == 128009
        assert ours.encode("<|begin_of_text|>Hi", allowed_special="all").ids.tolist() == [128000, 13347]


@SETTINGS
@given(docs=st.lists(texts, max_size=12), threads=st.sampled_from([1, 2, 3]))
def test_batch_equals_single(tok: tokvec.Tokenizer, docs: list[str], threads: int) -> None:
    batch = tok.encode_batch(docs, num_threads=threads, allowed_special="all")
    assert len(batch) == len(docs)
    singles = [tok.encode(d, allowed_special="all") for d in docs]
    assert batch.tolist() == [e.ids.tolist() for e in singles]
    assert [e.ids.tolist() for e in batch] == batch.tolist()
    for k in range(len(docs)):
        np.testing.assert_array_equal(batch[k].offsets, singles[k].offsets)
    np.testing.assert_array_equal(batch.lengths(), [len(e) for e in singles])


def test_batch_with_specials_and_many_threads(tok: tokvec.Tokenizer) -> None:
    docs = ["x <|endoftext|> y", "plain", ""] * 50
    batch = tok.encode_batch(docs, num_threads=4, allowed_special="all")
    assert batch.tolist() == [tok.encode(d, allowed_special="all").ids.tolist() for d in docs]
    with pytest.raises(tokvec.SpecialTokenError):
        tok.encode_batch(docs)
    assert batch[-1].ids.tolist() == [] and batch[1:3][0].ids.tolist() == tok.encode("plain").ids.tolist()
    with pytest.raises(IndexError):
        batch[len(docs)]


def test_results_are_immutable(tok: tokvec.Tokenizer) -> None:
    enc = tok.encode("hello world")
    with pytest.raises(ValueError):
        enc.ids[0] = 1
    with pytest.raises(ValueError):
        enc.offsets[0, 0] = 1
    with pytest.raises(AttributeError):
        tok.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        tok.special_tokens["<|x|>"] = 1  # type: ignore[index]


def test_tokens_spell_bytes_like_vocab_json() -> None:
    tok = preset("gpt2")
    assert tok.encode("Hello world").tokens == ["Hello", "Ġworld"]
    assert tok.id_to_token(50256) == "<|endoftext|>"


def test_text_must_be_str() -> None:
    with pytest.raises(tokvec.TokvecError, match="expected text"):
        preset("gpt2").encode_ordinary(b"bytes")  # type: ignore[arg-type]


def test_batch_mixes_allowed_and_ordinary_specials() -> None:
    tok = preset("cl100k_base")
    docs = ["a<|endoftext|>b", "c<|fim_prefix|>d", "plain"]
    kwargs = {"allowed_special": {"<|endoftext|>"}, "disallowed_special": ()}
    batch = tok.encode_batch(docs, num_threads=2, **kwargs)
    assert batch.tolist() == [tok.encode(d, **kwargs).ids.tolist() for d in docs]
    assert 100257 in batch.tolist()[0] and 100258 not in batch.tolist()[1]
