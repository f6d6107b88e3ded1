"""BERT (bert-base-uncased tokenizer.json, bert-base-cased from vocab.txt) equals ``tokenizers``.

The fused fast path on every FLORES-200 devtest line (ids, offsets, word ids); the component
path (BertNormalizer, BertPreTokenizer, WordPiece one after the other) on a sample; the
vocab.txt builder against ``BertWordPieceTokenizer``; WordLevel against ``tokenizers``.
"""

from __future__ import annotations

import functools
import itertools
import json

import numpy as np
import pytest

from tests.conftest import data_path
from tests.tokens.hf_components import EDGE_TEXTS, flores_lines
from tokvec.errors import TokvecError
from tokvec.tokens import normalizers, pre_tokenizers
from tokvec.tokens.formats.vocab_txt import bert_tokenizer_json
from tokvec.tokens.fused.bert import BertFastPath
from tokvec.tokens.models.wordlevel import WordLevel
from tokvec.tokens.models.wordpiece import WordPiece
from tokvec.tokens.normalized import NormalizedText

tokenizers = pytest.importorskip("tokenizers")
# "[CLS] hi": tokenizers matches added tokens before normalizing, which is the pipeline's part
TEXTS = [t for t in EDGE_TEXTS if "[CLS]" not in t]
FILES = {
    "uncased": "tokenizers/bert-base-uncased/tokenizer.json",
    "cased": "tokenizers/ortx/bert_basic_cased_vocab.txt",
}


@functools.cache
def bert(name: str):
    """Return (tokenizer.json object without padding/truncation, HF Tokenizer, our three components)."""
    path = data_path(FILES[name])
    obj = bert_tokenizer_json(path) if path.suffix == ".txt" else json.loads(path.read_text(encoding="utf-8"))
    obj["truncation"] = obj["padding"] = None
    ref = tokenizers.Tokenizer.from_str(json.dumps(obj))
    ours = (
        normalizers.from_json(obj["normalizer"]),
        pre_tokenizers.from_json(obj["pre_tokenizer"]),
        WordPiece.from_json(obj["model"]),
    )
    return obj, ref, ours


def _segments(texts) -> tuple[np.ndarray, np.ndarray]:
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=bounds[1:])
    return cps, bounds


def assert_fast_path_equal(name: str, texts) -> None:
    _, ref, (norm, pre, model) = bert(name)
    path = BertFastPath.maybe(norm, pre, model)
    assert path is not None
    cps, seg = _segments(texts)
    ids, starts, ends, words, seg_tokens, _ = path.encode_segments(cps, seg)
    bad = []
    for k, enc in enumerate(ref.encode_batch(list(texts), add_special_tokens=False)):
        a, b = seg_tokens[k], seg_tokens[k + 1]
        offsets = list(zip((starts[a:b] - seg[k]).tolist(), (ends[a:b] - seg[k]).tolist(), strict=True))
        if (ids[a:b].tolist(), offsets, words[a:b].tolist()) != (enc.ids, enc.offsets, enc.word_ids):
            bad.append(k)
    assert not bad, f"{name}: {len(bad)} of {len(texts)} texts differ; first: {texts[bad[0]][:80]!r}"


@pytest.mark.parametrize("name", FILES)
def test_fast_path_edge_cases(name: str) -> None:
    assert_fast_path_equal(name, [*TEXTS, "a\u0301\u1b44x y", "".join(TEXTS)])


@pytest.mark.data
@pytest.mark.parametrize("name", FILES)
def test_fast_path_every_flores_line(name: str) -> None:
    assert_fast_path_equal(name, flores_lines(None))


@pytest.mark.data
@pytest.mark.parametrize("name", FILES)
def test_components_one_after_the_other(name: str) -> None:
    _, ref, (norm, pre, model) = bert(name)
    texts = [*TEXTS, *flores_lines(5)]
    bad = []
    for text in texts:
        nt = norm.normalize(NormalizedText.identity(text))
        nt, bounds = pre.pre_tokenize(nt, np.array([0, len(nt.text)]))
        ids, s, e = model.encode_pieces(nt.code_points(), bounds)
        offsets = [(int(nt.align[a, 0]), int(nt.align[b - 1, 1])) for a, b in zip(s, e, strict=True)]
        enc = ref.encode(text, add_special_tokens=False)
        if (ids.tolist(), offsets) != (enc.ids, enc.offsets):
            bad.append(text)
    assert not bad, f"{name}: {len(bad)} of {len(texts)} texts differ; first: {bad[0][:80]!r}"


@pytest.mark.parametrize("lowercase", [True, False])
def test_vocab_txt_builds_what_bert_word_piece_tokenizer_saves(lowercase: bool) -> None:
    from tokenizers.implementations import BertWordPieceTokenizer

    path = data_path(FILES["cased"])
    want = json.loads(BertWordPieceTokenizer(str(path), lowercase=lowercase)._tokenizer.to_str())
    assert bert_tokenizer_json(path, lowercase=lowercase) == want


def test_cased_vocabulary_is_not_lowercased() -> None:
    assert bert_tokenizer_json(data_path(FILES["cased"]))["normalizer"]["lowercase"] is False
    assert bert_tokenizer_json(data_path("tokenizers/bert-base-uncased/vocab.txt"))["normalizer"]["lowercase"] is True


def test_unknown_token_missing_from_vocabulary() -> None:
    wp = WordPiece({"a": 0, "##b": 1})
    cps = np.frombuffer("abc".encode("utf-32-le"), dtype=np.uint32)
    assert wp.encode_pieces(cps[:2], np.array([0, 2]))[0].tolist() == [0, 1]
    with pytest.raises(TokvecError, match=r"unknown token '\[UNK\]'"):
        wp.encode_pieces(cps, np.array([0, 3]))


def test_word_level_equals_tokenizers() -> None:
    vocab = {"[UNK]": 0, "hello": 1, "world": 2, "!": 3, "héllo": 4}
    obj = {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"}
    ref = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="[UNK]"))
    ref.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    ours, pre = WordLevel.from_json(obj), pre_tokenizers.Whitespace()
    for text in ["hello world!", "héllo zzz  world", "", "!!"]:
        nt, bounds = pre.pre_tokenize(NormalizedText.identity(text), np.array([0, len(text)]))
        ids, s, e = ours.encode_pieces(nt.code_points(), bounds)
        enc = ref.encode(text)
        assert ids.tolist() == enc.ids
        assert [(int(nt.align[a, 0]), int(nt.align[b - 1, 1])) for a, b in zip(s, e, strict=True)] == enc.offsets
    assert WordLevel.from_json(ours.to_json()).get_vocab() == vocab


ROUTED = [*EDGE_TEXTS, "[CLS][SEP]", "a [MASK]b [UNK]", " [PAD] ", "x [SEP]", "[SEP]x", "a\u0301\u1b44x [SEP] y"]


@pytest.mark.data
@pytest.mark.parametrize("name", FILES)
def test_load_routes_through_the_fused_path_with_the_general_results(name: str) -> None:
    """tokvec.load(...) takes the fused path; it equals the component loop field for field (added tokens too)."""
    import tokvec

    tok = tokvec.load(data_path(FILES[name])).with_padding(None).with_truncation(None)
    assert tok.pipeline.fast is not None
    texts = [*ROUTED, *flores_lines(3)]
    general = tok.pipeline.encode_sequences_general(texts, [0] * len(texts))
    # the special-token policy: Hugging Face's reading (every added token), and special-token text as text
    modes = [
        ({"allowed_special": "all"}, tok.pipeline.added),
        ({"disallowed_special": ()}, tok.pipeline.added.allowing(frozenset())),
    ]
    for (kwargs, added), special in itertools.product(modes, (True, False)):
        batch = tok.encode_batch(texts, add_special_tokens=special, **kwargs)
        singles = [tok.encode(t, add_special_tokens=special, **kwargs) for t in texts]
        for k, text in enumerate(texts):
            for got in (batch[k], singles[k]):
                want = tok.pipeline.encode([(text, None)], add_special_tokens=special, added=added)[0]
                for f in ("ids", "offsets", "words", "type_ids", "special_tokens_mask", "attention_mask"):
                    assert getattr(got, f).tolist() == getattr(want, f).tolist(), (text, f)
                assert got.tokens == want.tokens, text
        assert batch.tolist() == [e.ids.tolist() for e in singles]
    routed = tok.pipeline.encode_sequences(texts, [0] * len(texts))
    for a, b, text in zip(routed, general, texts, strict=True):
        for f in ("ids", "offsets", "words", "type_ids"):
            assert getattr(a, f).tolist() == getattr(b, f).tolist(), (text, f)
        assert a.tokens == b.tokens, text
