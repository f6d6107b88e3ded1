"""Hugging Face ``tokenizers`` behind tokvec's tokenizer interface, to test analysis on pipeline tokenizers.

The analysis code must work on any tokvec tokenizer: the byte-level presets today, and the pipeline
tokenizers of tokenizer.json files (BERT WordPiece, T5 Unigram, phi-3 BPE with byte fallback) that
the loading work adds. This adapter gives the reference library that interface (``encode`` with
``ids``/``tokens``/character ``offsets``, ``decode``, ``encode_batch``, special and unknown tokens),
so the analysis is checked against the reference's own ids on the real files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest

from tests.conftest import data_path

FILES = {
    "bert-base-uncased": "tokenizers/bert-base-uncased/tokenizer.json",
    "t5-small": "tokenizers/ortx/tokenizer/t5-small/tokenizer.json",
    "phi-3-mini": "tokenizers/ortx/phi-3-mini/tokenizer.json",
    "roberta-base": "tokenizers/ortx/tokenizer/roberta-base/tokenizer.json",
}


@dataclass(frozen=True)
class HfEncoding:
    ids: np.ndarray
    tokens: list[str]
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


class HfTokenizer:
    """One tokenizer.json loaded by the reference library, shaped like a tokvec pipeline tokenizer."""

    def __init__(self, name: str) -> None:
        tokenizers = pytest.importorskip("tokenizers")
        path = data_path(FILES[name])
        config = json.loads(path.read_text(encoding="utf-8"))
        self.name = name
        self._tok = tokenizers.Tokenizer.from_file(str(path))
        self._tok.no_padding()  # bert-base-uncased's file switches padding and truncation on
        self._tok.no_truncation()
        self.vocab_size = self._tok.get_vocab_size(with_added_tokens=True)
        self.all_special_ids = sorted(i for i, t in self._tok.get_added_tokens_decoder().items() if t.special)
        self.unk_token = config["model"].get("unk_token") if config["model"].get("type") != "Unigram" else None
        unk_id = config["model"].get("unk_id")
        self.unk_id = unk_id if isinstance(unk_id, int) else None

    def token_to_id(self, token: str) -> int | None:
        return self._tok.token_to_id(token)

    def _wrap(self, enc) -> HfEncoding:
        return HfEncoding(np.array(enc.ids, dtype=np.int32), list(enc.tokens), np.array(enc.offsets, np.int64))

    def encode(self, text: str, *, add_special_tokens: bool = True) -> HfEncoding:
        return self._wrap(self._tok.encode(text, add_special_tokens=add_special_tokens))

    def encode_batch(self, texts: list[str], *, add_special_tokens: bool = True) -> list[HfEncoding]:
        return [self._wrap(e) for e in self._tok.encode_batch(list(texts), add_special_tokens=add_special_tokens)]

    def decode(self, ids, *, skip_special_tokens: bool = True) -> str:
        return self._tok.decode([int(i) for i in ids], skip_special_tokens=skip_special_tokens)


_cache: dict[str, HfTokenizer] = {}


def hf(name: str) -> HfTokenizer:
    """Load (once per session) the reference tokenizer ``name``; skip naming the file when it is absent."""
    if name not in _cache:
        _cache[name] = HfTokenizer(name)
    return _cache[name]
