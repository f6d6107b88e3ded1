"""Normalizers and pre-tokenizers equal Hugging Face ``tokenizers``: text, alignment, pieces, offsets.

Every variant that the tokenizer files of the issue use, and the other behaviours, on the first
lines of all 204 FLORES-200 languages, edge cases, and generated text.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS, fragments
from tests.tokens.hf_components import EDGE_TEXTS, flores_lines, hf_alignment, hf_normalizer, hf_pre_tokenizer
from tokvec.errors import FormatError
from tokvec.tokens import normalizers, pre_tokenizers
from tokvec.tokens.normalized import NormalizedText

pytest.importorskip("tokenizers")

WS = {"Regex": "\\s+"}
U, M = "\u2581", {"String": " "}


def _bert(clean: bool, chinese: bool, strip: bool | None, lower: bool) -> dict:
    return {
        "type": "BertNormalizer",
        "clean_text": clean,
        "handle_chinese_chars": chinese,
        "strip_accents": strip,
        "lowercase": lower,
    }


def _seq(*items: dict) -> dict:
    return {"type": "Sequence", "normalizers": list(items)}


def _metaspace(scheme: str, split: bool) -> dict:
    return {"type": "Metaspace", "replacement": U, "prepend_scheme": scheme, "split": split}


def _split(pattern: dict, behavior: str, invert: bool) -> dict:
    return {"type": "Split", "pattern": pattern, "behavior": behavior, "invert": invert}


NORMALIZER_SPECS = [
    *({"type": t} for t in ("NFD", "NFC", "NFKC", "NFKD", "Lowercase", "StripAccents")),
    {"type": "Strip", "strip_left": True, "strip_right": True},
    {"type": "Strip", "strip_left": False, "strip_right": True},
    {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
    {"type": "Replace", "pattern": WS, "content": " "},
    {"type": "Replace", "pattern": {"Regex": "a"}, "content": ""},
    {"type": "Replace", "pattern": {"String": "e"}, "content": "xyz"},
    {"type": "Prepend", "prepend": "\u2581"},
    _bert(True, True, None, True),
    _bert(True, True, None, False),
    _bert(False, False, True, False),
    _bert(True, False, False, True),
    _seq({"type": "NFC"}, {"type": "Replace", "pattern": WS, "content": " "}, {"type": "Lowercase"}),
    _seq({"type": "Prepend", "prepend": U}, {"type": "Replace", "pattern": M, "content": U}),
]

CLIP = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"
LLAMA3 = (
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
    "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
)
BEHAVIORS = ("Isolated", "Removed", "Contiguous", "MergedWithPrevious", "MergedWithNext")
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
PRE_TOKENIZER_SPECS = [
    *({"type": t} for t in ("Whitespace", "WhitespaceSplit", "BertPreTokenizer")),
    *({"type": "Punctuation", "behavior": b} for b in BEHAVIORS),
    {"type": "Digits", "individual_digits": True},
    {"type": "Digits", "individual_digits": False},
    BYTE_LEVEL,
    {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": False},
    _metaspace("always", True),
    _metaspace("first", True),
    _metaspace("never", False),
    {"type": "Metaspace", "replacement": U, "str_rep": U, "add_prefix_space": True},
    _split({"Regex": CLIP}, "Removed", True),
    _split({"Regex": "[0-9][0-9][0-9]"}, "Isolated", False),
    _split(M, "MergedWithPrevious", False),
    _split(M, "MergedWithNext", True),
    _split({"Regex": "\\s"}, "Contiguous", False),
    _split({"Regex": LLAMA3}, "Isolated", False),
    {  # falcon
        "type": "Sequence",
        "pretokenizers": [
            {"type": "Punctuation", "behavior": "Contiguous"},
            BYTE_LEVEL,
            {"type": "Digits", "individual_digits": False},
            _split({"Regex": "[0-9][0-9][0-9]"}, "Isolated", False),
        ],
    },
    {  # t5
        "type": "Sequence",
        "pretokenizers": [
            {"type": "WhitespaceSplit"},
            {"type": "Metaspace", "replacement": U, "add_prefix_space": True},
        ],
    },
]


def _name(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False)[:70]


def _check_normalizer(spec: dict, texts) -> None:
    ref, ours = hf_normalizer(spec), normalizers.from_json(spec)
    bad = []
    for text in texts:
        nt = ours.normalize(NormalizedText.identity(text))
        if (nt.text, nt.align.tolist()) != hf_alignment(ref, text):
            bad.append(text)
    assert not bad, f"{len(bad)} of {len(texts)} texts differ from tokenizers; first: {bad[0][:80]!r}"


def _check_pre_tokenizer(spec: dict, texts) -> None:
    ref, ours = hf_pre_tokenizer(spec), pre_tokenizers.from_json(spec)
    bad = [t for t in texts if ours.pre_tokenize_str(t) != ref.pre_tokenize_str(t)]
    assert not bad, f"{len(bad)} of {len(texts)} texts differ from tokenizers; first: {bad[0][:80]!r}"


@pytest.mark.parametrize("spec", NORMALIZER_SPECS, ids=_name)
def test_normalizer_edge_cases(spec: dict) -> None:
    _check_normalizer(spec, EDGE_TEXTS)


@pytest.mark.parametrize("spec", PRE_TOKENIZER_SPECS, ids=_name)
def test_pre_tokenizer_edge_cases(spec: dict) -> None:
    _check_pre_tokenizer(spec, EDGE_TEXTS)


@pytest.mark.data
@pytest.mark.parametrize("spec", NORMALIZER_SPECS, ids=_name)
def test_normalizer_flores(spec: dict) -> None:
    _check_normalizer(spec, flores_lines())


@pytest.mark.data
@pytest.mark.parametrize("spec", PRE_TOKENIZER_SPECS, ids=_name)
def test_pre_tokenizer_flores(spec: dict) -> None:
    _check_pre_tokenizer(spec, flores_lines())


texts = st.one_of(st.lists(fragments, max_size=12).map("".join), st.text(st.characters(exclude_categories=("Cs",))))
# subtle: the regex-based pre-tokenizers (ByteLevel's GPT-2 pattern, Split) run on the `regex` module, whose
# Unicode version differs from Oniguruma's in tokenizers on code points unassigned in Python's tables (hypothesis
# found ':\U0003d000'); a known gap until those classes come from a probed table like hf_unicode.npz
assigned_texts = st.one_of(
    st.lists(fragments, max_size=12).map("".join), st.text(st.characters(exclude_categories=("Cs", "Cn")))
)


@SETTINGS
@given(texts, st.sampled_from(NORMALIZER_SPECS))
def test_normalizer_generated(text: str, spec: dict) -> None:
    _check_normalizer(spec, [text])


@SETTINGS
@given(assigned_texts, st.sampled_from(PRE_TOKENIZER_SPECS))
def test_pre_tokenizer_generated(text: str, spec: dict) -> None:
    _check_pre_tokenizer(spec, [text])


@pytest.mark.parametrize("spec", NORMALIZER_SPECS + PRE_TOKENIZER_SPECS, ids=_name)
def test_json_round_trip(spec: dict) -> None:
    family = normalizers if spec in NORMALIZER_SPECS else pre_tokenizers
    obj = family.from_json(spec)
    assert family.from_json(obj.to_json()) == obj


def test_every_code_point_class() -> None:
    """One text holding every code point: BertPreTokenizer and Whitespace agree with tokenizers."""
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and c % 7 == 0)
    for spec in ({"type": "BertPreTokenizer"}, {"type": "Whitespace"}, {"type": "Digits", "individual_digits": True}):
        _check_pre_tokenizer(spec, [text])
    _check_normalizer(_bert(True, True, None, True), [text])


@pytest.mark.parametrize(
    ("family", "obj", "message"),
    [
        (normalizers, {"type": "Nope"}, "unknown normalizer type 'Nope'"),
        (pre_tokenizers, {"type": "Nope"}, "unknown pre-tokenizer type 'Nope'"),
        (normalizers, {"type": "Replace", "pattern": {"Regex": "("}, "content": ""}, "not a valid regex"),
        (pre_tokenizers, {"type": "Split", "pattern": {"Strin": " "}}, "a pattern must be"),
        (pre_tokenizers, {"type": "Punctuation", "behavior": "Sideways"}, "unknown split behavior"),
        (pre_tokenizers, {"type": "Metaspace", "prepend_scheme": "sometimes"}, "unknown prepend_scheme"),
        (normalizers, {"type": "Sequence"}, "must be a list"),
    ],
)
def test_bad_json(family, obj: dict, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        family.from_json(obj, where="x/tokenizer.json")
