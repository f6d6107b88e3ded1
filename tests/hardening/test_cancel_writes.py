"""Ctrl-C removes the temporary folders and files of the later commands, whatever moment it lands at.

The interrupt test (``test_interrupts.py``) sends real signals, but at moments that a loaded machine
moves; these tests call :func:`tokvec._io.cancel_writes` (what the main thread does on Ctrl-C) at the
exact moment: while GloVe's counting has spilled runs to disk, while an index folder is written,
while a shard is written, and after a sharded job created its folder but finished nothing.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from tokvec import _io


class _Letters:
    name, dim, max_seq_length = "letters", 3, None

    def embed(self, texts, **options):
        return np.array([[t.count(c) + 0.01 for c in "abc"] for t in texts], np.float32)

    def fingerprint(self):
        return "letters-v1"


@pytest.fixture
def tracking(monkeypatch):
    """Track writes as ``tokvec.cli.main.run`` does; the module's state is put back afterwards."""
    monkeypatch.setattr(_io, "_state", {"tracking": False, "cancelled": False})
    monkeypatch.setattr(_io, "_temporary", set())
    monkeypatch.setattr(_io, "_created", [])
    monkeypatch.setattr(_io, "_folders", [])
    _io.track_writes()


def test_glove_spill_folder_goes_on_cancel(tracking, tmp_path):
    from tokvec.vectors.cooccur import _Runs

    runs = _Runs(64, n_vocab=10, tmpdir=str(tmp_path))  # 4 records fit: the second run spills
    for _ in range(3):
        runs.add(np.arange(4, dtype=np.int64), np.ones(4))
    assert runs.spilled and os.listdir(tmp_path)
    _io.cancel_writes()
    assert os.listdir(tmp_path) == []


def test_glove_spill_folder_is_forgotten_once_closed(tracking, tmp_path):
    from tokvec.vectors.cooccur import _Runs

    runs = _Runs(64, n_vocab=10, tmpdir=str(tmp_path))
    runs.add(np.arange(8, dtype=np.int64), np.ones(8))
    runs.close()
    assert os.listdir(tmp_path) == [] and not _io._temporary


def test_index_folder_being_written_goes_on_cancel(tracking, tmp_path, monkeypatch):
    from tokvec.search import Index, store

    index = Index.build(_Letters(), {"x": "aaa b", "y": "cc c"}, chunk=None, bm25=False)
    real = store.np.savez
    left: list[list[str]] = []

    def savez_then_ctrl_c(*args, **kwargs):
        real(*args, **kwargs)
        _io.cancel_writes()  # the main thread, on Ctrl-C, while the worker writes the folder
        left.append(os.listdir(tmp_path))  # then the process exits at once: no except clause runs
        raise KeyboardInterrupt

    monkeypatch.setattr(store.np, "savez", savez_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        index.save(str(tmp_path / "index"))
    assert left == [[]]


def test_new_index_folder_goes_on_cancel_until_the_command_ends(tracking, tmp_path):
    from tokvec.search import Index

    Index.build(_Letters(), {"x": "aaa b"}, chunk=None, bm25=False).save(str(tmp_path / "index"))
    assert os.listdir(tmp_path) == ["index"]
    _io.cancel_writes()  # the command had not finished: what it created goes, as with files
    assert os.listdir(tmp_path) == []


def test_shard_being_written_and_empty_job_folder_go_on_cancel(tracking, tmp_path, monkeypatch):
    from tokvec.cluster import shards

    out = tmp_path / "vectors"
    _io.track_folder(out)
    (out / "parts").mkdir(parents=True)
    real = np.save

    def save_then_ctrl_c(*args, **kwargs):
        real(*args, **kwargs)
        _io.cancel_writes()
        raise KeyboardInterrupt

    monkeypatch.setattr(shards.np, "save", save_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        shards.save_array(str(out / "00000-0000.npy"), np.zeros(3, np.float32))
    assert os.listdir(tmp_path) == []


def test_a_job_folder_with_finished_shards_stays(tracking, tmp_path):
    from tokvec.cluster import shards

    out = tmp_path / "vectors"
    _io.track_folder(out)
    (out / "parts").mkdir(parents=True)
    shards.save_array(str(out / "00000-0000.npy"), np.zeros(3, np.float32))
    _io.cancel_writes()
    assert sorted(os.listdir(out)) == ["00000-0000.npy"]  # the job resumes from it; the empty parts/ went


def test_a_finished_input_of_a_sharded_job_survives_cancel_and_resumes(tracking, tmp_path):
    from tokvec.cluster import shards
    from tokvec.cluster.sources import Source

    out = tmp_path / "vectors"
    _io.track_folder(out)
    (out / "parts").mkdir(parents=True)
    source = Source(path=str(tmp_path / "a.txt"), name="a.txt", size=3, mtime_ns=1)

    def task(item, *, out_dir, job):
        info = shards.save_array(str(out / "00000-0000.npy"), np.zeros(3, np.float32))
        return {"documents": 1, "rows": 3, "shards": [{"files": ["00000-0000.npy"], **info}]}

    marker = shards._run_and_mark((0, source), task=task, out_dir=str(out), job={"model": "m"})
    _io.cancel_writes()
    assert sorted(os.listdir(out / "parts")) == ["00000.json"]
    assert shards._finished(shards._read_marker(str(out / "parts"), 0), source, {"model": "m"}, str(out))
    assert marker["rows"] == 3


def test_no_temporary_after_cancel(tracking, tmp_path):
    _io.cancel_writes()
    folder = tmp_path / "late"
    folder.mkdir()
    with pytest.raises(KeyboardInterrupt):
        _io.register_temporary(folder)  # the worker starts a write after the Ctrl-C
    assert not folder.exists()
