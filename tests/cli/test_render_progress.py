"""The token view (visible whitespace, partial bytes, colours) and the progress bar."""

from __future__ import annotations

import io

import pytest

import tokvec
from tokvec._progress import Progress
from tokvec.analysis.render import render_ids, render_tokens, token_segments


@pytest.mark.parametrize(
    ("piece", "segments"),
    [
        (b"Hello", [("text", "Hello")]),
        (b"  x\t", [("mark", "··"), ("text", "x"), ("mark", "→")]),
        (b"\n\n", [("newline", "↵"), ("newline", "↵")]),
        (b"\xf0\x9f", [("byte", "<0xF0>"), ("byte", "<0x9F>")]),
        ("\u200d".encode(), [("mark", "<U+200D>")]),
        ("\u0301e".encode(), [("mark", "◌"), ("text", "\u0301e")]),
        (b"\x00\r", [("mark", "␀␍")]),
    ],
)
def test_token_segments(piece, segments):
    assert token_segments(piece) == segments


def test_special_tokens_are_marked():
    tok = tokvec.load("cl100k_base")
    ids = tok.encode("a<|endoftext|>", allowed_special="all").ids
    assert render_tokens(tok, ids, color=False) == "a│<|endoftext|>"
    assert "\x1b[0;48;5;223;1;38;5;90m<|endoftext|>" in render_tokens(tok, ids, color=True)


def test_colour_resets_before_each_line_break():
    tok = tokvec.load("gpt2")
    shown = render_tokens(tok, tok.encode("a\nb").ids, color=True)
    assert all(line.endswith("\x1b[0m") for line in shown.split("\n"))
    assert render_ids([1, 2], color=False) == "1 2"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_redraws_at_most_every_interval():
    times = iter([0.0, 0.01, 0.05, 0.2, 0.35, 1.0])
    out = _Terminal()
    with Progress(4_000_000, label="read", stream=out, clock=times.__next__) as bar:
        bar.update(1_000_000)  # t=0.01: first draw
        bar.update(1_000_000)  # t=0.05: too soon, skipped
        bar.update(1_000_000)  # t=0.2: drawn
        bar.set(4_000_000)  # t=0.35: drawn
    draws = out.getvalue().split("\r")[1:]
    assert len(draws) == 4
    assert draws[0].startswith("read  25% |██████") and "ETA" in draws[0]
    assert draws[-1].endswith("\n") and draws[-1].rstrip() == "read 100% 4.0/4.0 MB in 1.0 s (4.0 MB/s)"


def test_progress_elsewhere_prints_only_the_final_line():
    out = io.StringIO()
    with Progress(None, label="count", stream=out, clock=iter([0.0, 2.0]).__next__) as bar:
        bar.update(3_000)
        bar.update(3_000)
    assert out.getvalue() == "count 6.0 kB in 2.0 s (3.0 kB/s)\n"


def test_progress_disabled_prints_nothing():
    out = _Terminal()
    with Progress(10, stream=out, enabled=False) as bar:
        bar.update(5)
    assert out.getvalue() == ""
