"""Corpus statistics: a slow, readable twin on real text for every family of word boundary, streaming, CLI."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from tests.analysis.hf_adapter import hf
from tests.conftest import data_path, preset
from tokvec.analysis.stats import corpus_stats, text_stats


def _slow_split_words(text: str, spans: list[tuple[int, int]]) -> int:
    """Count words (runs of non-space characters) that two or more token spans (characters) start in."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    hits = [0] * len(words)
    for start, end in spans:
        first = next((p for p in range(start, end) if not text[p].isspace()), None)
        if first is None:
            continue
        k = next(k for k, (a, b) in enumerate(words) if a <= first < b)
        hits[k] += 1
    return sum(h >= 2 for h in hits)


def _char_spans_of_byte_level(tok, text: str) -> list[tuple[int, int]]:
    """Byte offsets -> character spans, the slow way: count the characters whose first byte lies before."""
    data = text.encode("utf-8")
    starts = [len(data[:k].decode("utf-8", "ignore")) for k in range(len(data) + 1)]
    spans = []
    for a, b in tok.encode_ordinary(text).byte_offsets.tolist():
        # a token that ends inside a character takes in that character
        end = starts[b] if b == len(data) or (data[b] & 0xC0) != 0x80 else starts[b] + 1
        spans.append((starts[a], end))
    return spans


def _flores_sample(per_language: int = 1) -> str:
    folder = data_path("flores200/dev")
    lines = []
    for path in sorted(folder.glob("*.dev"))[::3]:
        lines.extend(path.read_text(encoding="utf-8").splitlines()[:per_language])
    return "\n".join(lines)


def test_worked_example():
    s = text_stats(preset("gpt2"), "Tokenizers split rare wordpieces.")
    # Token|izers  split  rare  word|pieces|.  -> 7 tokens for 4 words, 2 of them split
    assert (s.words, s.tokens, s.words_split) == (4, 7, 2)
    assert s.fertility == 7 / 4 and s.characters_per_token == 33 / 7 and s.split_share == 0.5
    assert s.unknown is None and s.unknown_rate is None
    assert s.ids_used == 7 and s.vocabulary_share == 7 / 50257


@pytest.mark.data
@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "o200k_base"])
def test_byte_level_split_words_equal_the_slow_twin(name):
    tok = preset(name)
    text = _flores_sample()
    s = text_stats(tok, text)
    assert s.words == len(text.split())
    assert s.tokens == len(tok.encode_ordinary(text))
    assert s.words_split == _slow_split_words(text, _char_spans_of_byte_level(tok, text))


@pytest.mark.data
@pytest.mark.parametrize("name", ["bert-base-uncased", "t5-small", "phi-3-mini", "roberta-base"])
def test_pipeline_families_equal_the_slow_twin(name):
    """## (WordPiece), ▁ (Unigram, byte-fallback BPE) and Ġ (roberta) through character offsets."""
    tok = hf(name)
    text = _flores_sample()
    enc = tok.encode(text, add_special_tokens=False)
    s = text_stats(tok, text)
    assert s.tokens == len(enc.ids)
    assert s.words_split == _slow_split_words(text, [tuple(o) for o in enc.offsets.tolist()])
    unk = {"bert-base-uncased": 100, "t5-small": 2, "phi-3-mini": 0}.get(name)
    assert s.unknown == (None if unk is None else enc.ids.tolist().count(unk))
    assert s.ids_used == len(set(enc.ids.tolist()))


@pytest.mark.data
def test_byte_offsets_and_character_offsets_agree():
    """roberta-base is GPT-2's BPE behind a pipeline: the same splits through character offsets."""
    text = _flores_sample()
    ours, ref = text_stats(preset("gpt2"), text), text_stats(hf("roberta-base"), text)
    assert (ours.tokens, ours.words, ours.words_split) == (ref.tokens, ref.words, ref.words_split)


def test_streamed_files_equal_one_text(tmp_path, monkeypatch):
    from tokvec.analysis import stream

    text = "Hello world!\n\nGrüße 👋 中文 and    more\n" * 40 + "tail without newline"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    monkeypatch.setattr(stream, "CHUNK_BYTES", 97)  # many chunks: words and tokens must not change
    original = stream.read_documents
    monkeypatch.setattr("tokvec.analysis.stats.read_documents", lambda f, s, **kw: original(f, s, chunk_bytes=97, **kw))
    gpt2, bert = preset("gpt2"), hf("bert-base-uncased")
    got = corpus_stats([gpt2, bert], [tmp_path / "a.txt", tmp_path / "b.txt.gz"], progress=False)
    whole = [text_stats(gpt2, text), text_stats(bert, text)]
    for g, w in zip(got, whole, strict=True):
        assert (g.tokens, g.words, g.words_split) == (2 * w.tokens, 2 * w.words, 2 * w.words_split)
        assert g.bytes == 2 * w.bytes and g.ids_used == w.ids_used


def test_cli_table_json_and_errors(cli, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("Tokenizers split rare wordpieces.\n", encoding="utf-8")
    rc, out, err = cli("stats", "-t", "gpt2,cl100k_base", "--format", "json", str(corpus))
    assert rc == 0, err
    data = json.loads(out)
    assert [d["tokenizer"] for d in data] == ["gpt2", "cl100k_base"]
    assert data[0]["words"] == 4 and data[0]["unknown_rate"] is None and "stats 100%" in err
    rc, out, _ = cli("stats", "-t", "gpt2", "--quiet", str(corpus))
    assert out.splitlines()[0].split()[:3] == ["tokenizer", "tokens", "words"]
    rc, _, err = cli("stats", "-t", "gpt2", str(tmp_path / "missing.txt"))
    assert rc == 1 and "missing.txt" in err


@pytest.mark.data
@pytest.mark.parametrize("name", ["bert-base-uncased", "t5-small", "phi-3-mini", "roberta-base"])
def test_tokvec_presets_equal_the_reference(name):
    """tokvec's own pipeline presets give the reference library's statistics."""
    import tokvec

    if name not in tokvec.presets():
        pytest.skip(f"preset {name} is not in this build (it comes with the tokenizer.json loader, branch load-hf)")
    text = _flores_sample()
    ours, ref = text_stats(preset(name), text), text_stats(hf(name), text)
    assert ours.as_json() == ref.as_json()
