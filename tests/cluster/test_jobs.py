"""Each job on a local cluster of 2 worker processes gives what one process gives: counts, tokenizer files,
token shards, vector shards."""

from __future__ import annotations

import json
import os
import pathlib

import numpy as np
import pytest

import tokvec
from tokvec.cluster import (
    LengthEncoder,
    count_files,
    embed_files,
    expand,
    merge_counts,
    read_shard,
    tokenize_files,
    train_files,
)
from tokvec.tokens.trainers.counting import count_words

TEXT_FILES = ("a.txt", "b.txt.gz", "c.txt", "d.txt")


def test_count_equals_one_process(client, corpus):
    files = [str(corpus / "*")]
    here = count_files(files, ["gpt2", "cl100k_base"])
    there = count_files(files, ["gpt2", "cl100k_base"], client=client)
    assert [r.as_json() for r in there] == [r.as_json() for r in here]
    assert [pathlib.Path(r.path).name for r in here] == ["a.txt", "b.txt.gz", "c.txt", "d.txt", "e.jsonl", "f.jsonl.gz"]
    # a text file counts as the whole file encoded as one text (what `tokvec count` says)
    whole = (corpus / "c.txt").read_bytes().decode("utf-8")
    assert here[2].tokens["cl100k_base"] == len(tokvec.load("cl100k_base").encode(whole, disallowed_special=()))
    # a JSON Lines file: each record's text is a document
    texts = [json.loads(line)["text"] for line in (corpus / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert here[4].tokens["gpt2"] == sum(len(tokvec.load("gpt2").encode_ordinary(t).ids) for t in texts)
    assert here[4].stats.lines == 80


@pytest.mark.parametrize(
    ("trainer", "train", "options"),
    [
        ("bpe", tokvec.train_bpe, {"vocab_size": 400}),
        ("bpe", tokvec.train_bpe, {"vocab_size": 120, "byte_level": False, "pre_tokenizer": "whitespace",
                                   "end_of_word_suffix": "</w>"}),
        ("wordpiece", tokvec.train_wordpiece, {"vocab_size": 150}),
        ("unigram", tokvec.train_unigram, {"vocab_size": 120}),
    ],
)  # fmt: skip
def test_train_writes_the_same_file(client, corpus, tmp_path, trainer, train, options):
    paths = [corpus / n for n in TEXT_FILES]
    train(paths, progress=False, **options).save(tmp_path / "one.json")
    train_files(trainer, [str(p) for p in paths], client=client, **options).save(tmp_path / "cluster.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "cluster.json").read_bytes()


def test_train_on_json_lines_equals_training_on_the_texts(client, corpus):
    texts = [json.loads(line)["text"] for line in (corpus / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    one = tokvec.train_bpe(texts, vocab_size=300, progress=False)
    there = train_files("bpe", [str(corpus / "e.jsonl")], client=client, vocab_size=300)
    assert there.to_json() == one.to_json()


def test_merged_counts_equal_counting_everything_at_once(corpus):
    paths = [corpus / n for n in TEXT_FILES]
    parts = [count_words(p, pre_tokenizer="o200k", allow_empty=True) for p in paths]
    whole = count_words(paths, pre_tokenizer="o200k")
    merged = merge_counts(parts)
    for a in ("data", "offsets", "counts"):
        np.testing.assert_array_equal(getattr(merged, a), getattr(whole, a))


def _shard_bytes(folder: pathlib.Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != "parts"}


def test_tokenize_gives_identical_shards(client, corpus, tmp_path):
    files = [str(corpus / "*")]
    here = tokenize_files(files, "gpt2", str(tmp_path / "one"), shard_tokens=700, eot=True)
    there = tokenize_files(files, "gpt2", str(tmp_path / "cluster"), client=client, shard_tokens=700, eot=True)
    assert there == here
    assert _shard_bytes(tmp_path / "cluster") == _shard_bytes(tmp_path / "one")
    assert len(here["shards"]) > len(here["files"])  # files were cut into several shards
    assert here["dtype"] == "uint16" and here["eot"] == 50256
    assert here["tokens"] == sum(s["tokens"] for s in here["shards"])
    ids, starts = read_shard(str(tmp_path / "one"), "00000-0001")
    assert ids.dtype == np.dtype("<u2") and starts[-1] == len(ids)
    assert (ids[starts[1:] - 1] == 50256).all()  # each document ends with the end-of-text token


def test_token_shards_decode_to_the_file_and_use_uint32_past_65536(corpus, tmp_path):
    m = tokenize_files([str(corpus / "a.txt")], "cl100k_base", str(tmp_path / "out"), shard_tokens=300)
    assert m["dtype"] == "uint32" and m["tokenizer"]["vocab_size"] > 65536
    ids = np.concatenate([read_shard(str(tmp_path / "out"), s["name"])[0] for s in m["shards"]])
    assert ids.dtype == np.dtype("<u4")
    assert tokvec.load("cl100k_base").decode(ids.tolist()) == (corpus / "a.txt").read_bytes().decode("utf-8")
    raw = np.fromfile(tmp_path / "out" / "00000-0000.bin", dtype=np.uint32)  # nanoGPT reads it so
    assert raw.tolist() == read_shard(str(tmp_path / "out"), "00000-0000")[0].tolist()


def test_embed_gives_equal_vectors_and_loads_the_model_once_per_worker(client, corpus, tmp_path):
    files = [str(corpus / "*")]
    here = embed_files(files, "lengths", str(tmp_path / "one"), loader=LengthEncoder, shard_rows=64)
    log = tmp_path / "loads"
    log.mkdir()
    there = embed_files(files, str(log), str(tmp_path / "cluster"), client=client, loader=logged_loader, shard_rows=64)
    assert [s["name"] for s in there["shards"]] == [s["name"] for s in here["shards"]]
    for s in here["shards"]:
        for name in s["files"]:
            np.testing.assert_allclose(np.load(tmp_path / "cluster" / name), np.load(tmp_path / "one" / name))
    assert there["rows"] == here["rows"] and here["rows"] < here["documents"]  # blank lines left out
    loads = [p.name.split("-")[0] for p in log.iterdir()]
    workers = [str(pid) for pid in client.run(os.getpid).values()]
    assert sorted(pid for pid in loads if pid in workers) == sorted(set(pid for pid in loads if pid in workers))


def logged_loader(model: str) -> LengthEncoder:
    """A loader that leaves a file named after its process in the folder ``model``."""
    with open(os.path.join(model, f"{os.getpid()}-{len(os.listdir(model))}"), "w"):
        pass
    return LengthEncoder(model)


def test_expand_keeps_order_and_reads_json_lines(corpus):
    sources = expand([str(corpus / "c.txt"), str(corpus / "*.txt")])
    assert [pathlib.Path(s.path).name for s in sources] == ["c.txt", "a.txt", "d.txt"]
    assert [s.field for s in expand([str(corpus / "*.jsonl*")], field="text")] == ["text", "text"]


def _malloc_trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


_TRIM_HERE = _malloc_trim_threshold()  # read at collection, before a nanny of a local cluster sets it here


def test_local_workers_keep_glibc_malloc_defaults(client):
    # Dask's default MALLOC_TRIM_THRESHOLD_ makes every large buffer a fresh mmap (3x the page faults of one process)
    if _TRIM_HERE is not None:
        pytest.skip("MALLOC_TRIM_THRESHOLD_ is set in this environment, so the workers inherit it")
    assert set(client.run(_malloc_trim_threshold).values()) == {None}
