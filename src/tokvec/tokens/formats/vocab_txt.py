"""BERT ``vocab.txt`` files: the complete tokenizer that Hugging Face builds from one.

:func:`bert_tokenizer_json` returns the ``tokenizer.json`` object that ``tokenizers``'
``BertWordPieceTokenizer(vocab.txt)`` saves: BertNormalizer, BertPreTokenizer, WordPiece,
``[CLS] ... [SEP]`` post-processing, the WordPiece decoder, and the special tokens that the
vocabulary has. ``lowercase=None`` guesses from the vocabulary: a cased vocabulary (one with
upper-case tokens, like bert-base-cased's) is not lower-cased.

>>> obj = bert_tokenizer_json({"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4})
>>> obj["normalizer"]["lowercase"], obj["post_processor"]["cls"], [t["content"] for t in obj["added_tokens"]]
(True, ['[CLS]', 2], ['[PAD]', '[UNK]', '[CLS]', '[SEP]'])
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..models.wordpiece import read_vocab_txt


def is_cased(vocab: Mapping[str, int]) -> bool:
    """Return whether ``vocab`` has upper-case tokens other than bracketed specials like ``[CLS]``."""
    return any(t != t.lower() for t in vocab if not (t.startswith("[") and t.endswith("]")))


def bert_tokenizer_json(
    vocab: Mapping[str, int] | str | os.PathLike,
    *,
    lowercase: bool | None = None,
    strip_accents: bool | None = None,
    clean_text: bool = True,
    handle_chinese_chars: bool = True,
    unk_token: str = "[UNK]",
    sep_token: str = "[SEP]",
    cls_token: str = "[CLS]",
    pad_token: str = "[PAD]",
    mask_token: str = "[MASK]",
    wordpieces_prefix: str = "##",
) -> dict[str, Any]:
    """Return the ``tokenizer.json`` object of ``BertWordPieceTokenizer`` for ``vocab`` (a dict or a vocab.txt path)."""
    if not isinstance(vocab, Mapping):
        vocab = read_vocab_txt(vocab)
    if lowercase is None:
        lowercase = not is_cased(vocab)
    specials = [t for t in (unk_token, sep_token, cls_token, pad_token, mask_token) if t in vocab]
    added = [
        {
            "id": vocab[t],
            "content": t,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for t in sorted(set(specials), key=lambda t: vocab[t])
    ]
    post = None
    if sep_token in vocab and cls_token in vocab:
        post = {"type": "BertProcessing", "sep": [sep_token, vocab[sep_token]], "cls": [cls_token, vocab[cls_token]]}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {
            "type": "BertNormalizer",
            "clean_text": clean_text,
            "handle_chinese_chars": handle_chinese_chars,
            "strip_accents": strip_accents,
            "lowercase": lowercase,
        },
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": post,
        "decoder": {"type": "WordPiece", "prefix": wordpieces_prefix, "cleanup": True},
        "model": {
            "type": "WordPiece",
            "unk_token": unk_token,
            "continuing_subword_prefix": wordpieces_prefix,
            "max_input_chars_per_word": 100,
            "vocab": dict(sorted(vocab.items(), key=lambda kv: kv[1])),
        },
    }
