"""Train WordPiece: merge the pair with the highest score freq(ab) / (freq(a) x freq(b)).

Symbols are characters; a character that does not start its word is spelled with the continuing
prefix (``##``), and so is every token made from such characters. The score prefers pairs whose
parts are rare apart and common together (the likelihood gain of a unigram language model), where
BPE prefers merely frequent pairs. Ties: higher freq(ab), then the smaller (left id, right id).

``score="frequency"`` instead reproduces Hugging Face's ``WordPieceTrainer``, which is BPE with the
``##`` prefix (merge the most frequent pair); its vocabulary is a WordPiece vocabulary all the same.

Encoding is greedy longest-match-first within each word; a word with a part that matches nothing,
or longer than ``max_input_chars_per_word``, becomes the unknown token.

>>> r = train_wordpiece(["hug hugs bug bugs pug pun"], vocab_size=20, special_tokens=("[UNK]",), progress=False)
>>> r.merges[:2]  # the worked example in tests/trainers/test_wordpiece.py explains each step
(('##g', '##s'), ('##u', '##g'))
>>> r.encode_word("hugs"), r.encode_word("bun"), r.encode_word("xyz")
(['h', '##ugs'], ['b', '##un'], ['[UNK]'])
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError
from ...kernels.bpe_train import train_merges
from ...kernels.wordpiece_train import train_wordpiece_merges
from . import wire
from .bpe import PREFIX_UNIT, char_level_start, merge_inputs, spell_new_tokens
from .config import WordPieceConfig, from_options
from .counting import count_for
from .progress import run_with_progress
from .word_counts import WordCounts


@dataclass(frozen=True, eq=False)
class WordPieceResult(wire.PipelineResult):
    """A trained WordPiece vocabulary as plain data: ``tokens[id]``, and the merges that made it.

    ``tokenizer()`` is the pipeline Tokenizer (WordPiece model, normalizer, pre-tokenizer, decoder);
    ``encode_word`` splits one word greedily, longest match first; ``encode`` and ``save`` use the pipeline.
    """

    tokens: tuple[str, ...]
    merges: tuple[tuple[str, str], ...]
    config: WordPieceConfig
    pipeline_name = "trained-wordpiece"

    def vocab(self) -> dict[str, int]:
        """Return ``{token: id}``."""
        return {t: i for i, t in enumerate(self.tokens)}

    def to_json(self) -> dict[str, Any]:
        """Return the Hugging Face ``tokenizer.json`` object."""
        from .export_bpe import added_tokens_json, pre_tokenizer_json
        from .normalize import normalizer_json

        c = self.config
        vocab = self.vocab()
        return {
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": added_tokens_json([s for s in c.special_tokens], vocab),
            "normalizer": normalizer_json(c.normalizer),
            "pre_tokenizer": pre_tokenizer_json(c.pre_tokenizer, byte_level=False),
            "post_processor": None,
            "decoder": {"type": "WordPiece", "prefix": c.continuing_subword_prefix, "cleanup": True},
            "model": {
                "type": "WordPiece", "unk_token": c.unk_token,
                "continuing_subword_prefix": c.continuing_subword_prefix,
                "max_input_chars_per_word": c.max_input_chars_per_word, "vocab": vocab,
            },
        }  # fmt: skip

    def save_vocab_txt(self, path: str | pathlib.Path) -> None:
        """Write BERT's ``vocab.txt``: one token per line, in id order (atomic)."""
        from ..._io import atomic_write

        atomic_write(path, "".join(t + "\n" for t in self.tokens).encode("utf-8"))


def train_wordpiece(corpus: Iterable | pathlib.Path, *, progress: bool = True, **options) -> WordPieceResult:
    """Count the words of ``corpus`` (texts as ``str``, files as ``pathlib.Path``) and learn WordPiece.

    Options are the fields of :class:`WordPieceConfig`, or ``config=WordPieceConfig(...)``.
    """
    config = from_options(WordPieceConfig, options)
    return learn_wordpiece(count_for(config, corpus, progress=progress), config, progress=progress)


def learn_wordpiece(words: WordCounts, config: WordPieceConfig, *, progress: bool = False) -> WordPieceResult:
    """Learn a WordPiece vocabulary from counted words."""
    specials = config.special_tokens
    prefix = config.continuing_subword_prefix
    tokens, units, syms, wlen = char_level_start(
        words, specials, config.initial_alphabet, config.limit_alphabet, prefix, None
    )
    n0 = len(tokens)
    if config.vocab_size < n0:
        raise ConfigError(
            f"vocab_size {config.vocab_size} is smaller than the {n0} tokens every vocabulary needs"
            f" ({len(specials)} special tokens and the alphabet with its {prefix!r} forms): raise vocab_size to at"
            f" least {n0}, or set limit_alphabet"
        )
    flat, uoff, wstart = merge_inputs(units, wlen)
    common = (syms, wstart, wlen, words.counts, flat, uoff, n0, config.vocab_size, config.min_frequency)
    if config.score == "likelihood":
        kernel, args = train_wordpiece_merges, (*common, PREFIX_UNIT)
    else:
        kernel, args = train_merges, (*common, -1, PREFIX_UNIT)
    lefts, rights, _merged, out_units, out_off, n_tokens = run_with_progress(
        kernel, *args, total=config.vocab_size - n0, label="WordPiece merges", enabled=progress
    )
    table = {PREFIX_UNIT: prefix}
    spell = lambda u: "".join(table[x] if x in table else chr(x) for x in u)  # noqa: E731
    all_tokens = spell_new_tokens(tokens, out_units, out_off, n_tokens, spell)
    merges = tuple((all_tokens[a], all_tokens[b]) for a, b in zip(lefts.tolist(), rights.tolist(), strict=True))
    return WordPieceResult(tuple(all_tokens), merges, config)
