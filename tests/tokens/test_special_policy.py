"""One special-token policy on every engine (tiktoken's), Hugging Face's behaviour as ``allowed_special="all"``.

Special-token text raises unless ``allowed_special`` lets it through; ``disallowed_special=()`` and
``encode_ordinary`` read it as text. On pipeline tokenizers "as text" is checked against Hugging Face
``tokenizers`` running the same file with those added tokens removed (so HF reads their text as text).
"""

from __future__ import annotations

import json

import pytest

import tokvec
from tests.conftest import data_path
from tokvec.analysis.counting import count_streams

# real tokenizer files of ../shared/data, and slow without the JIT (the make test run without it skips them)
pytestmark = pytest.mark.data

# (tokenizer, one of its special tokens, a text with it); every engine: tiktoken, pipeline (general and fused paths)
ENGINES = [
    ("cl100k_base", "<|endoftext|>"),
    ("phi-3-mini", "<|endoftext|>"),  # general path (BPE, byte fallback)
    ("bert-base-uncased", "[SEP]"),  # fused BERT path
    ("roberta-base", "<mask>"),  # lstrip special token
]
# subtle: T5's Unigram vocabulary holds its special tokens as pieces too, so their text may give their id
# (as in HF); it is checked where the policy, not the ids of the text, is tested
ALL_ENGINES = [*ENGINES, ("t5-small", "<extra_id_0>")]  # fused Unigram path
PIPELINE_FILES = {
    "phi-3-mini": "tokenizers/ortx/phi-3-mini/tokenizer.json",
    "bert-base-uncased": "tokenizers/bert-base-uncased/tokenizer.json",
    "t5-small": "tokenizers/ortx/tokenizer/t5-small/tokenizer.json",
    "roberta-base": "tokenizers/ortx/tokenizer/roberta-base/tokenizer.json",
}


def _text(special: str) -> str:
    return f"Hi{special} there {special}! x"


@pytest.fixture(scope="module")
def toks() -> dict[str, tokvec.Tokenizer]:
    return {name: tokvec.load(name) for name, _ in ALL_ENGINES}


@pytest.mark.parametrize(("name", "special"), ALL_ENGINES)
def test_special_text_raises_unless_allowed(toks, name: str, special: str) -> None:
    tok = toks[name]
    text = _text(special)
    for call in (
        lambda: tok.encode(text),
        lambda: tok.encode(text, disallowed_special="all"),
        lambda: tok.encode_batch(["fine", text]),
    ):
        with pytest.raises(tokvec.SpecialTokenError) as info:
            call()
        assert isinstance(info.value, ValueError) and isinstance(info.value, tokvec.TokvecError)
        assert info.value.token == special and info.value.position == 2
        assert "allowed_special" in str(info.value) and "disallowed_special=()" in str(info.value)
    sid = tok.special_tokens[special]
    every = tok.encode(text, allowed_special="all").ids.tolist()
    assert every.count(sid) >= 2
    assert tok.encode(text, allowed_special={special}).ids.tolist() == every


@pytest.mark.parametrize(("name", "special"), ENGINES)
def test_special_as_text_gives_the_ids_of_the_text(toks, name: str, special: str) -> None:
    tok = toks[name]
    text = _text(special)
    sid = tok.special_tokens[special]
    as_text = tok.encode(text, disallowed_special=(), add_special_tokens=False).ids.tolist()
    assert as_text != tok.encode(text, allowed_special="all", add_special_tokens=False).ids.tolist()
    assert tok.encode_ordinary(text).ids.tolist() == as_text
    assert sid not in as_text
    assert len(tok.encode_ordinary(special).ids) > 1
    # disallowed_special names what raises; the other special tokens are read as text
    assert tok.encode(text, disallowed_special={"no such token"}, add_special_tokens=False).ids.tolist() == as_text


@pytest.mark.parametrize(("name", "special"), ALL_ENGINES)
def test_batches_equal_single_texts_in_every_mode(toks, name: str, special: str) -> None:
    tok = toks[name]
    texts = [_text(special), "plain text", f"{special}{special}", "", special * 3 + " end"] * 3
    for kwargs in ({"allowed_special": "all"}, {"disallowed_special": ()}, {"allowed_special": {special}}):
        for threads in (1, 2):
            batch = tok.encode_batch(texts, num_threads=threads, **kwargs).tolist()
            assert batch == [tok.encode(t, **kwargs).ids.tolist() for t in texts], (kwargs, threads)


def test_unknown_allowed_special_is_refused_on_a_pipeline(toks) -> None:
    with pytest.raises(tokvec.SpecialTokenError, match="not special tokens"):
        toks["phi-3-mini"].encode("hi", allowed_special={"<|nope|>"})
    with pytest.raises(tokvec.SpecialTokenError, match="not special tokens"):
        toks["bert-base-uncased"].encode_batch(["hi"], allowed_special={"<|nope|>"})


def test_non_special_added_tokens_are_vocabulary_and_always_split_out(toks) -> None:
    phi = toks["phi-3-mini"]
    assert "</s>" not in phi.special_tokens  # phi-3's </s> is an added token with special: false
    for kwargs in ({}, {"disallowed_special": ()}, {"allowed_special": "all"}):
        assert 2 in phi.encode("a</s>b", add_special_tokens=False, **kwargs).ids.tolist()


def test_pairs_check_both_texts(toks) -> None:
    bert = toks["bert-base-uncased"]
    with pytest.raises(tokvec.SpecialTokenError):
        bert.encode("fine", "not [SEP] fine")
    with pytest.raises(tokvec.SpecialTokenError):
        bert.encode_batch([("fine", "[CLS]")])
    enc = bert.encode("a", "b [SEP]", disallowed_special=())
    assert enc.ids.tolist().count(102) == 2  # the post-processor's two, none from the text


def test_post_processor_specials_do_not_come_from_text(toks) -> None:
    bert = toks["bert-base-uncased"]
    ids = bert.encode("hello world").ids.tolist()
    assert ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP] added, no special-token text needed


# ----------------------------------------------------------------- exactness with Hugging Face
def _hf_without(name: str, removed: set[str]):
    """HF's tokenizer of the file with the added tokens ``removed`` taken out of ``added_tokens``."""
    tokenizers = pytest.importorskip("tokenizers")
    obj = json.loads(data_path(PIPELINE_FILES[name]).read_text(encoding="utf-8"))
    obj["added_tokens"] = [t for t in obj["added_tokens"] if t["content"] not in removed]
    obj["padding"] = obj["truncation"] = None
    return tokenizers.Tokenizer.from_str(json.dumps(obj))


def _fields(enc) -> tuple:
    offsets = enc.offsets.tolist() if hasattr(enc.offsets, "tolist") else [list(o) for o in enc.offsets]
    return list(enc.ids), list(enc.tokens), [list(o) for o in offsets]


@pytest.mark.parametrize("name", list(PIPELINE_FILES))
def test_special_as_text_equals_hugging_face_without_the_tokens(name: str) -> None:
    ours = tokvec.load(data_path(PIPELINE_FILES[name])).with_padding(None).with_truncation(None)
    specials = set(ours.special_tokens)
    ref = _hf_without(name, specials)
    texts = [_text(s) for s in sorted(specials)] + [" ".join(sorted(specials)), "no special tokens here"]
    for add in (True, False):
        got = ours.encode_batch(texts, disallowed_special=(), add_special_tokens=add)
        want = ref.encode_batch(texts, add_special_tokens=add)
        for text, a, b in zip(texts, got, want, strict=True):
            assert _fields(a) == _fields(b), (name, text, add)


@pytest.mark.parametrize("name", list(PIPELINE_FILES))
def test_some_allowed_equals_hugging_face_with_only_those(name: str) -> None:
    ours = tokvec.load(data_path(PIPELINE_FILES[name])).with_padding(None).with_truncation(None)
    specials = sorted(ours.special_tokens)
    allowed = set(specials[::2])
    ref = _hf_without(name, set(specials) - allowed)
    texts = [" ".join(specials), "a".join(specials) + " tail"]
    for text in texts:
        got, want = ours.encode(text, allowed_special=allowed, disallowed_special=()), ref.encode(text)
        assert _fields(got)[1:] == _fields(want)[1:], (name, text)
        # subtle: HF numbers the added tokens left in the file anew, so its ids are compared by their content
        assert got.ids.tolist() == [ours.token_to_id(ref.id_to_token(i)) for i in want.ids], (name, text)


@pytest.mark.parametrize("name", list(PIPELINE_FILES))
def test_allowed_all_is_hugging_face(name: str) -> None:
    tokenizers = pytest.importorskip("tokenizers")
    path = data_path(PIPELINE_FILES[name])
    ours = tokvec.load(path).with_padding(None).with_truncation(None)
    ref = tokenizers.Tokenizer.from_file(str(path))
    ref.no_padding()
    ref.no_truncation()
    texts = [" ".join(sorted(ours.special_tokens)) + " a", _text(sorted(ours.special_tokens)[0])]
    for a, b in zip(ours.encode_batch(texts, allowed_special="all"), ref.encode_batch(texts), strict=True):
        assert _fields(a) == _fields(b)


# ----------------------------------------------------------------- the CLI and the analysis on every engine
@pytest.mark.parametrize(("name", "special"), ENGINES)
def test_cli_encode_special_as_text_and_allow_special(toks, capsys, name: str, special: str) -> None:
    from tokvec.cli.main import main

    tok = toks[name]
    text = _text(special)

    def ids(*flags: str) -> list[int]:
        capsys.readouterr()
        assert main(["encode", "-t", name, "--format", "ids", *flags, text]) == 0
        return [int(w) for w in capsys.readouterr().out.split()]

    assert ids("--special-as-text") == tok.encode(text, disallowed_special=()).ids.tolist()
    assert tok.special_tokens[special] not in ids("--special-as-text")[1:-1]
    assert ids("--allow-special") == tok.encode(text, allowed_special="all").ids.tolist()
    capsys.readouterr()
    assert main(["encode", "-t", name, text]) == 1
    err = capsys.readouterr().err
    assert f"the special token {special!r} at character 2" in err and "--special-as-text" in err


@pytest.mark.parametrize(("name", "special"), ENGINES)
def test_count_and_compare_read_special_text_as_text(toks, name: str, special: str) -> None:
    import io

    tok = toks[name]
    text = _text(special)  # one line: count reads a file line by line
    [counted] = count_streams({name: tok}, [("t.txt", io.BytesIO(text.encode()))])
    assert counted.tokens[name] == len(tok.encode(text, disallowed_special=(), add_special_tokens=False))
    assert counted.tokens[name] != len(tok.encode(text, allowed_special="all", add_special_tokens=False))
    shown = tokvec.compare([tok], text)[tok.name]
    assert list(shown.ids) == tok.encode(text, disallowed_special=()).ids.tolist()


@pytest.mark.parametrize(("name", "special"), ENGINES)
def test_batch_check_names_the_text_and_no_token_spans_two_texts(toks, name: str, special: str) -> None:
    tok = toks[name]
    half = len(special) // 2
    split = [f"a{special[:half]}", f"{special[half:]}b"]  # the token's text only across two texts: no error
    assert tok.encode_batch(split).tolist() == [tok.encode(t).ids.tolist() for t in split]
    with pytest.raises(tokvec.SpecialTokenError) as info:
        tok.encode_batch(["clean", "also clean", f"xyz{special}"])
    assert info.value.token == special and info.value.position == 3
