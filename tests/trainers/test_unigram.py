"""Unigram: kernels against brute force, sampling, and tokens per byte against sentencepiece."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tests.trainers.corpora import eltec_lines
from tokvec.kernels import unigram_lattice as kl
from tokvec.kernels import unigram_train as ku
from tokvec.reference import unigram_lattice as rl
from tokvec.reference import unigram_train as ru
from tokvec.tokens.trainers import packed
from tokvec.tokens.trainers.config import UnigramConfig
from tokvec.tokens.trainers.counting import count_words
from tokvec.tokens.trainers.packed import pack as _pack
from tokvec.tokens.trainers.unigram import UnigramResult, _kept_characters, _seed, train_unigram


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


UNK = -1000.0  # below every path of pieces: the best segmentations all have the fewest unknowns


def lattice_of(problem):
    pieces, _logp, words, _counts, max_len = problem
    pcps, poff = _pack(pieces)
    slots, phash = ku.build_piece_table(pcps, poff)
    wcps, woff = _pack(words)
    lattice = kl.build_lattice(wcps, woff, pcps, poff, max_len, 0)  # cap 0: the kernel grows its arrays
    return (wcps, woff, pcps, poff, slots, phash, max_len), lattice


@SETTINGS
@given(lattices())
def test_lattice_equals_its_twin(problem) -> None:
    (wcps, woff, pcps, poff, _, _, max_len), lattice = lattice_of(problem)
    for k, r in zip(lattice, rl.build_lattice(wcps, woff, pcps, poff, max_len, 0), strict=True):
        assert k.dtype == r.dtype
        np.testing.assert_array_equal(k, r)


@SETTINGS
@given(lattices(), st.randoms(use_true_random=False))
def test_compacted_lattice_equals_its_twin_and_a_fresh_lattice(problem, rnd) -> None:
    pieces, logp, words, counts, max_len = problem
    _, lattice = lattice_of(problem)
    keep = [i for i, p in enumerate(pieces) if len(p) == 1 or rnd.random() < 0.5]
    new_id = np.full(len(pieces), -1, dtype=np.int64)
    new_id[keep] = np.arange(len(keep))
    twin = rl.compact_lattice(*lattice, new_id)
    got = kl.compact_lattice(*[a.copy() for a in lattice], new_id)  # the kernel compacts in place
    _, fresh = lattice_of(([pieces[i] for i in keep], logp[keep], words, counts, max_len))
    for k, r, f in zip(got, twin, fresh, strict=True):
        np.testing.assert_array_equal(k, r)
        np.testing.assert_array_equal(k, f)


@SETTINGS
@given(lattices())
def test_expected_counts_are_the_brute_force_expectation(problem) -> None:
    (wcps, woff, pcps, poff, slots, phash, max_len), lattice = lattice_of(problem)
    logp, counts = problem[1], problem[3]
    k, kl_ = kl.lattice_expected(woff, *lattice, counts, logp, -20.0)
    r, rl_ = rl.lattice_expected(woff, *lattice, counts, logp, -20.0)
    b, bl = ru.expected_counts(wcps, woff, counts, pcps, poff, slots, phash, logp, -20.0, max_len)
    np.testing.assert_allclose(k, r, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(k, b, rtol=1e-9, atol=1e-9)
    assert kl_ == pytest.approx(rl_, rel=1e-9)
    assert kl_ == pytest.approx(bl, rel=1e-9)


@SETTINGS
@given(lattices())
def test_viterbi_counts_equal_the_twin_and_the_best_segmentations(problem) -> None:
    (wcps, woff, pcps, poff, slots, phash, max_len), lattice = lattice_of(problem)
    logp, counts = problem[1], problem[3]
    k = kl.lattice_viterbi_freq(woff, *lattice, counts, logp, UNK)
    np.testing.assert_array_equal(k, rl.lattice_viterbi_freq(woff, *lattice, counts, logp, UNK))
    # the total score of the counted uses is the sum of the brute-force best scores
    out = np.empty(16, np.int64)
    best = 0.0
    unknown = 0
    for w in range(len(woff) - 1):
        t = ru.viterbi(wcps, woff[w], woff[w + 1], pcps, poff, slots, phash, logp, UNK, max_len, -1, out)
        best += counts[w] * sum(logp[p] if p >= 0 else UNK for p in out[:t])
        unknown += counts[w] * int((out[:t] < 0).sum())
    assert float(k @ logp) + UNK * unknown == pytest.approx(best, abs=1e-6)


@SETTINGS
@given(lattices())
def test_prune_losses_equal_the_twin(problem) -> None:
    (_wcps, woff, pcps, poff, slots, phash, max_len), lattice = lattice_of(problem)
    logp, counts = problem[1], problem[3]
    freq = kl.lattice_viterbi_freq(woff, *lattice, counts, logp, -20.0)
    keep = (poff[1:] - poff[:-1]) == 1
    k = ku.prune_losses(freq, pcps, poff, slots, phash, logp, -20.0, max_len, keep)
    r = ru.prune_losses(freq, pcps, poff, slots, phash, logp, -20.0, max_len, keep)
    np.testing.assert_allclose(k, r, rtol=1e-9, atol=1e-12)


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


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=30, unique=True))
def test_lexical_rank_is_python_string_order(strings) -> None:
    rank = packed.lexical_rank(*_pack(strings))
    assert [strings[i] for i in np.argsort(rank)] == sorted(strings)
    assert packed.spell(*_pack(strings)) == strings


@pytest.mark.data
def test_seed_counts_the_lattice_edges_exactly() -> None:
    words = count_words(list(eltec_lines(0.05)), pre_tokenizer="metaspace")
    config = UnigramConfig(vocab_size=500)
    wcps, woff = packed.pack_words(words)
    chars = _kept_characters(wcps, woff, words.counts, 0.99)  # some characters left out: unknown edges
    pcps, poff, _, n_edges = _seed(wcps, woff, words.counts, chars, config)
    lattice = kl.build_lattice(wcps, woff, pcps, poff, 16, n_edges)
    assert len(lattice[1]) == n_edges
    assert (lattice[3] < 0).any()


@SETTINGS
@given(
    st.lists(st.text("ab▁c", min_size=1, max_size=9), min_size=1, max_size=6),
    st.sampled_from([2, 3, 16]),
    st.sampled_from(["", "c", "▁"]),
    st.booleans(),
)
def test_substring_counts_equal_the_twin(words, max_len, banned, boundary) -> None:
    wcps, woff = _pack(words)
    counts = np.arange(1, len(words) + 1, dtype=np.int64)
    ok = np.array([chr(c) not in banned for c in wcps.tolist()], dtype=np.bool_)
    b = ord("▁") if boundary else -1
    for k, r in zip(
        ku.substring_counts(wcps, woff, counts, ok, b, max_len),
        ru.substring_counts(wcps, woff, counts, ok, b, max_len),
        strict=True,
    ):
        assert k.dtype == r.dtype
        np.testing.assert_array_equal(k, r)


def test_lattice_of_long_pieces_grows_its_trie() -> None:
    # 4 pieces of 16 characters without a common prefix: 80 trie nodes, past the first sizes of its arrays
    pieces = ["abcdefghijklmnop", "bcdefghijklmnopq", "cdefghijklmnopqr", "defghijklmnopqrs", *"abcdefghijklmnopqrs"]
    pcps, poff = _pack(pieces)
    wcps, woff = _pack(["xabcdefghijklmnopqrs", "cdefghijklmnopqr", "q"])
    got = kl.build_lattice(wcps, woff, pcps, poff, 16, 0)
    for k, r in zip(got, rl.build_lattice(wcps, woff, pcps, poff, 16, 0), strict=True):
        np.testing.assert_array_equal(k, r)
    assert {0, 1, 2, 3} <= set(got[3].tolist())
