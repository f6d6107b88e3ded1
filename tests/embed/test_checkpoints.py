"""Small BERT, RoBERTa and DistilBERT checkpoints that the tests write themselves, run by tokvec and by transformers.

Each checkpoint gets random weights from ``transformers`` (test-only), is saved as safetensors beside the real
model's tokenizer.json, and must give transformers' last hidden state, mean-pooled, on both engines.
Bad folders (no weights, a pickle only, a wrong shape or dtype, an unsupported architecture) give TokvecErrors.
"""

from __future__ import annotations

import json
import pathlib
import shutil

import numpy as np
import pytest

import tokvec
from tokvec.embed.safetensors import SafetensorsFile, write_safetensors

from .conftest import model_folder

pytestmark = pytest.mark.data

TEXTS = ["King loves apples while queen likes oranges", "a", "", "The bank of the river " * 30]


def _write(folder: pathlib.Path, kind: str) -> pathlib.Path:
    torch = pytest.importorskip("torch", reason="torch (test-only reference) is not installed")
    transformers = pytest.importorskip("transformers", reason="transformers (test-only reference) is not installed")
    torch.manual_seed(0)
    common = dict(vocab_size=30522, max_position_embeddings=130, pad_token_id=0)
    if kind == "bert":
        config = transformers.BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                         intermediate_size=48, **common)  # fmt: skip
        model = transformers.BertModel(config, add_pooling_layer=False)
    elif kind == "roberta":
        config = transformers.RobertaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                            intermediate_size=48, type_vocab_size=1, hidden_act="relu",
                                            **{**common, "pad_token_id": 1})  # fmt: skip
        model = transformers.RobertaModel(config, add_pooling_layer=False)
    else:
        config = transformers.DistilBertConfig(dim=32, n_layers=2, n_heads=4, hidden_dim=48, **common)
        model = transformers.DistilBertModel(config)
    model.eval()
    path = folder / kind
    model.save_pretrained(path, safe_serialization=True)
    shutil.copy(model_folder() / "tokenizer.json", path / "tokenizer.json")
    return path


def _reference(path: pathlib.Path, texts: list[str], max_length: int) -> np.ndarray:
    import torch
    import transformers

    model = transformers.AutoModel.from_pretrained(path).eval()
    tok = tokvec.load(str(path / "tokenizer.json")).with_padding(None).with_truncation(None)
    out = []
    for text in texts:
        ids = tok.encode(text).ids.tolist()
        ids = ids[: max_length - 1] + ids[-1:] if len(ids) > max_length else ids
        with torch.no_grad():
            hidden = model(input_ids=torch.tensor([ids])).last_hidden_state[0].numpy()
        out.append(hidden.mean(axis=0))
    return np.array(out)


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
@pytest.mark.parametrize("engine", ["onnx", "numpy"])
def test_small_checkpoints_equal_transformers(tmp_path: pathlib.Path, kind: str, engine: str) -> None:
    if engine == "onnx":
        pytest.importorskip("onnxruntime", reason="onnxruntime (the 'embed' extra) is not installed")
    path = _write(tmp_path, kind)
    enc = tokvec.load_encoder(path, engine=engine)
    assert enc.max_seq_length == (128 if kind == "roberta" else 130) and enc.dim == 32
    got = enc.embed(TEXTS, batch_size=3)
    want = _reference(path, TEXTS, enc.max_seq_length)
    np.testing.assert_allclose(got, want, atol=2e-5)


def test_embedding_matrix_of_a_llama_style_file(tmp_path: pathlib.Path) -> None:
    rng = np.random.default_rng(0)
    table = rng.standard_normal((30522, 8)).astype(np.float32)
    write_safetensors(tmp_path / "model.safetensors",
                      {"model.embed_tokens.weight": table, "lm_head.weight": table[:, :4].copy(),
                       "model.layers.0.mlp.up_proj.weight": np.zeros((2, 2), np.float32)})  # fmt: skip
    shutil.copy(model_folder() / "tokenizer.json", tmp_path / "tokenizer.json")
    kv = tokvec.embedding_matrix(tmp_path)
    assert kv.keys[:3] == ["[PAD]", "[unused0]", "[unused1]"] and kv.vectors.shape == (30522, 8)
    np.testing.assert_array_equal(kv["king"], table[kv.index("king")])
    kv2 = tokvec.embedding_matrix(tmp_path / "model.safetensors", tensor="lm_head.weight")
    assert kv2.vectors.shape == (30522, 4)
    with pytest.raises(tokvec.FormatError, match=r"has 2 rows but .* has 30522 tokens"):
        tokvec.embedding_matrix(tmp_path, tensor="model.layers.0.mlp.up_proj.weight")
    with pytest.raises(tokvec.UnknownNameError, match="no tensor 'nope'"):
        tokvec.embedding_matrix(tmp_path, tensor="nope")


def test_bad_folders(tmp_path: pathlib.Path) -> None:
    path = _write(tmp_path, "bert")
    # an unsupported architecture
    config = json.loads((path / "config.json").read_text())
    gpt = tmp_path / "gpt"
    gpt.mkdir()
    (gpt / "config.json").write_text(json.dumps({**config, "model_type": "gpt2", "architectures": ["GPT2Model"]}))
    with pytest.raises(tokvec.TokvecError, match=r"'GPT2Model'.*not covered.*BERT, RoBERTa"):
        tokvec.load_encoder(gpt)
    # no weights, or a pickle only
    empty = tmp_path / "empty"
    shutil.copytree(path, empty)
    (empty / "model.safetensors").unlink()
    with pytest.raises(tokvec.TokvecFileError, match=r"no model\.safetensors"):
        tokvec.load_encoder(empty)
    (empty / "pytorch_model.bin").write_bytes(b"\x80\x04 not loaded")
    with pytest.raises(tokvec.TokvecFileError, match=r"never loads.*save_pretrained"):
        tokvec.load_encoder(empty)
    # a tensor of the wrong shape, and one of the wrong dtype
    f = SafetensorsFile(path / "model.safetensors")
    tensors = {n: np.array(f.tensor(n)) for n in f.names()}
    name = next(n for n in tensors if n.endswith("layer.1.intermediate.dense.weight"))
    for label, value, message in [("shape", np.zeros((47, 32), np.float32), r"shape \[47, 32\], config.json says"),
                                  ("dtype", tensors[name].astype(np.int32), "dtype I32")]:  # fmt: skip
        bad = tmp_path / label
        shutil.copytree(path, bad)
        write_safetensors(bad / "model.safetensors", {**tensors, name: value})
        with pytest.raises(tokvec.FormatError, match=message):
            tokvec.load_encoder(bad)
    with pytest.raises(tokvec.UnknownNameError, match="known: all-MiniLM-L6-v2"):
        tokvec.load_encoder("no-such-model")
