"""The options of each trainer: frozen dataclasses, validated when made (the CLI flags come from them).

>>> BpeConfig(vocab_size=1000).pre_tokenizer
'gpt2'
>>> BpeConfig(vocab_size=0)
Traceback (most recent call last):
...
tokvec.errors.ConfigError: vocab_size must be a positive integer, got 0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from ...errors import ConfigError, UnknownNameError
from .counting import GRAMMARS, PRE_TOKENIZERS
from .normalize import check_normalizer

C = TypeVar("C")


def from_options(cls: type[C], options: dict[str, Any]) -> C:
    """Return ``options["config"]``, or ``cls(**options)``; both at once is an error."""
    config = options.pop("config", None)
    if config is None:
        return cls(**options)
    if options:
        raise ConfigError(f"give either config= or options ({', '.join(options)}), not both")
    return config


def _check_common(c) -> None:
    if not isinstance(c.vocab_size, int) or c.vocab_size < 1:
        raise ConfigError(f"vocab_size must be a positive integer, got {c.vocab_size!r}")
    if not isinstance(c.min_frequency, int) or c.min_frequency < 0:
        raise ConfigError(f"min_frequency must be an integer >= 0, got {c.min_frequency!r}")
    if c.pre_tokenizer not in PRE_TOKENIZERS:
        raise UnknownNameError(f"unknown pre_tokenizer {c.pre_tokenizer!r}: use one of {', '.join(PRE_TOKENIZERS)}")
    if isinstance(c.special_tokens, str):
        raise ConfigError("special_tokens must be a sequence of strings, not one string: write ('<unk>',)")
    object.__setattr__(c, "special_tokens", tuple(c.special_tokens))
    if any(not isinstance(s, str) or not s for s in c.special_tokens):
        raise ConfigError(f"special tokens must be non-empty strings, got {c.special_tokens!r}")
    check_normalizer(c.normalizer)
    if c.max_token_length is not None and (not isinstance(c.max_token_length, int) or c.max_token_length < 2):
        raise ConfigError(f"max_token_length must be an integer >= 2 (or None), got {c.max_token_length!r}")


@dataclass(frozen=True)
class BpeConfig:
    """Options of :func:`tokvec.train_bpe`.

    byte_level: symbols are the 256 bytes (GPT-2 style, never an unknown token) and the pre-tokenizer
    is one of the split patterns; otherwise symbols are characters (``initial_alphabet``,
    ``limit_alphabet``, ``end_of_word_suffix`` such as ``</w>``, ``continuing_subword_prefix``).
    max_token_length counts symbols; longer tokens are never made.
    """

    vocab_size: int = 32000
    min_frequency: int = 2
    special_tokens: tuple[str, ...] = ("<|endoftext|>",)
    pre_tokenizer: str = "gpt2"
    byte_level: bool = True
    normalizer: str | None = None
    initial_alphabet: tuple[str, ...] = ()
    limit_alphabet: int | None = None
    end_of_word_suffix: str | None = None
    continuing_subword_prefix: str | None = None
    max_token_length: int | None = None
    strict: bool = False

    def __post_init__(self) -> None:
        _check_common(self)
        if self.byte_level and self.pre_tokenizer not in GRAMMARS:
            raise ConfigError(
                f"byte-level BPE needs a split-pattern pre-tokenizer ({', '.join(GRAMMARS)}), got"
                f" {self.pre_tokenizer!r}; use byte_level=False for character-level BPE"
            )
        if self.byte_level and (self.end_of_word_suffix or self.continuing_subword_prefix or self.limit_alphabet):
            raise ConfigError(
                "end_of_word_suffix, continuing_subword_prefix and limit_alphabet apply to character-level BPE:"
                " pass byte_level=False"
            )
        object.__setattr__(self, "initial_alphabet", tuple(self.initial_alphabet))
        if any(len(ch) != 1 for ch in self.initial_alphabet):
            raise ConfigError(f"initial_alphabet must hold single characters, got {self.initial_alphabet!r}")
        if self.limit_alphabet is not None and self.limit_alphabet < 1:
            raise ConfigError(f"limit_alphabet must be >= 1 (or None), got {self.limit_alphabet!r}")


@dataclass(frozen=True)
class WordPieceConfig:
    """Options of :func:`tokvec.train_wordpiece`.

    score: ``"likelihood"`` merges the pair with the highest freq(ab) / (freq(a) x freq(b)) (WordPiece as
    published); ``"frequency"`` merges the most frequent pair, as Hugging Face's WordPieceTrainer does.
    """

    vocab_size: int = 30000
    min_frequency: int = 0
    special_tokens: tuple[str, ...] = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
    pre_tokenizer: str = "whitespace"
    normalizer: str | None = None
    initial_alphabet: tuple[str, ...] = ()
    limit_alphabet: int | None = None
    continuing_subword_prefix: str = "##"
    unk_token: str = "[UNK]"
    max_input_chars_per_word: int = 100
    score: str = "likelihood"
    max_token_length: int | None = None
    strict: bool = False

    def __post_init__(self) -> None:
        _check_common(self)
        if self.score not in ("likelihood", "frequency"):
            raise UnknownNameError(f"unknown score {self.score!r}: use 'likelihood' or 'frequency'")
        if self.unk_token not in self.special_tokens:
            object.__setattr__(self, "special_tokens", (*self.special_tokens, self.unk_token))
        if not self.continuing_subword_prefix:
            raise ConfigError("continuing_subword_prefix must be a non-empty string such as '##'")
        object.__setattr__(self, "initial_alphabet", tuple(self.initial_alphabet))
        if self.max_input_chars_per_word < 1:
            raise ConfigError(f"max_input_chars_per_word must be >= 1, got {self.max_input_chars_per_word!r}")


@dataclass(frozen=True)
class UnigramConfig:
    """Options of :func:`tokvec.train_unigram` (SentencePiece's names where they exist).

    character_coverage: the share of character occurrences the alphabet must cover (rarer characters
    become ``unk_token``); seed_size: substrings in the seed vocabulary; shrinking_factor: the share of
    pieces kept by each pruning round; em_iterations: EM steps per round. Training has no randomness;
    sampling takes its seed at :meth:`UnigramResult.sample_word`.
    """

    vocab_size: int = 8000
    special_tokens: tuple[str, ...] = ("<unk>", "<s>", "</s>")
    unk_token: str = "<unk>"
    pre_tokenizer: str = "metaspace"
    normalizer: str | None = None
    character_coverage: float = 0.9995
    max_token_length: int = 16
    seed_size: int = 1_000_000
    shrinking_factor: float = 0.75
    em_iterations: int = 2
    strict: bool = False
    min_frequency: int = 0

    def __post_init__(self) -> None:
        _check_common(self)
        if self.unk_token not in self.special_tokens:
            object.__setattr__(self, "special_tokens", (self.unk_token, *self.special_tokens))
        if not 0.0 < self.character_coverage <= 1.0:
            raise ConfigError(f"character_coverage must be in (0, 1], got {self.character_coverage!r}")
        if not 0.0 < self.shrinking_factor < 1.0:
            raise ConfigError(f"shrinking_factor must be in (0, 1), got {self.shrinking_factor!r}")
        if not 2 <= self.max_token_length <= 64:
            raise ConfigError(f"max_token_length must be between 2 and 64, got {self.max_token_length!r}")
        if self.seed_size < 1 or self.em_iterations < 1:
            raise ConfigError("seed_size and em_iterations must be >= 1")
