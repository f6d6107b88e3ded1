"""Static embeddings: the mean kernel equals its twin; StaticEncoder saves folders that model2vec loads with the
same vectors and reads model2vec's folders; distill reproduces model2vec's PCA and SIF weighting."""

from __future__ import annotations

import csv
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokvec
from tests.conftest import data_path
from tests.kernels.strategies import SETTINGS
from tokvec.embed.static import StaticEncoder, load_static
from tokvec.kernels import static as ks
from tokvec.reference import static as rs

# subtle: tokvec.embed.distill is also the name of the function that tokvec.embed exports
dist = importlib.import_module("tokvec.embed.distill")


@SETTINGS
@given(st.integers(1, 8), st.integers(1, 6), st.lists(st.integers(0, 6), min_size=1, max_size=6),
       st.integers(-1, 7), st.integers(-1, 4), st.booleans(), st.integers(0, 2**32 - 1))  # fmt: skip
def test_mean_rows_equals_twin(vocab, dims, lengths, skip, max_tokens, normalize, seed):
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(vocab, dims)).astype(np.float32)
    ids = rng.integers(0, vocab, sum(lengths)).astype(np.int32)
    bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = len(lengths)
    a = ks.mean_rows(table, ids, bounds, 0, n, skip, max_tokens, normalize, np.full((n, dims), 7, np.float32))
    b = rs.mean_rows(table, ids, bounds, 0, n, skip, max_tokens, normalize, np.full((n, dims), 7, np.float32))
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def _sentences(n: int = 400) -> list[str]:
    with open(data_path("embeddings-eval/stsb/stsb-en-test.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [s for r in rows[: n // 2] for s in r[:2]] + ["", "   ", "[UNK] émigré ☃ zzzxq", "word " * 600]


def _toy(seed: int = 0) -> StaticEncoder:
    tok = tokvec.load("bert-base-uncased")
    table = np.random.default_rng(seed).normal(size=(tok.vocab_size, 16)).astype(np.float32)
    return StaticEncoder.from_table(table, tok, name="toy")


@pytest.mark.data
def test_saved_folder_loads_in_model2vec_with_the_same_vectors(tmp_path):
    model2vec = pytest.importorskip("model2vec")
    enc = _toy()
    enc.save(tmp_path / "m")
    theirs = model2vec.StaticModel.from_pretrained(str(tmp_path / "m"))
    texts = _sentences()
    np.testing.assert_allclose(enc.embed(texts), theirs.encode(texts), rtol=1e-5, atol=1e-6)
    raw = enc.embed(texts, normalize=False, num_threads=2)
    np.testing.assert_allclose(raw, theirs.encode(texts, normalize=False), rtol=1e-5, atol=1e-6)
    assert not raw[len(texts) - 3].any()  # a blank text has no tokens: zeros, as model2vec gives
    back = tokvec.load_encoder(tmp_path / "m")
    assert isinstance(back, StaticEncoder) and np.array_equal(back.embed(texts), enc.embed(texts))
    assert back.fingerprint() == enc.fingerprint()


@pytest.mark.data
def test_reads_model2vec_folders_quantized_ones_too(tmp_path):
    model2vec = pytest.importorskip("model2vec")
    tokenizers = pytest.importorskip("tokenizers")
    hf = tokenizers.Tokenizer.from_file(str(data_path("tokenizers/bert-base-uncased/tokenizer.json")))
    hf.no_padding()
    hf.no_truncation()
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(hf.get_vocab_size(), 8)).astype(np.float32)
    for kind in ("plain", "quantized"):
        extra = {}
        if kind == "quantized":  # 50 shared rows, a row and a weight per token
            extra = {
                "token_mapping": rng.integers(0, 50, hf.get_vocab_size()),
                "weights": rng.random(hf.get_vocab_size()),
            }
            table = vectors[:50]
        else:
            table = vectors
        theirs = model2vec.StaticModel(vectors=table, tokenizer=hf, normalize=kind == "plain", **extra)
        theirs.save_pretrained(str(tmp_path / kind))
        ours = load_static(tmp_path / kind)
        texts = _sentences(100)
        np.testing.assert_allclose(ours.embed(texts), theirs.encode(texts), rtol=1e-4, atol=1e-5)


def test_table_is_keyed_vectors_and_errors():
    enc = _toy()
    assert enc.vectors.keys[enc.tokenizer.token_to_id("engineer")] == "engineer"
    assert len(enc.vectors.most_similar("engineer", top_k=3)) == 3
    with pytest.raises(tokvec.TokvecError, match="rows"):
        StaticEncoder(tokvec.KeyedVectors(["a"], np.zeros((1, 2), np.float32)), enc.tokenizer)
    with pytest.raises(tokvec.TokvecError, match="not a string"):
        enc.embed(["ok", 3])
    assert isinstance(enc, tokvec.Encoder) and enc.embed("one text").shape == (16,)


def _model2vec_inference():
    """model2vec's distill/inference.py (PCA and weights), loaded alone: the distill package's __init__ needs
    skeletoken, whose pins would downgrade tokenizers and transformers, so it is not a test dependency."""
    import importlib.util
    import pathlib

    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    model2vec = pytest.importorskip("model2vec")
    path = pathlib.Path(model2vec.__file__).parent / "distill" / "inference.py"
    spec = importlib.util.spec_from_file_location("model2vec_distill_inference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Engine:
    """A stand-in teacher: each position's hidden state is a fixed random vector of its id plus its position."""

    def __init__(self, vocab: int, hidden: int) -> None:
        rng = np.random.default_rng(3)
        self.rows = rng.normal(size=(vocab, hidden)).astype(np.float32) * np.linspace(3, 0.1, hidden)
        self.pos = rng.normal(size=(8, hidden)).astype(np.float32) * 0.1
        self.vocab_rows = vocab

    def run(self, input_ids, positions, mask, num_threads=1):
        return self.rows[input_ids] + self.pos[positions]


class _Teacher:
    def __init__(self) -> None:
        from types import SimpleNamespace

        self.tokenizer = tokvec.load("bert-base-uncased")
        self.engine = _Engine(self.tokenizer.vocab_size, 48)
        self.spec = SimpleNamespace(transformer=SimpleNamespace(pad_id=0, architecture="bert", hidden=48))
        self.name, self.dim = "fake", 48

    def embed_ids(self, sequences, *, batch_size=32, num_threads=None, head=True):
        """The raw mean of the hidden states, as TransformerEncoder.embed_ids(head=False) gives it."""
        assert not head
        return np.array([self.engine.run(np.array(s), np.arange(len(s)), None).mean(axis=0) for s in sequences])


def test_distill_reproduces_model2vecs_pca_and_weights():
    inference = _model2vec_inference()
    teacher = _Teacher()
    enc = dist.distill(teacher, dims=16, progress=False)
    tok = teacher.tokenizer
    keys = tok.id_to_token_list(range(tok.vocab_size))
    keep = [i for i, k in enumerate(keys) if not k.startswith("[unused") and k not in ("[CLS]", "[SEP]", "[MASK]")]
    assert keys[keep[0]] == "[PAD]" and "[UNK]" in [keys[i] for i in keep]
    # model2vec's own post-processing on the same teacher vectors: [CLS] token [SEP], mean over the three
    seqs = np.array([[101, i, 102] for i in keep])
    hidden = teacher.engine.run(seqs, np.broadcast_to(np.arange(3), seqs.shape), None).mean(axis=1)
    theirs = inference.apply_pca(hidden, 16) * inference.compute_weights(len(keep), 1e-4)[:, None]
    ours = enc.vectors.vectors[keep]
    ours = ours * np.sign((ours * theirs).sum(axis=0))  # PCA signs normalised
    cos = (ours * theirs).sum(1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    assert cos.min() >= 0.999
    assert not enc.vectors.vectors[tok.token_to_id("[CLS]")].any()  # dropped rows stay zero


def test_distill_corpus_weighting_and_vocabulary():
    teacher = _Teacher()
    corpus = ["the cat sat on the mat"] * 50 + ["a rare aardvark"]
    enc = dist.distill(teacher, dims=8, weighting="corpus", corpus=corpus, progress=False)
    table, tok = enc.vectors.vectors, enc.tokenizer
    zipf = dist.distill(teacher, dims=8, weighting=None, progress=False).vectors.vectors
    the, cat = tok.token_to_id("the"), tok.token_to_id("cat")
    ratio = np.linalg.norm(table[the]) / np.linalg.norm(zipf[the])
    assert ratio < np.linalg.norm(table[cat]) / np.linalg.norm(zipf[cat]) < 1.0  # frequent tokens weigh less
    with pytest.raises(tokvec.TokvecError, match="corpus="):
        dist.distill(teacher, weighting="corpus")
    words = dist.distill(teacher, dims=8, vocabulary=["Aardvarks", "the"], progress=False)
    assert words.tokenizer.vocab_size == tok.vocab_size + 1
    ids = words.tokenizer.encode("two AARDVARKS", add_special_tokens=False).ids.tolist()
    assert ids == [tok.token_to_id("two"), tok.vocab_size] and words.vectors.vectors[tok.vocab_size].any()


@pytest.mark.data
def test_distill_real_teacher_equals_model2vec():
    """Slow (every token of the vocabulary through MiniLM): TOKVEC_TEST_FULL=1; the bench compares it too."""
    import os

    if os.environ.get("TOKVEC_TEST_FULL") != "1":
        pytest.skip("distilling all-MiniLM-L6-v2 twice takes minutes; set TOKVEC_TEST_FULL=1 (bench/static.py does it)")
    pytest.importorskip("model2vec")
    # subtle: model2vec.distill raises ImportError (not ModuleNotFoundError) without skeletoken, which
    # pytest.importorskip does not turn into a skip
    pytest.importorskip("skeletoken", reason="model2vec's distill needs skeletoken: pip install --no-deps skeletoken")
    distill_m2v = pytest.importorskip("model2vec.distill").distill
    teacher = tokvec.load_encoder("all-MiniLM-L6-v2")
    ours = tokvec.distill(teacher, progress=False)
    from tokvec.embed.load import resolve_folder

    theirs = distill_m2v(resolve_folder("all-MiniLM-L6-v2"), pca_dims=256)
    a = np.stack([ours.vectors[t] for t in theirs.tokens])
    b = theirs.embedding.astype(np.float32)
    a *= np.sign((a * b).sum(axis=0))
    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    assert cos.min() >= 0.999
