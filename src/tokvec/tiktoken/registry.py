"""The published encodings by name, built once per process (as tiktoken's registry does).

Each name says which rank file it reads (:mod:`tokvec.tiktoken.load`), its split pattern and its
special tokens. ``gpt2`` has r50k_base's ranks (tiktoken reads them from GPT-2's own files; they are
the same table); ``o200k_harmony`` (gpt-oss) is o200k_base with 1,088 more special tokens. Encodings
that read the same rank file share one (immutable) BPE model.

>>> get_encoding("gpt2").encode("hello world")
[31373, 995]
>>> "o200k_harmony" in list_encoding_names()
True
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from ..errors import UnknownEncodingError
from ..tokens.models.bpe import BytePairModel
from ..tokens.pre_tokenizers import CL100K_PATTERN, O200K_PATTERN, R50K_PATTERN
from .core import Encoding
from .load import read_rank_file

_EOT = "<|endoftext|>"
_FIM = {"<|fim_prefix|>": 1, "<|fim_middle|>": 2, "<|fim_suffix|>": 3}  # offsets from the first FIM id


def _harmony_specials() -> dict[str, int]:
    named = ["<|startoftext|>", _EOT, "<|reserved_200000|>", "<|reserved_200001|>", "<|return|>", "<|constrain|>",
             "<|reserved_200004|>", "<|channel|>", "<|start|>", "<|end|>", "<|message|>", "<|reserved_200009|>",
             "<|reserved_200010|>", "<|reserved_200011|>", "<|call|>"]  # fmt: skip
    # subtle: <|endofprompt|> (from o200k_base) and <|reserved_200018|> share the id 200018
    out = {_EOT: 199999, "<|endofprompt|>": 200018}
    out |= {t: 199998 + k for k, t in enumerate(named)}
    return out | {f"<|reserved_{i}|>": i for i in range(200013, 201088)}


@dataclass(frozen=True)
class Spec:
    """How to build one named encoding."""

    ranks: str  # the rank file, by its published name
    pattern: str
    specials: dict[str, int]
    n_vocab: int | None = None  # tiktoken's explicit_n_vocab, checked


SPECS: dict[str, Spec] = {
    "gpt2": Spec("r50k_base", R50K_PATTERN, {_EOT: 50256}, 50257),
    "r50k_base": Spec("r50k_base", R50K_PATTERN, {_EOT: 50256}, 50257),
    "p50k_base": Spec("p50k_base", R50K_PATTERN, {_EOT: 50256}, 50281),
    "p50k_edit": Spec("p50k_base", R50K_PATTERN, {_EOT: 50256} | {t: 50280 + k for t, k in _FIM.items()}),
    "cl100k_base": Spec(
        "cl100k_base",
        CL100K_PATTERN,
        {_EOT: 100257} | {t: 100257 + k for t, k in _FIM.items()} | {"<|endofprompt|>": 100276},
    ),
    "o200k_base": Spec("o200k_base", O200K_PATTERN, {_EOT: 199999, "<|endofprompt|>": 200018}),
    "o200k_harmony": Spec("o200k_base", O200K_PATTERN, _harmony_specials()),
}

_lock = threading.RLock()
ENCODINGS: dict[str, Encoding] = {}


@functools.cache
def _ranks_and_model(file: str) -> tuple[dict[bytes, int], BytePairModel]:
    ranks = read_rank_file(file)
    return ranks, BytePairModel.from_ranks(ranks)


def get_encoding(encoding_name: str) -> Encoding:
    """Return the encoding called ``encoding_name``, built on first use (raises ValueError for unknown names)."""
    if not isinstance(encoding_name, str):
        raise UnknownEncodingError(f"expected an encoding name (str) in get_encoding, got {type(encoding_name)}")
    enc = ENCODINGS.get(encoding_name)
    if enc is not None:
        return enc
    with _lock:
        if encoding_name in ENCODINGS:
            return ENCODINGS[encoding_name]
        spec = SPECS.get(encoding_name)
        if spec is None:
            raise UnknownEncodingError(
                f"unknown encoding {encoding_name!r}; the encodings are {', '.join(SPECS)}"
                " (for another rank file, build tokvec.tiktoken.Encoding(name, pat_str=..., mergeable_ranks=...,"
                " special_tokens=...))"
            )
        ranks, model = _ranks_and_model(spec.ranks)
        enc = Encoding._build(
            encoding_name, spec.pattern, ranks, dict(spec.specials), model, spec.n_vocab, by_name=get_encoding
        )
        ENCODINGS[encoding_name] = enc
        return enc


def list_encoding_names() -> list[str]:
    """Return the names :func:`get_encoding` knows."""
    return list(SPECS)
