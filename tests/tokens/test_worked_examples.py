"""Byte-pair encoding on tiny vocabularies, with every merge written out and explained.

Ids 0-255 are the single bytes (so ``ord("a")`` = 97 is the token "a"); new tokens start at 256.
``steps`` shows the parts of a piece after each merge, from the readable twin
(:func:`tokvec.reference.bpe.merge_steps`); each example also checks that the tokenizer (the numba
kernel) ends where the steps end.
"""

from __future__ import annotations

import numpy as np

from tests.conftest import preset
from tokvec import BytePairModel, SplitPattern, Tokenizer
from tokvec.reference.bpe import merge_steps
from tokvec.reference.tables import pair_dict

A, B, C, D = (ord(x) for x in "abcd")
BYTES = {bytes([i]): i for i in range(256)}


def tokenizer(model: BytePairModel) -> Tokenizer:
    return Tokenizer("tiny", model, SplitPattern.named("cl100k"))


def steps(model: BytePairModel, piece: str) -> list[list[int]]:
    singles = {bytes([x]): int(model.byte_ids[x]) for x in range(256)}
    return merge_steps(piece.encode(), singles, pair_dict(model.pairs))


def ids(model: BytePairModel, text: str) -> list[int]:
    return tokenizer(model).encode(text).ids.tolist()


def test_lowest_rank_merges_first() -> None:
    # tiktoken's rule: two adjacent parts may merge when their concatenation is a token, and the
    # merge whose result has the lowest rank goes first.
    model = BytePairModel.from_ranks(BYTES | {b"ab": 256, b"bc": 257, b"abc": 258})
    assert steps(model, "abcd") == [
        [A, B, C, D],  # candidates: a+b -> "ab" (256), b+c -> "bc" (257); c+d is no token
        [256, C, D],  # "ab" won; now ab+c -> "abc" (258) is the only candidate
        [258, D],  # "abc"+d is no token: done
    ]
    assert ids(model, "abcd") == [258, D]


def test_a_lower_rank_beats_the_leftmost_pair() -> None:
    model = BytePairModel.from_ranks(BYTES | {b"aa": 256, b"aaa": 257, b"aaaa": 258})
    assert steps(model, "aaaaa") == [
        [A, A, A, A, A],  # four a+a pairs tie at rank 256: the leftmost merges
        [256, A, A, A],  # aa+a -> "aaa" (257) is leftmost, but a+a -> "aa" (256) ranks lower and wins
        [256, 256, A],  # aa+aa -> "aaaa" (258) against aa+a -> "aaa" (257): the lower rank wins
        [256, 257],  # aa+aaa = "aaaaa" is no token: done
    ]
    assert ids(model, "aaaaa") == [256, 257]
    assert ids(model, "aaaa") == [258]  # a piece that is a token is taken whole (next example)


def test_tiktoken_takes_a_piece_that_is_a_token_whole() -> None:
    # "abcd" (300) is a token, but merging cannot reach it: after b+c -> "bc" neither a+bc ("abc")
    # nor bc+d ("bcd") is a token, so merging alone stops at [a, bc, d]. tiktoken looks the whole
    # piece up first, and so does tokvec for rank files; merges-list models (GPT-2 merges.txt,
    # Hugging Face) never do.
    ranks = BYTES | {b"bc": 256, b"abcd": 300}
    model = BytePairModel.from_ranks(ranks)
    assert steps(model, "abcd") == [[A, B, C, D], [A, 256, D]]
    assert ids(model, "abcd") == [300]
    merges = BytePairModel.from_merges(ranks, [(b"b", b"c")])
    assert ids(merges, "abcd") == [A, 256, D]


def test_merges_list_order_differs_from_ranks() -> None:
    # The same vocabulary, read two ways. Ranks: a+b -> "ab" (256) ranks below b+c -> "bc" (257).
    # merges.txt lists (b c) first: its priority is its line, whatever the ids.
    vocab = BYTES | {b"ab": 256, b"bc": 257}
    by_ranks = BytePairModel.from_ranks(vocab)
    by_merges = BytePairModel.from_merges(vocab, [(b"b", b"c"), (b"a", b"b")])
    assert steps(by_ranks, "abc") == [[A, B, C], [256, C]]
    assert steps(by_merges, "abc") == [[A, B, C], [A, 257]]
    assert ids(by_ranks, "abc") == [256, C]
    assert ids(by_merges, "abc") == [A, 257]


def test_merges_list_merges_only_listed_pairs() -> None:
    # "abc" is a token, and ab+c would make it; with ranks that is enough (ab+c -> 258). A merges
    # list must name the pair: with only (a b) listed, "abc" stays [ab, c] (and is not looked up whole).
    vocab = BYTES | {b"ab": 256, b"abc": 258}
    by_ranks = BytePairModel.from_ranks(vocab)
    assert steps(by_ranks, "abc") == [[A, B, C], [256, C], [258]]
    assert ids(by_ranks, "abc") == [258]
    only_ab = BytePairModel.from_merges(vocab, [(b"a", b"b")])
    assert steps(only_ab, "abc") == [[A, B, C], [256, C]]
    assert ids(only_ab, "abc") == [256, C]
    with_abc = BytePairModel.from_merges(vocab, [(b"a", b"b"), (b"ab", b"c")])
    assert ids(with_abc, "abc") == [258]


def test_pieces_never_merge_across_the_split() -> None:
    # " a" and "x " are tokens, but cl100k cuts "x a" into "x" and " a": never "x " + "a".
    model = BytePairModel.from_ranks(BYTES | {b" a": 256, b"x ": 257})
    assert SplitPattern.named("cl100k").split("x a") == ["x", " a"]
    assert ids(model, "x a") == [ord("x"), 256]


def test_multi_byte_characters_merge_byte_by_byte() -> None:
    # "é" is two bytes (c3 a9); without a token for them, it stays two byte tokens, which decode
    # together. With the token, it is one.
    e = "é".encode()
    plain = BytePairModel.from_ranks(BYTES)
    assert ids(plain, "é") == [e[0], e[1]]
    assert tokenizer(plain).decode([e[0], e[1]]) == "é"
    assert tokenizer(plain).decode([e[0]]) == "\ufffd"  # half a character
    assert ids(BytePairModel.from_ranks(BYTES | {e: 256}), "é") == [256]


def test_real_vocabulary_step_by_step() -> None:
    # GPT-2 on " tokenizer": the piece is not a token, so it is merged from its 10 bytes, the pair
    # whose result has the lowest rank first (Ġ is GPT-2's spelling of the space byte).
    tok = preset("gpt2")
    trace = [tok.id_to_token_list(parts) for parts in steps(tok.model, " tokenizer")]
    assert trace == [
        ["Ġ", "t", "o", "k", "e", "n", "i", "z", "e", "r"],
        ["Ġt", "o", "k", "e", "n", "i", "z", "e", "r"],
        ["Ġt", "o", "k", "e", "n", "i", "z", "er"],
        ["Ġt", "o", "k", "en", "i", "z", "er"],
        ["Ġto", "k", "en", "i", "z", "er"],
        ["Ġto", "k", "en", "iz", "er"],
        ["Ġto", "ken", "iz", "er"],
        ["Ġto", "ken", "izer"],
        ["Ġtoken", "izer"],  # "Ġtokenizer" is no GPT-2 token: done
    ]
    assert tok.encode(" tokenizer").tokens == ["Ġtoken", "izer"]


def test_offsets_tile_the_utf8_text() -> None:
    tok = preset("gpt2")
    text = "naïve 👋 café"
    enc = tok.encode(text)
    data = text.encode()
    assert enc.byte_offsets[0, 0] == 0 and enc.byte_offsets[-1, 1] == len(data)
    np.testing.assert_array_equal(enc.byte_offsets[1:, 0], enc.byte_offsets[:-1, 1])
    assert [data[a:b] for a, b in enc.byte_offsets.tolist()] == enc.pieces
    # characters: the emoji's two tokens both start at the emoji, as tiktoken's decode_with_offsets says
    assert enc.offsets[-1, 1] == len(text) and [text[a:b] for a, b in enc.offsets.tolist()][2:4] == [" 👋", "👋"]
