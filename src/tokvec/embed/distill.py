"""Distill a sentence transformer into a static token table (model2vec's recipe), on tokvec's own encoder.

``distill(encoder)``: every token of the teacher's vocabulary (less ``[unusedN]`` placeholders and the
special tokens other than padding and unknown, as model2vec keeps them) is run
through the teacher alone between its special tokens (``[CLS] token [SEP]``); the last hidden states are
mean-pooled over those positions (the raw transformer output, before the model's Normalize); PCA keeps
``dims`` components (centred; each component's sign makes its largest-magnitude score positive); each
row is scaled by its SIF weight ``a / (a + p(token))`` (``a = 1e-4`` as model2vec; ``1e-3`` with corpus
counts). ``weighting="zipf"`` takes
``p`` from the Zipf rank assumption (token ids in vocabulary order, ``p ∝ 1 / (rank + 2)``),
``"corpus"`` from token frequencies that tokvec counts on ``corpus`` (unseen tokens weigh 1), ``None``
weighs every row 1. ``vocabulary``: extra whole words (multi-token words are embedded by the teacher as
one sequence and become added tokens of the tokenizer, as model2vec does).

Quality notes (bench/static.py and a sweep on the same teacher vectors, STS-B test / Banking77; model2vec's
distill 66.08 / 84.38): Zipf 66.08 / 84.45; counts of the first 30 MB of ELTeC novels with a = 1e-4
68.60 / 81.59, with a = 1e-3 70.65 / 84.74, with a = 1e-2 64.97 / 84.12; counts of in-domain texts (STS-B
and Banking77 training texts) with a = 1e-3 70.64 / 81.95: frequent words of the task's own texts are the
ones that tell its classes apart, so count a general corpus.

Performance notes: the teacher sees each token as a 3-position sequence, all the same length, so they run on
the encoder's graph without padding or mask (``build_graph(padded=False)``), batches of 128 side by side on
every core. Against the masked graph in batches of 512 (the earlier default), on 8,192 tokens in the same
process, CPU time 4.28 -> 3.24 s (-24%; batches of 512 on the new graph: 3.82 s, of 256: 3.45 s): 128
inputs (384 rows) keep MLAS's matmuls in cache (a 384 x 1536 product: 230 GFLOP/s at 384 rows, 187 at 1,536).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from .._progress import Progress
from ..errors import TokvecError
from .batching import Specials
from .static import StaticEncoder, _unk_id

SIF = 1e-4  # model2vec's coefficient for Zipf weights
SIF_CORPUS = 1e-3  # for real counts (see the module's performance notes)
REMOVE = r"\[unused\d+\]"
WEIGHTINGS = ("zipf", "corpus", None)


def distill(
    encoder: Any,
    *,
    dims: int | None = 256,
    weighting: str | None = "zipf",
    corpus: Iterable[str] | None = None,
    vocabulary: Iterable[str] | None = None,
    sif_coefficient: float | None = None,
    remove_pattern: str | None = REMOVE,
    batch_size: int = 128,
    num_threads: int | None = None,
    progress: bool = True,
) -> StaticEncoder:
    """Return a :class:`StaticEncoder` distilled from ``encoder`` (a :func:`tokvec.load_encoder` model).

    ``dims``: PCA components (None: no PCA); ``weighting``: "zipf", "corpus" (needs ``corpus``, texts)
    or None; ``vocabulary``: whole words to add. Deterministic: the teacher's run and PCA have no randomness.
    """
    if weighting not in WEIGHTINGS:
        raise TokvecError(f"weighting={weighting!r}: use 'zipf', 'corpus' or None")
    if weighting == "corpus" and corpus is None:
        raise TokvecError("weighting='corpus' needs corpus= (texts whose token frequencies give the weights)")
    if sif_coefficient is None:
        sif_coefficient = SIF_CORPUS if weighting == "corpus" else SIF
    if not 0 < sif_coefficient < 1:
        raise TokvecError(f"sif_coefficient must be between 0 and 1, got {sif_coefficient}")
    tok = encoder.tokenizer
    vocab = tok.vocab_size
    keys = tok.id_to_token_list(range(vocab))
    pattern = re.compile(remove_pattern) if remove_pattern else None
    # as model2vec: special tokens go ([CLS], [SEP], [MASK]), but for padding and the unknown token
    kept_specials = {encoder.spec.transformer.pad_id, _unk_id(tok)}
    dropped = {i for i in getattr(tok, "special_tokens", {}).values() if i not in kept_specials}
    keep = np.array([i for i, k in enumerate(keys) if not (pattern and pattern.match(k)) and i not in dropped],
                    dtype=np.int64)  # fmt: skip
    specials = Specials.of(tok)
    sequences = [[*specials.prefix, int(i), *specials.suffix] for i in keep]
    words = _new_words(tok, vocabulary or [], set(keys))
    for word in words:
        sequences.append(tok.encode(word, allowed_special="all").ids.tolist())
    vectors = teacher_vectors(encoder, sequences, batch_size=batch_size, num_threads=num_threads, progress=progress)
    if dims is not None:
        if not 0 < dims <= vectors.shape[1]:
            raise TokvecError(f"dims={dims}: choose 1 to the teacher's {vectors.shape[1]} dimensions")
        vectors = pca(vectors, dims)
    rows = np.concatenate([keep, np.arange(vocab, vocab + len(words))])
    if weighting == "zipf":
        vectors *= zipf_weights(len(rows), sif_coefficient)[:, None]
    elif weighting == "corpus":
        counts = token_counts(tok, corpus or [], vocab + len(words), words)
        vectors *= sif_weights(counts[rows], sif_coefficient)[:, None]
    table = np.zeros((vocab + len(words), vectors.shape[1]), dtype=np.float32)
    table[rows] = vectors
    if words:
        tok = with_added_words(tok, words, first_id=vocab)
    config = {"apply_pca": dims, "sif_coefficient": sif_coefficient if weighting else None,
              "weighting": weighting, "tokenizer_name": encoder.name}  # fmt: skip
    return StaticEncoder.from_table(table, tok, name=f"{encoder.name}-static", normalize=True, config=config)


def teacher_vectors(
    encoder: Any, sequences: list[list[int]], *, batch_size: int, num_threads: int | None, progress: bool
) -> np.ndarray:
    """Return float32 [N, hidden]: the teacher's last hidden states mean-pooled over each id sequence."""
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    order = np.argsort(lengths, kind="stable")
    out = np.zeros((len(sequences), encoder.spec.transformer.hidden), np.float32)
    block = batch_size * 32  # a block's batches run side by side on the encoder's threads
    done = 0
    with Progress(len(sequences), label="distill", unit="tokens", enabled=progress) as bar:
        for length in np.unique(lengths).tolist():
            same = order[lengths[order] == length]
            # performance notes: sequences of one length go as one int64 array [n, length], which the encoder
            # runs on its graph without padding (3-id sequences: 15-25% faster than masked attention)
            grid = np.array([sequences[r] for r in same.tolist()], dtype=np.int64).reshape(len(same), length)
            for start in range(0, len(same), block):
                rows = same[start : start + block]
                out[rows] = encoder.embed_ids(grid[start : start + block], batch_size=batch_size,
                                              num_threads=num_threads, head=False)  # fmt: skip
                done += len(rows)
                bar.set(done)
    return out


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    """Project ``x`` on its ``dims`` principal axes (centred, float64 covariance, signs fixed), float32.

    >>> rng = np.random.default_rng(0)
    >>> pca(rng.normal(size=(50, 4)) * [5, 1, 1, 0.1], 2).shape
    (50, 2)
    """
    x32 = np.asarray(x, dtype=np.float32)
    mean = x32.mean(axis=0, dtype=np.float64)
    # performance notes: the covariance sums float64 blocks of rows, so no float64 copy of the whole table is
    # made (page faults on 90 MB cost more than the product); 8.1 -> 7.2 s of distilling MiniLM
    cov = np.zeros((x32.shape[1], x32.shape[1]), dtype=np.float64)
    for start in range(0, len(x32), 4096):
        block = x32[start : start + 4096].astype(np.float64) - mean
        cov += block.T @ block
    cov /= max(len(x32) - 1, 1)
    _, vecs = np.linalg.eigh(cov)
    components = np.ascontiguousarray(vecs[:, ::-1][:, :dims])
    scores = np.empty((len(x32), components.shape[1]), dtype=np.float32)
    for start in range(0, len(x32), 4096):
        block = x32[start : start + 4096].astype(np.float64) - mean
        scores[start : start + len(block)] = block @ components
    # subtle: eigenvectors have no sign of their own; make each column's largest-magnitude score positive
    top = np.abs(scores.T).argmax(axis=1)
    scores *= np.sign(scores[top, np.arange(scores.shape[1])])
    return scores


def zipf_weights(n: int, sif: float = SIF) -> np.ndarray:
    """SIF weights ``a / (a + p)`` under Zipf's law by rank (``p ∝ 1 / (rank + 2)``).

    >>> zipf_weights(3, 0.5).astype(float).round(4).tolist()
    [0.52, 0.619, 0.6842]
    """
    inv = 1.0 / np.arange(2, n + 2, dtype=np.float64)
    return (sif / (sif + inv / inv.sum())).astype(np.float32)


def sif_weights(counts: np.ndarray, sif: float = SIF) -> np.ndarray:
    """SIF weights ``a / (a + count / total)`` (a token never seen weighs 1)."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    p = counts / total if total > 0 else counts
    return (sif / (sif + p)).astype(np.float32)


def token_counts(tok: Any, corpus: Iterable[str], size: int, words: list[str]) -> np.ndarray:
    """Count the tokens of ``corpus`` (texts) as the static tokenizer will cut them, int64[size]."""
    if words:
        tok = with_added_words(tok, words, first_id=tok.vocab_size)
    counts = np.zeros(size, dtype=np.int64)
    block: list[str] = []
    for text in corpus:
        block.append(text)
        if len(block) == 4096:
            counts += _count_block(tok, block, size)
            block = []
    if block:
        counts += _count_block(tok, block, size)
    return counts


def _count_block(tok: Any, texts: list[str], size: int) -> np.ndarray:
    ids = np.asarray(tok.encode_batch(texts, add_special_tokens=False, allowed_special="all").ids, dtype=np.int64)
    return np.bincount(ids, minlength=size)[:size]


def _new_words(tok: Any, vocabulary: Iterable[str], known: set[str]) -> list[str]:
    """The words of ``vocabulary`` that are not one token already (normalized as the tokenizer does)."""
    out: list[str] = []
    seen = set(known)
    normalizer = getattr(getattr(tok, "pipeline", None), "normalizer", None)
    for word in vocabulary:
        if normalizer is not None:  # added tokens match normalized text, so their content is normalized too
            word = normalizer.normalize_str(word)
        word = word.strip()
        if not word or word in seen:
            continue
        ids = tok.encode(word, add_special_tokens=False, allowed_special="all").ids
        if len(ids) == 1:
            continue  # already one token of the vocabulary
        seen.add(word)
        out.append(word)
    return out


def with_added_words(tok: Any, words: list[str], *, first_id: int) -> Any:
    """Return ``tok`` with ``words`` as added (non-special, normalized) tokens from id ``first_id`` on."""
    from ..tokens.formats.hf_json import to_json_string
    from ..tokens.presets import load as load_tokenizer

    data = json.loads(to_json_string(tok))
    added = data.setdefault("added_tokens", [])
    for k, w in enumerate(words):
        added.append({"id": first_id + k, "content": w, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": True, "special": False})  # fmt: skip
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tokvec-distill-") as tmp:
        path = os.path.join(tmp, "tokenizer.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f)
        return load_tokenizer(path)
