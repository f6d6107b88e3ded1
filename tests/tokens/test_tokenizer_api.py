"""The Tokenizer API: round trips, decoding, offsets, batches, special tokens (tiktoken's semantics)."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokvec
from tests.conftest import preset
from tests.kernels.strategies import SETTINGS, texts, texts_with_surrogates
from tests.tokens.reference_libs import ENCODINGS, pair

PRESETS = ["gpt2", "cl100k_base", "o200k_base"]
valid_text = st.one_of(texts, st.text(st.characters(exclude_categories=("Cs",))))


@pytest.fixture(scope="module", params=PRESETS)
def tok(request: pytest.FixtureRequest) -> tokvec.Tokenizer:
    return preset(request.param)


def without_surrogates(text: str) -> str:
    """What tiktoken and tokvec encode: lone surrogates read as U+FFFD (a valid pair joins)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# ----------------------------------------------------------------- round trips and offsets
@SETTINGS
@given(text=valid_text)
def test_decode_encode_round_trip(tok: tokvec.Tokenizer, text: str) -> None:
    enc = tok.encode_ordinary(text)
    assert tok.decode(enc) == text
    assert tok.decode(enc.ids.tolist()) == text
    assert tok.decode_bytes(enc.ids) == text.encode()


@SETTINGS
@given(text=texts_with_surrogates)
def test_lone_surrogates_become_replacement_characters(tok: tokvec.Tokenizer, text: str) -> None:
    assert tok.decode(tok.encode_ordinary(text)) == without_surrogates(text)


@SETTINGS
@given(text=valid_text)
def test_offsets_tile_the_text_and_match_each_token(tok: tokvec.Tokenizer, text: str) -> None:
    enc = tok.encode_ordinary(text)
    data = text.encode()
    offsets = enc.byte_offsets.tolist()  # bytes; enc.offsets are characters (tests/tokens/test_encoding_data.py)
    if data:
        assert offsets[0][0] == 0 and offsets[-1][1] == len(data)
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in itertools.pairwise(offsets))
    assert b"".join(data[a:b] for a, b in offsets) == data
    assert [data[a:b] for a, b in offsets] == [tok.decode_bytes([i]) for i in enc.ids.tolist()] == enc.pieces


def test_decode_replaces_invalid_utf8(tok: tokvec.Tokenizer) -> None:
    wave = "👋".encode()  # f0 9f 91 8b; every byte has a single-byte token
    byte_ids = tok.model.byte_ids
    cut = [int(byte_ids[wave[0]]), int(byte_ids[ord("a")])]
    assert tok.decode_bytes(cut) == b"\xf0a"
    assert tok.decode(cut) == "\ufffda"  # the cut character becomes U+FFFD, as bytes.decode(errors="replace")
    assert tok.decode([int(byte_ids[x]) for x in wave]) == "👋"
    with pytest.raises(UnicodeDecodeError):
        tok.decode(cut, errors="strict")


def test_unknown_id_is_a_clear_error(tok: tokvec.Tokenizer) -> None:
    with pytest.raises(tokvec.UnknownTokenError, match=r"token id 999999999 is not in"):
        tok.decode([1, 999999999])
    with pytest.raises(KeyError):
        tok.decode([-1])


# ----------------------------------------------------------------- batches
@SETTINGS
@given(docs=st.lists(valid_text, max_size=12), threads=st.sampled_from([1, 2]))
def test_batch_equals_single(tok: tokvec.Tokenizer, docs: list[str], threads: int) -> None:
    batch = tok.encode_batch(docs, num_threads=threads, disallowed_special=())
    singles = [tok.encode(d, disallowed_special=()) for d in docs]
    assert len(batch) == len(docs)
    assert batch.tolist() == [e.ids.tolist() for e in singles]
    assert [e.ids.tolist() for e in batch] == batch.tolist()
    np.testing.assert_array_equal(batch.lengths(), [len(e) for e in singles])
    offsets = batch.offsets
    for k in range(len(docs)):
        assert batch[k] == tok.encode_ordinary(docs[k])
        np.testing.assert_array_equal(batch[k].offsets, singles[k].offsets)
        np.testing.assert_array_equal(offsets[batch.bounds[k] : batch.bounds[k + 1]], singles[k].offsets)


def test_batch_with_allowed_specials_and_threads(tok: tokvec.Tokenizer) -> None:
    docs = ["x <|endoftext|> y", "plain", ""] * 50
    for threads in (1, 2):
        batch = tok.encode_batch(docs, num_threads=threads, allowed_special="all")
        assert batch.tolist() == [tok.encode(d, allowed_special="all").ids.tolist() for d in docs]
    with pytest.raises(tokvec.SpecialTokenError):
        tok.encode_batch(docs)


def test_encoding_batch_is_a_sequence(tok: tokvec.Tokenizer) -> None:
    docs = ["Hello world", "", "naïve café 👋", "a"]
    batch = tok.encode_batch(docs, num_threads=2)
    each = [tok.encode(d) for d in docs]
    assert len(batch) == 4 and repr(batch) == f"EncodingBatch(4 texts, {sum(map(len, each))} tokens)"
    assert [batch[k] for k in range(4)] == each == list(batch)
    assert batch[-1] == each[-1] and batch[-4] == each[0]
    assert batch[1:3] == each[1:3] and batch[::-2] == each[::-2] and batch[9:] == []
    assert batch[1].ids.tolist() == [] and len(batch[1]) == 0
    assert batch.tolist() == [e.ids.tolist() for e in each]
    assert batch.lengths().tolist() == [len(e) for e in each]
    assert batch.bounds.tolist() == np.cumsum([0] + [len(e) for e in each]).tolist()
    for bad in (4, -5):
        with pytest.raises(IndexError):
            batch[bad]
    empty = tok.encode_batch([])
    assert len(empty) == 0 and empty.tolist() == [] and list(empty) == [] and empty.offsets.shape == (0, 2)


def test_results_are_immutable(tok: tokvec.Tokenizer) -> None:
    enc = tok.encode("hello world")
    with pytest.raises(ValueError):
        enc.ids[0] = 1
    with pytest.raises(ValueError):
        enc.offsets[0, 0] = 1
    with pytest.raises(ValueError):
        tok.encode_batch(["a b", "c"], num_threads=2).ids[0] = 1
    with pytest.raises(AttributeError):
        tok.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        tok.special_tokens["<|x|>"] = 1  # type: ignore[index]


# ----------------------------------------------------------------- special tokens
def test_disallowed_special_raises_and_names_the_fix(tok: tokvec.Tokenizer) -> None:
    with pytest.raises(tokvec.SpecialTokenError) as e:
        tok.encode("hello <|endoftext|> world")
    message = str(e.value)
    assert "'<|endoftext|>'" in message and "allowed_special" in message and "encode_ordinary" in message
    assert "disallowed_special=()" in message
    assert isinstance(e.value, ValueError) and isinstance(e.value, tokvec.TokvecError)
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


def test_batch_mixes_allowed_and_ordinary_specials() -> None:
    tok = preset("cl100k_base")
    docs = ["a<|endoftext|>b", "c<|fim_prefix|>d", "plain"]
    kwargs = {"allowed_special": {"<|endoftext|>"}, "disallowed_special": ()}
    batch = tok.encode_batch(docs, num_threads=2, **kwargs)
    assert batch.tolist() == [tok.encode(d, **kwargs).ids.tolist() for d in docs]
    assert 100257 in batch.tolist()[0] and 100258 not in batch.tolist()[1]


SPECIAL_TEXTS = [
    "<|endoftext|>",
    "Hello<|endoftext|> world <|endoftext|><|endoftext|>",
    "<|fim_prefix|>def f():<|fim_suffix|>\n<|fim_middle|> x<|endofprompt|>",
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>",
    "<|<|endoftext|>|> <|endoftext <|reserved_special_token_7|>",
    "no specials at all",
]


def modes(eot: str) -> list[dict]:
    """The ways to call encode: defaults, all allowed, none disallowed, one allowed, one disallowed."""
    return [
        {},
        {"allowed_special": "all"},
        {"disallowed_special": ()},
        {"allowed_special": {eot}},
        {"allowed_special": {eot}, "disallowed_special": ()},
        {"allowed_special": set(), "disallowed_special": {eot}},
    ]


@pytest.mark.data
@pytest.mark.parametrize(("name", "eot"), [("cl100k", "<|endoftext|>"), ("llama3", "<|eot_id|>")])
def test_specials_equal_tiktoken(name: str, eot: str) -> None:
    """Every text in every mode: both raise, or both give the same ids."""
    ours, ref = pair(name)
    for text in SPECIAL_TEXTS:
        for mode in modes(eot):
            try:
                want = ref.encode(text, **mode)
            except ValueError:
                with pytest.raises(tokvec.SpecialTokenError):
                    ours.encode(text, **mode)
                continue
            assert ours.encode(text, **mode).ids.tolist() == want, (text, mode)
            assert ours.encode_batch([text, text], num_threads=2, **mode).tolist() == [want, want]


@pytest.mark.data
def test_llama3_special_ids() -> None:
    ours, ref = pair("llama3")
    assert ours.special_tokens["<|begin_of_text|>"] == 128000
    assert ours.special_tokens["<|end_of_text|>"] == 128001
    assert ours.special_tokens["<|eot_id|>"] == 128009
    assert len(ours.special_tokens) == 256 and ours.vocab_size == 128256
    text = "<|begin_of_text|>Hi<|eot_id|>"
    assert ours.encode(text, allowed_special="all").ids.tolist() == [128000, 13347, 128009]
    assert ref.encode(text, allowed_special="all") == [128000, 13347, 128009]
    assert ours.decode([128000, 13347, 128009]) == text


@pytest.mark.data
@pytest.mark.parametrize("name", ENCODINGS)
@SETTINGS
@given(data=st.data())
def test_decode_equals_tiktoken(name: str, data: st.DataObject) -> None:
    """Any id sequence (bytes cut mid-character included) decodes as tiktoken decodes it."""
    ours, ref = pair(name)
    valid = valid_ids(name)
    any_id = st.integers(0, len(valid) - 1).map(valid.__getitem__)
    byte_ids = ours.model.byte_ids.tolist()
    raw_bytes = st.lists(st.integers(0, 255).map(byte_ids.__getitem__), max_size=12)  # mostly invalid UTF-8
    ids = data.draw(st.lists(any_id, max_size=12) | raw_bytes)
    assert ours.decode_bytes(ids) == ref.decode_bytes(ids)
    assert ours.decode(ids) == ref.decode(ids)


@functools.cache
def valid_ids(name: str) -> list[int]:
    """Every id of the encoding: ranks and special tokens."""
    ours, _ = pair(name)
    return sorted([*ours.model.ranks().values(), *ours.special_tokens.values()])


def test_tokens_spell_bytes_like_vocab_json() -> None:
    tok = preset("gpt2")
    assert tok.encode("Hello world").tokens == ["Hello", "Ġworld"]
    assert tok.id_to_token(50256) == "<|endoftext|>"


def test_text_must_be_str() -> None:
    with pytest.raises(tokvec.TokvecError, match="expected text"):
        preset("gpt2").encode_ordinary(b"bytes")  # type: ignore[arg-type]
