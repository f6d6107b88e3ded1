"""tokvec count: counts equal encoding each whole file, plain, .gz and stdin; JSON; warnings; errors."""

from __future__ import annotations

import gzip
import io
import json
import sys

import pytest

import tokvec
from tokvec.analysis import stream as _stream

TEXT = (
    "Hello world!\nHallo Welt!\n\n\n  indented line  \n\tdef f(x):\r\n        return x\n"
    "Grüße 👋 你好 <|endoftext|>\n12345.678/9\n.\n/path\nno newline at the end"
)


def _expected(name: str, text: str) -> int:
    return len(tokvec.load(name).encode(text, disallowed_special=()))


@pytest.fixture
def small_chunks(monkeypatch):
    """Read 64 bytes at a time, so that chunks, carried lines and documents all get exercised."""
    monkeypatch.setattr(_stream, "CHUNK_BYTES", 64)
    original = _stream.read_documents
    monkeypatch.setattr(
        "tokvec.analysis.counting.read_documents", lambda f, stats, **kw: original(f, stats, chunk_bytes=64, **kw)
    )


def test_plain_and_gz_equal_whole_file_encoding(cli, tmp_path, small_chunks):
    plain = tmp_path / "t.txt"
    plain.write_text(TEXT * 5, encoding="utf-8", newline="")
    packed = tmp_path / "t.txt.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    rc, out, err = cli(
        "count", "-t", "gpt2,cl100k_base", "-t", "o200k_base", "--format", "json", str(plain), str(packed)
    )
    assert rc == 0, err
    got = json.loads(out)
    size = len((TEXT * 5).encode("utf-8"))
    for entry in got["files"]:
        assert entry["bytes"] == size
        assert entry["characters"] == len(TEXT * 5)
        assert entry["invalid_utf8_lines"] == 0
        for name in ("gpt2", "cl100k_base", "o200k_base"):
            assert entry["tokens"][name] == _expected(name, TEXT * 5)
            assert entry["bytes_per_token"][name] == pytest.approx(size / entry["tokens"][name], abs=1e-3)
    assert got["total"]["tokens"]["gpt2"] == 2 * _expected("gpt2", TEXT * 5)
    assert got["total"]["bytes"] == 2 * size


def test_table_has_a_row_per_file_and_tokenizer_and_totals(cli, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two three\n")
    b.write_text("four five\n")
    rc, out, err = cli("count", "-t", "gpt2", "-t", "cl100k_base", str(a), str(b))
    assert rc == 0, err
    lines = out.split("\n\n")[0].splitlines()  # the count table; context, rules of thumb and cost follow
    assert lines[0].split() == ["file", "tokenizer", "tokens", "bytes", "characters", "bytes/token"]
    assert len(lines) == 1 + 3 * 2
    total = lines[-1].split()
    expected = _expected("cl100k_base", "one two three\n") + _expected("cl100k_base", "four five\n")
    assert total[:4] == ["total", "cl100k_base", str(expected), "24"]


def test_stdin_and_gzip_on_stdin(cli, monkeypatch):
    for data in (TEXT.encode(), gzip.compress(TEXT.encode())):
        stream = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)))
        monkeypatch.setattr(sys, "stdin", stream)
        rc, out, err = cli("count", "-t", "o200k_base", "--format", "json", "-q", "-")
        assert rc == 0, err
        assert json.loads(out)["files"][0]["tokens"]["o200k_base"] == _expected("o200k_base", TEXT)
        assert err == ""  # --quiet: no progress line


def test_invalid_utf8_lines_are_counted_and_reported(cli, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"good\nbad \xff\xfe here\nfine\nalso \xc3 bad\n")
    rc, out, err = cli("count", "-t", "gpt2", "--format", "json", str(path))
    assert rc == 0
    entry = json.loads(out)["files"][0]
    assert entry["invalid_utf8_lines"] == 2 and entry["lines"] == 4
    text = path.read_bytes().decode("utf-8", "replace")
    assert entry["tokens"]["gpt2"] == _expected("gpt2", text)
    assert entry["characters"] == len(text)
    assert f"tokvec: warning: {path}: 2 lines are not valid UTF-8 (the first is line 2)" in err


def test_progress_goes_to_stderr_and_quiet_silences_it(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("some text\n")
    rc, out, err = cli("count", "-t", "gpt2", str(path))
    assert rc == 0 and err.startswith("count 100%") and "count" not in out
    rc, out, err = cli("count", "-t", "gpt2", "--quiet", str(path))
    assert rc == 0 and err == ""


def test_missing_and_corrupt_files(cli, tmp_path):
    rc, out, err = cli("count", "-t", "gpt2", str(tmp_path / "nope.txt"))
    assert rc == 1 and out == ""
    assert err == f"tokvec: error: cannot read {tmp_path / 'nope.txt'}: No such file or directory\n"
    cut = tmp_path / "cut.gz"
    cut.write_bytes(gzip.compress(b"x" * 10000 + b"\n")[:30])
    rc, _, err = cli("count", "-t", "gpt2", "-q", str(cut))
    assert rc == 1 and err.startswith(f"tokvec: error: cannot read {cut}:")


def test_empty_file(cli, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    rc, out, _ = cli("count", "-t", "gpt2", "--format", "json", "-q", str(path))
    assert rc == 0
    assert json.loads(out)["files"][0]["tokens"] == {"gpt2": 0}
