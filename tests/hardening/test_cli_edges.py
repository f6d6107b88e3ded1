"""The command's rough edges of issue 18: outputs checked before work, one warning style, exit codes,
recommend and similar edge cases. Each failed (or passed silently with nonsense) before."""

from __future__ import annotations

import builtins
import pathlib

import numpy as np
import pytest

import tokvec
from tokvec.vectors.keyed import UnknownKeyError

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = "low lower newest wider\nthe lowest and the newest\n" * 3


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text(CORPUS)
    return str(path)


# ---------------------------------------------------------------- outputs are checked before the work


@pytest.mark.parametrize("trainer", ["bpe", "wordpiece", "unigram", "word2vec"])
@pytest.mark.parametrize("where", ["missing/out.json", "."])
def test_bad_output_path_is_found_before_training(cli, corpus, trainer, where, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    size = [] if trainer == "word2vec" else ["--vocab-size", "40" if trainer != "bpe" else "270"]

    def no_training(*args, **kwargs):
        raise AssertionError("training started before the output path was checked")

    for module in ("tokvec.tokens.trainers.bpe.train_bpe", "tokvec.tokens.trainers.wordpiece.train_wordpiece",
                   "tokvec.tokens.trainers.unigram.train_unigram", "tokvec.cli.word2vec.train_word2vec"):  # fmt: skip
        monkeypatch.setattr(module, no_training)
    status, _, err = cli("train", trainer, corpus, *size, "--quiet", "-o", where)
    assert status == 1 and err.startswith(f"tokvec: error: cannot write -o {where}: "), err


def test_vocab_merges_folder_is_checked_before_anything_is_written(cli, corpus, tmp_path):
    out = tmp_path / "bpe.json"
    status, _, err = cli("train", "bpe", corpus, "--vocab-size", "270", "--quiet", "-o", str(out),
                         "--vocab-merges", str(tmp_path / "nowhere"))  # fmt: skip
    assert status == 1 and "--vocab-merges" in err and not out.exists()


def test_parity_png_without_matplotlib_fails_before_the_csv(cli, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def without_matplotlib(name, *args, **kwargs):
        if name.split(".")[0] == "matplotlib":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_matplotlib)
    csv = tmp_path / "p.csv"
    status, _, err = cli("parity", "-t", "gpt2", "--flores", str(tmp_path / "no-flores"), "--csv", str(csv),
                         "--png", str(tmp_path / "p.png"))  # fmt: skip
    assert status == 1 and "pip install 'tokvec[plot]'" in err and not csv.exists()


# ---------------------------------------------------------------- warnings and exit codes


def test_vocab_size_shortfall_is_said(cli, corpus, tmp_path):
    status, _, err = cli("train", "bpe", corpus, "--vocab-size", "100000", "--quiet", "-o", str(tmp_path / "t.json"))
    assert status == 0 and "tokvec: warning: the vocabulary has" in err and "fewer than --vocab-size 100,000" in err


@pytest.mark.parametrize(
    "command",
    [
        ["train", "bpe", "FILE", "--vocab-size", "270", "--min-frequency", "1", "--quiet", "-o", "OUT.json"],
        ["train", "word2vec", "FILE", "--min-count", "1", "--epochs", "1", "--quiet", "-o", "OUT.bin"],
        ["stats", "-t", "gpt2", "--quiet", "FILE"],
        ["count", "-t", "gpt2", "--quiet", "FILE"],
    ],
)
def test_non_utf8_input_warns_once_in_one_style(cli, tmp_path, command):
    path = tmp_path / "latin1.txt"
    path.write_bytes(CORPUS.encode() + "café crème\n".encode("latin-1") + CORPUS.encode())
    args = [str(path) if a == "FILE" else a.replace("OUT", str(tmp_path / "out")) for a in command]
    status, _, err = cli(*args)
    lines = err.splitlines()
    assert status == 0 and len(lines) == 1 and lines[0].startswith("tokvec: warning: ") and "UTF-8" in lines[0], err


def test_usage_errors_exit_2_as_the_readme_says(cli):
    status, _, err = cli("encode", "--no-such-option")
    assert status == 2 and "usage:" in err
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "2 for a usage error" in readme


# ---------------------------------------------------------------- recommend


def test_recommend_subcommands_have_examples_and_debug():
    from tokvec.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and "recommend" in a.choices).choices["recommend"]
    commands = next(a for a in sub._actions if a.choices and "train" in a.choices).choices
    for name in ("train", "similar", "next", "find", "evaluate"):
        text = commands[name].format_help()
        assert "\nexample:\n  tokvec recommend " + name in text and "--debug" in text, name


@pytest.mark.parametrize(
    "content, extra, message",
    [
        ("", [], "too few"),
        ("1 2 3\n", [], "too few"),
        ("1 2 3\n2 3 4\n", ["--test-fraction", "0"], "--test-fraction must be between 0 and 1"),
    ],
)
def test_recommend_evaluate_refuses_what_cannot_be_evaluated(cli, tmp_path, content, extra, message):
    path = tmp_path / "playlists.txt"
    path.write_text(content)
    status, out, err = cli("recommend", "evaluate", str(path), "--seeds", "1", "--presets", "book", "-q", *extra)
    assert status == 1 and message in err and out == ""  # was a table of zeros, or a ValueError


def test_junk_lines_in_a_playlist_file_are_refused(tmp_path):
    from tokvec.errors import FormatError
    from tokvec.recommend import read_playlists

    path = tmp_path / "playlists.txt"
    path.write_text("1 2 3\n4 5 6\nhello world\n")
    with pytest.raises(FormatError, match="line 3: 'hello' is not a song id"):
        read_playlists(str(path))
    path.write_bytes(b"a b c\nd \x00\x01 e\n")
    with pytest.raises(FormatError, match="line 2"):
        read_playlists(str(path))


def test_song_typos_get_suggestions(recommender):
    with pytest.raises(tokvec.UnknownTokenError, match="Did you mean 'Metallica - Fade To Black'"):
        recommender.lookup("Metalica - Fade To Blak")


@pytest.mark.parametrize("top_k", ["0", "-3"])
def test_recommend_top_k_below_one_is_refused(cli, top_k):
    status, _, err = cli("recommend", "find", "metallica", "-k", top_k, "-m", "unused.npz")
    assert status == 1 and "--top-k must be 1 or more" in err


# ---------------------------------------------------------------- similar


@pytest.fixture
def vectors(tmp_path):
    kv = tokvec.KeyedVectors(["king", "queen", "man", "woman"], np.eye(4, dtype=np.float32) + 0.1)
    path = tmp_path / "v.bin"
    kv.save(str(path))
    return str(path)


def test_similar_refuses_a_key_both_positive_and_negative(cli, vectors):
    status, _, err = cli("similar", vectors, "king", "--negative", "king")
    assert status == 1 and "both positive and negative" in err


def test_similar_top_k_zero_is_refused(cli, vectors):
    status, _, err = cli("similar", vectors, "king", "--top-k", "0")
    assert status == 1 and "top_k must be 1 or more" in err


def test_suggestions_try_the_other_case_first():
    kv = tokvec.KeyedVectors(["ing", "king", "kings", "queen"], np.eye(4, dtype=np.float32))
    with pytest.raises(UnknownKeyError, match="close keys: 'king'"):
        kv.index("King")
