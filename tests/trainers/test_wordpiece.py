"""WordPiece: the score rule worked out by hand, greedy encoding, and Hugging Face loading our files."""

from __future__ import annotations

import functools

import pytest

from tests.trainers.corpora import eltec_lines, flores_devtest
from tokvec.tokens.trainers.wordpiece import train_wordpiece


def test_hug_pug_worked_example() -> None:
    # words: h ##u ##g | h ##u ##g ##s | b ##u ##g | b ##u ##g ##s | p ##u ##g | p ##u ##n
    # freq: ##u 6, ##g 5, h b p 2 each, ##s 2, ##n 1
    # score(##g, ##s) = 2 / (5 x 2) = 0.2   beats   (h, ##u) = 2 / (2 x 6) = 0.167 and (##u, ##g) = 5 / 30 = 0.167
    r = train_wordpiece(["hug hugs bug bugs pug pun"], vocab_size=12 + 3, special_tokens=("[UNK]",), progress=False)
    assert r.merges[0] == ("##g", "##s")
    # now ##g 3, ##gs 2: (##u, ##gs) = 2 / (6 x 2) = 0.167, (##u, ##g) = 3 / (6 x 3) = 0.167, (h,##u) = 0.167,
    # (##u, ##n) = 1 / 6 = 0.167: all tie; the higher pair count wins: (##u, ##g) with 3
    assert r.merges[1] == ("##u", "##g")
    # ##u 3, ##ug 3, ##gs 2 ... (##u, ##gs) = 2 / (3 x 2) = 0.33 and (##u, ##n) = 1 / 3 = 0.33 tie; count 2 wins
    assert r.merges[2] == ("##u", "##gs")
    assert r.encode_word("hugs") == ["h", "##ugs"]
    assert r.encode_word("bun") == ["b", "##u", "##n"]


def test_greedy_longest_match_and_unknown() -> None:
    r = train_wordpiece(["unaffable affable"] * 3, vocab_size=40, special_tokens=("[UNK]",), progress=False)
    assert "".join(t.removeprefix("##") for t in r.encode_word("affable")) == "affable"
    assert r.encode_word("affablez") == ["[UNK]"]  # one part matches nothing: the whole word is unknown
    long_word = "a" * 101
    assert r.encode_word(long_word) == ["[UNK]"]  # longer than max_input_chars_per_word (100)


@functools.cache
def trained(score: str):
    return train_wordpiece(eltec_lines(2), vocab_size=8000, score=score, progress=False)


@pytest.mark.data
@pytest.mark.parametrize("score", ["likelihood", "frequency"])
def test_hf_loads_our_file_and_encodes_as_we_do(score, tmp_path) -> None:
    tk = pytest.importorskip("tokenizers")
    r = trained(score)
    r.save(tmp_path / "wp.json")
    ref = tk.Tokenizer.from_file(str(tmp_path / "wp.json"))
    texts = [t for t in flores_devtest()[:2024]]  # English and German
    theirs = [e.tokens for e in ref.encode_batch(texts)]
    mine = [r.encode(t) for t in texts]
    bad = [k for k in range(len(texts)) if theirs[k] != mine[k]]
    assert not bad, f"{len(bad)} texts differ, first {texts[bad[0]][:80]!r}: {theirs[bad[0]][:12]} {mine[bad[0]][:12]}"


@pytest.mark.data
def test_frequency_score_matches_hf_wordpiece_trainer() -> None:
    # HF's WordPieceTrainer is BPE with ## pieces; the ids of ## variants follow its hash map, so its ties
    # (and its vocabulary) change from run to run: compare the vocabularies as sets
    tk = pytest.importorskip("tokenizers")
    tok = tk.Tokenizer(tk.models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = tk.pre_tokenizers.Whitespace()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(eltec_lines(2), tk.trainers.WordPieceTrainer(vocab_size=8000, special_tokens=specials,
                                                                         show_progress=False))  # fmt: skip
    theirs, mine = set(tok.get_vocab()), set(trained("frequency").tokens)
    assert len(theirs) == len(mine) == 8000
    assert len(theirs & mine) >= 0.99 * 8000
