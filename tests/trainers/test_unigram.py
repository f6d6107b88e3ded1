"""Unigram: kernels against brute force, sampling, and tokens per byte against sentencepiece."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tests.trainers.corpora import eltec_lines
from tokvec.kernels import unigram_train as ku
from tokvec.reference import unigram_train as ru
from tokvec.tokens.trainers.unigram import UnigramResult, _pack, train_unigram


@st.composite
def lattices(draw: st.DrawFn):
    """Pieces over 'abc' (not always every letter), scores, and short words (at most 7 characters)."""
    pieces = draw(st.lists(st.text("abc", min_size=1, max_size=4), min_size=1, max_size=12, unique=True))
    logp = np.array([draw(st.floats(-12, -0.1)) for _ in pieces], dtype=np.float64)
    words = draw(st.lists(st.text("abcd", min_size=1, max_size=7), min_size=1, max_size=4))
    counts = np.array([draw(st.integers(1, 5)) for _ in words], dtype=np.int64)
    return pieces, logp, words, counts, draw(st.sampled_from([2, 3, 16]))


@SETTINGS
@given(lattices())
def test_viterbi_is_the_brute_force_best(problem) -> None:
    pieces, logp, words, _counts, max_len = problem
    pcps, poff = _pack(pieces)
    slots, phash = ku.build_piece_table(pcps, poff)
    for word in words:
        cps, _ = _pack([word])
        k_out, r_out = np.empty(16, np.int64), np.empty(16, np.int64)
        k = ku.viterbi(cps, 0, len(word), pcps, poff, slots, phash, logp, -20.0, max_len, -1, k_out)
        r = ru.viterbi(cps, 0, len(word), pcps, poff, slots, phash, logp, -20.0, max_len, -1, r_out)
        score = lambda seg: sum(logp[p] if p >= 0 else -20.0 for p in seg)  # noqa: E731
        # equal best scores (the segmentations themselves may differ only where two tie exactly)
        assert score(k_out[:k].tolist()) == pytest.approx(score(r_out[:r].tolist()), abs=1e-9)


@SETTINGS
@given(lattices())
def test_expected_counts_are_the_brute_force_expectation(problem) -> None:
    pieces, logp, words, counts, max_len = problem
    pcps, poff = _pack(pieces)
    slots, phash = ku.build_piece_table(pcps, poff)
    wcps, woff = _pack(words)
    k, kl = ku.expected_counts(wcps, woff, counts, pcps, poff, slots, phash, logp, -20.0, max_len)
    r, rl = ru.expected_counts(wcps, woff, counts, pcps, poff, slots, phash, logp, -20.0, max_len)
    np.testing.assert_allclose(k, r, rtol=1e-9, atol=1e-9)
    assert kl == pytest.approx(rl, rel=1e-9)


def small_model() -> UnigramResult:
    return train_unigram(["the cat sat on the mat with the hat"] * 20, vocab_size=40, progress=False)


def test_encoding_and_sampling() -> None:
    r = small_model()
    assert "".join(r.encode_word("▁that")) == "▁that"
    assert r.encode_word("▁zq") == ["▁", "<unk>", "<unk>"] or "<unk>" in r.encode_word("▁zq")
    # nbest=1 samples the Viterbi segmentation; a seed gives the same draw every time
    assert r.sample_word("▁cats", nbest=1, seed=3) == r.encode_word("▁cats")
    draws = [tuple(r.sample_word("▁mathat", alpha=0.02, seed=s)) for s in range(30)]
    assert draws == [tuple(r.sample_word("▁mathat", alpha=0.02, seed=s)) for s in range(30)]
    assert len(set(draws)) > 1  # a small alpha flattens the distribution: several segmentations appear
    assert all("".join(d) == "▁mathat" for d in draws)


def test_tokenizer_json_loads_in_hf_with_our_viterbi(tmp_path) -> None:
    tk = pytest.importorskip("tokenizers")
    r = small_model()
    r.save(tmp_path / "u.json")
    ref = tk.Tokenizer.from_file(str(tmp_path / "u.json"))
    for text in ["the cat sat", "hat mat that", "on the mathat"]:
        assert ref.encode(text).tokens == r.encode(text)


@pytest.mark.data
def test_tokens_per_byte_within_two_percent_of_sentencepiece() -> None:
    spm = pytest.importorskip("sentencepiece")
    train = [line.strip() for line in eltec_lines(2) if line.strip()]
    held = [line.strip() for line in eltec_lines(1, skip_megabytes=2) if line.strip()]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(train), model_writer=model, vocab_size=8000, model_type="unigram",
        normalization_rule_name="identity", split_by_unicode_script=False, split_by_number=False,
        num_threads=1, minloglevel=2,
    )  # fmt: skip
    sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
    ours = train_unigram(train, vocab_size=8000, progress=False)
    size = sum(len(t.encode("utf-8")) for t in held)
    theirs = sum(len(sp.encode(t)) for t in held) / size
    mine = sum(len(ours.encode(t)) for t in held) / size
    assert abs(mine / theirs - 1) < 0.02, (mine, theirs)
