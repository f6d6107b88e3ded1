"""The zero-copy UTF-8 of long texts (tokens/utf8_view.py) reads the same bytes as ``str.encode``."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import tokvec
from tokvec.tokens.utf8_view import VIEW_FROM, utf8_of


@pytest.mark.parametrize("piece", ["plain ascii words ", "héllo wörld — “quoted” ", "日本語のテキスト ", "emoji 😀🎉 "])
def test_view_equals_str_encode_and_outlives_the_string(piece: str) -> None:
    text = piece * (VIEW_FROM // len(piece) + 3)
    want = text.encode("utf-8")
    view = utf8_of(text)
    assert not view.flags.writeable and view.tobytes() == want
    del text
    gc.collect()
    assert view.tobytes() == want  # the view keeps its string alive


def test_short_texts_and_surrogates_take_str_encode() -> None:
    assert utf8_of("short").tobytes() == b"short"
    with pytest.raises(UnicodeEncodeError):
        utf8_of("a\ud800" * VIEW_FROM)


def test_long_texts_encode_as_their_lines_do() -> None:
    """One long text through the view gives the tokens of the batch path, which encodes with str.encode."""
    tok = tokvec.load("cl100k_base")
    piece = "Ça va? “Yes” — 123456 ok\n\ud83d\ude00 done  \n"
    text = piece * (VIEW_FROM // len(piece) + 5)
    whole = tok.encode_ordinary(text)
    batch = tok.encode_batch([text], disallowed_special=())[0]
    assert np.array_equal(whole.ids, batch.ids)
    assert np.array_equal(whole.byte_offsets, batch.byte_offsets)
    lone = ("x\ud800y " * VIEW_FROM)[: VIEW_FROM + 9]  # lone surrogates: read as U+FFFD, as tiktoken does
    assert tok.encode_ordinary(lone).ids.tolist() == tok.encode_ordinary(lone.replace("\ud800", "\ufffd")).ids.tolist()
