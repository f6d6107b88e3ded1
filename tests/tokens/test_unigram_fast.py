"""T5-style pipelines (Precompiled + [WhitespaceSplit] + Metaspace + Unigram) take the fused path and equal HF.

t5-small's tokenizer.json as it is and with its pre-tokenizer varied (Metaspace alone, every
prepend scheme, with and without splitting): ids, tokens, offsets, word ids and masks equal
Hugging Face ``tokenizers`` and tokvec's component-by-component path, added tokens and unknown
pieces included.
"""

from __future__ import annotations

import functools
import itertools
import json

import pytest

import tokvec
from tests.conftest import data_path
from tests.tokens.hf_components import EDGE_TEXTS, flores_lines
from tests.tokens.hf_exact import assert_hf_equal
from tokvec.tokens.formats.hf_json import tokenizer_from_json
from tokvec.tokens.fused.unigram import UnigramFastPath

pytestmark = pytest.mark.data
T5 = "tokenizers/ortx/tokenizer/t5-small/tokenizer.json"
TEXTS = [
    *EDGE_TEXTS,
    "<extra_id_0> hi </s>x",
    "a <unk> b",
    "▁▁x ▁",
    "日本語 テキスト ~~~ \u00a0 x",
    " lead",
    "e\u0301\u0301 ok",
]
VARIANTS = {
    "as is": None,
    "metaspace first": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True},
    "metaspace never, no split": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": False},
    "whitespace + first": {"type": "Sequence", "pretokenizers": [
        {"type": "WhitespaceSplit"}, {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True}
    ]},
}  # fmt: skip


@functools.cache
def variant(name: str):
    tokenizers = pytest.importorskip("tokenizers")
    obj = json.loads(data_path(T5).read_text(encoding="utf-8"))
    if VARIANTS[name] is not None:
        obj["pre_tokenizer"] = VARIANTS[name]
    text = json.dumps(obj)
    ours = tokenizer_from_json(json.loads(text), source=f"t5-small ({name})")
    return ours, tokenizers.Tokenizer.from_str(text)


@pytest.mark.parametrize("name", VARIANTS)
def test_fused_path_equals_hf_and_the_component_path(name: str) -> None:
    ours, ref = variant(name)
    assert isinstance(ours.pipeline.fast, UnigramFastPath)
    texts = [*TEXTS, *flores_lines(4)]
    assert_hf_equal(ours, ref, texts, label=name)
    assert_hf_equal(ours, ref, texts[:200], add_special_tokens=False, label=name)
    general = ours.pipeline.encode_sequences_general(texts, [0] * len(texts))
    routed = ours.pipeline.encode_sequences(texts, [0] * len(texts))
    for a, b, text in zip(routed, general, texts, strict=True):
        for f in ("ids", "offsets", "words"):
            assert getattr(a, f).tolist() == getattr(b, f).tolist(), (name, text, f)
        assert a.tokens == b.tokens, (name, text)


@pytest.mark.parametrize("name", ["t5-small", "bert-base-uncased"])
def test_threads_give_the_same_batch(name: str) -> None:
    """The fused paths cut big batches over threads; the result is the same for any thread count."""
    tok = tokvec.load(name)
    texts = [*TEXTS, *flores_lines(10)]
    assert sum(map(len, texts)) > 1 << 16  # big enough to be cut
    for kwargs, threads in itertools.product(({"allowed_special": "all"}, {"disallowed_special": ()}), (2, 3)):
        one = tok.encode_batch(texts, num_threads=1, **kwargs)  # TEXTS has special-token text: both readings
        many = tok.encode_batch(texts, num_threads=threads, **kwargs)
        assert many.bounds.tolist() == one.bounds.tolist() and many.ids.tolist() == one.ids.tolist()
        assert many.offsets.tolist() == one.offsets.tolist()
        assert [e.tokens for e in many] == [e.tokens for e in one]
        assert [e.words.tolist() for e in many] == [e.words.tolist() for e in one]
