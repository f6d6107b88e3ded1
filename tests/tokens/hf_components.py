"""HF ``tokenizers`` components built from tokenizer.json objects, and FLORES lines to compare on."""

from __future__ import annotations

import functools
import json

import pytest

from tests.conftest import data_path

# a few lines per language keep the component tests quick; the BERT test reads every line
LINES_PER_LANGUAGE = 25


@functools.cache
def flores_lines(per_language: int | None = LINES_PER_LANGUAGE) -> tuple[str, ...]:
    """The first ``per_language`` devtest lines of every FLORES-200 language (all lines for None)."""
    folder = data_path("flores200/devtest")
    files = sorted(folder.glob("*.devtest"))
    if len(files) < 200:
        pytest.skip(f"{folder} holds {len(files)} languages, expected 204")
    out: list[str] = []
    for f in files:
        out += f.read_text(encoding="utf-8").splitlines()[:per_language]
    return tuple(out)


EDGE_TEXTS = (
    "", " ", "  a  b  ", "a!!b,,c", "don't 123 4567 x1y2", "héllo  wörld\n\tfoo", "▁a b", "\u3000x\u00a0y",
    "a'''s", "a\u0301\u0323b", "ΣΑΣ ΣΑΣ.", "İstanbul", "ﬁ ﬀ", "\x00a\ufffdb\x0b\x85", "Ça\tva 日本", "e\u0301\u0301x",
    "F\uf900 中國", "a\u0301\u1b44x", "\u1100\u1161\u11a8 가", "x" * 150, "[CLS] hi",
)  # fmt: skip


def _hf_tokenizer(**parts):
    tokenizers = pytest.importorskip("tokenizers")
    obj = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"},
    }
    obj.update(parts)
    return tokenizers.Tokenizer.from_str(json.dumps(obj))


def hf_normalizer(spec: dict):
    """The ``tokenizers`` normalizer of a tokenizer.json ``"normalizer"`` object."""
    return _hf_tokenizer(normalizer=spec).normalizer


def hf_pre_tokenizer(spec: dict):
    """The ``tokenizers`` pre-tokenizer of a tokenizer.json ``"pre_tokenizer"`` object."""
    return _hf_tokenizer(pre_tokenizer=spec).pre_tokenizer


def hf_alignment(normalizer, text: str) -> tuple[str, list[list[int]]]:
    """Normalize ``text`` with ``tokenizers``; return the text and each character's span in the original.

    ``PreTokenizedString`` cut into one-character splits reports every character's original span.
    """
    from tokenizers import PreTokenizedString

    pts = PreTokenizedString(text)
    pts.normalize(lambda n: normalizer.normalize(n))
    pts.split(lambda i, n: [n[j : j + 1] for j in range(len(n.normalized))])
    splits = pts.get_splits("original", "char")
    return "".join(s for s, _, _ in splits), [list(o) for _, o, _ in splits]
