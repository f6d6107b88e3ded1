"""tokvec encode / decode: output formats, ids equal the library's, round trips, special tokens, errors."""

from __future__ import annotations

import io
import json
import sys

import pytest

import tokvec

TEXTS = ["Hello world", "def f(x):\n    return x  # ok\n", "Grüße 👋 你好 👨‍👩‍👧", " spaces   and\ttabs\r\n"]


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)), encoding="utf-8"))


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "o200k_base"])
@pytest.mark.parametrize("text", TEXTS)
def test_json_ids_equal_library(cli, name, text):
    rc, out, err = cli("encode", "-t", name, "--format", "json", text)
    assert rc == 0, err
    got = json.loads(out)
    enc = tokvec.load(name).encode(text)
    assert got["ids"] == enc.ids.tolist()
    assert got["count"] == len(enc)
    assert got["tokens"] == enc.tokens  # byte-level spelling, as Encoding.tokens
    assert got["offsets"] == enc.offsets.tolist()
    assert got["byte_offsets"] == enc.byte_offsets.tolist()
    assert got["tokenizer"] == name


def test_table_without_color_shows_visible_whitespace_and_partial_bytes(cli):
    rc, out, _ = cli("encode", "-t", "gpt2", "--color", "never", "Hi 👋\tyo\n")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "Hi│·<0xF0><0x9F><0x91>│<0x8B>│→│yo│↵"
    assert lines[2] == " ".join(map(str, tokvec.load("gpt2").encode("Hi 👋\tyo\n").ids.tolist()))
    assert "\x1b[" not in out
    assert lines[3].startswith("6 tokens, 11 bytes, 8 characters")


def test_color_always_and_auto(cli, monkeypatch):
    rc, out, _ = cli("encode", "-t", "gpt2", "--color", "always", "Hi 👋")
    assert rc == 0 and "\x1b[48;5;" in out and "<0xF0>" in out
    rc, out, _ = cli("encode", "-t", "gpt2", "Hi")  # captured stdout is not a terminal
    assert rc == 0 and "\x1b[" not in out


def test_ids_format_round_trips_through_decode(cli, monkeypatch):
    text = "Grüße 👋 你好\n  indented"
    rc, out, _ = cli("encode", "-t", "cl100k_base", "--format", "ids", text)
    assert rc == 0
    rc, back, _ = cli("decode", "-t", "cl100k_base", *out.split())
    assert rc == 0 and back == text
    _stdin(monkeypatch, out.encode())
    rc, back, _ = cli("decode", "-t", "cl100k_base")
    assert rc == 0 and back == text


def test_encode_reads_stdin_exactly(cli, monkeypatch):
    _stdin(monkeypatch, b"from stdin\n")
    rc, out, _ = cli("encode", "-t", "gpt2", "--format", "json")
    assert rc == 0
    assert json.loads(out)["ids"] == tokvec.load("gpt2").encode("from stdin\n").ids.tolist()


def test_decode_accepts_commas_and_json_lists(cli):
    rc, out, _ = cli("decode", "-t", "gpt2", "[15496,", "995]")
    assert (rc, out) == (0, "Hello world")
    rc, out, _ = cli("decode", "-t", "gpt2", "15496,995", "--format", "json")
    assert json.loads(out) == {"tokenizer": "gpt2", "count": 2, "text": "Hello world", "valid_utf8": True}


def test_decode_partial_character_warns(cli):
    rc, out, err = cli("decode", "-t", "gpt2", "50169")
    assert rc == 0 and out == " \ufffd"
    assert "tokvec: warning:" in err and "not valid UTF-8" in err


def test_special_token_needs_a_flag(cli):
    text = "end<|endoftext|>"
    rc, out, err = cli("encode", "-t", "cl100k_base", text)
    assert rc == 1 and out == ""
    assert err.startswith("tokvec: error: the text contains the special token '<|endoftext|>' at character 3")
    assert "--allow-special" in err and "--special-as-text" in err and "Traceback" not in err
    rc, out, _ = cli("encode", "-t", "cl100k_base", "--allow-special", "--format", "ids", text)
    assert rc == 0 and out.split()[-1] == "100257"
    rc, out, _ = cli("encode", "-t", "cl100k_base", "--special-as-text", "--format", "ids", text)
    expected = tokvec.load("cl100k_base").encode_ordinary(text).ids.tolist()
    assert rc == 0 and out.split() == [str(i) for i in expected]
    rc, _, err = cli("encode", "-t", "cl100k_base", "--allow-special", "--special-as-text", text)
    assert rc == 2 and "not allowed with" in err


def test_unknown_tokenizer_lists_presets(cli):
    rc, out, err = cli("encode", "-t", "gpt5", "hi")
    assert rc == 1 and out == ""
    assert err.startswith("tokvec: error: no preset or file named 'gpt5'")
    for name in tokvec.presets():
        assert name in err


def test_unknown_id(cli):
    rc, out, err = cli("decode", "-t", "gpt2", "15496", "50257")
    assert rc == 1 and out == ""
    assert err == "tokvec: error: token id 50257 is not in gpt2 (ids run from 0 to 50256)\n"


def test_non_integer_id_is_a_usage_error(cli):
    rc, _, err = cli("decode", "-t", "gpt2", "hello")
    assert rc == 2 and "'hello' is not a token id" in err


def test_debug_shows_the_traceback(cli):
    with pytest.raises(tokvec.UnknownTokenError):
        cli("decode", "--debug", "-t", "gpt2", "99999999")
    with pytest.raises(tokvec.UnknownTokenError):
        cli("--debug", "decode", "-t", "gpt2", "99999999")
