"""Loading presets and files; malformed files give errors that name the file and the line."""

from __future__ import annotations

import base64
import json
import pathlib

import pytest

import tokvec
from tests.conftest import data_path, preset
from tokvec.tokens.formats.tiktoken import load_ranks, save_ranks

FLORES_SAMPLE = ["eng_Latn", "deu_Latn", "fra_Latn", "rus_Cyrl", "zho_Hans", "jpn_Jpan", "arb_Arab", "hin_Deva",
                 "kor_Hang", "heb_Hebr", "tha_Thai", "ell_Grek", "tur_Latn", "vie_Latn", "swh_Latn", "yor_Latn",
                 "amh_Ethi", "tam_Taml", "pol_Latn", "fin_Latn"]  # fmt: skip


def test_presets_and_aliases() -> None:
    assert {"gpt2", "r50k_base", "cl100k_base", "o200k_base"} <= set(tokvec.presets())
    assert preset("gpt2").encode("Hello world").ids.tolist() == [15496, 995]
    assert preset("cl100k_base").special_tokens["<|endoftext|>"] == 100257
    assert preset("o200k_base").special_tokens["<|endoftext|>"] == 199999


def test_unknown_name_lists_presets() -> None:
    with pytest.raises(tokvec.UnknownNameError) as e:
        tokvec.load("gpt5")
    assert "'gpt5'" in str(e.value) and "Presets: " + ", ".join(tokvec.presets()) in str(e.value)
    assert isinstance(e.value, KeyError) and isinstance(e.value, tokvec.TokvecError)


def write_ranks(path: pathlib.Path, lines: list[str]) -> pathlib.Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def byte_lines() -> list[str]:
    return [f"{base64.b64encode(bytes([i])).decode()} {i}" for i in range(256)]


def test_malformed_rank_file_names_file_and_line(tmp_path: pathlib.Path) -> None:
    lines = byte_lines()
    lines[2] = "not*base64 2"
    bad = write_ranks(tmp_path / "bad.tiktoken", lines)
    with pytest.raises(tokvec.FormatError, match=r"line 3: .*not 'base64-token rank'") as e:
        tokvec.load(bad, pattern="cl100k")
    assert str(e.value).startswith(f"{bad} line 3:") and isinstance(e.value, ValueError)
    lines = byte_lines()
    lines[5] = "YQ== 5 extra"
    fields = write_ranks(tmp_path / "fields.tiktoken", lines)
    with pytest.raises(tokvec.FormatError, match=r"line 6: expected 'base64-token rank'") as e:
        load_ranks(fields)
    assert str(e.value).startswith(f"{fields} line 6:")
    lines[5] = "YQ=="
    with pytest.raises(tokvec.FormatError, match=r"fields\.tiktoken line 6: expected 'base64-token rank'"):
        load_ranks(write_ranks(fields, lines))
    lines = byte_lines()
    lines[7] = "YQ== seven"
    with pytest.raises(tokvec.FormatError, match=r"rank\.tiktoken line 8: .*not 'base64-token rank'"):
        load_ranks(write_ranks(tmp_path / "rank.tiktoken", lines))
    with pytest.raises(tokvec.FormatError, match=r"empty\.tiktoken: the file holds no ranks"):
        load_ranks(write_ranks(tmp_path / "empty.tiktoken", []))


def test_rank_file_needs_a_pattern_and_all_bytes(tmp_path: pathlib.Path) -> None:
    good = write_ranks(tmp_path / "mine.tiktoken", [*byte_lines(), f"{base64.b64encode(b'ab').decode()} 256"])
    with pytest.raises(tokvec.FormatError, match="pass pattern="):
        tokvec.load(good)
    tok = tokvec.load(good, pattern="cl100k", special_tokens={"<|end|>": 257})
    assert tok.encode("ab<|end|>", allowed_special="all").ids.tolist() == [256, 257]
    missing = write_ranks(tmp_path / "missing.tiktoken", byte_lines()[1:])
    with pytest.raises(tokvec.FormatError, match="single-byte tokens"):
        tokvec.load(missing, pattern="r50k")


def test_save_ranks_round_trip_is_atomic(tmp_path: pathlib.Path) -> None:
    ranks = preset("gpt2").model.ranks()
    out = tmp_path / "copy.tiktoken"
    save_ranks(ranks, out)
    assert load_ranks(out) == ranks
    assert [p.name for p in tmp_path.iterdir()] == ["copy.tiktoken"]
    with pytest.raises(tokvec.TokvecFileError, match="cannot write"):
        save_ranks(ranks, tmp_path / "no" / "such" / "dir.tiktoken")


def test_sentencepiece_model_loads_as_sentencepiece_not_as_a_rank_file() -> None:
    path = data_path("tokenizers/llama2_spm/tokenizer.model")
    spm = pytest.importorskip("sentencepiece").SentencePieceProcessor(model_file=str(path))
    tok = tokvec.load(path)
    assert tok.pipeline is not None and tok.vocab_size == 32000
    assert tok.encode("Hello world, ünïcode").ids.tolist() == spm.encode("Hello world, ünïcode", add_bos=True)
    assert tok.encode_ordinary("Hello world, ünïcode").ids.tolist() == spm.encode("Hello world, ünïcode")


@pytest.mark.parametrize(
    "name",
    ["tokenizer.model.v1", "mistral_instruct_tokenizer_240216.model.v2", "mistral_instruct_tokenizer_240323.model.v3"],
)
def test_mistral_model_vn_files_load_as_sentencepiece(name: str) -> None:
    """Mistral names its SentencePiece files ``*.model.v1`` .. ``*.model.v3``: recognised like ``.model``."""
    path = data_path(f"tokenizers/mistral_spm/{name}")
    spm = pytest.importorskip("sentencepiece").SentencePieceProcessor(model_file=str(path))
    tok = tokvec.load(path)
    assert tok.pipeline is not None and tok.vocab_size == spm.get_piece_size()
    for text in ["Hello world, ünïcode", "  two  spaces [INST] 漢字 👋🏽"]:
        assert tok.encode(text).ids.tolist() == spm.encode(text, add_bos=True)  # BOS first, as Hugging Face's
        assert tok.encode(text, add_special_tokens=False).ids.tolist() == spm.encode(text)


def test_merges_file_is_not_a_rank_file() -> None:
    path = data_path("tokenizers/ortx/gpt2.merges.txt")
    with pytest.raises(tokvec.FormatError, match=r"gpt2\.merges\.txt line 1: .*Is this a tiktoken rank file\?"):
        tokvec.load(path)


def test_bad_merges_and_vocab(tmp_path: pathlib.Path) -> None:
    from tokvec.tokens.byte_level import bytes_to_str

    vocab = {bytes_to_str(bytes([i])): i for i in range(256)} | {"ab": 256}
    (tmp_path / "vocab.json").write_text(json.dumps(vocab))
    (tmp_path / "merges.txt").write_text("#version: 0.2\na b\nab\n")
    with pytest.raises(tokvec.FormatError, match=r"merges\.txt line 3: expected two tokens"):
        tokvec.load(tmp_path)
    (tmp_path / "vocab.json").write_text(json.dumps({"a b c": 0}))
    with pytest.raises(tokvec.FormatError, match=r"contains ' ', which is not a byte-level character"):
        tokvec.load(tmp_path)
    (tmp_path / "vocab.json").write_text("{not json")
    with pytest.raises(tokvec.FormatError, match=r"vocab\.json: not a JSON vocabulary"):
        tokvec.load(tmp_path)


def test_merge_of_unknown_token(tmp_path: pathlib.Path) -> None:
    from tokvec.tokens.byte_level import bytes_to_str

    vocab = {bytes_to_str(bytes([i])): i for i in range(256)}
    (tmp_path / "vocab.json").write_text(json.dumps(vocab))
    (tmp_path / "merges.txt").write_text("#version: 0.2\na b\n")
    with pytest.raises(tokvec.FormatError, match=r"merge 1 \(b'a' b'b'\) uses b'ab', which is not in the vocabulary"):
        tokvec.load(tmp_path)


@pytest.mark.data
def test_gpt2_vocab_merges_equals_r50k() -> None:
    merges_model = tokvec.load(data_path("tokenizers/ortx/gpt2.vocab"))
    assert merges_model.model.kind == "merges"
    r50k = preset("r50k_base")
    lines = []
    for lang in FLORES_SAMPLE:
        lines += data_path(f"flores200/devtest/{lang}.devtest").read_text(encoding="utf-8").splitlines()
    import gzip

    with gzip.open(data_path("text/eltec-eng/eltec-eng.txt.gz"), "rt", encoding="utf-8") as f:
        text = f.read(5_000_000)
    lines += text.splitlines(keepends=True)
    got = merges_model.encode_batch(lines, disallowed_special=()).tolist()
    assert got == r50k.encode_batch(lines, disallowed_special=()).tolist()
    assert merges_model.encode_ordinary(text).ids.tolist() == r50k.encode_ordinary(text).ids.tolist()
    assert merges_model.special_tokens == {"<|endoftext|>": 50256}


def vocab_without(tmp_path: pathlib.Path, missing: int) -> pathlib.Path:
    from tokvec.tokens.byte_level import bytes_to_str

    vocab = {bytes_to_str(bytes([i])): i for i in range(256) if i != missing}
    (tmp_path / "vocab.json").write_text(json.dumps(vocab))
    (tmp_path / "merges.txt").write_text("#version: 0.2\n")
    return tmp_path / "vocab.json"


def test_vocab_without_a_byte_token(tmp_path: pathlib.Path) -> None:
    vocab_without(tmp_path, 0x41)
    with pytest.raises(tokvec.FormatError, match=r"lacks byte 0x41"):
        tokvec.load(tmp_path)


def test_vocab_without_a_byte_token_names_the_vocab_file(tmp_path: pathlib.Path) -> None:
    vocab = vocab_without(tmp_path, 0x41)
    with pytest.raises(tokvec.FormatError) as e:
        tokvec.load(tmp_path)
    assert str(vocab) in str(e.value)
