"""The embedding sections of ``tokvec tour``: the embedding matrix, contextual vectors and sentence embeddings.

Each ``*_facts`` function returns a plain dict of what it measured, so a test can compare it with the
library; each ``show_*`` function prints a section from those facts.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._common import format_table
from .tour_common import DOCUMENTS, INSTALL, MODEL, Tour

__all__ = ["INSTALL", "MODEL", "contextual_facts", "long_text_facts", "matrix_facts", "sentence_facts"]

CONTEXT_SENTENCES = ("King loves apples while queen likes oranges", "The queen of the hive lays all the eggs")
SENTENCES = (
    "A man is playing a guitar.",
    "Someone strums an acoustic guitar on stage.",
    "The stock market fell sharply on Monday.",
    "Shares dropped at the start of the week.",
    "A cat sleeps on the warm windowsill.",
)
#: a text longer than the model's 256-token window: the answer to LONG_QUESTION is in its last part
LONG_TEXT = "\n\n".join(DOCUMENTS.values())
LONG_QUESTION = "Where do I return a rental bike?"


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def matrix_facts(probes: tuple[str, ...] = ("king", "apple", "paris"), k: int = 5) -> dict[str, Any]:
    """Shape and parameter count of the model's input embedding matrix, and the nearest tokens of ``probes``."""
    import tokvec

    kv = tokvec.embedding_matrix(MODEL)
    rows, dims = kv.vectors.shape
    near = {p: [n.key for n in kv.most_similar(p, top_k=k)] for p in probes if p in kv}
    return {"vocab": int(rows), "dims": int(dims), "parameters": int(rows * dims), "nearest": near}


def contextual_facts(encoder: Any, word: str = "queen") -> dict[str, Any]:
    """Per-token vectors of two sentences and the cosine of ``word`` to itself across them."""
    a, b = (encoder.embed_tokens(s) for s in CONTEXT_SENTENCES)
    va, vb = a.vectors[a.tokens.index(word)], b.vectors[b.tokens.index(word)]
    king = a.vectors[a.tokens.index("king")] if "king" in a.tokens else va
    return {
        "tokens": [a.tokens, b.tokens],
        "dims": int(a.vectors.shape[1]),
        "word": word,
        "first_values": [va[:4].round(3).tolist(), vb[:4].round(3).tolist()],
        "cosine": float(_unit(va) @ _unit(vb)),
        "king_cosine": float(_unit(va) @ _unit(king)),
    }


def sentence_facts(encoder: Any, sentences: list[str]) -> dict[str, Any]:
    """Cosine similarity matrix of ``sentences`` (encoder.embed)."""
    v = _unit(np.asarray(encoder.embed(sentences), dtype=np.float64))
    return {"sentences": list(sentences), "similarity": (v @ v.T).round(3).tolist()}


def long_text_facts(encoder: Any, text: str, question: str) -> dict[str, Any]:
    """A text longer than the model's window: tokens, windows, and the cosine to ``question`` truncated vs chunked."""
    chunks = encoder.embed_chunks([text])
    q = _unit(np.asarray(encoder.embed([question])[0], dtype=np.float64))
    with warnings.catch_warnings():  # the tour cuts the text on purpose: no TruncationWarning
        warnings.simplefilter("ignore")
        truncated = _unit(np.asarray(encoder.embed([text], long="truncate")[0], dtype=np.float64))
    averaged = _unit(np.asarray(encoder.embed([text], long="chunk")[0], dtype=np.float64))
    windows = _unit(np.asarray(chunks.vectors, dtype=np.float64))
    return {
        "tokens": len(encoder.tokenizer.encode(text).ids),
        "max_seq_length": int(encoder.max_seq_length),
        "windows": len(windows),
        "window_tokens": [int(n) for n in chunks.n_tokens],
        "truncated_cosine": float(truncated @ q),
        "chunked_cosine": float(averaged @ q),
        "best_window_cosine": float((windows @ q).max()),
    }


def show_matrix(tour: Tour) -> None:
    """Print the section on the input embedding matrix."""
    tour.heading(f"The embedding matrix of {MODEL}")
    if not tour.has_model():
        return
    facts = matrix_facts()
    tour.say(
        "A transformer starts by looking up one vector per token in its input embedding matrix: one row per"
        " token of its WordPiece vocabulary. These rows are learned, so tokens used alike get close rows"
        " even before any context is seen. tokvec reads the matrix straight from model.safetensors:"
    )
    tour.say(f"tokvec.embedding_matrix({MODEL!r}).vectors.shape = ({facts['vocab']}, {facts['dims']}):", "  ")
    tour.say(f"{facts['vocab']:,} tokens x {facts['dims']} dimensions = {facts['parameters']:,} parameters", "  ")
    for probe, near in facts["nearest"].items():
        tour.say(f"nearest to {probe!r}: {', '.join(near)}", indent="  ")


def show_contextual(tour: Tour) -> None:
    """Print the section on contextual token vectors."""
    tour.heading("Contextual vectors: the same word in two sentences")
    encoder = tour.encoder()
    if encoder is None:
        return
    facts = contextual_facts(encoder)
    tour.say(
        "After six layers of attention every token's vector depends on its neighbours. In the matrix above"
        f" {facts['word']!r} has one row; here it gets a different vector in each sentence"
        " (encoder.embed_tokens gives one per token, [CLS] and [SEP] included):"
    )
    for tokens, values in zip(facts["tokens"], facts["first_values"], strict=True):
        tour.say(f"{len(tokens)} tokens x {facts['dims']}: {' '.join(tokens)}", indent="  ")
        print(f"    {facts['word']} = [{', '.join(f'{v:+.3f}' for v in values)}, ...]")
    w = facts["word"]
    print("  cosine of")
    print(f"    {w} in 1 and {w} in 2   {facts['cosine']:.3f}  (their matrix rows: 1.000)")
    print(f"    {w} in 1 and king in 1    {facts['king_cosine']:.3f}")


def show_sentences(tour: Tour) -> None:
    """Print the section on sentence embeddings and long texts."""
    tour.heading("Sentence embeddings")
    encoder = tour.encoder()
    if encoder is None:
        return
    facts = sentence_facts(encoder, list(SENTENCES))
    tour.say(
        f"Mean pooling of the token vectors gives one {encoder.dim}-dimensional vector per text; sentences that"
        " mean the same get a high cosine even with no word in common (encoder.embed):"
    )
    for k, sentence in enumerate(SENTENCES, 1):
        print(f"  {k}. {sentence}")
    rows = [[k, *(f"{v:.2f}" for v in row)] for k, row in enumerate(facts["similarity"], 1)]
    print(
        "\n".join(
            "  " + line for line in format_table(["", "1", "2", "3", "4", "5"], rows, numeric=range(6)).split("\n")
        )
    )
    long = long_text_facts(encoder, LONG_TEXT, LONG_QUESTION)
    tour.say(
        f"A text of {long['tokens']} tokens is longer than the model's window of {long['max_seq_length']}:"
        " embed() cuts it there (with a warning: the end is lost); long='chunk' embeds"
        f" {long['windows']} overlapping windows of {' and '.join(map(str, long['window_tokens']))} tokens"
        f" and averages them; embed_chunks keeps each window. Asked {LONG_QUESTION!r} (answered at the end):"
    )
    print(f"  cosine to the truncated text     {long['truncated_cosine']:.3f}")
    print(f"  cosine to the averaged windows   {long['chunked_cosine']:.3f}")
    print(f"  cosine to the best window        {long['best_window_cosine']:.3f}")
