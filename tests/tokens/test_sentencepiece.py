"""SentencePiece .model files: ids equal to the ``sentencepiece`` package, and clear errors for bad files.

Exactness runs on every FLORES-200 devtest line of all 204 languages (206,448 lines) for Llama-2,
Mistral v1 and v3, sentencepiece's own English and Japanese test models (unigram with the NFKC
character map) and BPEmb; Mistral's chat samples are checked against the ids mistral-common wrote.
"""

from __future__ import annotations

import functools
import itertools
import json
import re

import numpy as np
import pytest

from tests.conftest import DATA, FLORES_STRIDE, data_path
from tokvec.errors import FormatError, TokvecFileError
from tokvec.tokens.formats.sentencepiece import parse_model, read_model
from tokvec.tokens.sentencepiece import SentencePieceTokenizer
from tokvec.tokens.sentencepiece_tokenizer import to_tokenizer

spm = pytest.importorskip("sentencepiece")
# the ndarray methods of SentencePieceTokenizer are deprecated (the Tokenizer of tokvec.load is the interface),
# and still exact: these tests keep checking them (tests/tokens/test_load_defects.py checks the warnings)
pytestmark = pytest.mark.filterwarnings("ignore:SentencePieceTokenizer\\.:DeprecationWarning")

MODELS = {
    "llama2": "tokenizers/llama2_spm/tokenizer.model",
    "mistral_v1": "tokenizers/mistral_spm/tokenizer.model.v1",
    "mistral_v3": "tokenizers/mistral_spm/mistral_instruct_tokenizer_240323.model.v3",
    "spm_test_en": "tokenizers/sentencepiece_testdata/test_model.model",
    "spm_test_ja": "tokenizers/sentencepiece_testdata/test_ja_model.model",
    "bpemb_en": "tokenizers/ortx/en.wiki.bpe.vs100000.model",
}


@functools.cache
def pair(name: str):
    """(tokvec SentencePieceTokenizer, sentencepiece processor) for one model file."""
    path = data_path(MODELS[name])
    return SentencePieceTokenizer.from_file(path), spm.SentencePieceProcessor(model_file=str(path))


@functools.cache
def flores_lines() -> list[str]:
    folder = data_path("flores200/devtest")
    files = sorted(folder.glob("*.devtest"))
    assert len(files) == 204, f"expected 204 languages in {folder}, found {len(files)}"
    return [line.rstrip("\n") for f in files for line in f.read_text(encoding="utf-8").splitlines()]


EDGE_TEXTS = [
    "", " ", "  ", "\t", "\n", "Hello world", "  Hello   world  ", "▁", "▁▁x▁", "a" * 300, "ab" * 200,
    "naïve café 漢字 👋🏽 ӂ", "\x00", "x\x00y", "１２３ ＡＢＣ ｶﾞ", "ﬁ ﬂ Ⅻ ½ ²", "e\u0301 A\u030a",
    "\u200b\u3000 \u00a0",
    "<s> </s> <unk> [INST]", "tab\tnew\nline\r\n", "😀" * 50,
]  # fmt: skip


@pytest.mark.parametrize("name", list(MODELS))
def test_edge_texts_equal_sentencepiece(name: str) -> None:
    ours, ref = pair(name)
    for text in EDGE_TEXTS:
        assert ours.encode(text).tolist() == ref.encode(text), (name, text)
        assert ours.encode_as_pieces(text) == ref.encode_as_pieces(text), (name, text)
        assert ours.normalize(text)[0] == ref.normalize(text), (name, text)


@pytest.mark.data
@pytest.mark.parametrize("name", list(MODELS))
def test_flores_all_languages_equal_sentencepiece(name: str) -> None:
    """Llama-2 on every devtest line; the others on every FLORES_STRIDE-th (all with TOKVEC_TEST_FULL=1)."""
    ours, ref = pair(name)
    lines = flores_lines() if name == "llama2" else flores_lines()[::FLORES_STRIDE]
    got = ours.encode_batch(lines)
    want = ref.encode(lines)
    bad = [k for k in range(len(lines)) if got[k].tolist() != want[k]]
    assert not bad, f"{name}: {len(bad)} of {len(lines)} lines differ; first {lines[bad[0]][:80]!r}"


def test_user_defined_symbols_as_sentencepiece() -> None:
    """Mistral v3 has 20 USER_DEFINED pieces ([REFERENCE_DOC_0] ...): taken whole, never merged."""
    ours, ref = pair("mistral_v3")
    texts = [
        "[REFERENCE_DOC_1]", "see [REFERENCE_DOC_12] and [REFERENCE_DOC_1]2", "x[REFERENCE_DOC_19][REFERENCE_DOC_0]y",
        " [REFERENCE_DOC_3] ", "[REFERENCE_DOC_", "[REFERENCE_DOC_100]", "[INST] [REFERENCE_DOC_7][/INST]",
    ]  # fmt: skip
    tok = to_tokenizer(ours)
    for text in texts:
        assert ours.encode(text).tolist() == ref.encode(text), text
        assert tok.encode(text, add_special_tokens=False).ids.tolist() == ref.encode(text), text
        assert tok.encode(text).ids.tolist() == ref.encode(text, add_bos=True), text  # the Llama family's BOS
    assert 769 in ours.encode("[REFERENCE_DOC_1]").tolist()


@pytest.mark.parametrize("name", ["llama2", "mistral_v3"])
def test_bos_eos_options_as_sentencepiece(name: str) -> None:
    ours, ref = pair(name)
    for text in ["Hello", "", " x y "]:
        for bos in (False, True):
            for eos in (False, True):
                assert ours.encode(text, add_bos=bos, add_eos=eos).tolist() == ref.encode(
                    text, add_bos=bos, add_eos=eos
                )


@pytest.mark.parametrize("name", ["llama2", "spm_test_en"])
def test_decode_round_trip(name: str) -> None:
    ours, ref = pair(name)
    for text in ["Hello world", "naïve 漢字 👋🏽", "a  b"]:
        ids = ours.encode(text)
        assert ours.decode(ids) == ref.decode(ids.tolist())


def test_offsets_cover_the_original_text() -> None:
    ours, _ = pair("llama2")
    text = "Hello  wörld 👋"
    ids, offsets = ours.encode_with_offsets(text)
    assert len(ids) == len(offsets)
    spans = [tuple(span) for span, _ in itertools.groupby(offsets.tolist())]  # byte pieces share a span
    assert "".join(text[a:b] for a, b in spans) == text
    assert spans[-1] == (len(text) - 1, len(text))


MISTRAL = {
    "v1": "tokenizer.model.v1",
    "v2": "mistral_instruct_tokenizer_240216.model.v2",
    "v3": "mistral_instruct_tokenizer_240323.model.v3",
}


@pytest.mark.parametrize("version", list(MISTRAL))
def test_mistral_chat_samples(version: str) -> None:
    """The rendered chats of mistral-common: control pieces by id, text between them encoded."""
    ours = SentencePieceTokenizer.from_file(data_path(f"tokenizers/mistral_spm/{MISTRAL[version]}"))
    samples = sorted((DATA / "tokenizers/mistral_spm/tests/data/samples").glob(f"*/text_{version}.txt"))
    assert samples, "no Mistral chat samples found"
    controls = [p for p, t in zip(ours.spec.pieces, ours.spec.types, strict=True) if t == 3]
    pattern = re.compile("|".join(re.escape(c) for c in sorted(controls, key=len, reverse=True)))
    for path in samples:
        text = path.read_text(encoding="utf-8")
        want = json.loads(path.with_name(f"tokens_{version}.json").read_text())["tokens"]
        ids: list[int] = []
        pos = 0
        for m in [*pattern.finditer(text), None]:
            segment = text[pos : m.start() if m else len(text)]
            if segment:  # the files show spaces as "▁" and newlines as their byte piece
                plain = segment.replace("<0x0A>", "\n").replace("▁", " ")
                ids += ours.encode(plain.removeprefix(" ")).tolist()
            if m:
                ids.append(ours.spec.pieces.index(m.group()))
                pos = m.end()
        assert ids == want, f"{path.parent.name} {version}"


# -- bad files ----------------------------------------------------------------------------------


def test_not_protobuf(tmp_path) -> None:
    bad = tmp_path / "tokenizer.json.model"
    bad.write_text('{"model": {}}')
    with pytest.raises(FormatError, match=r"tokenizer\.json\.model: byte 0: .*not a protobuf"):
        read_model(bad)


def test_truncated_file_names_offset(tmp_path) -> None:
    data = data_path(MODELS["spm_test_en"]).read_bytes()
    cut = tmp_path / "cut.model"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match=r"cut\.model: byte \d+: .*truncated"):
        read_model(cut)


def test_corrupted_piece_type(tmp_path) -> None:
    data = bytearray(data_path(MODELS["spm_test_en"]).read_bytes())
    # the first piece's type field (key 0x18) -> 99
    at = data.index(b"\x18", 2)
    data[at + 1] = 99
    with pytest.raises(FormatError, match=r"byte \d+: piece 0 has unknown type"):
        parse_model(bytes(data), source="bad.model")


def test_missing_file() -> None:
    with pytest.raises(TokvecFileError, match="cannot read"):
        read_model("/nonexistent/x.model")


def test_empty_file_is_no_model() -> None:
    with pytest.raises(FormatError, match="no pieces"):
        parse_model(b"", source="empty.model")


def test_model_fields_match_sentencepiece() -> None:
    for name in MODELS:
        ours, ref = pair(name)
        s = ours.spec
        assert (s.unk_id, s.bos_id, s.eos_id, s.pad_id) == (ref.unk_id(), ref.bos_id(), ref.eos_id(), ref.pad_id())
        assert len(s.pieces) == ref.get_piece_size()
        k = np.arange(0, len(s.pieces), 97).tolist()
        assert [s.pieces[i] for i in k] == [ref.id_to_piece(i) for i in k]
        assert np.allclose([s.scores[i] for i in k], [ref.get_score(i) for i in k])


# -- tokvec.load(".model"): the same ids through the general pipeline --------------------------------


@pytest.mark.parametrize("name", ["llama2", "spm_test_en"])
def test_load_model_file_as_tokenizer(name: str) -> None:
    import tokvec

    tok = tokvec.load(data_path(MODELS[name]))
    _, ref = pair(name)
    bos = name == "llama2"  # the Llama family starts with BOS (Hugging Face's convention); others add nothing
    for text in EDGE_TEXTS:
        assert tok.encode(text).ids.tolist() == ref.encode(text, add_bos=bos), text
        enc = tok.encode(text, add_special_tokens=False)
        assert enc.ids.tolist() == ref.encode(text), text
        offsets = np.asarray(enc.offsets).reshape(-1, 2)
        assert ((offsets[:, 0] <= offsets[:, 1]) & (offsets[:, 1] <= len(text))).all(), text
    text = "Hello  wörld 👋"
    enc = tok.encode(text, add_special_tokens=False)
    assert [text[a:b] for a, b in np.asarray(enc.offsets).tolist()][:3] == (
        ["Hello", " ", " w"] if name == "llama2" else ["He", "ll", "o"]
    )
    if name == "llama2":
        assert tok.decode(enc.ids) == text


def test_bos_eos_template() -> None:
    ours, ref = pair("llama2")
    tok = to_tokenizer(ours, add_bos=True, add_eos=True)
    assert tok.encode("Hi there").ids.tolist() == ref.encode("Hi there", add_bos=True, add_eos=True)


@pytest.mark.data
@pytest.mark.parametrize("name", ["llama2", "mistral_v3", "spm_test_ja"])
def test_pipeline_tokenizer_flores(name: str) -> None:
    ours, ref = pair(name)
    tok = to_tokenizer(ours, name=name)
    lines = flores_lines()[::7]
    got = tok.encode_batch(lines, add_special_tokens=False, num_threads=2)
    want = ref.encode(lines)
    bad = [k for k in range(len(lines)) if got[k].ids.tolist() != want[k]]
    assert not bad, f"{name}: {len(bad)} of {len(lines)} lines differ; first {lines[bad[0]][:80]!r}"
