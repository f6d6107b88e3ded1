"""tokvec.tiktoken against tiktoken itself: the same API, tables, ids and exception types, beyond tiktoken's suite."""

from __future__ import annotations

import hashlib
import pickle

import numpy as np
import pytest

import tokvec
import tokvec.tiktoken as tt
from tests.conftest import data_path
from tests.tokens.pool_workers import TEXTS
from tokvec.tiktoken import load, registry

tiktoken = pytest.importorskip("tiktoken")

API = ["encode", "encode_ordinary", "encode_batch", "encode_ordinary_batch", "encode_with_unstable",
       "encode_single_token", "encode_to_numpy", "decode", "decode_bytes", "decode_single_token_bytes",
       "decode_tokens_bytes", "decode_with_offsets", "decode_batch", "decode_bytes_batch", "token_byte_values",
       "is_special_token", "_encode_single_piece", "_encode_only_native_bpe", "_encode_bytes"]  # fmt: skip
PROPERTIES = ["n_vocab", "max_token_value", "eot_token", "special_tokens_set", "name", "_pat_str",
              "_special_tokens", "_mergeable_ranks"]  # fmt: skip


@pytest.fixture(scope="module")
def offline_constructors():
    """tiktoken's own encoding constructors, with their rank-file readers pointed at nothing (no download)."""
    import tiktoken_ext.openai_public as public

    saved = public.load_tiktoken_bpe, public.data_gym_to_mergeable_bpe_ranks
    public.load_tiktoken_bpe = lambda *a, **k: {}
    public.data_gym_to_mergeable_bpe_ranks = lambda *a, **k: {}
    try:
        yield {name: make() for name, make in public.ENCODING_CONSTRUCTORS.items()}
    finally:
        public.load_tiktoken_bpe, public.data_gym_to_mergeable_bpe_ranks = saved


def reference(name: str):
    """Real tiktoken with tokvec's tables for ``name`` (its patterns and special tokens are checked equal below)."""
    ours = tt.get_encoding(name)
    return tiktoken.Encoding(
        name, pat_str=ours._pat_str, mergeable_ranks=ours._mergeable_ranks, special_tokens=ours._special_tokens
    )


def test_the_public_api_is_tiktokens() -> None:
    assert {n for n in dir(tiktoken) if not n.startswith("_")} - {"core", "model", "registry", "load"} <= set(dir(tt))
    enc, theirs = tt.get_encoding("cl100k_base"), reference("cl100k_base")
    for name in API + PROPERTIES:
        assert hasattr(theirs, name) and hasattr(enc, name), name
    assert repr(enc) == "<Encoding 'cl100k_base'>"


def test_names_patterns_and_special_tokens_are_tiktokens(offline_constructors) -> None:
    assert tt.list_encoding_names() == list(offline_constructors)
    for name, spec in registry.SPECS.items():
        theirs = offline_constructors[name]
        assert spec.pattern == theirs["pat_str"], name
        assert spec.specials == theirs["special_tokens"] and list(spec.specials) == list(theirs["special_tokens"])
        assert spec.n_vocab == theirs.get("explicit_n_vocab"), name


def test_model_tables_are_tiktokens() -> None:
    import tiktoken.model

    assert tt.model.MODEL_TO_ENCODING == tiktoken.model.MODEL_TO_ENCODING
    assert list(tt.model.MODEL_PREFIX_TO_ENCODING.items()) == list(tiktoken.model.MODEL_PREFIX_TO_ENCODING.items())


TEXT = "Hello world! <|endoftext|> 你好 🌍  \n\n  x'll <|fim_prefix|>123456 \ud83d end"


@pytest.mark.parametrize("name", ["r50k_base", "cl100k_base", "o200k_base", "o200k_harmony"])
def test_same_ids_as_tiktoken(name: str) -> None:
    ours, theirs = tt.get_encoding(name), reference(name)
    texts = [TEXT, *TEXTS, "", "<|startoftext|><|reserved_200018|><|endofprompt|>"]
    for kw in [{"allowed_special": "all"}, {"disallowed_special": ()}, {"allowed_special": {"<|endoftext|>", "x"},
               "disallowed_special": ()}]:  # fmt: skip
        assert [ours.encode(t, **kw) for t in texts] == [theirs.encode(t, **kw) for t in texts], kw
        assert ours.encode_batch(texts, num_threads=2, **kw) == theirs.encode_batch(texts, num_threads=2, **kw)
    assert ours.encode_ordinary_batch(texts) == theirs.encode_ordinary_batch(texts)
    assert ours.encode_to_numpy("hello world").dtype == theirs.encode_to_numpy("hello world").dtype == np.uint32
    ids = ours.encode(TEXT.replace("\ud83d", ""), allowed_special="all")
    assert ours.decode_with_offsets(ids) == theirs.decode_with_offsets(ids)
    assert ours.decode_tokens_bytes(ids) == theirs.decode_tokens_bytes(ids)
    assert ours._encode_single_piece("helloqqqq") == theirs._encode_single_piece("helloqqqq")
    plain = TEXT.replace("\ud83d", "")  # both raise UnicodeEncodeError on a lone surrogate here
    assert ours._encode_only_native_bpe(plain) == theirs._encode_only_native_bpe(plain)
    assert (ours.n_vocab, ours.max_token_value, ours.eot_token) == (theirs.n_vocab, theirs.max_token_value,
                                                                   theirs.eot_token)  # fmt: skip


def test_token_byte_values_are_tiktokens() -> None:
    assert tt.get_encoding("r50k_base").token_byte_values() == reference("r50k_base").token_byte_values()


# subtle: text ending in whitespace has ~44k completions (0.6 s in tiktoken, 0.8 s here): one such case is enough
@pytest.mark.parametrize("text", ["hello fanta", "today\n ", "a\n\n", "", "x<|endoftext|>", "hello wor", "12345",
                                  "日本語のテキ", "foo\r\n"])  # fmt: skip
def test_encode_with_unstable_is_tiktokens(text: str) -> None:
    ours, theirs = tt.get_encoding("cl100k_base"), reference("cl100k_base")
    a, b = (
        ours.encode_with_unstable(text, allowed_special="all"),
        theirs.encode_with_unstable(text, allowed_special="all"),
    )
    assert a[0] == b[0] and sorted(map(tuple, a[1])) == sorted(map(tuple, b[1]))


def test_encode_bytes_is_tiktokens() -> None:
    rnd = np.random.default_rng(0)
    alphabet = np.frombuffer(b" \n\xec\x8b\xa4\xed\x80abc0'sxyz\xe6\x97\xa5", dtype=np.uint8)
    for name in ["r50k_base", "cl100k_base"]:
        ours, theirs = tt.get_encoding(name), reference(name)
        for _ in range(200):
            data = rnd.choice(alphabet, size=int(rnd.integers(0, 12))).tobytes()
            assert ours._encode_bytes(data) == theirs._encode_bytes(data), data


def test_harmony_shares_an_id_as_tiktoken_does() -> None:
    enc = tt.encoding_for_model("gpt-oss-120b")
    assert enc.name == "o200k_harmony" and enc.n_vocab == 201088
    text = "<|endofprompt|><|reserved_200018|>"
    assert enc.encode(text, allowed_special="all") == [200018, 200018]
    assert enc.decode([200018]) == "<|endofprompt|>"  # the first of the two (tiktoken's pick varies by process)
    assert (
        enc.decode([200018])
        in {"<|endofprompt|>", "<|reserved_200018|>"}
        >= {reference("o200k_harmony").decode([200018])}
    )


def raised(call) -> type[BaseException]:
    try:
        call()
    except Exception as e:
        return type(e)
    raise AssertionError("no exception")


def without_specials(module, enc):
    return module.Encoding("x", pat_str=enc._pat_str, mergeable_ranks=enc._mergeable_ranks, special_tokens={})


CASES = {
    "unknown encoding": lambda m, e: m.get_encoding("nope"),
    "encoding name not a str": lambda m, e: m.get_encoding(5),
    "unknown model": lambda m, e: m.encoding_for_model("nope-1"),
    "disallowed special": lambda m, e: e.encode("a <|endoftext|>"),
    "disallowed non-special string": lambda m, e: e.encode("hello", disallowed_special={"ell"}),
    "bytes to encode": lambda m, e: e.encode_ordinary(b"hi"),
    "bytes to encode_batch": lambda m, e: e.encode_batch([b"hi"]),
    "not a token": lambda m, e: e.encode_single_token("qqqqqqqqzzzz"),
    "negative id": lambda m, e: e.decode([-1]),
    "id over 32 bits": lambda m, e: e.decode([2**32]),
    "id over 64 bits": lambda m, e: e.decode([2**70]),
    "unknown id": lambda m, e: e.decode([100_261]),
    "float id": lambda m, e: e.decode([1.5]),
    "str id": lambda m, e: e.decode(["12"]),
    "single unknown id": lambda m, e: e.decode_single_token_bytes(100_261),
    "single negative id": lambda m, e: e.decode_single_token_bytes(-1),
    "eot of an encoding without one": lambda m, e: without_specials(m, e).eot_token,
    "offsets of invalid UTF-8": lambda m, e: e.decode_with_offsets([e.encode_single_token(b"\xe4")]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_the_same_exceptions_as_tiktoken(case: str) -> None:
    theirs = raised(lambda: CASES[case](tiktoken, reference("cl100k_base")))
    ours = raised(lambda: CASES[case](tt, tt.get_encoding("cl100k_base")))
    assert issubclass(ours, theirs), f"{case}: tokvec raises {ours.__name__}, tiktoken {theirs.__name__}"
    assert issubclass(ours, tokvec.TokvecError) or ours in (KeyError, UnicodeDecodeError), case


def test_registered_encodings_pickle_by_name_others_by_content() -> None:
    enc = tt.get_encoding("cl100k_base")
    data = pickle.dumps(enc)
    assert len(data) < 200 and pickle.loads(data) is enc
    custom = tt.Encoding("custom", pat_str=enc._pat_str, mergeable_ranks=enc._mergeable_ranks,
                         special_tokens={"<|pickle|>": 100_000, "<|same|>": 100_000})  # fmt: skip
    back = pickle.loads(pickle.dumps(custom))
    assert back.encode("<|same|> hi <|pickle|>", allowed_special="all") == [100_000, 15960, 220, 100_000]
    assert back._mergeable_ranks == enc._mergeable_ranks and back.n_vocab == custom.n_vocab


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """An empty registry and rank-file cache, no user folder, and tiktoken's cache in an empty folder."""
    monkeypatch.setattr(registry, "ENCODINGS", {})
    registry._ranks_and_model.cache_clear()
    monkeypatch.delenv(load.FOLDER_VARIABLE, raising=False)
    monkeypatch.delenv("DATA_GYM_CACHE_DIR", raising=False)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    yield monkeypatch
    registry._ranks_and_model.cache_clear()


def test_p50k_from_a_user_folder(fresh_registry, tmp_path) -> None:
    source = data_path("tokenizers/tiktoken/p50k_base.tiktoken")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "p50k_base.tiktoken").symlink_to(source)
    fresh_registry.setenv(load.FOLDER_VARIABLE, str(tmp_path / "nothing-here") + ":" + str(tmp_path / "mine"))
    enc = tt.get_encoding("p50k_edit")
    assert enc.encode("hello world <|fim_suffix|>", allowed_special="all") == [31373, 995, 220, 50283]


def test_p50k_from_tiktokens_cache(fresh_registry, tmp_path) -> None:
    source = data_path("tokenizers/tiktoken/p50k_base.tiktoken")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / hashlib.sha1(load.URL.format("p50k_base").encode()).hexdigest()).symlink_to(source)
    fresh_registry.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    assert tt.encoding_for_model("text-davinci-003").encode("hello world") == [31373, 995]


def test_a_missing_rank_file_names_where_it_looked(fresh_registry, tmp_path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "p50k_base.tiktoken").write_bytes(b"YQ== 0\n")  # the wrong file
    fresh_registry.setenv(load.FOLDER_VARIABLE, str(tmp_path / "mine"))
    with pytest.raises(tokvec.TokvecFileError) as e:
        tt.get_encoding("p50k_base")
    message = str(e.value)
    assert isinstance(e.value, OSError) and "p50k_base.tiktoken is not bundled" in message
    assert f"{tmp_path / 'mine' / 'p50k_base.tiktoken'} ($TOKVEC_TIKTOKEN_DIR): sha256" in message
    assert str(tmp_path / "empty-cache") in message and "TIKTOKEN_CACHE_DIR" in message
