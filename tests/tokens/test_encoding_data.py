"""Encoding is data (no tokenizer inside, read-only), one offsets unit and one surrogate policy on every engine."""

from __future__ import annotations

import ast
import pathlib
import pickle

import numpy as np
import pytest

import tokvec
from tests.conftest import data_path
from tests.tokens.hf_exact import FILES
from tests.tokens.reference_libs import pair as tiktoken_pair
from tokvec.tokens.encoding import Encoding
from tokvec.tokens.processors.padding import Padding, Truncation

# real tokenizer files of ../shared/data, and slow without the JIT (the make test run without it skips them)
pytestmark = pytest.mark.data

ENCODING_PY = pathlib.Path(tokvec.__file__).parent / "tokens" / "encoding.py"
ABOVE = {"tokenizer", "engines", "fused", "processors", "sentencepiece", "formats", "encoding_batch"}
PRESETS = ["cl100k_base", "gpt2"]
PIPELINES = ["bert-base-uncased", "t5-small", "phi-3-mini", "roberta-base"]
TEXT = "Héllo wörld, 東京 👋 naïve x"


def load(name: str) -> tokvec.Tokenizer:
    """A preset by name, a pipeline from its tokenizer.json in the shared data (skips naming a missing file)."""
    return tokvec.load(name) if name in PRESETS else tokvec.load(data_path(FILES[name]))


def test_encoding_module_imports_nothing_above_it() -> None:
    """encoding.py imports no engine, processor or padding module (not even for type checking)."""
    tree = ast.parse(ENCODING_PY.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            imported.update(a.name for a in node.names)
    assert imported, "the scan found no relative import at all: it is not reading encoding.py"
    assert not imported & ABOVE, f"encoding.py imports {sorted(imported & ABOVE)}"


@pytest.mark.parametrize("name", PRESETS + PIPELINES)
def test_encoding_holds_no_tokenizer_and_is_read_only(name: str) -> None:
    tok = load(name) if name != "cl100k_base" else tokvec.load(name, special_tokens={"<|x|>": 100300})  # not a preset
    for enc in (tok.encode(TEXT), tok.encode_batch([TEXT, "b"])[0]):
        held = [getattr(enc, s) for s in Encoding.__slots__]
        assert not any(isinstance(v, tokvec.Tokenizer) for v in held)
        for field in ("ids", "overflowing", "table"):
            with pytest.raises(AttributeError):
                setattr(enc, field, None)
        for arr in (enc.ids, enc.offsets, enc.byte_offsets, enc.type_ids, enc.words, enc.attention_mask):
            assert not arr.flags.writeable
        assert len(enc.tokens) == len(enc) and enc == tok.encode(TEXT)  # spelled from the table alone
        back = pickle.loads(pickle.dumps(enc))  # our own object, in memory
        assert back.tokens == enc.tokens and back.offsets.tolist() == enc.offsets.tolist()


def test_truncation_and_padding_build_new_encodings() -> None:
    """Overflowing windows come as a tuple given at build time; the unpadded encoding is left as it was."""
    tok = load("bert-base-uncased")
    tok = tok.with_padding(None).with_truncation(None)  # the file pads to 128
    plain = tok.encode("one two three four five six seven")
    cut = tok.with_truncation(Truncation(max_length=5, stride=1)).with_padding(Padding(length=6))
    enc = cut.encode("one two three four five six seven")
    assert isinstance(enc.overflowing, tuple) and len(enc.overflowing) >= 2
    assert len(enc) == 6 and all(len(o) == 6 for o in enc.overflowing)
    assert enc.attention_mask.tolist() == [1, 1, 1, 1, 1, 0]
    assert enc.tokens[-1] == "[PAD]" and enc.byte_offsets[-1].tolist() == [0, 0]
    assert plain.ids.tolist()[:4] == enc.ids.tolist()[:4] and len(plain) == 9


@pytest.mark.parametrize("name", PRESETS + PIPELINES)
def test_offsets_are_characters_and_byte_offsets_bytes(name: str) -> None:
    tok = load(name)
    enc = tok.encode(TEXT)
    data = TEXT.encode("utf-8")
    starts = [len(TEXT[:i].encode("utf-8")) for i in range(len(TEXT) + 1)]  # the byte where each character starts
    for (a, b), (x, y) in zip(enc.offsets.tolist(), enc.byte_offsets.tolist(), strict=True):
        assert 0 <= a <= b <= len(TEXT) and 0 <= x <= y <= len(data)
        # a token that starts or ends inside a character has the character's span; otherwise they agree
        assert starts[a] <= x < starts[a + 1] or (x == y == starts[a]) or (a == b == x == y == 0)
        assert starts[b - 1] < y <= starts[b] if b > a else y == x
    assert any(b - a != y - x for (a, b), (x, y) in zip(enc.offsets, enc.byte_offsets, strict=True))
    batch = tok.encode_batch([TEXT, "x", TEXT[3:]])
    np.testing.assert_array_equal(batch.offsets[: len(enc)], enc.offsets)
    np.testing.assert_array_equal(batch.byte_offsets[: len(enc)], enc.byte_offsets)
    for k, text in enumerate([TEXT, "x", TEXT[3:]]):
        one = tok.encode(text)
        np.testing.assert_array_equal(batch[k].offsets, one.offsets)
        np.testing.assert_array_equal(batch[k].byte_offsets, one.byte_offsets)


@pytest.mark.parametrize("name", ["cl100k", "o200k"])
def test_byte_level_offsets_are_tiktokens(name: str) -> None:
    """Character starts as tiktoken's decode_with_offsets gives them; byte offsets cut out each token's bytes."""
    ours, ref = tiktoken_pair(name)  # both from the shared rank file (skips naming what is missing)
    text = TEXT + " 🌍🌍 ok\n\n  x"
    enc = ours.encode(text)
    data = text.encode("utf-8")
    assert [data[a:b] for a, b in enc.byte_offsets.tolist()] == enc.pieces
    _, want = ref.decode_with_offsets(enc.ids.tolist())
    assert enc.offsets[:, 0].tolist() == want
    assert any(a == b - 1 and c == a for (a, b), (c, _) in zip(enc.offsets[:-1], enc.offsets[1:], strict=True))


SURROGATE_TEXTS = ["a\udcffb x", "\ud800", "lone \udc00\ud800 end", "pair \ud83d\udc4b joins"]


@pytest.mark.parametrize("name", ["t5-small", "phi-3-mini", "roberta-base", "bert-base-uncased", "cl100k_base"])
def test_lone_surrogates_are_replacement_characters_everywhere(name: str) -> None:
    """A lone surrogate reads as U+FFFD (ids as for U+FFFD, offsets still index the input); a pair joins.

    Before: t5-small raised, phi-3 and roberta encoded the surrogate's own bytes.
    """
    tok = load(name)
    for text in SURROGATE_TEXTS:
        clean = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        enc, want = tok.encode(text), tok.encode(clean)
        assert enc.ids.tolist() == want.ids.tolist(), text
        np.testing.assert_array_equal(enc.byte_offsets, want.byte_offsets)
        if len(clean) == len(text):
            np.testing.assert_array_equal(enc.offsets, want.offsets)
        else:  # the joined pair is one character of clean and two of text: offsets index text
            last = max(enc.offsets.tolist(), key=lambda span: span[1])
            assert last[1] == len(text) and text[last[0] : last[1]].endswith("s")
        batch = tok.encode_batch([text, clean])
        assert batch[0].ids.tolist() == want.ids.tolist()
        np.testing.assert_array_equal(batch[0].offsets, enc.offsets)
