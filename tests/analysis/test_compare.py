"""tokvec.compare and `tokvec compare`: the issue's expected splits, and tiktoken's own ids and decodes."""

from __future__ import annotations

import json

import pytest

import tokvec
from tests.analysis.hf_adapter import hf
from tests.conftest import data_path, preset
from tests.tokens.reference_libs import pair

TEXT = "CAPITALIZATION and other stuff"
# what the reference libraries give (issue 5): tokens decoded one by one, special tokens included
EXPECTED = {
    "bert-base-uncased": ["[CLS]", "capital", "##ization", "and", "other", "stuff", "[SEP]"],
    "t5-small": ["CA", "PI", "TAL", "IZ", "ATION", "and", "other", "stuff", "</s>"],
    "phi-3-mini": ["C", "AP", "IT", "AL", "IZ", "ATION", "and", "other", "stuff"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_issue_examples_on_the_reference_tokenizers(name):
    """The analysis is generic: on the reference library's own tokenizer it shows the issue's splits."""
    split = tokvec.compare([hf(name)], TEXT)[name]
    assert split.pieces == EXPECTED[name]
    assert split.count == len(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_issue_examples_on_the_tokvec_presets(name):
    """The same through tokvec's own presets (they come with the tokenizer.json loading work)."""
    if name not in tokvec.presets():
        pytest.skip(f"preset {name} is not in this build (it comes with the tokenizer.json loader, branch load-hf)")
    split = tokvec.compare([name], TEXT)[name]
    assert split.pieces == EXPECTED[name]
    assert split.ids == tuple(hf(name).encode(TEXT).ids.tolist())


def test_byte_fallback_unknown_and_special_kinds():
    result = tokvec.compare([hf("phi-3-mini"), hf("t5-small"), hf("bert-base-uncased")], "中 ᚠ")
    assert "byte" in [v.kind for v in result["phi-3-mini"].views]  # ᚠ is three <0x..> pieces
    assert [v.token for v in result["phi-3-mini"].views if v.kind == "byte"] == ["<0xE1>", "<0x9A>", "<0xA0>"]
    assert [v.kind for v in result["bert-base-uncased"].views] == ["special", "text", "unknown", "special"]
    assert result["t5-small"].views[-1].kind == "special"


def _flores_lines(count: int) -> list[str]:
    folder = data_path("flores200/devtest")
    lines = []
    for path in sorted(folder.glob("*.devtest")):
        lines.extend(path.read_text(encoding="utf-8").splitlines()[:2])
    return lines[:count]


@pytest.mark.data
@pytest.mark.parametrize("name", ["r50k", "cl100k", "o200k"])
def test_ids_and_pieces_equal_tiktoken_on_flores(name):
    """On 408 FLORES lines in 204 languages: tiktoken's ids, and its decode of each id alone."""
    ours, ref = pair(name)
    texts = _flores_lines(408)
    result = tokvec.compare([ours], "\n".join(texts))
    split = result.splits[0]
    assert list(split.ids) == ref.encode_ordinary(result.text)
    assert split.pieces == [ref.decode([i]) for i in split.ids]
    partial = [v for v in split.views if v.kind == "partial"]
    assert partial, "FLORES has characters that byte-level BPE splits across tokens"
    assert all(v.data == ref.decode_single_token_bytes(v.id) for v in partial)


def test_special_token_text_is_ordinary_text_and_table_has_a_row_each():
    result = tokvec.compare(["gpt2", preset("cl100k_base")], "end<|endoftext|>")
    assert result["gpt2"].ids == tuple(preset("gpt2").encode_ordinary("end<|endoftext|>").ids.tolist())
    table = result.to_table().splitlines()
    assert table[0].split()[:3] == ["tokenizer", "tokens", "vs"]
    assert [line.split()[0] for line in table[1:]] == ["gpt2", "cl100k_base"]
    data = json.loads(result.to_json())
    assert [t["tokenizer"] for t in data["tokenizers"]] == ["gpt2", "cl100k_base"]
    assert data["tokenizers"][0]["count"] == len(result["gpt2"].ids)


def test_cli_json_equals_api(cli):
    rc, out, err = cli("compare", "-t", "gpt2,cl100k_base", "-t", "o200k_base", "--format", "json", TEXT)
    assert rc == 0, err
    want = tokvec.compare(["gpt2", "cl100k_base", "o200k_base"], TEXT).as_json()
    assert json.loads(out) == want


def test_cli_table_and_stdin(cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Hello world\n")))
    rc, out, _ = cli("compare", "-t", "gpt2,o200k_base")
    assert rc == 0
    assert "['Hello', ' world', '\\n']" in out
    assert out.splitlines()[1].split()[:2] == ["gpt2", "3"]


def test_cli_unknown_tokenizer(cli):
    rc, _, err = cli("compare", "-t", "gpt2,nope", "x")
    assert rc == 1
    assert "nope" in err and "cl100k_base" in err
