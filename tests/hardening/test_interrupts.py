"""Ctrl-C: every long-running command exits 130 with one line on stderr, no traceback, and leaves no file.

Each command runs as a real process (``python -m tokvec``); SIGINT goes to it at two moments after
the command started (``TOKVEC_READY_FILE`` appears once the imports are done; a Ctrl-C during the
imports themselves is Python's, before tokvec runs): early (loading, reading, counting) and a while
later (the kernels: merges, EM rounds, epochs, tokenizing). The commands run side by side to keep
the test short. A command that finished before its signal leaves that moment untested; every
command must be caught at least once.
"""

from __future__ import annotations

import gzip
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import data_path

ROOT = pathlib.Path(__file__).resolve().parents[2]
MOMENTS = (0.2, 2.0)  # seconds after the command started


def _commands(tmp: pathlib.Path) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments, the input file whose opening starts the clock)."""
    eltec = data_path("text/eltec-eng/eltec-eng.txt.gz")
    corpus = tmp / "corpus.txt"
    if not corpus.exists():
        with gzip.open(eltec, "rb") as f:
            corpus.write_bytes(f.read(4_000_000))
    yes = data_path("playlists/yes_small")
    flores = data_path("flores200")
    out = "OUT/out"
    return {
        "train bpe": (["train", "bpe", str(corpus), "--vocab-size", "8000", "--quiet", "-o", f"{out}.json",
                       "--tiktoken", f"{out}.tiktoken"], str(corpus)),
        "train wordpiece": (["train", "wordpiece", str(corpus), "--vocab-size", "8000", "--quiet",
                             "-o", f"{out}.json"], str(corpus)),
        "train unigram": (["train", "unigram", str(corpus), "--vocab-size", "4000", "--quiet", "-o", f"{out}.json"],
                          str(corpus)),
        "train word2vec": (["train", "word2vec", str(corpus), "--epochs", "5", "--quiet", "-o", f"{out}.bin"],
                           str(corpus)),
        "count": (["count", "-t", "gpt2,cl100k_base", "--quiet", str(eltec)], str(eltec)),
        "stats": (["stats", "-t", "gpt2,cl100k_base", "--quiet", str(eltec)], str(eltec)),
        "parity": (["parity", "-t", "gpt2,cl100k_base", "--flores", str(flores), "--quiet", "--csv", f"{out}.csv"],
                   str(flores)),
        "recommend train": (["recommend", "train", str(yes), "--quiet", "-o", f"{out}.npz"],
                            str(yes / "train.txt")),
        "recommend evaluate": (["recommend", "evaluate", str(yes), "--seeds", "1", "--presets", "book", "-q"],
                               str(yes / "train.txt")),
    }  # fmt: skip


def _started(ready: pathlib.Path) -> bool:
    """Whether the command runs: ``tokvec.cli.main.run`` creates ``TOKVEC_READY_FILE`` after the imports."""
    return ready.exists()


def _interrupt_all(commands: dict[str, tuple[list[str], str]], delay: float, folder: pathlib.Path) -> dict:
    procs = {}
    for name, (args, _watch) in commands.items():
        work = folder / name.replace(" ", "-")
        work.mkdir()
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TOKVEC_READY_FILE=str(folder / f"{work.name}.ready"))
        procs[name] = subprocess.Popen(
            [sys.executable, "-m", "tokvec", *[a.replace("OUT", str(work)) for a in args]], cwd=work, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    opened: dict[str, float] = {}
    sent: set[str] = set()
    deadline = time.monotonic() + 60
    while len(sent) < len(procs) and time.monotonic() < deadline:
        now = time.monotonic()
        for name, p in procs.items():
            if name in sent:
                continue
            if p.poll() is not None:
                sent.add(name)  # finished (or failed) before the signal
                continue
            if name not in opened and _started(folder / f"{name.replace(' ', '-')}.ready"):
                opened[name] = now
            if name in opened and now - opened[name] >= delay:
                p.send_signal(signal.SIGINT)
                sent.add(name)
                procs[name]._tokvec_signalled = True  # type: ignore[attr-defined]
        time.sleep(0.01)
    results = {}
    for name, p in procs.items():
        try:
            _out, err = p.communicate(timeout=30 if name in sent else 0.1)
        except subprocess.TimeoutExpired:
            p.kill()
            _out, err = p.communicate()
        results[name] = (getattr(p, "_tokvec_signalled", False), p.returncode, err)
    return results


@pytest.mark.data
def test_sigint_exits_130_with_one_line_and_no_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    caught = {name: 0 for name in _commands(data)}
    for k, delay in enumerate(MOMENTS):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        results = _interrupt_all(_commands(data), delay, folder)
        for name, (signalled, status, err) in results.items():
            if not signalled or status == 0:
                assert status == 0, f"{name}: exit {status}, stderr {err[-800:]!r}"
                continue  # it finished before this moment
            assert status == 130, f"{name} at {delay} s: exit {status}, stderr {err[-800:]!r}"
            assert err == "tokvec: interrupted\n", f"{name} at {delay} s: stderr {err[-800:]!r}"
            left = sorted(p.name for p in (folder / name.replace(" ", "-")).iterdir())
            assert left == [], f"{name}: files left behind after Ctrl-C at {delay} s: {left}"
            caught[name] += 1
    missed = [name for name, n in caught.items() if not n]
    assert not missed, f"these commands finished before any signal (give them more work): {missed}"
