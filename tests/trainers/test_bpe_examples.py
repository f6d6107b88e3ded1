"""Worked examples of BPE training, each merge written out and explained.

Tie-break (Hugging Face's, which we follow): highest count first; among equal counts the pair with
the smallest left id, then the smallest right id. Ids: special tokens, the alphabet in code point
order, then suffixed/prefixed variants (``r</w>``) in code point order, then each merge's result.
"""

from __future__ import annotations

import pytest

from tokvec.tokens.trainers.bpe import train_bpe


def char_bpe(corpus: list[str], vocab_size: int):
    return train_bpe(
        corpus, vocab_size=vocab_size, min_frequency=0, special_tokens=(), byte_level=False,
        pre_tokenizer="whitespace", end_of_word_suffix="</w>", progress=False,
    )  # fmt: skip


def test_low_lower_newest_wider() -> None:
    # words: l o w</w> | l o w e r</w> | n e w e s t</w> | w i d e r</w>
    # ids: d0 e1 i2 l3 n4 o5 r6 s7 t8 w9, then r</w>10 t</w>11 w</w>12
    r = char_bpe(["low lower newest wider"], 13 + 4)
    assert r.tokens[:13] == tuple("deilnorstw") + ("r</w>", "t</w>", "w</w>")
    assert r.merges == (
        # counts of 2: (l,o) (w,e) (e,r</w>); the smallest left id is e (1)
        ("e", "r</w>"),
        # (w,e) lost "lower"'s occurrence to "er</w>": (l,o) is the only pair left with 2
        ("l", "o"),
        # every pair now counts 1: the smallest left id is d (0), whose only pair is (d, er</w>)
        ("d", "er</w>"),
        # next left id e (1): (e,s) and (e,w); s (7) < w (9)
        ("e", "s"),
    )


def test_low_x3_lower_newer_wider() -> None:
    # words: l o w</w> x3 | l o w e r</w> | n e w e r</w> | w i d e r</w>
    # ids: d0 e1 i2 l3 n4 o5 r6 w7, r</w>8 w</w>9
    r = char_bpe(["low low low lower newer wider"], 10 + 4)
    assert r.merges == (
        ("l", "o"),  # 4: three "low" and one "lower"
        ("e", "r</w>"),  # 3, tied with (lo, w</w>); e (1) < lo (10)
        ("lo", "w</w>"),  # 3
        ("w", "er</w>"),  # 2: "lower" and "newer" (their (w,e) became (w,er</w>))
    )
    assert r.vocab()["low</w>"] == 12


def test_wikipedia_aaabdaaabac_byte_level() -> None:
    # one word; byte ids follow the code points of GPT-2's byte characters: 'a' is 64, 'b' 65, 'c' 66, 'd' 67
    r = train_bpe(["aaabdaaabac"], vocab_size=256 + 3, min_frequency=0, special_tokens=(), progress=False)
    assert r.tokens[64:68] == ("a", "b", "c", "d")
    assert r.merges == (
        ("a", "a"),  # 4 (aaab twice, overlapping); scanning left to right, "aaab" -> "aa a b"
        ("a", "b"),  # 2, tied with (aa, a); a (64) < aa (256)
        ("aa", "ab"),  # 2: Wikipedia's Z=aa, Y=ab, X=ZY
    )
    tok = r.tokenizer()
    assert tok.encode("aaabdaaabac").tokens == ["aaab", "d", "aaab", "a", "c"]
    assert tok.decode(tok.encode("aaabdaaabac").ids) == "aaabdaaabac"


def test_byte_level_never_needs_an_unknown_token() -> None:
    r = train_bpe(["hello hello"], vocab_size=260, special_tokens=("<s>",), progress=False)
    tok = r.tokenizer()
    text = "naïve 👋 \x00 漢字"
    assert tok.decode(tok.encode(text).ids) == text


def test_min_frequency_stops_merging() -> None:
    r = train_bpe(["ab ab cd"], vocab_size=1000, min_frequency=2, special_tokens=(), progress=False)
    # (a,b) counts 2 and (Ġ,a) 1 ... only pairs seen at least twice merge
    assert r.merges == (("a", "b"),)


@pytest.mark.parametrize("limit", [2, 3])
def test_max_token_length(limit: int) -> None:
    r = train_bpe(
        ["aaaaaaa"] * 3, vocab_size=100, min_frequency=0, special_tokens=(), byte_level=False,
        pre_tokenizer="whitespace", max_token_length=limit, progress=False,
    )  # fmt: skip
    # "aaaaaaa" -> aa aa aa a; then (aa, a) makes "aaa" only when 3 symbols are allowed; (aa, aa) never
    assert max(len(t) for t in r.tokens) == limit
