"""Loader defects of issue 17, each with the test that failed before its fix.

1. a SentencePiece ``.model`` of the Llama family starts with BOS, as Hugging Face's tokenizer of the
   same model does (``add_special_tokens=False``: sentencepiece's own ids);
2. ``SentencePieceTokenizer``'s old ndarray methods still work, with a DeprecationWarning naming the new call;
3. ``vocab.json`` with ``merges.txt`` beside it is a GPT-2 BPE (not a tokenizer.json), without it a clear error;
4. a trained ``--tiktoken`` rank file loads back (its pattern stored beside it, or ``--pattern`` on the CLI);
5. a trained BPE is the same tokenizer in memory and after save and load (ids, offsets, tokens, pairs).
"""

from __future__ import annotations

import functools
import json
import shutil

import pytest

import tokvec
from tests.conftest import data_path

# real tokenizer files of ../shared/data, and slow without the JIT (the make test run without it skips them)
pytestmark = pytest.mark.data

LLAMA2 = "tokenizers/llama2_spm/tokenizer.model"
MISTRAL_V1 = "tokenizers/mistral_spm/tokenizer.model.v1"
MISTRAL_V3 = "tokenizers/mistral_spm/mistral_instruct_tokenizer_240323.model.v3"
HF_LLAMA2 = "tokenizers/ortx/llama2/tokenizer.json"


@functools.cache
def flores(step: int = 6) -> list[str]:
    """Every devtest line of every ``step``-th FLORES-200 language (eng_Latn and 34 others at 6)."""
    files = sorted(data_path("flores200/devtest").glob("*.devtest"))
    chosen = {*files[::step], data_path("flores200/devtest/eng_Latn.devtest")}
    return [line for f in sorted(chosen) for line in f.read_text(encoding="utf-8").splitlines()]


# -- 1. BOS by the model's convention ------------------------------------------------------------


@pytest.mark.parametrize("path", [LLAMA2, MISTRAL_V1, MISTRAL_V3])
def test_llama_family_model_starts_with_bos(path: str) -> None:
    tok = tokvec.load(data_path(path))
    enc = tok.encode("Who is Pani Puri?")
    assert enc.ids[0] == 1 and tok.id_to_token(1) == "<s>"
    raw = tok.encode("Who is Pani Puri?", add_special_tokens=False).ids.tolist()
    assert enc.ids.tolist() == [1, *raw]
    assert tok.decode(enc.ids) == "Who is Pani Puri?"  # BOS vanishes in decode, as in sentencepiece
    assert tok.encode_batch(["Who is Pani Puri?", ""])[1].ids.tolist() == [1]


def test_mistral_v1_prints_the_ids_of_the_book() -> None:
    tok = tokvec.load(data_path(MISTRAL_V1))
    assert tok.encode("Who is Pani Puri?").ids.tolist() == [1, 6526, 349, 367, 4499, 367, 6395, 28804]


def _hf_llama2():
    """Hugging Face ``tokenizers`` on the shared Llama-2 tokenizer.json, its damaged no-break spaces repaired.

    The shared copy spells U+00A0 as a plain space in four tokens and three merges (so that
    ``tokenizers`` refuses it, see the folder's SOURCE.txt); writing U+00A0 back gives Meta's file.
    """
    tk = pytest.importorskip("tokenizers")
    obj = json.loads(data_path(HF_LLAMA2).read_text(encoding="utf-8"))

    def merge(m: str) -> str:
        if m.count(" ") == 1:
            return m
        mid = len(m) // 2 if m[0] == " " else 1  # the separator: "▁  " is "▁" + U+00A0
        return m[:mid].replace(" ", "\xa0") + " " + m[mid + 1 :].replace(" ", "\xa0")

    obj["model"]["vocab"] = {k.replace(" ", "\xa0"): v for k, v in obj["model"]["vocab"].items()}
    obj["model"]["merges"] = [merge(m) for m in obj["model"]["merges"]]
    return tk.Tokenizer.from_str(json.dumps(obj))


@pytest.mark.data
def test_llama2_default_equals_hugging_face_and_raw_equals_sentencepiece() -> None:
    spm = pytest.importorskip("sentencepiece")
    path = data_path(LLAMA2)
    tok, hf = tokvec.load(path), _hf_llama2()
    ref = spm.SentencePieceProcessor(model_file=str(path))
    lines = flores()
    assert len(lines) > 30000
    got = tok.encode_batch(lines)
    want = hf.encode_batch(lines)
    bad = [k for k in range(len(lines)) if got[k].ids.tolist() != want[k].ids]
    assert not bad, f"{len(bad)} of {len(lines)} lines differ from HF; first {lines[bad[0]][:80]!r}"
    raw = tok.encode_batch(lines, add_special_tokens=False)
    want_raw = ref.encode(lines)
    bad = [k for k in range(len(lines)) if raw[k].ids.tolist() != want_raw[k]]
    assert not bad, f"{len(bad)} of {len(lines)} lines differ from sentencepiece; first {lines[bad[0]][:80]!r}"
    for k in range(0, len(lines), 997):  # single texts take the same rule as the batch
        assert tok.encode(lines[k]).ids.tolist() == want[k].ids
        assert tok.encode_ordinary(lines[k]).ids.tolist() == want_raw[k]


@pytest.mark.data
def test_mistral_default_is_bos_then_sentencepiece_ids() -> None:
    spm = pytest.importorskip("sentencepiece")
    lines = flores(12)
    for rel in (MISTRAL_V1, MISTRAL_V3):
        path = data_path(rel)
        ref = spm.SentencePieceProcessor(model_file=str(path))
        got = tokvec.load(path).encode_batch(lines).tolist()
        want = ref.encode(lines, add_bos=True)
        bad = [k for k in range(len(lines)) if got[k] != want[k]]
        assert not bad, f"{rel}: {len(bad)} of {len(lines)} lines differ; first {lines[bad[0]][:80]!r}"


@pytest.mark.parametrize(
    "rel", ["tokenizers/sentencepiece_testdata/test_model.model", "tokenizers/ortx/en.wiki.bpe.vs100000.model"]
)
def test_other_models_add_nothing_as_sentencepiece(rel: str) -> None:
    spm = pytest.importorskip("sentencepiece")
    path = data_path(rel)
    ref = spm.SentencePieceProcessor(model_file=str(path))
    tok = tokvec.load(path)
    for text in ["Hello world", "", "naïve café"]:
        assert tok.encode(text).ids.tolist() == ref.encode(text)


def test_explicit_bos_eos_override_the_convention() -> None:
    from tokvec.tokens.sentencepiece import SentencePieceTokenizer
    from tokvec.tokens.sentencepiece_tokenizer import to_tokenizer

    spm = SentencePieceTokenizer.from_file(data_path(LLAMA2))
    assert spm.adds_bos_by_convention
    plain = to_tokenizer(spm, add_bos=False).encode("Hi there").ids.tolist()
    assert plain[0] != 1
    assert to_tokenizer(spm, add_eos=True).encode("Hi there").ids.tolist() == [1, *plain, 2]


# -- 3. vocab.json + merges.txt ------------------------------------------------------------------


def _gpt2_files(folder, *, merges: bool = True):
    shutil.copy(data_path("tokenizers/ortx/gpt2.vocab"), folder / "vocab.json")
    if merges:
        shutil.copy(data_path("tokenizers/ortx/gpt2.merges.txt"), folder / "merges.txt")
    return folder / "vocab.json"


def test_vocab_json_beside_merges_txt_is_gpt2_bpe(tmp_path) -> None:
    vocab = _gpt2_files(tmp_path)
    by_file = tokvec.load(vocab)
    gpt2 = tokvec.load("gpt2")
    texts = ["Hello world", " model", '{"model": 1}', *flores(40)[:300]]
    assert by_file.encode_batch(texts).tolist() == gpt2.encode_batch(texts).tolist()
    assert tokvec.load(tmp_path).encode("Hello world").ids.tolist() == [15496, 995]


def test_vocab_json_without_merges_is_a_clear_error(tmp_path) -> None:
    vocab = _gpt2_files(tmp_path, merges=False)
    for target in (vocab, tmp_path):
        with pytest.raises(tokvec.TokvecFileError, match=r"vocab\.json is a token -> id vocabulary .*merges\.txt"):
            tokvec.load(target)


def test_tokenizer_json_is_still_a_tokenizer_json(tmp_path) -> None:
    src = data_path("tokenizers/ortx/tokenizer/roberta-base/tokenizer.json")
    path = tmp_path / "vocab.json"  # even named vocab.json, a tokenizer.json object is read as one
    shutil.copy(src, path)
    assert tokvec.load(path).encode("Hello world").ids.tolist() == tokvec.load(src).encode("Hello world").ids.tolist()


# -- 4. a trained tiktoken rank file loads back --------------------------------------------------


@functools.cache
def trained():
    """A small byte-level BPE (cl100k pattern, one special token) on 3,000 lines of ELTeC."""
    from tests.trainers.corpora import eltec_lines
    from tokvec.tokens.trainers.bpe import train_bpe

    lines = eltec_lines(2)[:3000]
    assert len(lines) == 3000
    return train_bpe(lines, vocab_size=1200, special_tokens=("<|endoftext|>",), pre_tokenizer="cl100k", progress=False)


def test_trained_rank_file_loads_back_and_stays_tiktoken_s(tmp_path) -> None:
    result = trained()
    path = tmp_path / "bpe.tiktoken"
    regex = result.save_tiktoken(path)
    tok = tokvec.load(path)  # was: "not one of the published encodings ... pass pattern="
    assert tok.pattern.name == "cl100k" and dict(tok.special_tokens) == {"<|endoftext|>": 0}
    texts = flores(40)[:500]
    want = [result.tokenizer().encode(t).ids.tolist() for t in texts]
    assert tok.encode_batch(texts).tolist() == want  # rank rules equal the merges here (see export_bpe)
    assert tok.encode("a<|endoftext|>b", allowed_special="all").ids.tolist()[1] == 0
    tiktoken = pytest.importorskip("tiktoken")
    from tiktoken.load import load_tiktoken_bpe

    ranks = load_tiktoken_bpe(str(path))  # the rank file is tiktoken's own format, nothing added
    enc = tiktoken.Encoding("trained", pat_str=regex, mergeable_ranks=ranks, special_tokens={})
    assert [enc.encode_ordinary(t) for t in texts] == want


def test_rank_file_without_its_settings_names_the_pattern_option(tmp_path) -> None:
    path = tmp_path / "bpe.tiktoken"
    trained().save_tiktoken(path)
    alone = tmp_path / "alone.tiktoken"
    shutil.copy(path, alone)
    with pytest.raises(tokvec.FormatError, match=r"alone\.tiktoken\.json.*pattern='r50k'.*--pattern cl100k"):
        tokvec.load(alone)
    assert (
        tokvec.load(alone, pattern="cl100k").encode("hello").ids.tolist()
        == tokvec.load(path).encode("hello").ids.tolist()
    )
    with pytest.raises(
        tokvec.FormatError, match=r"bpe\.tiktoken\.json holds the split pattern .*load .*bpe\.tiktoken itself"
    ):
        tokvec.load(tmp_path / "bpe.tiktoken.json")
    (tmp_path / "alone.tiktoken.json").write_text('{"pattern": 3}')
    with pytest.raises(tokvec.FormatError, match=r"alone\.tiktoken\.json: expected .*delete it or pass pattern="):
        tokvec.load(alone)


def test_cli_train_tiktoken_then_encode(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus.txt").write_text("low lower newest wider\nthe lowest of the low\n" * 3)
    rc, out, err = cli(
        "train", "bpe", "corpus.txt", "--vocab-size", "270", "--min-frequency", "1", "-o", "bpe.json",
        "--tiktoken", "bpe.tiktoken", "--quiet", "--format", "json",
    )  # fmt: skip
    assert rc == 0, err
    summary = json.loads(out)
    assert "bpe.tiktoken.json" in summary["written"] and "--pattern r50k" in summary["tiktoken_use"]
    rc, out, err = cli("encode", "-t", "bpe.tiktoken", "lower newest", "--format", "ids")
    assert rc == 0, err
    by_json = cli("encode", "-t", "bpe.json", "lower newest", "--format", "ids")
    assert out == by_json[1] and out.strip()
    shutil.copy("bpe.tiktoken", "alone.tiktoken")
    rc, _, err = cli("encode", "-t", "alone.tiktoken", "lower newest")
    assert rc == 1 and "--pattern cl100k" in err
    rc, out2, err = cli("encode", "-t", "alone.tiktoken", "--pattern", "r50k", "lower newest", "--format", "ids")
    assert rc == 0 and out2 == out, err
    rc, _, err = cli("count", "corpus.txt", "-t", "gpt2,alone.tiktoken", "--pattern", "r50k")
    assert rc == 0, err  # a preset keeps its own pattern beside a file that takes --pattern


# -- 5. a trained BPE is the same tokenizer in memory and after save and load ---------------------


def test_trained_bpe_is_the_same_tokenizer_after_save_and_load(tmp_path) -> None:
    result = trained()
    mine = result.tokenizer()
    path = tmp_path / "tokenizer.json"
    result.save(path)
    back = tokvec.load(path)
    assert type(mine.model) is type(back.model) and (mine.pipeline is None) == (back.pipeline is None)
    texts = [*flores(50), "naïve café 漢字 👋🏽", "  two  spaces", "<|endoftext|> end", ""]
    assert len(texts) > 4000
    a, b = mine.encode_batch(texts, allowed_special="all"), back.encode_batch(texts, allowed_special="all")
    bad = [
        k
        for k in range(len(texts))
        if a[k].ids.tolist() != b[k].ids.tolist() or a[k].offsets.tolist() != b[k].offsets.tolist()
        or a[k].tokens != b[k].tokens
    ]  # fmt: skip
    assert not bad, f"{len(bad)} of {len(texts)} texts differ, first {texts[bad[0]][:80]!r}"
    pair_a, pair_b = mine.encode("first text", "second"), back.encode("first text", "second")  # pairs: both or none
    assert pair_a.ids.tolist() == pair_b.ids.tolist() and pair_a.type_ids.tolist() == pair_b.type_ids.tolist()
    assert mine.decode(a[0].ids) == back.decode(b[0].ids) == texts[0]
    assert mine.vocab_size == back.vocab_size and dict(mine.special_tokens) == dict(back.special_tokens)
    resaved = tmp_path / "again.json"
    mine.save(resaved)  # the in-memory tokenizer saves too (the tiktoken engine could not)
    assert tokvec.load(resaved).encode(texts[1]).ids.tolist() == a[1].ids.tolist()


# -- 2. SentencePieceTokenizer's own ndarray methods: still there, deprecated ----------------------


def test_sentencepiece_tokenizer_old_methods_warn_and_name_the_new_one() -> None:
    from tokvec.tokens.sentencepiece import SentencePieceTokenizer

    path = data_path(LLAMA2)
    old, tok = SentencePieceTokenizer.from_file(path), tokvec.load(path)
    text = "Hello  wörld 👋"
    raw = tok.encode(text, add_special_tokens=False)
    calls = [
        (lambda: old.encode(text).tolist(), raw.ids.tolist(), r"encode\(text\) .*add_special_tokens=False\)\.ids"),
        (lambda: [a.tolist() for a in old.encode_batch([text, "x"])],
         tok.encode_batch([text, "x"], add_special_tokens=False).tolist(), r"encode_batch\(texts\) is deprecated"),
        (lambda: old.encode_with_offsets(text)[1].tolist(), raw.offsets.tolist(), r"encode_with_offsets"),
        (lambda: old.encode_as_pieces(text), raw.tokens, r"encode_as_pieces\(text\) .*\.tokens"),
        (lambda: old.id_to_piece(15043), tok.id_to_token(15043), r"id_to_piece\(i\) .*id_to_token\(i\)"),
        (lambda: old.decode(raw.ids), tok.decode(raw.ids), r"decode\(ids\) is deprecated"),
    ]  # fmt: skip
    for call, want, message in calls:
        with pytest.warns(DeprecationWarning, match=message):
            assert call() == want
    assert old.vocab_size == tok.vocab_size  # what is not deprecated stays quiet
    names = ("encode", "encode_batch", "encode_ordinary", "decode", "decode_bytes", "token_to_id", "id_to_token",
             "vocab_size", "special_tokens", "save", "with_padding", "with_truncation")  # fmt: skip
    assert all(hasattr(tok, n) for n in names)  # tokvec.load(".model") is the one interface


def test_sentencepiece_to_tokenizer_method_names_its_new_place() -> None:
    from tokvec.tokens.sentencepiece import SentencePieceTokenizer

    spm = SentencePieceTokenizer.from_file(data_path(MISTRAL_V1))
    with pytest.raises(AttributeError, match="sentencepiece_tokenizer"):
        spm.to_tokenizer()
