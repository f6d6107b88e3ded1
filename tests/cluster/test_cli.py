"""The corpus verbs in this process: globs and JSON Lines through the jobs path, the same as the classic path."""

from __future__ import annotations

import json

import pytest


def test_count_json_lines_and_globs(cli, corpus):
    rc, out, _ = cli("count", "-t", "gpt2", "--format", "json", "--quiet", str(corpus / "*.txt*"))
    assert rc == 0
    globbed = json.loads(out)
    rc, out, _ = cli("count", "-t", "gpt2", "--format", "json", "--quiet",
                     *(str(corpus / n) for n in ("a.txt", "b.txt.gz", "c.txt", "d.txt")))  # fmt: skip
    assert globbed["total"] == json.loads(out)["total"]
    rc, out, _ = cli("count", "-t", "gpt2", "--format", "json", "--quiet", str(corpus / "e.jsonl"))
    assert rc == 0 and json.loads(out)["files"][0]["lines"] == 80
    rc, _, err = cli("count", "-t", "gpt2", "--quiet", "--field", "body", str(corpus / "e.jsonl"))
    assert rc == 1 and "e.jsonl line 1: the record has no text field 'body'" in err


def test_train_from_a_glob_writes_the_classic_file(cli, corpus, tmp_path):
    files = [str(corpus / n) for n in ("a.txt", "b.txt.gz", "c.txt", "d.txt")]
    assert cli("train", "bpe", *files, "--vocab-size", "300", "-o", str(tmp_path / "a.json"), "--quiet")[0] == 0
    glob = str(corpus / "*.txt*")
    rc, _, _ = cli("train", "bpe", glob, "--vocab-size", "300", "-o", str(tmp_path / "b.json"), "--quiet")
    assert rc == 0 and (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_tokenize_summary_and_refusal(cli, corpus, tmp_path):
    out_dir = str(tmp_path / "shards")
    rc, out, _ = cli("tokenize", "-t", "gpt2", str(corpus / "*.txt*"), "-o", out_dir, "--format", "json", "-q")
    summary = json.loads(out)
    assert rc == 0 and summary["files"] == 4 and summary["dtype"] == "uint16"
    manifest = json.loads((tmp_path / "shards" / "manifest.json").read_text())
    assert manifest["tokens"] == summary["tokens"] and len(manifest["shards"]) == summary["shards"]
    rc, _, err = cli("tokenize", "-t", "gpt2", str(corpus / "*.txt*"), "-o", out_dir, "--eot", "-q")
    assert rc == 1 and "holds the shards of another job" in err


@pytest.mark.parametrize("where", ["local:0", "local:x"])
def test_bad_cluster_spec(cli, corpus, where):
    rc, _, err = cli("count", "-t", "gpt2", "--cluster", where, "-q", str(corpus / "a.txt"))
    assert rc == 1 and "local:N with N >= 1" in err
