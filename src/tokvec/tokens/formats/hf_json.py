"""Hugging Face ``tokenizer.json``: load any file into a pipeline :class:`Tokenizer`, and save one back
(the writing is in :mod:`~tokvec.tokens.formats.hf_json_writer`, which ``Tokenizer.save`` uses).

Each component object goes to its family's registry by its ``"type"`` (``NORMALIZERS``,
``PRE_TOKENIZERS``, ``MODELS``, ``PROCESSORS``, ``DECODERS``). Byte-level BPE files (RoBERTa,
GPT-2, Phi-2, Falcon) run on the byte-level kernel (:class:`ByteLevelBPE`) where the semantics
allow. Errors name the file and what is wrong; a saved file loads in ``tokenizers`` with the same ids.

>>> import tokvec, json
>>> tok = tokvec.load("roberta-base")
>>> tok.encode("Hello world").ids.tolist()
[0, 31414, 232, 2]
>>> json.loads(to_json_string(tok))["model"]["type"]
'BPE'
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from typing import Any

from ..._checks import file_errors
from ..._io import read_bytes
from ...errors import ConfigError, FormatError, TokvecError
from ..added import AddedToken, AddedVocabulary
from ..decoders import decoder_from_json
from ..engines.pipeline import Pipeline
from ..models import MODELS
from ..normalized import NormalizedText
from ..processors import processor_from_json
from ..processors.padding import Padding, Truncation
from ..tokenizer import Tokenizer
from .hf_checks import check_tokenizer_json
from .hf_json_writer import pipeline_json_dict, pipeline_json_string, save_pipeline_json


def read_json(path: str) -> Any:
    """Read a (possibly gzipped) JSON file; truncated or corrupted files give a FormatError naming them."""
    data = read_bytes(path)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise FormatError(f"{path}: corrupted gzip data ({e})") from None
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise FormatError(f"{path}: not UTF-8 text (byte {e.start}); is this a tokenizer.json?") from None
    except RecursionError:
        raise FormatError(f"{path}: the JSON is nested too deeply to read (corrupted file?)") from None
    except json.JSONDecodeError as e:
        where = "ends too early (truncated?)" if e.pos >= len(data.rstrip()) - 1 else "is not valid JSON"
        raise FormatError(f"{path}: the JSON {where}: {e.msg} at line {e.lineno} column {e.colno}") from None


def _model_type(obj: dict[str, Any]) -> str:
    """The model's type; old files leave it out and HF tells the models apart by their fields."""
    if "type" in obj:
        return obj["type"]
    if "merges" in obj:
        return "BPE"
    if isinstance(obj.get("vocab"), list):
        return "Unigram"
    if "max_input_chars_per_word" in obj or "continuing_subword_prefix" in obj:
        return "WordPiece"
    return "WordLevel"


def _check_merges(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """Parse the merges; every merge's parts and result must be in the vocabulary (as HF checks)."""
    vocab = obj.get("vocab")
    if not isinstance(vocab, dict):
        raise FormatError(f"model.vocab must be an object token -> id, got {type(vocab).__name__}")
    prefix = obj.get("continuing_subword_prefix") or ""
    out = []
    for n, item in enumerate(obj.get("merges") or [], 1):
        parts = item.split(" ") if isinstance(item, str) else list(item)
        if len(parts) != 2 or not all(isinstance(p, str) for p in parts):
            raise FormatError(f"merge {n} is {item!r}, not two tokens ('a b' or ['a', 'b'])")
        a, b = parts
        merged = a + (b[len(prefix) :] if prefix and b.startswith(prefix) else b)
        for part in (a, b, merged):
            if part not in vocab:
                raise FormatError(f"merge {n} ({a!r} {b!r}) needs {part!r}, which is missing from model.vocab")
        out.append((a, b))
    return out


def _has_byte_level(pre: Any) -> bool:
    if not isinstance(pre, dict):
        return False
    if pre.get("type") == "ByteLevel":
        return True
    return pre.get("type") == "Sequence" and any(_has_byte_level(p) for p in pre.get("pretokenizers", []))


def build_model(obj: dict[str, Any], pre_tokenizer_json: Any, source: str) -> Any:
    """Build the model of a tokenizer.json (the byte-level kernel where it applies)."""
    if not isinstance(obj, dict):
        raise FormatError("'model' must be an object")
    kind = _model_type(obj)
    if kind == "BPE":
        merges = _check_merges(obj)
        from ..models.byte_level_bpe import ByteLevelBPE

        if _has_byte_level(pre_tokenizer_json) and ByteLevelBPE.supports(obj):
            options = {k: v for k, v in obj.items() if k not in ("vocab", "merges", "type")}
            try:
                return ByteLevelBPE.from_vocab_merges(obj["vocab"], merges, options)
            except FormatError:
                pass  # not every byte is in the vocabulary: the code-point BPE handles it
    models = dict(MODELS)
    if kind not in models:
        raise FormatError(f"unknown model type {kind!r} (known: {', '.join(sorted(models))})")
    cls = models[kind]
    try:
        return cls.from_json(obj, source=source)
    except TypeError:
        return cls.from_json(obj)


def tokenizer_from_json(obj: Any, *, source: str, name: str | None = None) -> Tokenizer:
    """Build a pipeline Tokenizer from a parsed tokenizer.json; errors start with ``source``."""
    from .. import normalizers, pre_tokenizers

    try:
        if not isinstance(obj, dict) or "model" not in obj:
            raise FormatError("expected a JSON object with a 'model' (is this a tokenizer.json?)")
        check_tokenizer_json(obj, source=source)
        normalizer = normalizers.from_json(obj.get("normalizer"), where=source)
        pre = pre_tokenizers.from_json(obj.get("pre_tokenizer"), where=source)
        model = build_model(obj["model"], obj.get("pre_tokenizer"), source)
        processor = processor_from_json(obj["post_processor"]) if obj.get("post_processor") else None
        decoder = decoder_from_json(obj["decoder"]) if obj.get("decoder") else None
        added = [AddedToken.from_json(t) for t in obj.get("added_tokens") or []]
        padding = Padding.from_json(obj["padding"]) if obj.get("padding") else None
        truncation = Truncation.from_json(obj["truncation"]) if obj.get("truncation") else None
    except TokvecError as e:
        msg = str(e)
        raise type(e)(msg if msg.startswith(source) else f"{source}: {msg}") from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as e:
        raise FormatError(f"{source}: a component is malformed ({type(e).__name__}: {e})") from None
    except RecursionError:
        raise FormatError(f"{source}: components are nested too deeply (corrupted file?)") from None

    def normalize(text: str) -> str:
        return normalizer.normalize(NormalizedText.identity(text)).text if normalizer is not None else text

    with file_errors(source):  # added tokens and the id table are built from the file's values too
        pipeline = Pipeline(model, AddedVocabulary(added, normalize), normalizer, pre, processor, decoder, padding,
                            truncation)  # fmt: skip
    return Tokenizer(name or os.path.basename(source), model, pipeline=pipeline)


def load_tokenizer_json(path: str | os.PathLike[str], *, name: str | None = None) -> Tokenizer:
    """Load a ``tokenizer.json`` (or ``.json.gz``)."""
    path = os.fspath(path)
    return tokenizer_from_json(read_json(path), source=path, name=name)


def to_json_dict(tok: Tokenizer) -> dict[str, Any]:
    """Return the tokenizer.json object of a pipeline tokenizer."""
    return pipeline_json_dict(_pipeline_of(tok))


def to_json_string(tok: Tokenizer) -> str:
    """Return the tokenizer.json text."""
    return pipeline_json_string(_pipeline_of(tok))


def save_tokenizer_json(tok: Tokenizer, path: str | os.PathLike[str]) -> None:
    """Write ``tok`` as a tokenizer.json (atomic; ``.gz`` names are gzipped)."""
    save_pipeline_json(_pipeline_of(tok), path)


def _pipeline_of(tok: Tokenizer) -> Pipeline:
    if tok.pipeline is None:
        raise ConfigError(f"{tok.name} is a tiktoken-style tokenizer; only pipeline tokenizers save as tokenizer.json")
    return tok.pipeline
