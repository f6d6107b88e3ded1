"""Crafted files: each loads, or raises a TokvecError naming the file; never a signal, a huge allocation, or
another exception type. Every case here crashed, hung or raised a builtin before issue 18."""

from __future__ import annotations

import gzip
import io
import json
import os

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tokvec.errors import FormatError, InputTypeError, TokvecError, TokvecWarning, UnknownTokenError
from tokvec.recommend import load_recommender, save_recommender
from tokvec.vectors.formats import load as load_vectors

# ---------------------------------------------------------------- .npz of a recommender and of vectors


def _rewrite_npz(src, dst, **changes):
    with np.load(src, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    for key, value in changes.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value(arrays[key]) if callable(value) else value
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    dst.write_bytes(buf.getvalue())
    return str(dst)


@pytest.fixture
def saved_recommender(recommender, tmp_path):
    path = tmp_path / "songs.npz"
    save_recommender(recommender, path)
    return path


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"transitions_indices": lambda a: a + 10**6}, "transitions_indices holds"),  # was a segfault in sum_rows
        ({"cooccurrences_indices": lambda a: a - 10**6}, "cooccurrences_indices holds"),
        ({"transitions_indptr": lambda a: a[::-1].copy()}, "transitions_indptr must start at 0"),
        ({"transitions_indptr": lambda a: a[:-5]}, "transitions_indptr has"),
        ({"transitions_data": lambda a: a[:-1]}, "transitions_data has"),
        ({"popularity": lambda a: a[:3]}, "popularity has"),
        ({"vectors": lambda a: a[:, 0]}, "vectors has 1 dimensions"),
        ({"vectors": lambda a: a.astype(str)}, "vectors has dtype"),
        ({"keys": lambda a: a[:-1]}, "titles has"),
        ({"known": None}, "needs 'known'"),
        ({"header": np.array(["{not json"])}, "a recommender file needs"),
        ({"header": np.array('{"format": "tokvec-recommender", "version": 1, "config": 3}')}, "no config object"),
    ],
)
def test_recommender_npz_arrays_are_checked(saved_recommender, tmp_path, changes, message):
    bad = _rewrite_npz(saved_recommender, tmp_path / "bad.npz", **changes)
    with pytest.raises(FormatError, match=message) as info:
        load_recommender(bad)
    assert bad in str(info.value)


def test_recommender_next_on_a_bad_file_is_an_error_not_a_segfault(saved_recommender, tmp_path, cli):
    bad = _rewrite_npz(saved_recommender, tmp_path / "bad.npz", transitions_indices=lambda a: a + 10**6)
    status, _, err = cli("recommend", "next", "-m", bad, "1")
    assert status == 1 and err.startswith(f"tokvec: error: {bad}: transitions_indices holds")


def test_npz_with_pickled_objects_is_refused(tmp_path):
    path = tmp_path / "obj.npz"
    np.savez(path, header=np.array([{"a": 1}], dtype=object), keys=np.array(["a"]))  # was ValueError
    with pytest.raises(FormatError, match="pickle"):
        load_recommender(str(path))
    with pytest.raises(FormatError, match="pickle"):
        load_vectors(str(path))


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"keys": np.array(["a", "b", "c"]), "vectors": np.ones((2, 3), np.float32), "counts": np.ones(3)},
         "vectors has 2 entries"),  # short vectors: was an IndexError
        ({"keys": np.array(["a", "b"]), "vectors": np.ones(2, np.float32), "counts": np.ones(2)}, "1 dimensions"),
        ({"keys": np.array([1, 2]), "vectors": np.ones((2, 2), np.float32), "counts": np.ones(2)}, "keys has dtype"),
        ({"keys": np.array(["a"]), "vectors": np.full((1, 2), np.nan, np.float32), "counts": np.ones(1)}, "NaN"),
        ({"keys": np.array(["a"]), "vectors": np.ones((1, 2), np.float32), "counts": np.ones(1),
          "config": np.array("[1]")}, "not a JSON object"),
    ],
)  # fmt: skip
def test_vector_npz_arrays_are_checked(tmp_path, arrays, message):
    path = tmp_path / "v.npz"
    np.savez(path, **arrays)
    with pytest.raises(FormatError, match=message):
        load_vectors(str(path))


# ---------------------------------------------------------------- word2vec and GloVe text/binary


def test_word2vec_header_that_lies_is_refused_before_allocating(tmp_path):
    path = tmp_path / "lie.bin"
    path.write_bytes(b"1000000000000 1000000\nab \x00\x00\x00\x00\n")  # asked for 3.47 EiB: MemoryError
    with pytest.raises(FormatError, match="the header is wrong or the file is cut short"):
        load_vectors(str(path))


@pytest.mark.parametrize("row", [b"a 1e39 2\n", b"a nan 2\n", b"a inf 2\n"])
def test_non_finite_text_vectors_are_refused(tmp_path, row):
    path = tmp_path / "v.txt"
    path.write_bytes(b"1 2\n" + row)
    with pytest.raises(FormatError, match="row 1 holds NaN or infinite"):
        load_vectors(str(path))


def test_corrupt_gzip_vectors_name_the_file(tmp_path):
    path = tmp_path / "v.txt.gz"
    data = bytearray(gzip.compress(b"2 2\na 1 2\nb 3 4\n" * 50))
    data[30] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(TokvecError, match=str(path)):
        load_vectors(str(path))


# ---------------------------------------------------------------- tokenizer.json and friends


@pytest.fixture(scope="module")
def bert_json():
    return json.loads(data_path("tokenizers/bert-base-uncased/tokenizer.json").read_text(encoding="utf-8"))


def _write_json(tmp_path, obj, name="tokenizer.json"):
    path = tmp_path / name
    path.write_text(json.dumps(obj), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda o: o["added_tokens"].append({"id": 99_999_999, "content": "[X]"}), "added_tokens.* is 99999999"),
        (lambda o: o["added_tokens"].append({"id": 2 * 10**9, "content": "[X]"}), "is 2000000000, outside"),
        (lambda o: o.update(padding={"strategy": {"Fixed": 10**9}}), "padding Fixed is 1000000000"),
        (lambda o: o["model"]["vocab"].update(zzz=10**12), "the id of 'zzz' is 1000000000000"),  # OverflowError
        (lambda o: o["model"]["vocab"].update(zzz=1.5), "must be a whole number"),
        (lambda o: o["model"]["vocab"].update(zzz=-3), "is -3, outside"),
    ],
)
def test_tokenizer_json_ids_and_sizes_are_checked(tmp_path, bert_json, edit, message):
    obj = json.loads(json.dumps(bert_json))
    edit(obj)
    path = _write_json(tmp_path, obj)
    with pytest.raises(FormatError, match=message) as info:
        tokvec.load(path)
    assert str(info.value).startswith(path)


def test_deeply_nested_json_is_a_format_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"model": ' + "[" * 100_000 + "]" * 100_000 + "}")  # was RecursionError
    with pytest.raises(FormatError, match="nested too deeply"):
        tokvec.load(str(path))


def test_deeply_nested_components_are_a_format_error(tmp_path, bert_json):
    obj = json.loads(json.dumps(bert_json))
    obj["pre_tokenizer"] = "PRE"
    deep = '{"type": "Sequence", "pretokenizers": [' * 5000 + '{"type": "Whitespace"}' + "]}" * 5000
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(obj).replace('"PRE"', deep), encoding="utf-8")
    with pytest.raises(FormatError, match="nested too deeply"):
        tokvec.load(str(path))


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_corrupt_json_gz_names_the_file(tmp_path, bert_json, damage, cli):
    data = bytearray(gzip.compress(json.dumps(bert_json).encode()))
    if damage == "truncate":
        del data[5000:]
    else:
        data[2000] ^= 0x55
    path = tmp_path / "tokenizer.json.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(FormatError, match=str(path)):
        tokvec.load(str(path))
    status, _, err = cli("count", "-t", "gpt2", "--quiet", str(path))
    assert status == 1 and str(path) in err and "bug" not in err


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda o: o["model"].update(unk_token="[NOPE]"), "unk_token '\\[NOPE\\]' is not in the vocabulary"),
        (lambda o: o["model"]["vocab"].update(zzz=5), "share an id"),
        (lambda o: o["model"].update(type="BPE", merges=[]), "tagged BPE"),
    ],
)
def test_flawed_tokenizer_json_loads_with_a_warning(tmp_path, bert_json, edit, message):
    obj = json.loads(json.dumps(bert_json))
    edit(obj)
    with pytest.warns(TokvecWarning, match=message):
        tokvec.load(_write_json(tmp_path, obj))


def test_huge_tiktoken_rank_is_refused(tmp_path):
    path = tmp_path / "ranks.tiktoken"
    path.write_bytes(b"YQ== 0\nYg== 99999999999999999999\n")  # was OverflowError
    with pytest.raises(FormatError, match=f"{path}: .*far beyond"):
        tokvec.load(str(path), pattern="r50k")


def test_vocab_txt_with_repeated_lines_loads(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nhello\nworld\n")  # was IndexError
    tok = tokvec.load(str(path))
    assert tok.decode(tok.encode("hello world").ids) == "hello world"


# ---------------------------------------------------------------- ids and text given to a tokenizer


@pytest.mark.parametrize("name", ["gpt2", "bert-base-uncased"])
@pytest.mark.parametrize(
    "ids, error",
    [([2**63], UnknownTokenError), ([2**64], UnknownTokenError), ([1.5], InputTypeError), (["12"], InputTypeError),
     (np.array([1.0]), InputTypeError), ("12", InputTypeError)],
)  # fmt: skip
def test_decode_refuses_what_is_not_an_id(name, ids, error):
    from tests.hardening.conftest import _preset

    with pytest.raises(error):
        _preset(name).decode(ids)


def test_lone_surrogates_encode_with_t5():
    from tests.hardening.conftest import _preset

    tok = _preset("t5-small")
    for text in ("a\udcffb", "\udced\udcb3\udcbf x", "\ud83d"):  # UnicodeEncodeError in the charsmap
        assert len(tok.encode(text).ids) >= 1


# ---------------------------------------------------------------- writes


def test_atomic_writes_follow_the_umask_and_keep_a_replaced_files_mode(tmp_path):
    from tokvec._io import atomic_write

    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.txt", b"x")
        assert os.stat(tmp_path / "new.txt").st_mode & 0o777 == 0o640  # mkstemp gave 0600
        (tmp_path / "old.txt").write_bytes(b"")
        os.chmod(tmp_path / "old.txt", 0o644)
        atomic_write(tmp_path / "old.txt", b"y")
        assert os.stat(tmp_path / "old.txt").st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt", "old.txt"]
