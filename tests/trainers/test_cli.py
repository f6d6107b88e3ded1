"""``tokvec train``: every help example runs; bad input gives a clear error and no output file; determinism."""

from __future__ import annotations

import gzip
import json
import os
import shlex
import subprocess
import sys

import pytest

from tokvec.cli.main import build_parser


def _train_parsers() -> dict[str, object]:
    sub = next(a for a in build_parser()._actions if a.choices and "train" in a.choices)
    train = sub.choices["train"]
    inner = next(a for a in train._actions if a.choices and "bpe" in a.choices)
    return {"train": train, **{f"train {k}": v for k, v in inner.choices.items()}}


@pytest.mark.parametrize("name", sorted(_train_parsers()))
def test_help_examples_run(cli, name, tmp_path) -> None:
    help_text = _train_parsers()[name].format_help()
    _, _, section = help_text.partition("\nexample:\n")
    lines = [line[2:] for line in section.splitlines() if line.startswith("  ")]
    assert lines and help_text.rstrip().endswith(lines[-1])
    shim = tmp_path / "bin" / "tokvec"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tokvec.cli.main "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for line in lines:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", line], cwd=tmp_path, env=env, capture_output=True,
                              text=True, check=False)  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        assert "error" not in done.stderr
    outputs = [w for line in lines for w in shlex.split(line) if w.endswith(".json")]
    for out in outputs:
        json.loads((tmp_path / out).read_text(encoding="utf-8"))


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("low lower newest wider\nthe lowest and the newest\n" * 20, encoding="utf-8")
    return path


@pytest.mark.parametrize("trainer", ["bpe", "wordpiece", "unigram"])
def test_same_corpus_same_bytes(cli, trainer, corpus, tmp_path) -> None:
    size = {"bpe": "300", "wordpiece": "80", "unigram": "40"}[trainer]
    outs = []
    for k in range(2):
        out = tmp_path / f"{trainer}{k}.json"
        assert cli("train", trainer, str(corpus), "--vocab-size", size, "-o", str(out), "--quiet")[0] == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_gzip_corpus_equals_plain(cli, corpus, tmp_path) -> None:
    gz = tmp_path / "corpus.txt.gz"
    gz.write_bytes(gzip.compress(corpus.read_bytes()))
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    cli("train", "bpe", str(corpus), "--vocab-size", "300", "-o", str(a), "--quiet")
    cli("train", "bpe", str(gz), "--vocab-size", "300", "-o", str(b), "--quiet")
    assert a.read_bytes() == b.read_bytes()


def test_empty_corpus(cli, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    rc, _, err = cli("train", "bpe", str(empty), "--vocab-size", "300", "-o", str(tmp_path / "t.json"))
    assert rc == 1 and "corpus is empty" in err
    assert not (tmp_path / "t.json").exists()


def test_vocab_size_below_the_alphabet(cli, corpus, tmp_path) -> None:
    rc, _, err = cli("train", "bpe", str(corpus), "--vocab-size", "100", "-o", str(tmp_path / "t.json"))
    assert rc == 1 and "at least 257" in err
    rc, _, err = cli("train", "wordpiece", str(corpus), "--vocab-size", "5", "-o", str(tmp_path / "t.json"))
    assert rc == 1 and "raise vocab_size" in err
    assert not (tmp_path / "t.json").exists()


def test_binary_file(cli, tmp_path) -> None:
    binary = tmp_path / "data.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    rc, _, err = cli("train", "bpe", str(binary), "--vocab-size", "300", "-o", str(tmp_path / "t.json"))
    assert rc == 1 and "binary" in err


def test_invalid_utf8_lines_skipped_or_strict(cli, tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"good line here\n\xff\xfe broken\nanother good line\n")
    out = tmp_path / "t.json"
    rc, _, err = cli("train", "bpe", str(bad), "--vocab-size", "260", "-o", str(out), "--quiet")
    assert rc == 0 and err.startswith("tokvec: warning: skipped 1 line that is not valid UTF-8")
    vocab = json.loads(out.read_text(encoding="utf-8"))["model"]["vocab"]
    assert "broken" not in "".join(vocab)
    strict = tmp_path / "s.json"
    rc, _, err = cli("train", "bpe", str(bad), "--vocab-size", "260", "-o", str(strict), "--strict")
    assert rc == 1 and "not valid UTF-8" in err and not strict.exists()


def test_unwritable_output(cli, corpus, tmp_path) -> None:
    target = tmp_path / "missing-folder" / "t.json"
    rc, _, err = cli("train", "bpe", str(corpus), "--vocab-size", "300", "-o", str(target))
    assert rc == 1 and "cannot write" in err
    assert not target.parent.exists()
