"""tokvec's encoder gives sentence-transformers' vectors: every STS-B test sentence, 300 long paragraphs, tokens.

The reference is sentence-transformers on torch (CPU, float32) over the same model folder; both cut long
texts at the model's 256 tokens. Tolerance: cosine >= 0.99999 and max absolute difference <= 2e-5 per vector.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import encoder, long_paragraphs, reference, stsb_test

pytestmark = pytest.mark.data


def _close(got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape and got.dtype == np.float32
    cos = (got * want).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(want, axis=1)
    worst = int(np.argmin(cos))
    assert cos.min() >= 0.99999, f"text {worst}: cosine {cos[worst]}"
    diff = np.abs(got - want).max(axis=1)
    assert diff.max() <= 2e-5, f"text {int(np.argmax(diff))}: max abs difference {diff.max()}"


def test_stsb_sentences_equal_sentence_transformers() -> None:
    s1, s2, _ = stsb_test()
    texts = s1 + s2
    assert len(texts) == 2758
    _close(encoder().embed(texts, progress=False), reference().encode(texts, batch_size=32))


def test_long_paragraphs_truncated_like_sentence_transformers() -> None:
    texts = long_paragraphs()
    enc = encoder()
    lengths = enc.tokenizer.encode_batch(texts, add_special_tokens=False).lengths()
    assert len(texts) == 300 and lengths.min() > 256  # every one is cut
    before = enc.stats.truncated
    with pytest.warns(UserWarning, match="300 of 300 texts are longer than 256 tokens"):
        got = enc.embed(texts)
    assert enc.stats.truncated - before == 300
    _close(got, reference().encode(texts, batch_size=32))


def test_numpy_engine_equals_sentence_transformers() -> None:
    s1, _, _ = stsb_test()
    texts = s1[:300]
    _close(encoder(engine="numpy").embed(texts), reference().encode(texts, batch_size=32))


def test_token_embeddings_equal_sentence_transformers() -> None:
    s1, _, _ = stsb_test()
    ref = reference()
    enc = encoder()
    for text in [*s1[:150], "King loves apples while queen likes oranges", long_paragraphs()[0]]:
        got = enc.embed_tokens(text)
        want = ref.encode(text, output_value="token_embeddings").numpy()
        ids = ref.tokenizer(text, truncation=True, max_length=256)["input_ids"]
        assert got.ids.tolist() == ids
        assert got.vectors.shape == want.shape
        assert np.abs(got.vectors - want).max() <= 2e-5, text


def test_model_card_example() -> None:
    # the first values sentence-transformers prints for the model card's example sentence
    v = encoder().embed(["This is an example sentence", "Each sentence is converted"])
    np.testing.assert_allclose(v[0, :5], [0.0676569, 0.0634959, 0.0487131, 0.0793050, 0.0374480], atol=2e-6)
    assert v.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("precision", ["int8", "uint8", "binary", "ubinary"])
def test_quantized_outputs_equal_sentence_transformers(precision: str) -> None:
    from sentence_transformers.util.quantization import quantize_embeddings

    s1, _, _ = stsb_test()
    texts = s1[:200]
    float_vectors = encoder().embed(texts)
    got = encoder().embed(texts, precision=precision)
    want = quantize_embeddings(float_vectors, precision=precision)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_truncate_dim_and_normalize_as_sentence_transformers() -> None:
    s1, _, _ = stsb_test()
    texts = s1[:64]
    got = encoder().embed(texts, truncate_dim=128, normalize=True)
    want = reference().encode(texts, truncate_dim=128, normalize_embeddings=True)
    _close(got, want)


def test_int8_compute_keeps_sts_quality() -> None:
    from scipy.stats import spearmanr

    s1, s2, gold = stsb_test()
    scores = {}
    for compute in ("float32", "int8"):
        v = encoder(compute).embed(s1 + s2, progress=False)
        a, b = v[: len(s1)], v[len(s1) :]
        scores[compute] = 100 * spearmanr((a * b).sum(1), gold).statistic
    assert round(scores["float32"], 2) == 82.03  # MTEB's published all-MiniLM-L6-v2 STS-B test score
    assert scores["int8"] >= scores["float32"] - 0.3, scores
