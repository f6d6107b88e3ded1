"""Price tables (bundled, JSON, TOML, errors), context-window fit, rules of thumb, and `tokvec count` showing them."""

from __future__ import annotations

import json

import pytest

import tokvec
from tests.conftest import preset
from tokvec.analysis.cost import RuleOfThumb, fit_message, load_prices, window_label

TOML = """
[[models]]
model = "mine"
tokenizer = "gpt2"
input = 1.5
output = 6
context_window = 32768
"""


def test_fit_message_names_the_smallest_fit_and_the_largest_miss():
    assert fit_message(61_234) == "61,234 tokens: fits in 128k, not in 32k"
    assert fit_message(100) == "100 tokens: fits in 4k"
    assert fit_message(4_096) == "4,096 tokens: fits in 4k"
    assert fit_message(4_097) == "4,097 tokens: fits in 8k, not in 4k"
    assert fit_message(2_000_000) == "2,000,000 tokens: not in 1M"
    assert [window_label(w) for w in (4096, 32768, 128_000, 1_000_000, 16385)] == ["4k", "32k", "128k", "1M", "16k"]


def test_bundled_table_and_costs():
    table = load_prices()
    assert "bundled" in table.source and "EXAMPLE" in table.about
    gpt4o = next(m for m in table.models if m.model == "gpt-4o")
    assert gpt4o.input_cost(2_000_000) == pytest.approx(2 * gpt4o.input)
    assert gpt4o.output_cost(500_000) == pytest.approx(gpt4o.output / 2)
    assert gpt4o.fits(128_000) and not gpt4o.fits(128_001)
    assert {m.tokenizer for m in table.models} <= set(tokvec.presets())


def test_user_tables_json_and_toml(tmp_path):
    toml = tmp_path / "p.toml"
    toml.write_text(TOML)
    table = load_prices(toml)
    assert [m.model for m in table.for_tokenizer("r50k_base")] == ["mine"]  # gpt2 and r50k_base are one
    js = tmp_path / "p.json"
    js.write_text(json.dumps({"models": [{"model": "x", "tokenizer": "o200k_base", "input": 1, "output": 2,
                                          "context_window": 1000}]}))  # fmt: skip
    assert load_prices(js).models[0].output == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"models": []}', "expected a list 'models'"),
        ('{"models": [{"model": "x", "tokenizer": "gpt2", "input": "1", "output": 2, "context_window": 9}]}',
         "field 'input' is missing or not a number"),
        ('{"models": [{"model": "x", "tokenizer": "gpt2", "input": 1, "output": 2}]}', "'context_window'"),
        ('{"models": [{"model": "x", "tokenizer": "gpt2", "input": -1, "output": 2, "context_window": 9}]}', ">= 0"),
    ],
)  # fmt: skip
def test_bad_tables_say_what_and_where(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(tokvec.FormatError, match=message) as info:
        load_prices(path)
    assert str(path) in str(info.value)


def test_rules_of_thumb():
    r = RuleOfThumb(tokens=100, characters=420, words=80)
    assert (r.characters_per_token, r.words_per_token) == (4.2, 0.8)
    assert (r.estimate_from_characters, r.estimate_from_words) == (105, 107)


def test_count_shows_fit_rules_and_cost(cli, tmp_path):
    text = "The quick brown fox jumps over the lazy dog. " * 30 + "\n"
    path = tmp_path / "t.txt"
    path.write_text(text)
    prices = tmp_path / "p.toml"
    prices.write_text(TOML)
    rc, out, err = cli("count", "-t", "gpt2,o200k_base", "--prices", str(prices), "--windows", "256,32k", str(path))
    assert rc == 0, err
    n = len(preset("gpt2").encode(text))
    assert f"gpt2        {fit_message(n, (256, 32768))}" in out
    assert "no model in the price table uses o200k_base" in out
    row = next(line for line in out.splitlines() if line.startswith("mine"))
    assert row.split()[:6] == ["mine", "gpt2", str(n), "1.50", f"${n * 1.5 / 1e6:.6f}", "6.00"]
    rc, out, _ = cli("count", "-t", "gpt2", "--format", "json", "-q", str(path))
    total = json.loads(out)["total"]
    assert total["words"] == len(text.split()) and total["tokens"]["gpt2"] == n
    thumb = total["rules_of_thumb"]["gpt2"]
    assert thumb["estimate_from_characters"] == round(len(text) / 4)
    assert thumb["words_per_token"] == round(len(text.split()) / n, 3)
    assert total["cost"] == []  # the bundled table prices no GPT-2 model
    rc, _, err = cli("count", "-t", "gpt2", "--windows", "big", str(path))
    assert rc == 2 and "--windows" in err
    rc, _, err = cli("count", "-t", "gpt2", "--prices", str(tmp_path / "none.toml"), str(path))
    assert rc == 1 and "none.toml" in err
