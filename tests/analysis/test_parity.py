"""Parity on FLORES-200: tiktoken's own counts in all 204 languages, premiums, CSV, chart, CLI and errors."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

import tokvec
from tests.analysis.hf_adapter import hf
from tests.conftest import data_path, preset
from tests.tokens.reference_libs import pair, tiktoken_batch
from tokvec.analysis.parity import FloresCorpus, load_flores, parity


@pytest.fixture(scope="module")
def flores():
    return load_flores(data_path("flores200"))


@pytest.mark.data
def test_every_language_and_both_splits_are_read(flores):
    assert len(flores.codes) == 204
    assert {len(v) for v in flores.sentences.values()} == {997 + 1012}
    assert flores.name("eng_Latn") == "English" and flores.name("zho_Hans") == "Chinese (Simplified)"
    assert (
        flores.sentences["eng_Latn"][997]
        == (data_path("flores200/devtest/eng_Latn.devtest").read_text().split("\n")[0])
    )


@pytest.mark.data
def test_counts_equal_tiktoken_in_all_204_languages(flores):
    """cl100k_base and r50k_base: the count of every language equals tiktoken's on the same sentences."""
    result = parity([pair("cl100k")[0], pair("r50k")[0]], flores, progress=False)
    for t, name in enumerate(["cl100k", "r50k"]):
        _, ref = pair(name)
        want = []
        for code in result.codes:
            want.append(sum(map(len, tiktoken_batch(ref, flores.sentences[code]))))
        assert result.counts[:, t].tolist() == want, name
    k = result.codes.index("eng_Latn")
    assert np.allclose(result.premiums[k], 1.0)
    assert np.array_equal(result.premiums, result.counts / result.counts[k])


def _tiny_flores(tmp_path, dev, devtest, names=True):
    for split, data in (("dev", dev), ("devtest", devtest)):
        (tmp_path / split).mkdir()
        for code, lines in data.items():
            (tmp_path / split / f"{code}.{split}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if names:
        (tmp_path / "flores_language_map.csv").write_text(
            "Language, FLORES-200 code\nEnglish, eng_Latn\nGerman, deu_Latn\n"
        )
    return tmp_path


def test_worked_example_counts_premiums_csv_and_chart(tmp_path):
    folder = _tiny_flores(
        tmp_path,
        {"eng_Latn": ["Hello world."], "deu_Latn": ["Hallo Welt."]},
        {"eng_Latn": ["Good morning."], "deu_Latn": ["Guten Morgen."]},
    )
    corpus = load_flores(folder)
    assert corpus.sentences["deu_Latn"] == ["Hallo Welt.", "Guten Morgen."]  # dev first, then devtest
    gpt2 = preset("gpt2")
    result = parity([gpt2], corpus, progress=False)
    # gpt2: Hello| world|. (3) + Good| morning|. (3); Hall|o| W|elt|. (5) + G|uten| Morg|en|. (5)
    assert [len(gpt2.encode(s)) for s in corpus.sentences["deu_Latn"]] == [5, 5]
    assert result.counts.tolist() == [[10], [6]]  # codes sorted: deu_Latn, eng_Latn
    assert result.premiums[:, 0].tolist() == [10 / 6, 1.0]
    assert [r["language"] for r in result.rows("premium")] == ["German", "English"]
    assert [r["code"] for r in result.rows("code")] == ["deu_Latn", "eng_Latn"]
    result.to_csv(tmp_path / "p.csv")
    with open(tmp_path / "p.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"code": "deu_Latn", "language": "German", "tokens gpt2": "10", "premium gpt2": "1.6667"}
    pytest.importorskip("matplotlib")
    from tokvec.analysis.plot import plot_premiums

    plot_premiums(result, tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pipeline_tokenizers_count_without_added_special_tokens():
    """BERT adds [CLS] and [SEP] to each text: parity counts only the sentence's own tokens."""
    bert = hf("bert-base-uncased")
    corpus = FloresCorpus({"eng_Latn": ["Hello world.", "A second sentence."], "fra_Latn": ["Bonjour le monde."]})
    result = parity([bert, preset("gpt2")], corpus, progress=False)
    want = [sum(len(bert.encode(s, add_special_tokens=False)) for s in corpus.sentences[c]) for c in corpus.codes]
    assert result.counts[:, 0].tolist() == want
    assert result.tokenizers == ("bert-base-uncased", "gpt2")


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(tokvec.TokvecFileError, match="dev/ and devtest/"):
        load_flores(tmp_path)
    folder = _tiny_flores(tmp_path, {"eng_Latn": ["a", "b"], "deu_Latn": ["a"]}, {"eng_Latn": ["c"], "deu_Latn": ["c"]})
    with pytest.raises(tokvec.TokvecError, match="line counts"):
        load_flores(folder)
    with pytest.raises(tokvec.UnknownNameError, match="xxx_Latn"):
        load_flores(folder, languages=["xxx_Latn"])
    corpus = FloresCorpus({"deu_Latn": ["a"]})
    with pytest.raises(tokvec.UnknownNameError, match="baseline"):
        parity([preset("gpt2")], corpus, progress=False)


@pytest.mark.data
def test_cli_json_csv_and_usage_errors(cli, tmp_path):
    data_path("flores200")
    out_csv = tmp_path / "p.csv"
    rc, out, err = cli(
        "parity", "-t", "gpt2,cl100k_base", "--languages", "deu_Latn,hin_Deva", "--splits", "dev",
        "--format", "json", "--csv", str(out_csv), "--top", "1",
    )  # fmt: skip
    assert rc == 0, err
    data = json.loads(out)
    assert [s["tokenizer"] for s in data["summary"]] == ["gpt2", "cl100k_base"]
    assert [r["code"] for r in data["languages"]] == ["hin_Deva"]  # the highest premium first; top 1
    with open(out_csv, encoding="utf-8") as f:
        assert [r["code"] for r in csv.DictReader(f)] == ["hin_Deva", "deu_Latn", "eng_Latn"]  # baseline added
    assert "parity 100%" in err
    rc, _, err = cli("parity", "-t", "gpt2", "--splits", "test")
    assert rc == 2 and "--splits" in err


@pytest.mark.data
def test_pipeline_presets_count_as_the_reference(flores):
    """bert-base-uncased and t5-small presets: each language's count equals Hugging Face's (no specials added)."""
    names = [n for n in ("bert-base-uncased", "t5-small") if n in tokvec.presets()]
    if not names:
        pytest.skip("presets bert-base-uncased and t5-small come with the tokenizer.json loader (branch load-hf)")
    codes = ["eng_Latn", "deu_Latn", "hin_Deva", "zho_Hans", "amh_Ethi"]
    corpus = FloresCorpus({c: flores.sentences[c][:300] for c in codes})
    result = parity([preset(n) for n in names], corpus, progress=False)
    for t, name in enumerate(names):
        want = [
            sum(len(e) for e in hf(name).encode_batch(corpus.sentences[c], add_special_tokens=False))
            for c in result.codes
        ]
        assert result.counts[:, t].tolist() == want, name
