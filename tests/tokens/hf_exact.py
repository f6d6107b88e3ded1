"""The exactness harness: tokvec pipeline tokenizers against Hugging Face ``tokenizers``, field by field.

``assert_hf_equal(name, texts)`` encodes ``texts`` (strings or (text, pair) tuples) with tokvec's
``encode_batch`` and HF's ``encode_batch`` and compares ids, tokens, offsets (characters), type ids,
word ids, special-tokens and attention masks, and overflowing windows; the message names the first
text that differs. Padding and truncation in the files are switched off on both sides unless given.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tokvec.tokens.processors.padding import Padding, Truncation

FILES = {
    "bert-base-uncased": "tokenizers/bert-base-uncased/tokenizer.json",
    "bert-base-cased": "tokenizers/ortx/bert_basic_cased_vocab.txt",
    "t5-small": "tokenizers/ortx/tokenizer/t5-small/tokenizer.json",
    "phi-3-mini": "tokenizers/ortx/phi-3-mini/tokenizer.json",
    "phi-2": "tokenizers/ortx/phi-2/tokenizer.json",
    "roberta-base": "tokenizers/ortx/tokenizer/roberta-base/tokenizer.json",
    "falcon": "tokenizers/ortx/falcon-tokenizer/tokenizer.json",
    "clip": "tokenizers/ortx/tokenizer/clip/tokenizer.json",
}
NAMES = list(FILES)
FIELDS = ("ids", "tokens", "offsets", "type_ids", "word_ids", "special_tokens_mask", "attention_mask")


@functools.cache
def pair(name: str):
    """Return (tokvec Tokenizer, HF Tokenizer) from the same file, padding and truncation off."""
    tokenizers = pytest.importorskip("tokenizers")
    path = data_path(FILES[name])
    ours = tokvec.load(path)
    if path.name.endswith(".txt"):  # HF builds the same tokenizer from vocab.txt
        ref = tokenizers.BertWordPieceTokenizer(str(path), lowercase=False)._tokenizer
    else:
        ref = tokenizers.Tokenizer.from_file(str(path))
    ref.no_padding()
    ref.no_truncation()
    return ours.with_padding(None).with_truncation(None), ref


def configured(name: str, padding: dict | None = None, truncation: dict | None = None):
    """The pair with the same padding / truncation on both sides (HF ``enable_*`` keyword names)."""
    ours, ref = pair(name)
    ref = ref.__class__.from_str(ref.to_str())
    if padding is not None:
        ref.enable_padding(**padding)
        p = dict(padding)
        ours = ours.with_padding(Padding(**p))
    if truncation is not None:
        ref.enable_truncation(**truncation)
        ours = ours.with_truncation(Truncation(**truncation))
    return ours, ref


def _fields(enc, ours: bool) -> dict:
    out = {}
    for f in FIELDS:
        v = getattr(enc, f)
        if ours and isinstance(v, np.ndarray):
            v = [tuple(x) for x in v.tolist()] if f == "offsets" else v.tolist()
        out[f] = list(v)
    return out


def _compare(a, b, where: str) -> None:
    fa, fb = _fields(a, True), _fields(b, False)
    for f in FIELDS:
        if fa[f] != fb[f]:
            k = next(
                (i for i, (x, y) in enumerate(zip(fa[f], fb[f], strict=False)) if x != y), min(len(fa[f]), len(fb[f]))
            )
            raise AssertionError(
                f"{where}: {f} differ at token {k} (lengths {len(fa[f])} and {len(fb[f])})\n"
                f"tokvec {fa[f][max(0, k - 3) : k + 5]}\nHF     {fb[f][max(0, k - 3) : k + 5]}"
            )
    if len(a.overflowing) != len(b.overflowing):
        raise AssertionError(f"{where}: {len(a.overflowing)} overflowing windows, HF has {len(b.overflowing)}")
    for k, (x, y) in enumerate(zip(a.overflowing, b.overflowing, strict=True)):
        _compare(x, y, f"{where}, overflowing window {k}")


def assert_hf_equal(ours, ref, texts: list, *, add_special_tokens: bool = True, label: str = "") -> None:
    """Compare every field of ``encode_batch`` with HF's; name the first text that differs.

    ``allowed_special="all"`` is tokvec's option for Hugging Face's reading of special-token text (its id).
    """
    got = ours.encode_batch(texts, add_special_tokens=add_special_tokens, allowed_special="all")
    want = ref.encode_batch(texts, add_special_tokens=add_special_tokens)
    assert len(got) == len(want)
    for k, (a, b) in enumerate(zip(got, want, strict=True)):
        same = a.ids.tolist() == b.ids and len(a.overflowing) == len(b.overflowing) == 0
        same = same and a.offsets.tolist() == [list(o) for o in b.offsets] and a.tokens == b.tokens
        same = same and a.words.tolist() == [-1 if w is None else w for w in b.word_ids]
        same = same and a.type_ids.tolist() == b.type_ids and a.special_tokens_mask.tolist() == b.special_tokens_mask
        if same:
            continue
        _compare(a, b, f"{label} text {k} {texts[k]!r:.100}")
