"""tokenizer.json pipelines equal Hugging Face ``tokenizers``: ids, tokens, offsets, masks, word ids.

FLORES-200 devtest lines of all 204 languages (every one with TOKVEC_TEST_FULL=1) for eight real
tokenizers; sentence pairs; padding and truncation with every strategy; decoding; tokenizer.json
saved by tokvec and read back by HF.
"""

from __future__ import annotations

import functools
import itertools
import json
import pathlib

import numpy as np
import pytest

import tokvec
from tests.conftest import FLORES_STRIDE, data_path
from tests.tokens.hf_exact import NAMES, assert_hf_equal, configured, pair
from tests.tokens.test_tiktoken_exact import flores_lines

pytestmark = pytest.mark.data


@functools.cache
def sample(step: int) -> list[str]:
    """Every ``step``-th FLORES line (all 204 languages are in it)."""
    return flores_lines()[::step]


@pytest.mark.parametrize("name", NAMES)
def test_flores_204_languages(name: str) -> None:
    """Every FLORES_STRIDE-th devtest line (all lines with TOKVEC_TEST_FULL=1)."""
    ours, ref = pair(name)
    lines = flores_lines()[::FLORES_STRIDE]
    for k in range(0, len(lines), 20_000):
        assert_hf_equal(ours, ref, lines[k : k + 20_000], label=name)


@pytest.mark.parametrize("name", NAMES)
def test_pairs_and_no_special_tokens(name: str) -> None:
    ours, ref = pair(name)
    lines = sample(101)
    pairs = list(itertools.pairwise(lines))
    assert_hf_equal(ours, ref, pairs, label=f"{name} pairs")
    assert_hf_equal(ours, ref, pairs[:300], add_special_tokens=False, label=f"{name} pairs, no specials")
    assert_hf_equal(ours, ref, lines[:300], add_special_tokens=False, label=f"{name} no specials")


EDGE_TEXTS = ["", " ", "   leading and trailing   ", "a\tb\nc\r\nd", "😀👍🏽 emoji", "ﬁ ligature Å Å", "x" * 300,
              "don't I'm we'll 3.14159 1,000,000", "<s></s><pad><unk><mask>[CLS][SEP][MASK] </s> <mask> x",
              "<|endoftext|>hi<|endoftext|>", "\u200b\u00a0\u3000 odd spaces",
              "ÀÉÎÕÜ Ελληνικά русский 中文 日本語"]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_edge_texts_and_added_tokens(name: str) -> None:
    ours, ref = pair(name)
    assert_hf_equal(ours, ref, EDGE_TEXTS, label=name)
    assert_hf_equal(ours, ref, list(itertools.pairwise(EDGE_TEXTS)), label=f"{name} pairs")


PADDINGS = [
    {"direction": "right"},
    {"direction": "left", "pad_to_multiple_of": 8},
    {"direction": "right", "length": 64, "pad_id": 3, "pad_token": "<x>", "pad_type_id": 1},
]
TRUNCATIONS = [
    {"max_length": 24},
    {"max_length": 24, "stride": 5},
    {"max_length": 20, "stride": 3, "direction": "left"},
    {"max_length": 30, "strategy": "only_first", "stride": 2},
    {"max_length": 30, "strategy": "only_second"},
    {"max_length": 9, "strategy": "longest_first", "stride": 1},
]


@pytest.mark.parametrize("name", ["bert-base-uncased", "roberta-base", "t5-small", "phi-3-mini"])
@pytest.mark.parametrize("truncation", [None, *TRUNCATIONS])
@pytest.mark.parametrize("padding", [None, *PADDINGS])
def test_padding_and_truncation(name: str, padding: dict | None, truncation: dict | None) -> None:
    if padding is not None and padding.get("pad_token") == "<x>":
        padding = {**padding, "pad_token": pair(name)[1].id_to_token(3)}  # tokvec spells pads from pad_id
    ours, ref = configured(name, padding, truncation)
    lines = sample(997)
    pairs = [(a, b) for a, b in itertools.pairwise(lines) if len(a) > 60 and len(b) > 60][:40]
    if truncation is not None and truncation["max_length"] < 10:
        # a pair truncated to 9 tokens with a stride overflows into (windows of a) x (windows of b)
        # encodings: 40 pairs give 263,170 of them, minutes in both libraries; 8 pairs cover the same code
        pairs = pairs[:8]
    if truncation is None or truncation.get("strategy") != "only_second":
        assert_hf_equal(ours, ref, lines[:40], label=f"{name} {padding} {truncation}")
    try:
        want = ref.encode_batch(pairs)
    except Exception:  # HF refuses (sequence too short for only_first/only_second): so must we
        with pytest.raises(tokvec.TokvecError):
            ours.encode_batch(pairs)
        return
    assert len(want) == len(pairs)
    assert_hf_equal(ours, ref, pairs, label=f"{name} pairs {padding} {truncation}")


def test_padded_batch_as_numpy() -> None:
    ours, ref = configured("bert-base-uncased", {"direction": "right", "pad_to_multiple_of": 8}, None)
    lines = sample(997)[:50]
    arrays = ours.encode_batch(lines).to_numpy()
    want = ref.encode_batch(lines)
    assert arrays["ids"].shape == (50, len(want[0].ids)) and arrays["ids"].shape[1] % 8 == 0
    assert arrays["ids"].tolist() == [e.ids for e in want]
    assert arrays["attention_mask"].tolist() == [e.attention_mask for e in want]
    with pytest.raises(tokvec.TokvecError, match="padding"):
        pair("bert-base-uncased")[0].encode_batch(lines).to_numpy()


@pytest.mark.parametrize("name", NAMES)
def test_decode_equals_hf(name: str) -> None:
    ours, ref = pair(name)
    lines = sample(409)
    for text in lines + EDGE_TEXTS:
        ids = ref.encode(text).ids
        for skip in (True, False):
            assert ours.decode(ids, skip_special_tokens=skip) == ref.decode(ids, skip_special_tokens=skip), text


@pytest.mark.parametrize("name", NAMES)
def test_saved_file_loads_in_hf_with_the_same_ids(name: str, tmp_path: pathlib.Path) -> None:
    tokenizers = pytest.importorskip("tokenizers")
    ours, ref = pair(name)
    path = tmp_path / "tokenizer.json"
    ours.save(path)
    again = tokenizers.Tokenizer.from_file(str(path))
    back = tokvec.load(path)
    lines = sample(503) + EDGE_TEXTS
    assert [e.ids for e in again.encode_batch(lines)] == [e.ids for e in ref.encode_batch(lines)]
    hf = {"allowed_special": "all"}  # Hugging Face's reading of special-token text (EDGE_TEXTS has some)
    assert back.encode_batch(lines, **hf).tolist() == ours.encode_batch(lines, **hf).tolist()


def test_presets_equal_their_source_files() -> None:
    for name in ("bert-base-uncased", "t5-small", "phi-3-mini", "roberta-base"):
        ref = pair(name)[1]
        preset = tokvec.load(name)
        lines = sample(997)
        assert preset.encode_batch(lines).tolist() == [e.ids for e in ref.encode_batch(lines)], name


def _write(path: pathlib.Path, obj) -> pathlib.Path:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def test_bad_files_name_the_file_and_the_problem(tmp_path: pathlib.Path) -> None:
    src = data_path("tokenizers/ortx/tokenizer/roberta-base/tokenizer.json")
    text = src.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated" / "tokenizer.json"
    truncated.parent.mkdir()
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(tokvec.FormatError, match="truncated") as e:
        tokvec.load(truncated)
    assert str(truncated) in str(e.value)
    obj = json.loads(text)
    obj["pre_tokenizer"] = {"type": "FancySplit"}
    with pytest.raises(tokvec.FormatError, match="'FancySplit'") as e:
        tokvec.load(_write(tmp_path / "unknown.json", obj))
    assert str(tmp_path / "unknown.json") in str(e.value)
    obj = json.loads(text)
    obj["post_processor"] = {"type": "Mystery"}
    with pytest.raises(tokvec.FormatError, match=r"'Mystery'.*known"):
        tokvec.load(_write(tmp_path / "unknown2.json", obj))
    obj = json.loads(text)
    del obj["model"]["vocab"]["Ġthe"]
    with pytest.raises(tokvec.FormatError, match=r"'Ġthe'.*missing from model\.vocab") as e:
        tokvec.load(_write(tmp_path / "missing.json", obj))
    assert str(tmp_path / "missing.json") in str(e.value)
    (tmp_path / "garbage.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(tokvec.FormatError, match=r"garbage\.json"):
        tokvec.load(tmp_path / "garbage.json")


def test_encoding_fields_on_a_pair() -> None:
    ours, _ = pair("bert-base-uncased")
    enc = ours.encode("Hello world", "Bye!")
    assert enc.tokens == ["[CLS]", "hello", "world", "[SEP]", "bye", "!", "[SEP]"]
    assert enc.type_ids.tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert enc.word_ids == [None, 0, 1, None, 0, 1, None]
    assert enc.offsets.tolist() == [[0, 0], [0, 5], [6, 11], [0, 0], [0, 3], [3, 4], [0, 0]]
    assert enc.special_tokens_mask.tolist() == [1, 0, 0, 1, 0, 0, 1]
    assert np.all(enc.attention_mask == 1)
