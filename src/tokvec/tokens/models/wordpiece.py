"""WordPiece (BERT): greedy longest-match-first, with ``##`` marking pieces inside a word.

Each pre-token is matched from its start against the vocabulary, longest token first; later
pieces of the same word are looked up with the continuing prefix (``##ing``). A word with a
position no token matches, or longer than ``max_input_chars_per_word``, becomes one unknown token.
The matching runs in :func:`tokvec.kernels.wordpiece.encode_words` over a trie of the vocabulary.

>>> wp = WordPiece({"[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "a": 4})
>>> cps = np.frombuffer("unaffableaxyz".encode("utf-32-le"), dtype=np.uint32)
>>> ids, starts, ends = wp.encode_pieces(cps, np.array([0, 9, 10, 13]))  # unaffable | a | xyz
>>> ids.tolist(), starts.tolist(), ends.tolist()
([1, 2, 3, 4, 0], [0, 2, 5, 9, 10], [2, 5, 9, 10, 13])
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ...errors import FormatError, TokvecError, TokvecFileError
from ...kernels import wordpiece as kw


def _cps(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def read_vocab_txt(path: str | os.PathLike) -> dict[str, int]:
    """Read a BERT ``vocab.txt``: one token per line, its id is the line number.

    Like ``tokenizers``, trailing whitespace is stripped and a repeated token keeps its last id.
    """
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        raise TokvecFileError(f"cannot read WordPiece vocabulary {os.fspath(path)!r}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise FormatError(f"{os.fspath(path)}: byte {e.start} is not UTF-8; is this a vocab.txt file?") from None
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise FormatError(f"{os.fspath(path)}: the vocabulary is empty")
    return {line.rstrip(): i for i, line in enumerate(lines)}


@dataclass(frozen=True, eq=False)
class WordPiece:
    """A WordPiece model over ``vocab`` (token -> id); see the module docstring."""

    kind: ClassVar[str] = "WordPiece"
    vocab: Mapping[str, int]
    unk_token: str = "[UNK]"
    continuing_subword_prefix: str = "##"
    max_input_chars_per_word: int = 100
    _by_id: dict[int, str] = field(init=False, repr=False)
    trie: tuple[np.ndarray, np.ndarray, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        vocab = dict(self.vocab)
        for tok, i in vocab.items():
            if not isinstance(i, int) or isinstance(i, bool) or i < 0:
                raise FormatError(f"WordPiece vocabulary: token {tok!r} has id {i!r}, not a non-negative integer")
        if self.max_input_chars_per_word < 0:
            raise FormatError("WordPiece: max_input_chars_per_word must be >= 0")
        object.__setattr__(self, "vocab", vocab)
        object.__setattr__(self, "_by_id", {i: t for t, i in vocab.items()})
        tokens = list(vocab)
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        tok_off = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(lengths, out=tok_off[1:])
        ids = np.fromiter(vocab.values(), dtype=np.int32, count=len(tokens))
        trie = kw.build_trie(_cps("".join(tokens)), tok_off, ids, _cps(self.continuing_subword_prefix))
        object.__setattr__(self, "trie", (trie[0], trie[1], int(trie[2])))

    @property
    def vocab_size(self) -> int:
        """Number of tokens (``tokenizers`` counts tokens, not the largest id)."""
        return len(self.vocab)

    @property
    def unk_id(self) -> int:
        """The id of ``unk_token``, or -1 when the vocabulary lacks it."""
        return self.vocab.get(self.unk_token, -1)

    def token_to_id(self, token: str) -> int | None:
        return self.vocab.get(token)

    def id_to_token(self, id: int) -> str | None:
        return self._by_id.get(int(id))

    def get_vocab(self) -> dict[str, int]:
        return dict(self.vocab)

    def encode_pieces(self, cps: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Tokenize every pre-token ``cps[bounds[p]:bounds[p+1]]`` (see :class:`tokvec.tokens.models.base.Model`)."""
        edges, node_id, cont_root = self.trie
        out = kw.encode_words(
            edges,
            node_id,
            cont_root,
            self.unk_id,
            self.max_input_chars_per_word,
            np.ascontiguousarray(cps, dtype=np.uint32),
            np.ascontiguousarray(bounds, dtype=np.int64),
        )
        self.check_unknown(out[0])
        return out

    def check_unknown(self, ids: np.ndarray) -> None:
        """Raise when an unknown token was needed but the vocabulary has none."""
        if self.unk_id < 0 and len(ids) and ids.min() < 0:
            raise TokvecError(
                f"WordPiece: a word needs the unknown token {self.unk_token!r}, which is not in the vocabulary;"
                " add it to the vocabulary or set unk_token to a token that is"
            )

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> WordPiece:
        vocab = obj.get("vocab")
        if not isinstance(vocab, dict):
            raise FormatError("WordPiece model: 'vocab' must be an object mapping tokens to ids")
        return cls(
            vocab,
            unk_token=str(obj.get("unk_token", "[UNK]")),
            continuing_subword_prefix=str(obj.get("continuing_subword_prefix", "##")),
            max_input_chars_per_word=int(obj.get("max_input_chars_per_word", 100)),
        )

    @classmethod
    def from_vocab_txt(cls, path: str | os.PathLike, **options: Any) -> WordPiece:
        """Load a BERT ``vocab.txt`` (options: unk_token, continuing_subword_prefix, max_input_chars_per_word)."""
        return cls(read_vocab_txt(path), **options)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "unk_token": self.unk_token,
            "continuing_subword_prefix": self.continuing_subword_prefix,
            "max_input_chars_per_word": self.max_input_chars_per_word,
            "vocab": dict(sorted(self.vocab.items(), key=lambda kv: kv[1])),
        }
