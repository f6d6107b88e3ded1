"""SentencePiece ``.model`` files loaded with tokvec.load take the fused path.

Results equal the component path field for field and sentencepiece id for id.
"""

from __future__ import annotations

import functools

import pytest

import tokvec
from tests.conftest import data_path
from tests.tokens.hf_components import flores_lines
from tests.tokens.test_sentencepiece import EDGE_TEXTS, MODELS
from tokvec.tokens.fused.sentencepiece import SentencePieceFastPath

pytestmark = pytest.mark.data
spm = pytest.importorskip("sentencepiece")
NAMES = ["llama2", "mistral_v3", "spm_test_ja", "bpemb_en"]


@functools.cache
def loaded(name: str):
    path = data_path(MODELS[name])
    return tokvec.load(path), spm.SentencePieceProcessor(model_file=str(path))


@pytest.mark.parametrize("name", NAMES)
def test_fused_path_equals_the_component_path_and_sentencepiece(name: str) -> None:
    tok, ref = loaded(name)
    assert isinstance(tok.pipeline.fast, SentencePieceFastPath)
    texts = [*EDGE_TEXTS, *flores_lines(3)]
    batch = tok.encode_batch(texts, add_special_tokens=False)
    assert batch.tolist() == ref.encode(texts)
    general = tok.pipeline.encode_sequences_general(texts, [0] * len(texts))
    for k, (a, b) in enumerate(zip(batch, general, strict=True)):
        for f in ("ids", "offsets", "words"):
            assert getattr(a, f).tolist() == getattr(b, f).tolist(), (name, texts[k], f)
        assert a.tokens == b.tokens, (name, texts[k])
    with_specials = tok.encode_batch(texts[:50])
    assert [e.ids.tolist() for e in with_specials] == [tok.encode(t).ids.tolist() for t in texts[:50]]
