"""`tokvec plot`, `tokvec export projector` and `tokvec serve` on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import numpy as np
import pytest

import tokvec
from tokvec.cli import _points

pytest.importorskip("matplotlib", reason="matplotlib (the plot extra) is missing: pip install 'tokvec[plot]'")


@pytest.fixture(scope="module")
def vectors_file(tmp_path_factory):
    keys = ["king", "queen", "man", "woman", "sea", "water"]
    kv = tokvec.KeyedVectors(keys, np.random.default_rng(0).standard_normal((6, 5)).astype(np.float32))
    path = tmp_path_factory.mktemp("vec") / "v.txt"
    kv.save(str(path))
    return path, tokvec.KeyedVectors.load(str(path))


@pytest.fixture(scope="module")
def songs_file(tmp_path_factory):
    from tokvec.recommend import preset, sample_playlists, save_recommender, train_recommender

    path = tmp_path_factory.mktemp("songs") / "songs.npz"
    save_recommender(train_recommender(sample_playlists(), preset("book").replace(epochs=1)), path)
    return path


def test_plot_words(cli, vectors_file, tmp_path):
    path, _ = vectors_file
    rc, out, err = cli("plot", str(path), "king", "queen", "sea", "-o", str(tmp_path / "pca.png"))
    assert rc == 0, err
    assert out.strip() == f"wrote {tmp_path / 'pca.png'}: 3 words, pca"
    assert (tmp_path / "pca.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_colour_by_and_errors(cli, vectors_file, tmp_path):
    path, _ = vectors_file
    (tmp_path / "c.tsv").write_text("king\troyal\nqueen\troyal\n")
    rc, _, err = cli("plot", str(path), "--color-by", str(tmp_path / "c.tsv"), "-o", str(tmp_path / "c.svg"))
    assert rc == 0, err
    (tmp_path / "bad.txt").write_text("one\n")
    rc, _, err = cli("plot", str(path), "--color-by", str(tmp_path / "bad.txt"), "-o", str(tmp_path / "c.svg"))
    assert rc == 1 and "1 labels for 6 points" in err
    rc, _, err = cli("plot", str(path), "nope", "-o", str(tmp_path / "x.png"))
    assert rc == 1 and "tokvec: error: 'nope' is not among" in err
    rc, _, err = cli("plot", "-o", str(tmp_path / "x.png"))
    assert rc == 1 and "give a VECTORS file" in err


def test_export_projector_words(cli, vectors_file, tmp_path):
    path, kv = vectors_file
    rc, out, err = cli("export", "projector", str(path), "-o", str(tmp_path / "p"), "--format", "json")
    assert rc == 0, err
    summary = json.loads(out)
    assert summary["points"] == 6 and summary["columns"] == ["word"]
    np.testing.assert_allclose(np.loadtxt(tmp_path / "p" / "vectors.tsv", delimiter="\t"), kv.vectors, rtol=1e-6)
    assert (tmp_path / "p" / "metadata.tsv").read_text().split("\n")[:2] == ["king", "queen"]
    config = json.loads((tmp_path / "p" / "projector_config.json").read_text())
    assert config["embeddings"][0]["tensorShape"] == [6, 5]


def test_export_projector_songs(cli, songs_file, tmp_path):
    rc, out, err = cli("export", "projector", str(songs_file), "--limit", "25", "-o", str(tmp_path / "s"))
    assert rc == 0, err
    meta = (tmp_path / "s" / "metadata.tsv").read_text().split("\n")
    assert meta[0] == "title\tartist" and len(meta) == 27 and meta[-1] == ""
    rc, out, err = cli("plot", str(songs_file), "Metallica - One", "fade to black", "-o", str(tmp_path / "s.png"))
    assert rc == 0 and "2 songs" in out, err


def test_export_and_plot_sentence_embeddings(cli, tmp_path, monkeypatch):
    from tests.serve.fakes import HashEncoder

    monkeypatch.setattr(_points, "load_encoder", lambda name: HashEncoder())
    (tmp_path / "t.txt").write_text("a cat\nthe cat sat\n\nbanks and money\n")
    rc, out, err = cli(
        "export", "projector", "-m", "fake", "--texts", str(tmp_path / "t.txt"), "-o", str(tmp_path / "e")
    )
    assert rc == 0, err
    want = HashEncoder().embed(["a cat", "the cat sat", "banks and money"])
    np.testing.assert_allclose(np.loadtxt(tmp_path / "e" / "vectors.tsv", delimiter="\t"), want, rtol=1e-6)
    (tmp_path / "l.txt").write_text("animal\nanimal\nmoney\n")
    rc, out, err = cli("plot", "-m", "fake", "--texts", str(tmp_path / "t.txt"), "--color-by", str(tmp_path / "l.txt"),
                       "-o", str(tmp_path / "t.png"))  # fmt: skip
    assert rc == 0 and "3 texts" in out, err


def test_serve_prints_its_address_and_serves(vectors_file, tmp_path):
    pytest.importorskip("uvicorn", reason="the serve extra is missing")
    path, _ = vectors_file
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "tokvec.cli.main", "serve", "--vectors", str(path), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        line = proc.stdout.readline()
        assert line.startswith("tokvec: serving on http://127.0.0.1:"), line + proc.stderr.read()
        url = line.split()[3]
        with urllib.request.urlopen(url + "/api/neighbors?word=king&k=2", timeout=30) as r:
            assert len(json.load(r)["neighbors"]) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_warns_off_loopback(cli, vectors_file):
    rc, _, err = cli("serve", "--host", "0.0.0.0", "--dry-run")
    assert rc == 0 and "tokvec: warning: --host 0.0.0.0: other machines can reach this server; set --api-key" in err
    rc, _, err = cli("serve", "-m", "nothing-here", "--dry-run")
    assert rc == 1 and "tokvec: error:" in err
