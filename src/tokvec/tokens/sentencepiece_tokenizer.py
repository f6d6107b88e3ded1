"""Build a pipeline :class:`~tokvec.Tokenizer` from a SentencePiece model (what ``tokvec.load("x.model")`` does).

Kept apart from :mod:`tokvec.tokens.sentencepiece`, which the pipeline's fast paths import: this module
imports both the model and the pipeline, so neither imports the other back (no import circle).

>>> from tokvec.tokens.formats.sentencepiece import ModelFile
>>> from tokvec.tokens.sentencepiece import SentencePieceTokenizer
>>> pieces = ("<unk>", "<s>", "</s>", "▁", "a", "b", "ab", "▁ab")
>>> spec = ModelFile(pieces, (0, 0, 0, -1, -2, -3, -4, -5), (2, 3, 3, 1, 1, 1, 1, 1), model_type="bpe")
>>> tok = to_tokenizer(SentencePieceTokenizer.from_model_file(spec), add_eos=True)
>>> tok.encode("ab  ab").ids.tolist(), tok.decode(tok.encode("ab  ab").ids)
([7, 7, 2], 'ab ab')
"""

from __future__ import annotations

import re

from .added import AddedVocabulary
from .decoders import decoder_from_json
from .engines.pipeline import Pipeline
from .formats.sentencepiece import CONTROL
from .processors import processor_from_json
from .sentencepiece import SentencePieceTokenizer
from .tokenizer import Tokenizer


def to_tokenizer(
    spm: SentencePieceTokenizer, *, name: str = "sentencepiece", add_bos: bool | None = None, add_eos: bool = False
) -> Tokenizer:
    """Return a pipeline :class:`~tokvec.Tokenizer` that encodes as ``spm`` (and sentencepiece) does.

    Its normalizer is :class:`~tokvec.tokens.sentencepiece.SentencePieceNormalizer` (sentencepiece's
    rules, with offsets), no pre-tokenizer, the model's BPE or Unigram model; control pieces are not
    matched in the text (as in sentencepiece); ``add_bos``/``add_eos`` add a template post-processor
    (what ``encode`` adds with ``add_special_tokens=True``; ``add_bos=None``: the model's convention,
    :attr:`~tokvec.tokens.sentencepiece.SentencePieceTokenizer.adds_bos_by_convention`); the decoder is
    Hugging Face's Llama layout (Replace "▁", ByteFallback, Fuse, Strip one leading space), after
    dropping control pieces (BOS, EOS, ...) as sentencepiece's ``decode`` does.
    """
    spec = spm.spec
    if add_bos is None:
        add_bos = spm.adds_bos_by_convention
    controls = sorted({p for p, t in zip(spec.pieces, spec.types, strict=True) if t == CONTROL}, key=len)
    drop = [{"type": "Replace", "pattern": {"Regex": "^(?:" + "|".join(map(re.escape, controls[::-1])) + ")$"},
             "content": ""}] if controls else []  # fmt: skip
    decoder = decoder_from_json({"type": "Sequence", "decoders": [*drop,
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
        {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1 if spec.add_dummy_prefix else 0, "stop": 0},
    ]})  # fmt: skip
    processor = None
    if add_bos or add_eos:
        bos, eos = spec.pieces[spec.bos_id], spec.pieces[spec.eos_id]
        single = ([{"SpecialToken": {"id": bos, "type_id": 0}}] if add_bos else []) + [
            {"Sequence": {"id": "A", "type_id": 0}}
        ] + ([{"SpecialToken": {"id": eos, "type_id": 0}}] if add_eos else [])  # fmt: skip
        specials = {p: {"id": p, "ids": [spec.pieces.index(p)], "tokens": [p]} for p in (bos, eos)}
        processor = processor_from_json({"type": "TemplateProcessing", "single": single, "pair": single + [
            {"Sequence": {"id": "B", "type_id": 1}}], "special_tokens": specials})  # fmt: skip
    pipeline = Pipeline(spm.model, AddedVocabulary([]), spm.normalizer, None, processor, decoder)
    return Tokenizer(name, spm.model, pipeline=pipeline)
