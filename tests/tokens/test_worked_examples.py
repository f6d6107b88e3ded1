"""Byte-pair encoding on tiny vocabularies, with every merge written out."""

from __future__ import annotations

import numpy as np

from tests.conftest import preset
from tokvec import BytePairModel, SplitPattern, Tokenizer


def byte_ranks() -> dict[bytes, int]:
    return {bytes([i]): i for i in range(256)}


def tokenizer(model: BytePairModel, pattern: str = "cl100k") -> Tokenizer:
    return Tokenizer("tiny", model, SplitPattern.named(pattern))


def test_lowest_rank_merges_first() -> None:
    # ranks: "ab"=256, "bc"=257, "abc"=258. In "abc" both pairs (a,b) and (b,c) can merge;
    # (a,b) has the lower rank 256, so a+b -> "ab"; then (ab,c) makes "abc" (rank 258).
    ranks = byte_ranks() | {b"ab": 256, b"bc": 257, b"abc": 258}
    tok = tokenizer(BytePairModel.from_ranks(ranks))
    assert tok.encode("abc").ids.tolist() == [258]
    # "abd": a+b -> "ab" (256); (ab, d) is no token, so we stop at [ab, d].
    assert tok.encode("abd").ids.tolist() == [256, ord("d")]


def test_leftmost_pair_wins_a_tie() -> None:
    # "aaa" with only "aa" (256): the pairs (a,a) at 0 and at 1 tie; the leftmost merges: [aa, a].
    tok = tokenizer(BytePairModel.from_ranks(byte_ranks() | {b"aa": 256}))
    assert tok.encode("aaa").ids.tolist() == [256, ord("a")]
    # "aaaa": [aa, a, a] -> then (a,a) at position 2 -> [aa, aa]; ("aaaa" is no token).
    assert tok.encode("aaaa").ids.tolist() == [256, 256]


def test_tiktoken_takes_a_piece_that_is_a_token_whole() -> None:
    # "abc" = 300 is a token, but no pair of tokens makes it ("ab" and "bc" are missing):
    # merging alone would leave [a, b, c]; tiktoken looks the whole piece up first.
    ranks = byte_ranks() | {b"abc": 300}
    ranks = {k: v for k, v in ranks.items()}
    model = BytePairModel.from_ranks(ranks)
    assert tokenizer(model).encode("abc").ids.tolist() == [300]


def test_merges_list_semantics_differ_from_ranks() -> None:
    # merges.txt: ("b","c") first, then ("a","b"), then ("a","bc").
    # In "abc", (b,c) has priority 0 -> [a, bc] -> (a,bc) priority 2 -> [abc].
    # With ranks, (a,b) -> "ab" (id 257) has the lower rank of the two pairs: [ab, c], then
    # "abc" (258) from (ab, c), the concatenation being a token.
    vocab = byte_ranks() | {b"bc": 256, b"ab": 257, b"abc": 258}
    merges = [(b"b", b"c"), (b"a", b"b"), (b"a", b"bc")]
    by_merges = tokenizer(BytePairModel.from_merges(vocab, merges))
    assert by_merges.encode("abc").ids.tolist() == [258]
    assert by_merges.encode("abd").ids.tolist() == [257, ord("d")]
    # without (a, bc) in the list, "abc" stays [a, bc]: merges never skip the list
    only = tokenizer(BytePairModel.from_merges(vocab, merges[:2]))
    assert only.encode("abc").ids.tolist() == [ord("a"), 256]


def test_pieces_never_merge_across_the_split() -> None:
    # " a" is a token, but cl100k splits "x a" into "x", " a": never "x " + "a".
    tok = tokenizer(BytePairModel.from_ranks(byte_ranks() | {b" a": 256, b"x ": 257}))
    assert tok.encode("x a").ids.tolist() == [ord("x"), 256]


def test_offsets_tile_the_utf8_text() -> None:
    tok = preset("gpt2")
    text = "naïve 👋 café"
    enc = tok.encode(text)
    data = text.encode()
    assert enc.offsets[0, 0] == 0 and enc.offsets[-1, 1] == len(data)
    np.testing.assert_array_equal(enc.offsets[1:, 0], enc.offsets[:-1, 1])
    assert [data[a:b] for a, b in enc.offsets.tolist()] == enc.pieces
