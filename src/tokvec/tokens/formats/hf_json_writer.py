"""Write a pipeline as a Hugging Face ``tokenizer.json`` (the reader is :mod:`tokvec.tokens.formats.hf_json`).

Kept apart from the reader so that :meth:`tokvec.Tokenizer.save` can import it without an import circle:
this module needs only the pipeline's components, each of which writes its own ``to_json()``.

>>> import tokvec, json
>>> obj = json.loads(pipeline_json_string(tokvec.load("bert-base-uncased").pipeline))
>>> obj["model"]["type"], obj["added_tokens"][0]["content"]
('WordPiece', '[PAD]')
"""

from __future__ import annotations

import gzip
import json
import os
from typing import Any, Protocol

from ..._io import atomic_write


class Pipeline(Protocol):
    """What is written of a :class:`~tokvec.tokens.engines.pipeline.Pipeline` (kept here: the engine imports this)."""

    truncation: Any
    padding: Any
    added: Any
    normalizer: Any
    pre_tokenizer: Any
    post_processor: Any
    decoder: Any
    model: Any


def pipeline_json_dict(p: Pipeline) -> dict[str, Any]:
    """Return the tokenizer.json object of a pipeline."""
    return {
        "version": "1.0",
        "truncation": p.truncation.to_json() if p.truncation else None,
        "padding": p.padding.to_json() if p.padding else None,
        "added_tokens": [t.to_json() for t in sorted(p.added.tokens, key=lambda t: t.id)],
        "normalizer": p.normalizer.to_json() if p.normalizer is not None else None,
        "pre_tokenizer": p.pre_tokenizer.to_json() if p.pre_tokenizer is not None else None,
        "post_processor": p.post_processor.to_json() if p.post_processor is not None else None,
        "decoder": p.decoder.to_json() if p.decoder is not None else None,
        "model": p.model.to_json(),
    }


def pipeline_json_string(p: Pipeline) -> str:
    """Return the tokenizer.json text of a pipeline."""
    return json.dumps(pipeline_json_dict(p), ensure_ascii=False, indent=2)


def save_pipeline_json(p: Pipeline, path: str | os.PathLike[str]) -> None:
    """Write a pipeline as a tokenizer.json (atomic; ``.gz`` names are gzipped)."""
    data = pipeline_json_string(p).encode("utf-8")
    if os.fspath(path).endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    atomic_write(path, data)
