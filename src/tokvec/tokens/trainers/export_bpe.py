"""Write a trained BPE model in the formats other libraries load, and assemble a tokvec Tokenizer.

- ``tokenizer.json`` (Hugging Face ``tokenizers``): model BPE, the ByteLevel pre-tokenizer (GPT-2's
  regex) or Split(pattern) + ByteLevel for cl100k/o200k/llama3, the ByteLevel decoder;
- ``vocab.json`` + ``merges.txt`` (GPT-2 files);
- a tiktoken rank file (rank = id) and its split pattern.

subtle: tiktoken merges any adjacent pair whose concatenation is a token, lowest rank first, and
takes a piece that is a token whole; a merges list only applies its own pairs. The two rules agree
when every token's cheapest split is its own merge, which BPE training makes true almost always:
``tests/trainers/test_bpe_exact.py`` counts the texts where they differ.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

from ..._io import atomic_write
from ..byte_level import str_to_bytes
from ..pre_tokenizers import CL100K_PATTERN, LLAMA3_PATTERN, O200K_PATTERN, R50K_PATTERN
from .normalize import normalizer_json

PATTERNS = {
    "gpt2": R50K_PATTERN,
    "r50k": R50K_PATTERN,
    "cl100k": CL100K_PATTERN,
    "o200k": O200K_PATTERN,
    "llama3": LLAMA3_PATTERN,
}


def added_tokens_json(specials, vocab: dict[str, int]) -> list[dict[str, Any]]:
    """Return the ``added_tokens`` list of ``tokenizer.json`` for the special tokens."""
    return [
        {"id": vocab[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for s in specials
    ]  # fmt: skip


def pre_tokenizer_json(name: str, *, byte_level: bool) -> dict[str, Any]:
    """Return the ``pre_tokenizer`` object for a pre-tokenizer name."""
    if byte_level:
        if name in ("gpt2", "r50k"):
            return {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        return {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PATTERNS[name]}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        }
    if name == "whitespace":
        return {"type": "Whitespace"}
    if name == "metaspace":
        return {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
    return {"type": "Split", "pattern": {"Regex": PATTERNS[name]}, "behavior": "Isolated", "invert": False}


def tokenizer_json(result) -> dict[str, Any]:
    """Return the Hugging Face ``tokenizer.json`` object of a :class:`BpeResult`."""
    c = result.config
    vocab = result.vocab()
    if c.byte_level:
        decoder = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    elif c.pre_tokenizer == "metaspace":
        decoder = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
    elif c.end_of_word_suffix:
        decoder = {"type": "BPEDecoder", "suffix": c.end_of_word_suffix}
    else:
        decoder = None
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens_json(result.special_tokens, vocab),
        "normalizer": normalizer_json(c.normalizer),
        "pre_tokenizer": pre_tokenizer_json(c.pre_tokenizer, byte_level=c.byte_level),
        "post_processor": None,
        "decoder": decoder,
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": c.continuing_subword_prefix,
            "end_of_word_suffix": c.end_of_word_suffix,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [list(m) for m in result.merges],
        },
    }


def save_json(obj: dict[str, Any], path) -> None:
    """Write ``obj`` as UTF-8 JSON (atomic: no half-written file)."""
    atomic_write(path, json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def save_vocab_merges(result, folder: pathlib.Path, prefix: str = "") -> tuple[pathlib.Path, pathlib.Path]:
    """Write ``vocab.json`` and ``merges.txt`` (``#version: 0.2`` header) into ``folder``."""
    stem = f"{prefix}-" if prefix else ""
    vpath, mpath = folder / f"{stem}vocab.json", folder / f"{stem}merges.txt"
    atomic_write(vpath, json.dumps(result.vocab(), ensure_ascii=False).encode("utf-8"))
    lines = "".join(f"{a} {b}\n" for a, b in result.merges)
    atomic_write(mpath, ("#version: 0.2\n" + lines).encode("utf-8"))
    return vpath, mpath


def byte_vocab(result) -> tuple[dict[bytes, int], list[tuple[bytes, bytes]]]:
    """Return the byte-string vocabulary (special tokens left out) and merges of a byte-level result."""
    if not result.config.byte_level:
        from ...errors import TokvecError

        raise TokvecError("only byte-level BPE has a byte vocabulary (tiktoken file, tokvec Tokenizer)")
    specials = set(result.special_tokens)
    vocab = {str_to_bytes(t): i for i, t in enumerate(result.tokens) if t not in specials}
    merges = [(str_to_bytes(a), str_to_bytes(b)) for a, b in result.merges]
    return vocab, merges


def save_tiktoken(result, path: pathlib.Path) -> str:
    """Write the rank file (rank = id, special tokens left out) and return the split pattern.

    Beside it goes ``<path>.json`` with the pattern's name and the special tokens
    (:func:`tokvec.tokens.formats.tiktoken.save_settings`), so that ``tokvec.load(path)`` gives the
    trained tokenizer back; the rank file itself is tiktoken's format, unchanged.
    """
    from ..formats.tiktoken import save_ranks, save_settings

    vocab, _ = byte_vocab(result)
    save_ranks(vocab, path)
    name = result.config.pre_tokenizer
    save_settings(path, "r50k" if name == "gpt2" else name, {s: result.tokens.index(s) for s in result.special_tokens})
    return PATTERNS[name]


def to_tokenizer(result):  # -> tokvec.Tokenizer
    """Return the pipeline Tokenizer of ``result.to_json()``: the tokenizer that ``save`` writes and ``load`` reads.

    subtle: this was a tiktoken-engine Tokenizer (byte offsets, no pairs, no ``save``) that loaded back
    from its own tokenizer.json as a pipeline one; now both are one tokenizer (as WordPiece and Unigram,
    :mod:`tokvec.tokens.trainers.wire`), with Hugging Face's ids, character offsets, pairs and padding.
    For tiktoken's engine, ``save_tiktoken`` and ``tokvec.load`` the rank file (rank rules, see the
    module docstring).
    """
    from .wire import pipeline_tokenizer

    return pipeline_tokenizer(result, "trained-bpe")
