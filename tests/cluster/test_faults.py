"""Faults: a worker killed mid-job changes nothing, a corrupt file fails naming it, an interrupted job resumes."""

from __future__ import annotations

import gzip
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

from tokvec.cluster import LengthEncoder, count_files, embed_files, tokenize_files, train_files
from tokvec.errors import TokvecError, TokvecFileError

from .conftest import make_text

# the workers cannot import this test module: send its functions and classes by value
cloudpickle = pytest.importorskip("cloudpickle", reason="the cluster tests need dask.distributed (tokvec[cluster])")
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class SlowEncoder(LengthEncoder):
    """LengthEncoder that takes 0.3 s per call, so that a job is still running when a worker is killed."""

    def embed(self, texts, **options):
        time.sleep(0.3)
        return super().embed(texts, **options)


def slow_loader(model: str) -> SlowEncoder:
    return SlowEncoder(model)


def test_a_worker_killed_mid_job_changes_nothing(client, tmp_path):
    for k in range(10):
        (tmp_path / f"in{k:02d}.txt").write_text(make_text(100 + k, 120), encoding="utf-8")
    files = [str(tmp_path / "in*.txt")]
    expected = embed_files(files, "m", str(tmp_path / "one"), loader=LengthEncoder, shard_rows=50)
    out = tmp_path / "cluster"
    result: dict = {}

    def job() -> None:
        try:
            result["manifest"] = embed_files(files, "m", str(out), client=client, loader=slow_loader, shard_rows=50)
        except BaseException as e:  # pragma: no cover - reported below
            result["error"] = e

    thread = threading.Thread(target=job)
    thread.start()
    deadline = time.monotonic() + 120
    while not (out / "parts").is_dir() or not os.listdir(out / "parts"):
        assert time.monotonic() < deadline, "the job never finished a file"
        time.sleep(0.05)
    busy = [addr for addr, keys in client.processing().items() if keys]
    pids = client.run(os.getpid)
    finished_before_kill = len(os.listdir(out / "parts"))
    os.kill(pids[busy[0]], signal.SIGKILL)  # its task is taken up again on a worker that lives
    thread.join(timeout=180)
    assert "error" not in result, result.get("error")
    assert finished_before_kill < 10  # the kill came in the middle of the job
    manifest = result["manifest"]
    assert [s["name"] for s in manifest["shards"]] == [s["name"] for s in expected["shards"]]
    for s in expected["shards"]:
        for name in s["files"]:
            np.testing.assert_array_equal(np.load(out / name), np.load(tmp_path / "one" / name))
    assert not [n for n in os.listdir(out) if n.startswith(".tmp-")]
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker for the tests that follow


@pytest.fixture
def corrupt_gz(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(make_text(7, 50), encoding="utf-8")
    data = bytearray(gzip.compress(make_text(8, 3000).encode("utf-8")))
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # a damaged block in the middle
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(bytes(data))
    return good, bad


def test_a_corrupt_gz_fails_the_job_naming_the_file(client, corrupt_gz, tmp_path):
    good, bad = corrupt_gz
    files = [str(good), str(bad)]
    with pytest.raises(TokvecError, match=r"bad\.txt\.gz"):
        count_files(files, ["gpt2"], client=client)
    with pytest.raises(TokvecError, match=r"bad\.txt\.gz"):
        train_files("bpe", files, client=client, vocab_size=300)
    with pytest.raises(TokvecError, match=r"bad\.txt\.gz"):
        tokenize_files(files, "gpt2", str(tmp_path / "out"), client=client)
    assert not (tmp_path / "out" / "manifest.json").exists()


@pytest.mark.parametrize("job", ["count", "train", "tokenize"])
def test_a_truncated_gz_fails_naming_the_file(tmp_path, job):
    data = gzip.compress(make_text(8, 2000).encode("utf-8"))
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(TokvecError, match=r"cut\.txt\.gz"):
        if job == "count":
            count_files([str(cut)], ["gpt2"])
        elif job == "train":
            train_files("bpe", [str(cut)], vocab_size=300)
        else:
            tokenize_files([str(cut)], "gpt2", str(tmp_path / "out"))


def test_an_interrupted_job_resumes_and_skips_finished_files(corrupt_gz, tmp_path):
    good, bad = corrupt_gz
    other = tmp_path / "other.txt"
    other.write_text(make_text(9, 80), encoding="utf-8")
    files = [str(good), str(bad), str(other)]
    out = tmp_path / "out"
    with pytest.raises(TokvecFileError, match=r"bad\.txt\.gz"):
        tokenize_files(files, "gpt2", str(out), shard_tokens=200)
    done_first = {p.name: p.stat().st_mtime_ns for p in out.glob("00000-*")}
    assert done_first and not (out / "manifest.json").exists()
    bad.write_bytes(gzip.compress(make_text(8, 300).encode("utf-8")))  # the file is mended
    resumed = tokenize_files(files, "gpt2", str(out), shard_tokens=200)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("00000-*")} == done_first  # not written again
    fresh = tokenize_files(files, "gpt2", str(tmp_path / "fresh"), shard_tokens=200)
    assert resumed == fresh
    with pytest.raises(TokvecFileError, match="another job"):
        tokenize_files(files, "cl100k_base", str(out), shard_tokens=200)
