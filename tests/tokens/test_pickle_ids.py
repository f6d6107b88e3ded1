"""Tokenizers pickle (presets by name, the rest by content), share special ids as tiktoken does, look tokens up
in O(1), and raise the builtin that fits (TypeError, OverflowError, KeyError)."""

from __future__ import annotations

import multiprocessing
import pickle

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path, preset
from tests.tokens.pool_workers import encode_all
from tokvec.tokens.models.bpe import BytePairModel
from tokvec.tokens.presets import preset_by_name

pytestmark = pytest.mark.data  # loads presets: minutes under NUMBA_DISABLE_JIT, and nothing here is a kernel


def ids_of(tok: tokvec.Tokenizer) -> list[list[int]]:
    return encode_all(tok)


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "bert-base-uncased"])  # an alias, both engines
def test_presets_pickle_by_name(name: str) -> None:
    tok = preset(name)
    data = pickle.dumps(tok)
    assert len(data) < 200 and name.encode() in data
    back = pickle.loads(data)
    assert back is preset_by_name(name) and back.name == name and ids_of(back) == ids_of(tok)
    assert pickle.loads(data) is back  # a worker that gets the tokenizer with every task loads it once


def by_content() -> dict[str, tokvec.Tokenizer]:
    """Tokenizers that are not presets: changed presets and files of every kind the loader reads."""
    return {
        "r50k shared specials": tokvec.load("r50k_base", special_tokens={"<|endoftext|>": 50256, "<|eot|>": 50256}),
        "bert padded copy": preset("bert-base-uncased").with_padding(None),
        "cl100k file": tokvec.load(data_path("tokenizers/tiktoken/cl100k_base.tiktoken")),
        "gpt2 vocab.json": tokvec.load(data_path("tokenizers/ortx/gpt2.vocab")),
        "vocab.txt": tokvec.load(data_path("tokenizers/bert-base-uncased/vocab.txt")),
        "sentencepiece": tokvec.load(data_path("tokenizers/sentencepiece_testdata/test_model.model")),
        "tokenizer.json": tokvec.load(data_path("tokenizers/bert-base-uncased/tokenizer.json")),
    }


def test_others_pickle_by_content() -> None:
    for what, tok in by_content().items():
        back = pickle.loads(pickle.dumps(tok))
        assert back is not tok and back._preset is None, what
        assert ids_of(back) == ids_of(tok), what
        assert back.vocab_size == tok.vocab_size and dict(back.special_tokens) == dict(tok.special_tokens), what


def test_a_multiprocessing_pool_gets_tokenizers() -> None:
    contents = by_content()
    toks = [preset("cl100k_base"), preset("t5-small"), contents["r50k shared specials"], contents["sentencepiece"]]
    want = [ids_of(t) for t in toks]
    # subtle: pool.map pickles every argument whatever the start method; fork keeps the workers' start cheap
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(2) as pool:
        got = pool.map(encode_all, toks, chunksize=1)
    assert got == want


def test_special_tokens_may_share_an_id() -> None:
    tok = tokvec.load("r50k_base", special_tokens={"<|endoftext|>": 50256, "<|eot|>": 50256})
    assert tok.encode("<|eot|><|endoftext|>", allowed_special="all").ids.tolist() == [50256, 50256]
    assert tok.decode([50256]) == "<|endoftext|>" and tok.id_to_token(50256) == "<|endoftext|>"  # the first wins
    assert tok.token_to_id("<|eot|>") == 50256


def test_a_special_token_may_share_an_ordinary_id() -> None:
    """tiktoken accepts this too: the string encodes to the id, the id decodes as the ordinary token."""
    tok = tokvec.load("r50k_base", special_tokens={"<|zero|>": 15, "<|big|>": 60000})
    assert tok.encode("<|zero|>0", allowed_special="all").ids.tolist() == [15, 15]
    assert tok.decode([15, 60000]) == "0<|big|>" and tok.id_to_token(15) == "0"
    assert tok.vocab_size == 60001


def test_bad_special_ids_are_format_errors() -> None:
    with pytest.raises(tokvec.FormatError, match="has id -1"):
        tokvec.load("r50k_base", special_tokens={"<|x|>": -1})


def test_token_lookups_build_no_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    tok = preset("r50k_base")

    def no_ranks(self):
        raise AssertionError("token_to_id must not build the vocabulary dictionary")

    monkeypatch.setattr(BytePairModel, "ranks", no_ranks)
    ids = range(0, tok.vocab_size, 7)
    assert [tok.token_to_id(t) for t in tok.id_to_token_list(ids)] == list(ids)
    assert tok.token_to_id("Ġworld") == 995 and tok.token_to_id("<|endoftext|>") == 50256
    assert tok.token_to_id("no such token") is None and tok.bytes_to_id(b" world") == 995
    assert tok.bytes_to_id(b"") is None


def test_pipeline_token_lookups() -> None:
    tok = preset("bert-base-uncased")
    assert tok.token_to_id("[CLS]") == 101 and tok.id_to_token(101) == "[CLS]" and tok.token_to_id("hello") == 7592


@pytest.mark.parametrize("name", ["r50k_base", "bert-base-uncased"])
def test_wrong_input_types_are_type_errors(name: str) -> None:
    tok = preset(name)
    for call in (lambda: tok.encode(b"hi"), lambda: tok.encode_ordinary(b"hi"), lambda: tok.encode_batch([1])):
        with pytest.raises(TypeError) as e:
            call()
        assert isinstance(e.value, tokvec.TokvecError) and "expected text (str), got" in str(e.value)
    with pytest.raises(TypeError):
        tok.token_to_id(b"hi")


@pytest.mark.parametrize("name", ["r50k_base", "bert-base-uncased"])
@pytest.mark.parametrize("bad", [[1.5], ["12"], "12", 12, [None]])
def test_non_integer_ids_are_type_errors(name: str, bad) -> None:
    with pytest.raises(tokvec.InputTypeError) as e:
        preset(name).decode(bad)
    assert isinstance(e.value, TypeError)


def test_pipeline_decode_skips_unknown_ids_but_not_ids_outside_32_bits() -> None:
    tok = preset("bert-base-uncased")
    assert tok.decode([7592, 10**9]) == "hello"  # as Hugging Face does
    for bad in (-1, 2**32, 2**70):
        with pytest.raises(OverflowError):
            tok.decode([7592, bad])


@pytest.mark.parametrize("bad", [-1, 2**32, 2**63, 2**70])
def test_ids_outside_32_bits_are_overflow_errors(bad: int) -> None:
    tok = preset("r50k_base")
    for call in (lambda: tok.decode([bad]), lambda: tok.decode_bytes(np.array([bad], dtype=object)),
                 lambda: tok.token_bytes_list([bad]), lambda: tok.id_to_token(bad)):  # fmt: skip
        with pytest.raises(OverflowError) as e:
            call()
        assert isinstance(e.value, KeyError) and isinstance(e.value, tokvec.TokenIdOverflowError)


def test_unknown_ids_inside_32_bits_are_key_errors() -> None:
    with pytest.raises(tokvec.UnknownTokenError) as e:
        preset("r50k_base").decode([60000])
    assert isinstance(e.value, KeyError) and not isinstance(e.value, OverflowError)
    assert preset("r50k_base").decode(np.array([31373, 995], dtype=np.uint32)) == "hello world"
    assert preset("r50k_base").decode([]) == ""
