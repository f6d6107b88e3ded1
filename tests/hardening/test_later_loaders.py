"""Crafted files for the loaders that came after issue 18 started: safetensors, model2vec folders, search indexes.

Each case was found by the fuzz targets ``safetensors``, ``model2vec`` and ``search_index`` (or, for the
lying ``vectors.npy`` header, by reading the loader) and raised a builtin (TypeError, IndexError,
JSONDecodeError, OverflowError, ...) before; now each is a TokvecError naming the file. The files are
written by tokvec and then edited.
"""

from __future__ import annotations

import json
import pathlib
import struct

import numpy as np
import pytest

import tokvec
from tokvec.embed.safetensors import SafetensorsFile, write_safetensors
from tokvec.embed.static import load_static
from tokvec.errors import FormatError, TokvecError
from tokvec.search import Index

# ---------------------------------------------------------------- safetensors


def _with_header(path: pathlib.Path, edit) -> None:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    edit(header)
    head = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(head)) + head + data[8 + n :])


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda h: h["w"].update(dtype={"F32": 1}), "dtype .* is not one tokvec reads"),  # was TypeError: unhashable
        (lambda h: h.update(__metadata__=[1, 2]), "__metadata__ must be a JSON object"),
    ],
)
def test_safetensors_header_of_the_wrong_types(tmp_path, edit, message):
    path = tmp_path / "t.safetensors"
    write_safetensors(path, {"w": np.zeros((2, 3), np.float32)})
    _with_header(path, edit)
    with pytest.raises(FormatError, match=message) as e:
        SafetensorsFile(path)
    assert str(path) in str(e.value)


# ---------------------------------------------------------------- model2vec folders


@pytest.fixture
def static_folder(tmp_path):
    tok = tokvec.load("bert-base-uncased")
    table = np.random.default_rng(0).standard_normal((tok.vocab_size, 4)).astype(np.float32)
    folder = tmp_path / "m2v"
    tokvec.StaticEncoder.from_table(table, tok, name="toy").save(folder)
    return folder


def _tensors(folder: pathlib.Path, **changes) -> None:
    f = SafetensorsFile(folder / "model.safetensors")
    tensors = {n: np.array(f.tensor(n)) for n in f.names()}
    tensors.update(changes)
    write_safetensors(folder / "model.safetensors", {k: v for k, v in tensors.items() if v is not None})


def test_model2vec_folders_that_load_still_load(static_folder):
    enc = load_static(static_folder)
    assert enc.embed(["hello world"]).shape == (1, 4)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: (f / "config.json").write_text("{not json"), r"config\.json: not JSON"),  # was JSONDecodeError
        (lambda f: (f / "config.json").write_text("[1]"), r"config\.json: must be a JSON object"),  # AttributeError
        (lambda f: (f / "config.json").write_text('{"max_length": "x"}'), "max_length must be a positive"),
        (lambda f: _tensors(f, embeddings=None, other=np.zeros(3, np.float32)), "no 'embeddings' tensor .*other"),
        (lambda f: _tensors(f, embeddings=np.zeros(5, np.float32)), "embeddings has 1 dimensions"),
        (lambda f: _tensors(f, mapping=np.full(30522, 10**6)), r"mapping holds rows outside"),  # was IndexError
        (lambda f: _tensors(f, mapping=np.zeros(5, np.int64)), r"mapping has 5 entries, the tokenizer 30522"),
        (lambda f: _tensors(f, embeddings=np.zeros((7, 4), np.float32)), r"the table has 7 rows but .*30522 ids"),
        (lambda f: _tensors(f, weights=np.ones(3, np.float32)), "weights has 3 entries"),  # was a broadcast error
    ],
)
def test_model2vec_folder_faults_are_format_errors(static_folder, change, message):
    change(static_folder)
    with pytest.raises(TokvecError, match=message) as e:
        load_static(static_folder)
    assert str(static_folder) in str(e.value)


@pytest.mark.parametrize(
    "single, message",
    [
        ([{"Sequence": {"id": "B", "type_id": 0}}], "single template names sequence 'B'"),  # was IndexError
        ([{"Sequence": {"id": "A", "type_id": 10**12}}], "type_id 1000000000000"),  # was OverflowError
    ],
)
def test_template_processing_is_checked_on_load(tmp_path, single, message):
    obj = json.loads(tokvec.tokens.formats.hf_json.to_json_string(tokvec.load("bert-base-uncased")))
    obj["post_processor"] = {"type": "TemplateProcessing", "single": single, "pair": single, "special_tokens": {}}
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(FormatError, match=message) as e:
        tokvec.load(str(path)).encode("hello")
    assert str(path) in str(e.value)


# ---------------------------------------------------------------- search indexes


class _Letters:
    name, dim, max_seq_length = "letters", 3, None

    def embed(self, texts, **options):
        texts = [texts] if isinstance(texts, str) else list(texts)
        return np.array([[t.count(c) + 0.01 for c in "abc"] for t in texts], np.float32).reshape(len(texts), 3)

    def fingerprint(self):
        return "letters-v1"


@pytest.fixture
def index_folder(tmp_path):
    folder = tmp_path / "index"
    Index.build(_Letters(), {"x": "aaa b", "y": "cc c", "z": "bb"}, chunk=None, bm25=False).save(str(folder))
    return folder


def _npy_header(path: pathlib.Path, shape: tuple[int, ...]) -> None:
    """Rewrite the .npy header of ``path`` to claim ``shape``, keeping the data as it is."""
    array = np.load(path)
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f4", "fortran_order": False, "shape": shape})
        f.write(array.tobytes())


def _windows(folder: pathlib.Path, **changes) -> None:
    with np.load(folder / "windows.npz") as z:
        arrays = {k: z[k] for k in z.files} | changes
    np.savez(folder / "windows.npz", **arrays)


def _manifest(folder: pathlib.Path, **changes) -> None:
    meta = json.loads((folder / "index.json").read_text()) | changes
    (folder / "index.json").write_text(json.dumps(meta))


def test_an_index_that_loads_still_loads(index_folder):
    index = Index.load(str(index_folder), _Letters())
    assert index.search("ccc", top_k=1)[0].doc_id == "y"


def test_a_vectors_npy_whose_header_lies_is_refused_before_reading(index_folder):
    _npy_header(index_folder / "vectors.npy", (10**9, 3))  # 12 GB claimed over 36 bytes
    with pytest.raises(FormatError, match=r"vectors\.npy: the header says shape \(1000000000, 3\)"):
        Index.load(str(index_folder), _Letters())


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: _npy_header(f / "vectors.npy", (3,)), r"vectors\.npy: the header says shape \(3,\)"),
        (lambda f: _windows(f, owner=np.array([0, 1, 7])), "owner must run 0, 0, 1"),  # was IndexError in search
        (lambda f: _windows(f, spans=np.array([[0, 5], [0, 99], [0, 2]])), "window 1 spans 0..99"),
        (lambda f: _windows(f, spans=np.zeros(3, np.int64)), "spans has 1 dimensions"),  # was TypeError in search
        (lambda f: _windows(f, owner=np.array(5)), "owner has 0 dimensions"),  # was TypeError: len() of unsized
        (lambda f: (f / "documents.jsonl").write_text('{"id": "x"}\n'), "line 1: expected"),  # was KeyError
        (lambda f: (f / "documents.jsonl").write_bytes(b"\xff\n"), "line 1: not a JSON line"),
        (lambda f: (f / "documents.jsonl").unlink(), r"documents\.jsonl: missing"),  # was FileNotFoundError
        (lambda f: (f / "index.json").write_text("[]"), "must be a JSON object"),  # was AttributeError
        (lambda f: _manifest(f, dim="3"), "dim must be a whole number"),
        (lambda f: _manifest(f, windows=None), "windows must be a whole number"),
    ],
)
def test_index_faults_are_format_errors(index_folder, change, message):
    change(index_folder)
    with pytest.raises(TokvecError, match=message) as e:
        Index.load(str(index_folder), _Letters())
    assert str(index_folder) in str(e.value)


@pytest.fixture
def graph_folder(tmp_path):
    pytest.importorskip("faiss", reason="faiss-cpu (tokvec[search]) is missing")
    folder = tmp_path / "graph"
    docs = {f"d{i}": "abc"[i % 3] * (i + 1) + " b" for i in range(12)}
    Index.build(_Letters(), docs, chunk=None, bm25=False, ann="hnsw", ann_params={"connectivity": 4}).save(str(folder))
    return folder


def test_a_cut_hnsw_file_is_a_format_error(graph_folder):
    path = graph_folder / "hnsw.faiss"
    path.write_bytes(path.read_bytes()[:-100])  # was RuntimeError from faiss' read_index
    with pytest.raises(FormatError, match=r"hnsw\.faiss: not a readable faiss file"):
        Index.load(str(graph_folder), _Letters())


def test_hnsw_neighbour_ids_are_checked_before_a_query_walks_them(graph_folder):
    import faiss

    path = graph_folder / "hnsw.faiss"
    index = faiss.read_index(str(path))
    neighbors = faiss.vector_to_array(index.hnsw.neighbors)
    neighbors[0] = 10**6  # a query would read the vector of row 1,000,000 of 12
    faiss.copy_array_to_vector(neighbors, index.hnsw.neighbors)
    faiss.write_index(index, str(path))
    # recent faiss (1.15 here) checks the ids itself on reading (validate_HNSW); tokvec's own check covers older ones
    with pytest.raises(FormatError, match=r"hnsw\.faiss: .*(a neighbour id lies outside 0\.\.11|out of range)"):
        Index.load(str(graph_folder), _Letters())


def test_hnsw_parameters_are_checked(graph_folder):
    _manifest(graph_folder, ann_params={"expansion_search": 10**12})  # was OverflowError in faiss' setter
    with pytest.raises(FormatError, match="ann_params must be null or an object of whole numbers"):
        Index.load(str(graph_folder), _Letters())


def test_an_index_with_a_graph_still_loads(graph_folder):
    index = Index.load(str(graph_folder), _Letters())
    assert index.ann is not None and index.search("cc", top_k=1, exact=False)[0].doc_id.startswith("d")


def test_an_hnsw_array_size_that_lies_is_refused_before_faiss_allocates_it(graph_folder):
    path = graph_folder / "hnsw.faiss"
    data = bytearray(path.read_bytes())
    at = 4 + 33  # "IHNf", the index header: the first array (assign_probas) starts here
    data[at : at + 8] = (10**9).to_bytes(8, "little")  # 8 GB of doubles claimed in a file of a few kB
    path.write_bytes(bytes(data))  # faiss allocated it before reading (the fuzzer's out-of-memory finding)
    with pytest.raises(FormatError, match=r"hnsw\.faiss: an array at byte 37 claims 1,000,000,000 entries"):
        Index.load(str(graph_folder), _Letters())
