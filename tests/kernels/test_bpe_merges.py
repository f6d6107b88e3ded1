"""The code-point BPE kernel equals its twin and Hugging Face's ``models.BPE`` on generated models.

Models are drawn over a small alphabet so that words merge a lot; some characters are never in the
vocabulary (unknown), and the options of HF's BPE are drawn too: unk_token, fuse_unk, byte_fallback
(with all or only some ``<0xXX>`` tokens), continuing_subword_prefix, end_of_word_suffix, ignore_merges.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import bpe_merges as kernel
from tokvec.kernels import cp_tables as kt
from tokvec.reference import bpe_merges as twin
from tokvec.reference import cp_tables as rt
from tokvec.tokens.models.bpe_merges import CharPairModel

tokenizers = pytest.importorskip("tokenizers")

ALPHABET = "ab▁é"
UNKNOWN = "x😀"


@st.composite
def bpe_objects(draw: st.DrawFn) -> dict:
    """A tokenizer.json ``model`` object: merges drawn from the tokens made so far."""
    prefix = draw(st.sampled_from([None, "##"]))
    suffix = draw(st.sampled_from([None, "</w>"]))
    made = list(ALPHABET)
    if prefix:
        made += [prefix + c for c in ALPHABET]
    if suffix:
        made += [c + suffix for c in ALPHABET] + ([prefix + c + suffix for c in ALPHABET] if prefix else [])
    merges: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(0, 30))):
        a, b = draw(st.sampled_from(made)), draw(st.sampled_from(made))
        if prefix and b.startswith(prefix) and (a, b) not in merges:
            merged = a + b[len(prefix) :]
        elif not prefix and (a, b) not in merges:
            merged = a + b
        else:
            continue
        if len(merged) <= 10:
            merges.append((a, b))
            if merged not in made:
                made.append(merged)
    vocab = list(dict.fromkeys(made))
    unk = draw(st.sampled_from([None, "<unk>"]))
    if unk:
        vocab.append(unk)
    byte_fallback = draw(st.booleans())
    if byte_fallback:
        missing = draw(st.sampled_from([None, 0xF0, 0x78]))  # 😀 or x cannot fall back when absent
        vocab += [f"<0x{b:02X}>" for b in range(256) if b != missing]
    order = draw(st.permutations(range(len(vocab))))
    return {
        "type": "BPE", "dropout": None, "unk_token": unk, "fuse_unk": draw(st.booleans()),
        "byte_fallback": byte_fallback, "continuing_subword_prefix": prefix, "end_of_word_suffix": suffix,
        "ignore_merges": draw(st.booleans()), "vocab": dict(zip(vocab, order, strict=True)),
        "merges": [f"{a} {b}" for a, b in merges],
    }  # fmt: skip


words_strategy = st.lists(st.text(ALPHABET + UNKNOWN, min_size=1, max_size=40), min_size=1, max_size=6)


def arrays(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    cps = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    return cps, np.cumsum([0] + [len(w) for w in words]).astype(np.int64)


def run(fn, model: CharPairModel, cps: np.ndarray, bounds: np.ndarray):
    t = model._t  # type: ignore[attr-defined]
    return fn(
        cps, bounds, t["chars"], t["pairs"], t["byte_ids"], t["prefix"], t["suffix"], t["unk"], model.fuse_unk,
        model.ignore_merges, t["whole"], model.vocab.tok_cps, model.vocab.tok_off, t["bigrams"], t["split"],
    )  # fmt: skip


@SETTINGS
@given(obj=bpe_objects(), words=words_strategy)
def test_kernel_equals_twin_and_hugging_face(obj: dict, words: list[str]) -> None:
    model = CharPairModel.from_json(obj)
    cps, bounds = arrays(words)
    got = run(kernel.encode_words, model, cps, bounds)
    want = run(twin.encode_words, model, cps, bounds)
    for g, w in zip(got, want, strict=True):
        assert g.tolist() == w.tolist()
    assert got[0].tolist() == hf_model(obj).encode(words, is_pretokenized=True).ids


def hf_model(model: dict):
    """A Hugging Face tokenizer made of this model alone."""
    empty = dict.fromkeys(["truncation", "padding", "normalizer", "pre_tokenizer", "post_processor", "decoder"])
    return tokenizers.Tokenizer.from_str(json.dumps({"version": "1.0", "added_tokens": [], **empty, "model": model}))


@SETTINGS
@given(words=words_strategy)
def test_long_words_use_cuts_and_memo_exactly(words: list[str]) -> None:
    """A model without prefix/suffix cuts words between bigrams no token has; cuts must not change ids."""
    obj = {
        "type": "BPE", "unk_token": "<unk>", "fuse_unk": True,
        "vocab": {t: i for i, t in enumerate(["a", "b", "▁", "é", "ab", "▁a", "▁ab", "<unk>"])},
        "merges": ["a b", "▁ a", "▁a b"],
    }  # fmt: skip
    model = CharPairModel.from_json(obj)
    assert model._t["split"]  # type: ignore[attr-defined]
    text = ["".join(words) * 5]
    cps, bounds = arrays(text)
    got = run(kernel.encode_words, model, cps, bounds)
    want = run(twin.encode_words, model, cps, bounds)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


@SETTINGS
@given(
    tokens=st.lists(st.text(ALPHABET + UNKNOWN, max_size=6), min_size=1, max_size=20), probe=st.text("ab😀", max_size=6)
)
def test_code_point_table_equals_twin(tokens: list[str], probe: str) -> None:
    cps = np.frombuffer("".join(tokens).encode("utf-32-le"), dtype=np.uint32)
    off = np.cumsum([0] + [len(t) for t in tokens]).astype(np.int64)
    include = np.array([k % 3 != 1 for k in range(len(tokens))])
    table = kt.build_cps_table(cps, off, include)
    assert table.tolist() == rt.build_cps_table(cps, off, include).tolist()
    p = np.frombuffer(probe.encode("utf-32-le"), dtype=np.uint32)
    assert kt.cps_lookup(table, cps, off, p, 0, len(p)) == rt.cps_lookup(table, cps, off, p, 0, len(p))
    assert kt.cps_hash(p, 0, len(p)) == rt.cps_hash(p, 0, len(p))


def test_missing_merge_token_names_the_merge() -> None:
    from tokvec.errors import FormatError

    with pytest.raises(FormatError, match=r"merge 2 \('a' 'c'\) uses 'c', which is not in model.vocab"):
        CharPairModel.from_json({"vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b", "a c"]})
