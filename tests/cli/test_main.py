"""The command as a whole: every --help example runs, help ends with examples, exit codes, tour and list."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import pytest

import tokvec
from tokvec.cli.main import build_parser


def _commands() -> dict[str, object]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and "encode" in a.choices)
    return {"tokvec": parser, **sub.choices}


def _examples(help_text: str) -> list[str]:
    """The command lines of the ``example:`` section that ends a help text."""
    _head, _, section = help_text.partition("\nexample:\n")
    assert section, "the help has no example: section"
    return [line[2:] for line in section.splitlines() if line.startswith("  ")]


_SHELL = re.compile(r"[|<>;&$`]")


@pytest.mark.parametrize("name", sorted(_commands()))
def test_help_ends_with_examples_that_run(name, tmp_path, monkeypatch, cli):
    help_text = _commands()[name].format_help()
    examples = _examples(help_text)
    assert examples and any(line.startswith("tokvec ") for line in examples)
    assert help_text.rstrip().endswith(examples[-1])
    monkeypatch.chdir(tmp_path)
    # `tokvec` in a shell line means this interpreter's tokvec
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tokvec"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tokvec.cli.main "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for line in examples:
        words = shlex.split(line)
        if words[0] == "tokvec" and not _SHELL.search(line):
            rc, out, err = cli(*words[1:])  # in-process: as the shell would run it, only faster
        else:
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", line], env=env, capture_output=True, text=True, check=False
            )
            rc, out, err = done.returncode, done.stdout, done.stderr
        assert rc == 0, f"{line}\n--- stdout\n{out}\n--- stderr\n{err}"
        assert "error" not in err, line
        assert out or words[0] != "tokvec", line


def test_every_command_help(cli):
    for name in _commands():
        argv = ["--help"] if name == "tokvec" else [name, "--help"]
        rc, out, _ = cli(*argv)
        assert rc == 0 and "\nexample:\n" in out


def test_python_dash_m_and_exit_codes():
    run = [sys.executable, "-m", "tokvec.cli.main"]
    done = subprocess.run([*run, "decode", "-t", "gpt2", "15496", "995"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Hello world", "")
    done = subprocess.run([*run, "encode", "-t", "nope", "x"], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and done.stderr.startswith("tokvec: error: no preset or file named 'nope'")
    assert "Traceback" not in done.stderr
    done = subprocess.run([*run, "encode", "--no-such-flag"], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "usage: tokvec encode" in done.stderr


def test_no_command_is_a_usage_error(cli):
    rc, _, err = cli()
    assert rc == 2 and "usage: tokvec" in err


def test_version(cli):
    rc, out, _ = cli("--version")
    assert rc == 0 and out.strip() == f"tokvec {tokvec.__version__}"


def test_tour_mentions_every_tokenizer_and_section(cli):
    rc, out, err = cli("tour", "--section", "tokens", "--color", "never")
    assert rc == 0, err
    for name in ("gpt2", "cl100k_base", "o200k_base"):
        assert re.search(rf"^  {name} +\d+ tokens", out, re.MULTILINE), name
    for title in ("English", "Code", "Numbers", "German", "Chinese", "Emoji"):
        assert f"── {title}" in out
    # the emoji stop shows tokens that are bytes alone and text together
    assert "<0xF0><0x9F><0x91>" in out
    assert "50169 alone decodes to ' \ufffd', 233 to '\ufffd'; together [50169, 233] decode to ' 👋'" in out
    assert "\x1b[" not in out
    rc, out, _ = cli("tour", "--section", "tokens", "--color", "always", "-t", "gpt2")
    assert rc == 0 and "\x1b[0;48;5;" in out
    assert not re.search(r"^  cl100k_base +\d+ tokens", out, re.MULTILINE)


def test_list(cli):
    rc, out, _ = cli("list", "--format", "json")
    assert rc == 0
    rows = {r["name"]: r for r in json.loads(out)}
    assert sorted(rows) == tokvec.presets()
    assert rows["cl100k_base"]["vocab_size"] == 100277 and rows["cl100k_base"]["pattern"] == "cl100k"
    assert rows["gpt2"]["alias_of"] == "r50k_base" and rows["gpt2"]["algorithm"] == "byte-level BPE"
    assert "<|endoftext|>" in rows["o200k_base"]["special_tokens"]
    rc, out, _ = cli("list")
    assert rc == 0 and out.splitlines()[0].split()[:3] == ["name", "ids", "special"]
    assert "200,019" in out
