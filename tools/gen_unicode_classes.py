"""Regenerate src/tokvec/data/unicode_classes.npz from tiktoken's own regex engine.

The numba pre-tokenizer needs, for every code point, the character classes that the split
patterns of GPT-2, cl100k, o200k and Llama-3 use. Python's ``unicodedata`` and the Rust regex
engine inside tiktoken follow different Unicode versions, so instead of guessing we ask tiktoken:
an Encoding whose pattern is one class (``\\p{L}+``) and whose vocabulary is the 256 bytes
returns exactly the characters of that class, because tiktoken drops text the pattern does not match.

Run (developers only; needs tiktoken): ``python tools/gen_unicode_classes.py``
"""

from __future__ import annotations

import pathlib

import numpy as np
import tiktoken

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/tokvec/data/unicode_classes.npz"

# bit -> the character class of the split patterns
CLASSES = {
    1: r"\p{L}",
    2: r"\p{N}",
    4: r"\s",
    8: r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]",
    16: r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]",
}
# case-insensitive contraction letters: (?i:s) also matches U+017F and so on
FOLDS = "sdmtlver"


def members(pattern: str, text: str) -> set[str]:
    ranks = {bytes([i]): i for i in range(256)}
    enc = tiktoken.Encoding("probe", pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
    return set(enc.decode_bytes(enc.encode_ordinary(text)).decode("utf-8"))


def main() -> None:
    cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    text = "".join(map(chr, cps))
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, cls in CLASSES.items():
        for ch in members(f"{cls}+", text):
            table[ord(ch)] |= bit
    starts = np.flatnonzero(np.diff(table, prepend=np.int16(-1))).astype(np.uint32)
    values = table[starts]
    folds = {c: sorted(members(f"(?i:{c})", text) - {c, c.upper()}) for c in FOLDS}
    extra = [(ord(ch), ord(c)) for c, chs in folds.items() for ch in chs]
    fold_pairs = np.array(extra, dtype=np.uint32).reshape(-1, 2)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, starts=starts, values=values, fold_pairs=fold_pairs)
    tmp.replace(OUT)
    print(f"{len(starts)} ranges, extra case folds {folds} -> {OUT}")


if __name__ == "__main__":
    main()
