"""``Encoding``: tiktoken's class over a tokvec :class:`~tokvec.Tokenizer` (same methods, types and errors).

Ids are lists of ints, as tiktoken returns them; the tokenizer behind (``enc.tokenizer``) gives
tokvec's arrays, offsets and threads. Special tokens follow tiktoken exactly: ``allowed_special``
may name strings that are not special tokens (they are ignored) and ``disallowed_special`` any
strings at all (text holding one raises ``ValueError``).

>>> from tokvec.tiktoken import get_encoding
>>> enc = get_encoding("cl100k_base")
>>> enc.encode("hello <|endoftext|>", allowed_special="all")
[15339, 220, 100257]
>>> enc.decode_with_offsets(enc.encode("hello world"))
('hello world', [0, 5])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from typing import Any, Literal

import numpy as np

from ..errors import FormatError, InputTypeError, UnknownTokenError
from ..tokens import specials as sp
from ..tokens.models.bpe import BytePairModel
from ..tokens.pre_tokenizers import SplitPattern
from ..tokens.tokenizer import Tokenizer
from . import _pieces

Special = Literal["all"] | Collection[str]


class Encoding:
    """tiktoken's ``Encoding(name, *, pat_str, mergeable_ranks, special_tokens, explicit_n_vocab=None)``."""

    def __init__(
        self,
        name: str,
        *,
        pat_str: str,
        mergeable_ranks: dict[bytes, int],
        special_tokens: dict[str, int],
        explicit_n_vocab: int | None = None,
    ) -> None:
        model = BytePairModel.from_ranks(mergeable_ranks)
        self._setup(name, pat_str, mergeable_ranks, special_tokens, model, explicit_n_vocab)

    @classmethod
    def _build(cls, name, pat_str, ranks, specials, model, n_vocab=None, *, by_name=None) -> Encoding:
        """Build without reading ranks again; ``by_name`` (the registry's ``get_encoding``) pickles it by name."""
        enc = cls.__new__(cls)
        enc._setup(name, pat_str, ranks, specials, model, n_vocab)
        enc._by_name = by_name
        return enc

    def _setup(self, name, pat_str, ranks, specials, model, n_vocab) -> None:
        tok = Tokenizer(name, model, SplitPattern(pat_str), specials)
        self._init_from(tok, pat_str, ranks, specials)
        if n_vocab and (len(self._mergeable_ranks) + len(specials) != n_vocab or self.max_token_value != n_vocab - 1):
            raise FormatError(
                f"{name}: explicit_n_vocab={n_vocab}, but there are {len(self._mergeable_ranks)} ranks and"
                f" {len(specials)} special tokens, the largest id {self.max_token_value}"
            )

    def _init_from(self, tok: Tokenizer, pat_str: str, ranks: dict[bytes, int] | None, specials: dict[str, int]):
        self.name = tok.name
        self.tokenizer = tok
        self._by_name: Callable[[str], Encoding] | None = None  # set by the registry for the encodings it holds
        self._pat_str = pat_str
        self._ranks = ranks
        self._special_tokens = specials
        self._special_token_values = set(specials.values())
        self._all_specials = frozenset(specials)
        self.max_token_value = max(int(np.flatnonzero(tok.model.present)[-1]), max(specials.values(), default=0))

    @property
    def _mergeable_ranks(self) -> dict[bytes, int]:
        if self._ranks is None:  # unpickled: the ranks come back from the model
            self._ranks = self.tokenizer.model.ranks()
        return self._ranks

    def __repr__(self) -> str:
        return f"<Encoding {self.name!r}>"

    def __reduce__(self) -> tuple[Any, ...]:
        if self._by_name is not None:  # a registered encoding pickles by name, as in tiktoken
            return self._by_name, (self.name,)
        return _restore, (self.tokenizer, self._pat_str, self._special_tokens)

    # ----------------------------------------------------------------- encoding
    def _allowed(self, texts: Sequence[str], allowed_special: Special, disallowed_special: Special) -> frozenset[str]:
        """Check ``texts`` for disallowed special tokens; return the allowed special tokens."""
        allowed = self._all_specials if allowed_special == "all" else frozenset(allowed_special)
        if disallowed_special == "all":
            disallowed = self._all_specials - allowed
        else:
            disallowed = frozenset(disallowed_special)
        if disallowed:
            for text in texts:
                if not isinstance(text, str):
                    raise InputTypeError(f"expected text (str), got {type(text).__name__}")
                sp.check_disallowed(text, disallowed)
        return allowed & self._all_specials

    def encode_ordinary(self, text: str) -> list[int]:
        """Encode ``text``, special-token text as ordinary text."""
        return self.tokenizer.encode_ordinary(text).ids.tolist()

    def encode(
        self, text: str, *, allowed_special: Special = frozenset(), disallowed_special: Special = "all"
    ) -> list[int]:
        """Encode ``text``; text of a disallowed special token raises ValueError (see tiktoken's ``encode``)."""
        allow = self._allowed((text,), allowed_special, disallowed_special)
        if not allow:
            return self.tokenizer.encode_ordinary(text).ids.tolist()
        return self.tokenizer.encode(text, allowed_special=allow, disallowed_special=()).ids.tolist()

    def encode_to_numpy(
        self, text: str, *, allowed_special: Special = frozenset(), disallowed_special: Special = "all"
    ) -> np.ndarray:
        """Encode ``text`` into a uint32 array."""
        allow = self._allowed((text,), allowed_special, disallowed_special)
        return self.tokenizer.encode(text, allowed_special=allow, disallowed_special=()).ids.astype(np.uint32)

    def encode_ordinary_batch(self, text: list[str], *, num_threads: int = 8) -> list[list[int]]:
        """Encode many texts on ``num_threads`` threads, special-token text as ordinary text."""
        return self.tokenizer.encode_batch(text, num_threads=num_threads, disallowed_special=()).tolist()

    def encode_batch(
        self,
        text: list[str],
        *,
        num_threads: int = 8,
        allowed_special: Special = frozenset(),
        disallowed_special: Special = "all",
    ) -> list[list[int]]:
        """Encode many texts on ``num_threads`` threads (special tokens as in :meth:`encode`)."""
        text = list(text)
        allow = self._allowed(text, allowed_special, disallowed_special)
        batch = self.tokenizer.encode_batch(text, num_threads=num_threads, allowed_special=allow, disallowed_special=())
        return batch.tolist()

    def encode_with_unstable(
        self, text: str, *, allowed_special: Special = frozenset(), disallowed_special: Special = "all"
    ) -> tuple[list[int], list[list[int]]]:
        """Return the stable tokens of ``text`` and every token sequence that may complete it."""
        allow = self._allowed((text,), allowed_special, disallowed_special)
        return _pieces.encode_with_unstable(self, text, allow)

    def encode_single_token(self, text_or_bytes: str | bytes) -> int:
        """Return the id of the one token that is ``text_or_bytes`` (special tokens included); KeyError if none."""
        data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
        found = self.tokenizer.bytes_to_id(data)
        if found is not None:
            return found
        try:
            special = self._special_tokens.get(bytes(data).decode("utf-8"))
        except UnicodeDecodeError:
            special = None
        if special is None:
            raise UnknownTokenError(f"{data!r} is not a token of {self.name}")
        return special

    # ----------------------------------------------------------------- decoding
    def decode_bytes(self, tokens: Sequence[int]) -> bytes:
        """Return the bytes of ``tokens``."""
        return self.tokenizer.decode_bytes(tokens)

    def decode(self, tokens: Sequence[int], errors: str = "replace") -> str:
        """Return the text of ``tokens`` (bytes that are not UTF-8 handled by ``errors``)."""
        return self.tokenizer.decode_bytes(tokens).decode("utf-8", errors=errors)

    def decode_single_token_bytes(self, token: int) -> bytes:
        """Return the bytes of one token (special tokens included); KeyError if there is no such token."""
        return self.tokenizer.token_bytes_list((token,))[0]

    def decode_tokens_bytes(self, tokens: Sequence[int]) -> list[bytes]:
        """Return the bytes of each token."""
        return self.tokenizer.token_bytes_list(tokens)

    def decode_with_offsets(self, tokens: Sequence[int]) -> tuple[str, list[int]]:
        """Return the text and, for each token, the index of the first character holding its bytes.

        Raises UnicodeDecodeError if the tokens are not valid UTF-8 together (as tiktoken does).
        """
        pieces = self.tokenizer.token_bytes_list(tokens)
        offsets = []
        chars = 0
        for piece in pieces:
            starts_inside = 0x80 <= piece[0] < 0xC0  # a continuation byte: the character began before
            offsets.append(max(0, chars - starts_inside))
            chars += sum(1 for c in piece if not 0x80 <= c < 0xC0)
        return b"".join(pieces).decode("utf-8", errors="strict"), offsets

    def decode_batch(
        self, batch: Sequence[Sequence[int]], *, errors: str = "replace", num_threads: int = 8
    ) -> list[str]:
        """Decode each list of tokens (``num_threads`` is accepted for tiktoken's sake; decoding is one pass)."""
        return [self.decode(tokens, errors=errors) for tokens in batch]

    def decode_bytes_batch(self, batch: Sequence[Sequence[int]], *, num_threads: int = 8) -> list[bytes]:
        """Return the bytes of each list of tokens."""
        return [self.decode_bytes(tokens) for tokens in batch]

    # ----------------------------------------------------------------- vocabulary
    def token_byte_values(self) -> list[bytes]:
        """Return the bytes of every ordinary token, sorted."""
        return list(self._sorted_token_bytes)

    @functools.cached_property
    def _sorted_token_bytes(self) -> list[bytes]:
        return sorted(self._mergeable_ranks)

    @property
    def eot_token(self) -> int:
        """The id of ``<|endoftext|>``."""
        return self._special_tokens["<|endoftext|>"]

    @functools.cached_property
    def special_tokens_set(self) -> set[str]:
        """The special tokens' strings."""
        return set(self._special_tokens)

    def is_special_token(self, token: int) -> bool:
        """Whether ``token`` is the id of a special token."""
        return token in self._special_token_values

    @property
    def n_vocab(self) -> int:
        """One more than the largest id."""
        return self.max_token_value + 1

    # ----------------------------------------------------------------- tiktoken's private helpers
    def _encode_single_piece(self, text_or_bytes: str | bytes) -> list[int]:
        data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
        return _pieces.byte_pair_encode(self.tokenizer, data, whole_first=True)

    def _encode_only_native_bpe(self, text: str) -> list[int]:
        import regex

        out: list[int] = []
        for piece in regex.findall(regex.compile(self._pat_str), text):
            out += _pieces.byte_pair_encode(self.tokenizer, piece.encode("utf-8"), whole_first=True)
        return out

    def _encode_bytes(self, text: bytes) -> list[int]:
        return _pieces.encode_bytes(self, text)


def _restore(tok: Tokenizer, pat_str: str, specials: dict[str, int]) -> Encoding:
    """Rebuild an unregistered Encoding from its (pickled) tokenizer."""
    enc = Encoding.__new__(Encoding)
    enc._init_from(tok, pat_str, None, specials)
    return enc
