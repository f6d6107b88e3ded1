"""Find tokenizers by name (bundled presets) or by path.

Paths: ``tokenizer.json`` (or ``.json.gz``), BERT ``vocab.txt``, GPT-2 ``vocab.json`` + ``merges.txt``,
SentencePiece ``.model`` (also Mistral's ``.model.v1`` .. ``.model.v3``; or Llama-3's tiktoken-format
``tokenizer.model``), ``.tiktoken`` rank files, or a folder holding one of them.

>>> load("cl100k_base")
Tokenizer('cl100k_base', ranks BPE, 100277 ids, pattern=cl100k, 5 special tokens)
"""

from __future__ import annotations

import copyreg
import functools
import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .._checks import file_errors
from ..errors import FormatError, TokvecFileError, UnknownNameError
from .formats.tiktoken import SETTINGS_KIND, load_ranks, read_ranks, read_settings, settings_path
from .formats.vocab_merges import load_vocab_merges
from .models.bpe import BytePairModel
from .pre_tokenizers import SplitPattern
from .tokenizer import Tokenizer


def _llama3_specials() -> dict[str, int]:
    """The 256 special tokens of Llama 3.1 (ids 128000-128255); 3.2 renames two reserved ones."""
    names = [
        "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
        "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>",
        "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
    ]  # fmt: skip
    names += [f"<|reserved_special_token_{k}|>" for k in range(3, 256 - len(names) + 3)]
    return {t: 128000 + k for k, t in enumerate(names)}


@dataclass(frozen=True)
class Known:
    """A published encoding: its pattern and special tokens (rank files carry neither)."""

    name: str
    pattern: str
    specials: dict[str, int]
    bundled: str | None = None  # file name inside tokvec/data/tokenizers


_EOT = "<|endoftext|>"
KNOWN = {
    "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930": Known(
        "r50k_base", "r50k", {_EOT: 50256}, "r50k_base.tiktoken"
    ),
    "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069": Known("p50k_base", "r50k", {_EOT: 50256}),
    "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7": Known(
        "cl100k_base",
        "cl100k",
        {
            _EOT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
        "cl100k_base.tiktoken",
    ),
    "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d": Known(
        "o200k_base", "o200k", {_EOT: 199999, "<|endofprompt|>": 200018}, "o200k_base.tiktoken"
    ),
    "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55": Known("llama3", "llama3", _llama3_specials()),
}
PRESETS = {k.name: k for k in KNOWN.values() if k.bundled}
ALIASES = {"gpt2": "r50k_base"}
#: Hugging Face tokenizer.json presets: name -> bundled file
PIPELINE_PRESETS = {
    "bert-base-uncased": "bert-base-uncased.json.gz",
    "t5-small": "t5-small.json.gz",
    "phi-3-mini": "phi-3-mini.json.gz",
    "roberta-base": "roberta-base.json.gz",
}


def presets() -> list[str]:
    """Return the names that :func:`load` finds without a path."""
    return sorted([*PRESETS, *ALIASES, *PIPELINE_PRESETS])


def _load_pipeline_preset(name: str) -> Tokenizer:
    from .formats.hf_json import tokenizer_from_json

    with resources.files("tokvec.data.tokenizers").joinpath(PIPELINE_PRESETS[name]).open("rb") as f:
        obj = json.loads(gzip.decompress(f.read()))
    return tokenizer_from_json(obj, source=f"bundled {PIPELINE_PRESETS[name]}", name=name)


def load(
    name_or_path: str | os.PathLike[str], *, pattern: str | None = None, special_tokens: dict[str, int] | None = None
) -> Tokenizer:
    """Load a bundled preset by name, or a tokenizer file by path.

    Paths: a tiktoken rank file (``.tiktoken``, or Llama-3's ``tokenizer.model``), or a GPT-2
    ``vocab.json`` (its ``merges.txt`` beside it) / a folder holding both. A rank file that is not a
    published encoding needs ``pattern`` (r50k, cl100k, o200k, llama3, or a regex).
    """
    key = os.fspath(name_or_path)
    if key in PIPELINE_PRESETS:
        return _as_preset(_load_pipeline_preset(key), key)
    if key in ALIASES or key in PRESETS:
        known = PRESETS[ALIASES.get(key, key)]
        with resources.files("tokvec.data.tokenizers").joinpath(known.bundled).open("rb") as f:
            ranks = read_ranks(f, f"bundled {known.bundled}")
        tok = _build(key, ranks, known.pattern, known.specials, pattern, special_tokens)
        return _as_preset(tok, key) if pattern is None and special_tokens is None else tok
    if not os.path.exists(key):
        raise UnknownNameError(
            f"no preset or file named {key!r}. Presets: {', '.join(presets())}; or give the path of a"
            " tokenizer.json, vocab.txt, vocab.json (merges.txt beside it), .model or .tiktoken file, or a folder"
        )
    with file_errors(key):
        return _load_path(key, pattern, special_tokens)


def _load_path(key: str, pattern: str | None, special_tokens: dict[str, int] | None) -> Tokenizer:
    if os.path.isdir(key):
        return _load_folder(key, pattern)
    base = os.path.basename(key)
    if base.endswith((".json", ".json.gz")):
        from .formats.hf_json import read_json, tokenizer_from_json

        obj = read_json(key)
        if isinstance(obj, dict) and obj.get("kind") == SETTINGS_KIND:
            rank_file = key.removesuffix(".json")
            raise FormatError(f"{key} holds the split pattern of the rank file {rank_file}: load {rank_file} itself")
        # subtle: GPT-2's vocab.json has a token "model", so `"model" in obj` does not tell the two apart
        if not _is_vocab_object(obj):
            return tokenizer_from_json(obj, source=key, name=base)
    if base.endswith((".json", ".vocab")):
        merges = _merges_beside(key)
        return _load_vocab_merges(key, merges, base, pattern)
    if base.endswith(".txt") and "vocab" in base:
        return _load_vocab_txt(key)
    if _MODEL_NAME.search(base) and _is_protobuf(key):  # also Mistral's tokenizer.model.v1, ....model.v3
        return _load_sentencepiece(key)
    return _load_rank_file(key, pattern, special_tokens)


def _as_preset(tok: Tokenizer, name: str) -> Tokenizer:
    object.__setattr__(tok, "_preset", name)  # subtle: copies (with_padding, ...) do not keep it: they pickle whole
    return tok


@functools.cache
def preset_by_name(name: str) -> Tokenizer:
    """Return the preset ``name``, loaded once per process: how pickled presets come back.

    A pool worker that receives many tasks, each with the same tokenizer, loads it once.
    """
    return load(name)


def _reduce_tokenizer(tok: Tokenizer) -> tuple[Any, ...]:
    """Pickle a preset by its name and any other tokenizer by its content (``Tokenizer.__reduce__``)."""
    if tok._preset is not None:
        return preset_by_name, (tok._preset,)
    return tok.__reduce__()


# here, not in tokenizer.py, so that tokenizer.py does not import this module (no import circle)
copyreg.pickle(Tokenizer, _reduce_tokenizer)


def _load_folder(folder: str, pattern: str | None) -> Tokenizer:
    """A folder: tokenizer.json first, then vocab.json + merges.txt, tokenizer.model, vocab.txt."""
    join = os.path.join
    if os.path.exists(join(folder, "tokenizer.json")):
        from .formats.hf_json import load_tokenizer_json

        return load_tokenizer_json(join(folder, "tokenizer.json"), name=os.path.basename(os.path.normpath(folder)))
    if os.path.exists(join(folder, "vocab.json")):
        vocab = join(folder, "vocab.json")
        return _load_vocab_merges(vocab, _merges_beside(vocab), folder, pattern)
    if os.path.exists(join(folder, "tokenizer.model")):
        return load(join(folder, "tokenizer.model"), pattern=pattern)
    if os.path.exists(join(folder, "vocab.txt")):
        return _load_vocab_txt(join(folder, "vocab.txt"))
    raise TokvecFileError(f"{folder} holds none of tokenizer.json, vocab.json + merges.txt, tokenizer.model, vocab.txt")


_MODEL_NAME = re.compile(r"\.model(\.v\d+)?$")


def _is_protobuf(path: str) -> bool:
    with open(path, "rb") as f:
        head = f.read(4096)
    return head[:1] in (b"\x0a", b"\x08") and b"\x00" in head


def _load_vocab_txt(path: str) -> Tokenizer:
    """BERT vocab.txt: the tokenizer HF's BertWordPieceTokenizer builds (lower-casing guessed from the vocabulary)."""
    from .formats.hf_json import tokenizer_from_json
    from .formats.vocab_txt import bert_tokenizer_json

    return tokenizer_from_json(bert_tokenizer_json(path), source=path, name=os.path.basename(path))


def _load_sentencepiece(path: str) -> Tokenizer:
    from .sentencepiece import SentencePieceTokenizer
    from .sentencepiece_tokenizer import to_tokenizer

    return to_tokenizer(SentencePieceTokenizer.from_file(path), name=os.path.basename(path))


def _is_vocab_object(obj: object) -> bool:
    """Whether a JSON value is a ``{token: id}`` vocabulary (a GPT-2 ``vocab.json``), not a ``tokenizer.json``."""
    return (
        isinstance(obj, dict)
        and bool(obj)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in obj.values())
    )


def _merges_beside(vocab_path: str) -> str:
    """The merges file of a GPT-2 style vocabulary: ``merges.txt`` (or ``<stem>.merges.txt``) beside it."""
    base = vocab_path.rsplit(".", 1)[0]
    folder = os.path.dirname(vocab_path) or "."
    cands = (base + ".merges.txt", base.replace("vocab", "merges") + ".txt", os.path.join(folder, "merges.txt"))
    for cand in cands:
        if os.path.exists(cand):
            return cand
    raise TokvecFileError(
        f"{vocab_path} is a token -> id vocabulary (GPT-2 style BPE), which needs its merges file, but none of"
        f" {', '.join(dict.fromkeys(os.path.basename(c) for c in cands))} is in {folder}: put the merges.txt"
        " written with it beside it (a WordPiece vocabulary is a vocab.txt, one token a line)"
    )


def _load_vocab_merges(vocab: str, merges: str, name: str, pattern: str | None) -> Tokenizer:
    v, m = load_vocab_merges(vocab, merges)
    specials = {t.decode("utf-8"): i for t, i in v.items() if t.startswith(b"<|") and t.endswith(b"|>")}
    ordinary = {t: i for t, i in v.items() if t.decode("utf-8", "replace") not in specials}
    missing = [i for i in range(256) if bytes([i]) not in ordinary]
    if missing:
        raise FormatError(
            f"{vocab}: the vocabulary lacks byte 0x{missing[0]:02x} (and {len(missing) - 1} more);"
            " byte-level BPE needs all 256 bytes. Is this a GPT-2 style vocab.json?"
        )
    model = BytePairModel.from_merges(ordinary, m, source=merges)
    return Tokenizer(name, model, SplitPattern.named(pattern or "r50k"), specials)


def _load_rank_file(path: str, pattern: str | None, special_tokens: dict[str, int] | None) -> Tokenizer:
    with open(path, "rb") as f:
        whole = f.read()
    head = whole[:4096]
    if head[:1] in (b"\x0a", b"\x08") and b"\x00" in head:
        raise FormatError(f"{path} looks like a SentencePiece protobuf model, not a tiktoken rank file")
    digest = hashlib.sha256(whole).hexdigest()
    known = KNOWN.get(digest)
    ranks = load_ranks(path)
    if known is not None:
        return _build(known.name, ranks, known.pattern, known.specials, pattern, special_tokens)
    settings = read_settings(path)  # the <path>.json that tokvec writes beside a trained rank file
    if settings is None and pattern is None:
        raise FormatError(
            f"{path} is not one of the published encodings and has no {os.path.basename(settings_path(path))}"
            " beside it, so its split pattern is unknown: pass pattern='r50k', 'cl100k', 'o200k', 'llama3'"
            " or a regex (on the command line: --pattern cl100k)"
        )
    default_pattern, default_specials = settings if settings is not None else ("cl100k", {})
    return _build(os.path.basename(path), ranks, default_pattern, default_specials, pattern, special_tokens)


def _build(name, ranks, default_pattern, default_specials, pattern, special_tokens) -> Tokenizer:
    split = SplitPattern.named(pattern or default_pattern)
    specials = default_specials if special_tokens is None else special_tokens
    return Tokenizer(name, BytePairModel.from_ranks(ranks), split, specials)
