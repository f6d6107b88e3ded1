"""The Unigram Viterbi kernel equals its twin, a brute-force search, and Hugging Face's ``models.Unigram``."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.kernels.strategies import SETTINGS
from tokvec.kernels import unigram as kernel
from tokvec.reference import unigram as twin
from tokvec.tokens.models.unigram import UnigramModel

tokenizers = pytest.importorskip("tokenizers")

ALPHABET = "ab▁é"
UNKNOWN = "x😀"


@st.composite
def unigram_objects(draw: st.DrawFn) -> dict:
    """A tokenizer.json Unigram ``model``: random pieces over ALPHABET with random scores."""
    pieces = draw(st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=25, unique=True))
    scores = draw(st.lists(st.floats(-12, -0.5, width=32), min_size=len(pieces), max_size=len(pieces)))
    vocab = [["<unk>", 0.0], *([p, s] for p, s in zip(pieces, scores, strict=True))]
    if draw(st.booleans()):
        vocab += [[f"<0x{b:02X}>", 0.0] for b in range(256) if b != draw(st.sampled_from([0xF0, -1]))]
        return {"type": "Unigram", "unk_id": 0, "vocab": vocab, "byte_fallback": True}
    return {"type": "Unigram", "unk_id": 0, "vocab": vocab, "byte_fallback": False}


words_strategy = st.lists(st.text(ALPHABET + UNKNOWN, min_size=1, max_size=30), min_size=1, max_size=5)


def arrays(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    cps = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    return cps, np.cumsum([0] + [len(w) for w in words]).astype(np.int64)


def run(fn, model: UnigramModel, cps, bounds, f32: bool):
    trie, node_ids, byte_ids = model._t  # type: ignore[attr-defined]
    return fn(cps, bounds, trie, node_ids, model.scores, 0, model.unk_score, model.fuse_unk, byte_ids, f32)


def hf_model(model: dict):
    empty = dict.fromkeys(["truncation", "padding", "normalizer", "pre_tokenizer", "post_processor", "decoder"])
    return tokenizers.Tokenizer.from_str(json.dumps({"version": "1.0", "added_tokens": [], **empty, "model": model}))


@SETTINGS
@given(obj=unigram_objects(), words=words_strategy, f32=st.booleans())
def test_kernel_equals_twin(obj: dict, words: list[str], f32: bool) -> None:
    model = UnigramModel.from_json(obj)
    cps, bounds = arrays(words)
    got = run(kernel.viterbi, model, cps, bounds, f32)
    want = run(twin.viterbi, model, cps, bounds, f32)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


@SETTINGS
@given(obj=unigram_objects(), words=words_strategy)
def test_kernel_equals_hugging_face(obj: dict, words: list[str]) -> None:
    model = UnigramModel.from_json(obj)
    cps, bounds = arrays(words)
    ids = model.encode_pieces(cps, bounds)[0].tolist()
    assert ids == hf_model(obj).encode(words, is_pretokenized=True).ids


def segmentations(n: int):
    """Every way to cut n characters: tuples of (start, end)."""
    for cuts in itertools.product([False, True], repeat=max(n - 1, 0)):
        bounds = [0] + [k + 1 for k, c in enumerate(cuts) if c] + [n]
        yield list(itertools.pairwise(bounds))


@SETTINGS
@given(obj=unigram_objects(), word=st.text(ALPHABET + "x", min_size=1, max_size=8))
def test_viterbi_finds_the_best_segmentation(obj: dict, word: str) -> None:
    """Brute force over all 2^(n-1) segmentations: no segmentation scores more than Viterbi's path."""
    model = UnigramModel.from_json({**obj, "byte_fallback": False})
    pieces = {p: i for i, (p, _) in reversed(list(enumerate(model.to_json()["vocab"])))}
    cps, bounds = arrays([word])
    trie, node_ids, byte_ids = model._t  # type: ignore[attr-defined]
    path = twin.best_segmentation(
        [ord(c) for c in word], twin.trie_pieces(trie, node_ids), model.scores, unk_id=0,
        unk_score=model.unk_score, f32=False,
    )  # fmt: skip

    def score(seg) -> float | None:
        total = 0.0
        for a, z in seg:
            piece = word[a:z]
            if piece in pieces and pieces[piece] != 0:
                total += float(model.scores[pieces[piece]])
            elif z - a == 1 and not any(word[a] == p for p in pieces if len(p) == 1 and pieces[p] != 0):
                total += model.unk_score
            else:
                return None
        return total

    best = max(s for seg in segmentations(len(word)) if (s := score(seg)) is not None)
    found = sum(model.unk_score if pid == 0 else float(model.scores[pid]) for pid, _, _ in path)
    assert found == pytest.approx(best, abs=1e-9)
    ids = kernel.viterbi(cps, bounds, trie, node_ids, model.scores, 0, model.unk_score, False, byte_ids, False)[0]
    assert ids.tolist() == [pid for pid, _, _ in path]
