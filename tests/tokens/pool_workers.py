"""Functions that multiprocessing workers run (importable by name, as spawned workers need)."""

from __future__ import annotations

TEXTS = ["Hello world, how are you?", "Ünïcödé 你好 🌍", "<|endoftext|> is text here", "  spaces\n\nand lines "]


def encode_all(tok) -> list[list[int]]:
    """Encode TEXTS with a tokenizer that came through pickle (tokvec Tokenizer or tiktoken-style Encoding)."""
    out = []
    for text in TEXTS:
        ids = tok.encode_ordinary(text)
        out.append(ids if isinstance(ids, list) else ids.ids.tolist())
    return out
