"""The Precompiled normalizer, Unigram and code-point BPE models against Hugging Face, component by component.

T5 (t5-small tokenizer.json): Precompiled equals HF's normalizer on every FLORES-200 devtest line;
the Unigram model, fed HF's own pre-tokenized words, gives HF's ids. Phi-3-mini (BPE with byte
fallback, the Llama layout): the model, fed HF's normalized text as one word, gives HF's ids.
(The whole pipelines are compared by tests/tokens/test_hf_exact.py.)
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

from tests.conftest import FLORES_STRIDE, data_path
from tokvec.tokens.models.bpe_merges import CharPairModel
from tokvec.tokens.models.unigram import UnigramModel
from tokvec.tokens.normalized import NormalizedText
from tokvec.tokens.normalizers.precompiled import Precompiled

tokenizers = pytest.importorskip("tokenizers")

T5 = "tokenizers/ortx/tokenizer/t5-small/tokenizer.json"
PHI3 = "tokenizers/ortx/phi-3-mini/tokenizer.json"
EDGE = [
    "",
    "Hello  world",
    "ﬁ ＡＢ ｶﾞ ①",
    "e\u0301 Å 👋🏽 🇫🇷 👨‍👩‍👧",
    "한국어 नमस्ते",
    "\r\n\t\x00",
    "Ａ\u0301",
    "\u3000x\u00a0",
]


@functools.cache
def loaded(relative: str):
    path = data_path(relative)
    return json.loads(path.read_text(encoding="utf-8")), tokenizers.Tokenizer.from_file(str(path))


@functools.cache
def flores() -> list[str]:
    files = sorted(data_path("flores200/devtest").glob("*.devtest"))
    assert len(files) == 204
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def check_t5(lines: list[str]) -> None:
    obj, hf = loaded(T5)
    norm, model = Precompiled.from_json(obj["normalizer"]), UnigramModel.from_json(obj["model"])
    for line in lines:
        got = norm.normalize(NormalizedText.identity(line))
        want = hf.normalizer.normalize_str(line)
        assert got.text == want, line
        assert got.align.shape == (len(got.text), 2)
        words = [w for w, _ in hf.pre_tokenizer.pre_tokenize_str(want)]
        cps = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
        ids = model.encode_pieces(cps, np.cumsum([0] + [len(w) for w in words]))[0]
        assert ids.tolist() == hf.encode(line, add_special_tokens=False).ids, line


def check_phi3(lines: list[str]) -> None:
    obj, hf = loaded(PHI3)
    model = CharPairModel.from_json(obj["model"])
    for line in lines:
        text = hf.normalizer.normalize_str(line) if line else ""
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        ids = model.encode_pieces(cps, np.array([0, len(cps)]))[0]
        assert ids.tolist() == hf.encode(line, add_special_tokens=False).ids, line


def test_t5_edge_texts() -> None:
    check_t5(EDGE)


def test_phi3_edge_texts() -> None:
    check_phi3(EDGE)


@pytest.mark.data
def test_t5_flores_all_languages() -> None:
    """Every FLORES_STRIDE-th devtest line, all languages (every line with TOKVEC_TEST_FULL=1)."""
    check_t5(flores()[::FLORES_STRIDE])


@pytest.mark.data
def test_phi3_flores_all_languages() -> None:
    """Every FLORES_STRIDE-th devtest line, all languages (every line with TOKVEC_TEST_FULL=1)."""
    check_phi3(flores()[::FLORES_STRIDE])


def test_round_trip_json() -> None:
    obj, _ = loaded(T5)
    assert Precompiled.from_json(Precompiled.from_json(obj["normalizer"]).to_json()).charsmap.raw == (
        Precompiled.from_json(obj["normalizer"]).charsmap.raw
    )
    m = UnigramModel.from_json(obj["model"])
    assert UnigramModel.from_json(m.to_json()).to_json() == m.to_json()
    b = CharPairModel.from_json(loaded(PHI3)[0]["model"])
    again = CharPairModel.from_json(b.to_json())
    cps = np.frombuffer("▁Hello▁wörld▁漢字".encode("utf-32-le"), dtype=np.uint32)
    assert again.encode_pieces(cps, np.array([0, len(cps)]))[0].tolist() == (
        b.encode_pieces(cps, np.array([0, len(cps)]))[0].tolist()
    )
