"""Trained WordPiece and Unigram vocabularies as pipeline tokenizers (the same components ``tokvec.load`` uses).

The trainer describes its tokenizer once, as the ``tokenizer.json`` object (``result.to_json()``); the
pipeline builds its own normalizer, pre-tokenizer, model (:class:`~tokvec.tokens.models.wordpiece.WordPiece`,
:class:`~tokvec.tokens.models.unigram.UnigramModel`) and decoder from it, and the file is written back by
the pipeline's saver, so what is saved, what ``tokvec.load`` reads and what ``result.encode`` runs are one
tokenizer. Encoding is the pipeline's numba kernels; the trainers keep no encoder of their own.

>>> from tokvec import train_wordpiece
>>> r = train_wordpiece(["hug hugs bug bugs pug pun"], vocab_size=20, special_tokens=("[UNK]",), progress=False)
>>> type(r.tokenizer().model).__name__, r.tokenizer().encode("hugs pun").tokens
('WordPiece', ['h', '##ugs', 'pun'])
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..formats.hf_json import save_tokenizer_json, tokenizer_from_json
from ..tokenizer import Tokenizer


class PipelineResult:
    """What the WordPiece and Unigram results share: their pipeline Tokenizer, encoding through it, saving it.

    A subclass names its tokenizer in ``pipeline_name`` and describes it in ``to_json()``.
    """

    pipeline_name = "trained"
    #: built once, in __post_init__
    _tokenizer: Tokenizer

    def __post_init__(self) -> None:
        # built once, when the (frozen) result is made: no cache written on first use
        object.__setattr__(self, "_tokenizer", pipeline_tokenizer(self, self.pipeline_name))

    def to_json(self) -> dict[str, Any]:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def tokenizer(self) -> Tokenizer:
        """Return the pipeline Tokenizer of :meth:`to_json` (built with the result)."""
        return self._tokenizer  # type: ignore[attr-defined]

    def encode_word(self, word: str) -> list[str]:
        """Return the tokens of one word (pre-token) by the pipeline's model alone."""
        return encode_word(self.tokenizer(), word)

    def encode(self, text: str) -> list[str]:
        """Return the tokens of ``text`` through the pipeline (normalizer and pre-tokenizer as in training)."""
        return encode(self.tokenizer(), text)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write ``tokenizer.json`` with the pipeline's saver (atomic)."""
        save(self.tokenizer(), path)


def pipeline_tokenizer(result: Any, name: str) -> Tokenizer:
    """Return a new pipeline Tokenizer of ``result.to_json()``, called ``name``."""
    return tokenizer_from_json(result.to_json(), source=name, name=name)


def encode_word(tok: Tokenizer, word: str) -> list[str]:
    """Split one pre-token with the pipeline model alone (no normalizer, no pre-tokenizer)."""
    if not word:
        return []
    cps = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32)
    ids = tok.model.encode_pieces(cps, np.array([0, len(cps)], dtype=np.int64))[0]
    return [tok.model.id_to_token(int(i)) for i in ids]


def encode(tok: Tokenizer, text: str) -> list[str]:
    """Tokens of ``text`` through the whole pipeline (normalizer, pre-tokenizer, model)."""
    return list(tok.encode(text, allowed_special="all").tokens)  # as HF: special-token text is its id


def save(tok: Tokenizer, path: str | os.PathLike[str]) -> None:
    """Write ``tokenizer.json`` with the pipeline's saver (atomic; ``.gz`` names are gzipped)."""
    save_tokenizer_json(tok, path)
