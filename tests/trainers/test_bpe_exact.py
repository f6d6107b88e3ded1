"""Byte-level BPE equals Hugging Face ``BpeTrainer`` on 10 MB of ELTeC, and the files we write load
in ``tokenizers`` and ``tiktoken`` with ids identical to ours on FLORES-200 and 5 MB of ELTeC.
"""

from __future__ import annotations

import functools
import json

import pytest

from tests.trainers.corpora import eltec_lines, flores_devtest
from tokvec.tokens.formats.tiktoken import load_ranks
from tokvec.tokens.trainers.bpe import train_bpe

pytestmark = pytest.mark.data
VOCAB = 32000
SPECIALS = ("<|endoftext|>",)


@functools.cache
def hf_trained() -> dict:
    """Hugging Face's BpeTrainer with the options ours mirrors, on the first 10 MB of ELTeC."""
    tk = pytest.importorskip("tokenizers")
    tok = tk.Tokenizer(tk.models.BPE())
    tok.pre_tokenizer = tk.pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = tk.decoders.ByteLevel()
    trainer = tk.trainers.BpeTrainer(
        vocab_size=VOCAB, min_frequency=2, special_tokens=list(SPECIALS), show_progress=False,
        initial_alphabet=tk.pre_tokenizers.ByteLevel.alphabet(),
    )  # fmt: skip
    tok.train_from_iterator(eltec_lines(10), trainer)
    return json.loads(tok.to_str())


@functools.cache
def ours():
    return train_bpe(eltec_lines(10), vocab_size=VOCAB, min_frequency=2, special_tokens=SPECIALS, progress=False)


def test_same_merges_in_the_same_order_and_same_vocab() -> None:
    ref = hf_trained()["model"]
    mine = ours()
    assert len(mine.merges) == len(ref["merges"]) > 31000
    pairs = zip(mine.merges, ref["merges"], strict=True)
    first_diff = next((k for k, (a, b) in enumerate(pairs) if list(a) != b), None)
    assert first_diff is None, f"merge {first_diff}: ours {mine.merges[first_diff]} HF {ref['merges'][first_diff]}"
    assert mine.vocab() == ref["vocab"]


def test_tokenizer_json_is_hugging_face_s() -> None:
    assert ours().to_json() == hf_trained()


def texts() -> list[str]:
    return list(flores_devtest()) + list(eltec_lines(5, skip_megabytes=10))


def test_written_tokenizer_json_loads_in_hf_with_identical_ids(tmp_path) -> None:
    tk = pytest.importorskip("tokenizers")
    path = tmp_path / "tokenizer.json"
    ours().save(path)
    ref = tk.Tokenizer.from_file(str(path))
    tok = ours().tokenizer()
    docs = texts()
    theirs = [e.ids for e in ref.encode_batch(docs, add_special_tokens=False)]
    mine = tok.encode_batch(docs, disallowed_special=()).tolist()
    bad = [k for k in range(len(docs)) if mine[k] != theirs[k]]
    assert not bad, f"{len(bad)} of {len(docs)} texts differ, first {docs[bad[0]][:80]!r}"
    assert tok.decode(mine[0]) == docs[0]


def test_vocab_merges_files_load_in_hf_with_identical_ids(tmp_path) -> None:
    tk = pytest.importorskip("tokenizers")
    vocab, merges = ours().save_vocab_merges(tmp_path)
    ref = tk.Tokenizer(tk.models.BPE.from_file(str(vocab), str(merges)))
    ref.pre_tokenizer = tk.pre_tokenizers.ByteLevel(add_prefix_space=False)
    docs = list(flores_devtest())
    theirs = [e.ids for e in ref.encode_batch(docs, add_special_tokens=False)]
    assert ours().tokenizer().encode_batch(docs, disallowed_special=()).tolist() == theirs


def test_tiktoken_rank_file_gives_identical_ids(tmp_path) -> None:
    tiktoken = pytest.importorskip("tiktoken")
    path = tmp_path / "trained.tiktoken"
    pattern = ours().save_tiktoken(path)
    enc = tiktoken.Encoding("trained", pat_str=pattern, mergeable_ranks=load_ranks(path), special_tokens={})
    tok = ours().tokenizer()
    docs = texts()
    mine = tok.encode_batch(docs, disallowed_special=()).tolist()
    bad = [k for k, d in enumerate(docs) if enc.encode_ordinary(d) != mine[k]]
    assert not bad, f"{len(bad)} of {len(docs)} texts differ, first {docs[bad[0]][:80]!r}"
