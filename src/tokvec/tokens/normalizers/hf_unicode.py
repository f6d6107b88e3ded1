"""The Unicode properties that Hugging Face ``tokenizers`` uses, code point by code point.

``tokenizers`` reads whitespace, punctuation, digits, marks and case from Rust crates of different
Unicode versions than Python's :mod:`unicodedata` (14.0 on Python 3.11). ``tools/gen_hf_unicode.py``
asks ``tokenizers`` about every code point and bundles the answers (``data/hf_unicode.npz``, 30 KB):
a table of bit flags, and the few code points where its NFx or lowercase mapping of one character
differs from Python's.

>>> f = flags()
>>> bool(f[ord(" ")] & WHITESPACE), bool(f[ord("!")] & PUNCTUATION), bool(f[ord("中")] & CHINESE)
(True, True, True)
>>> single("NFD", "é") == "e\\u0301", single("lower", "A")
(True, 'a')
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

import numpy as np

# flag bits (uint16)
WHITESPACE = 1  # Rust char::is_whitespace (WhitespaceSplit, BertPreTokenizer, Strip, Metaspace)
PUNCTUATION = 2  # ASCII punctuation or Unicode P* (Punctuation, BertPreTokenizer)
CONTROL = 4  # removed by BertNormalizer(clean_text): NUL, U+FFFD, control/format/unassigned
CLEAN_SPACE = 8  # turned into " " by BertNormalizer(clean_text)
CHINESE = 16  # CJK ideographs that BertNormalizer(handle_chinese_chars) isolates
NUMERIC = 32  # Rust char::is_numeric (Digits)
WORD = 64  # \w of the Whitespace pre-tokenizer's regex
REGEX_SPACE = 128  # \s of the Whitespace pre-tokenizer's regex
COMBINING_MARK = 256  # removed by StripAccents
NONSPACING_MARK = 512  # removed by BertNormalizer(strip_accents) after NFD

FORMS = ("NFD", "NFKD", "NFC", "NFKC", "lower")


@functools.cache
def _arrays() -> dict[str, np.ndarray]:
    with resources.files("tokvec.data").joinpath("hf_unicode.npz").open("rb") as f:
        z = np.load(f, allow_pickle=False)
        return {k: z[k] for k in z.files}


@functools.cache
def flags() -> np.ndarray:
    """Return uint16[0x110000]: the flag bits of every code point (read-only)."""
    z = _arrays()
    starts = z["flag_starts"].astype(np.int64)
    table = np.repeat(z["flag_values"], np.diff(np.append(starts, 0x110000))).astype(np.uint16)
    table.flags.writeable = False
    return table


@functools.cache
def overrides(form: str) -> dict[str, str]:
    """Return {character: result} where ``tokenizers``' ``form`` of one character differs from Python's."""
    z = _arrays()
    keys, offsets, values = z[f"{form}_keys"], z[f"{form}_offsets"], z[f"{form}_values"]
    return {chr(int(k)): "".join(map(chr, values[offsets[i] : offsets[i + 1]].tolist())) for i, k in enumerate(keys)}


@functools.cache
def single(form: str, ch: str) -> str:
    """Return ``tokenizers``' ``form`` (NFD, NFKD, NFC, NFKC or lower) of the one character ``ch``."""
    over = overrides(form)
    if ch in over:
        return over[ch]
    return ch.lower() if form == "lower" else unicodedata.normalize(form, ch)


@functools.cache
def _ccc_zero() -> frozenset[str]:
    return frozenset(map(chr, _arrays()["ccc_zero"].tolist()))


def combining(ch: str) -> int:
    """Return the canonical combining class of ``ch`` as ``tokenizers``' NFx tables have it."""
    return 0 if ch in _ccc_zero() else unicodedata.combining(ch)


def has(ch: str, bits: int) -> bool:
    """Return whether character ``ch`` has any of ``bits``."""
    return bool(flags()[ord(ch)] & bits)


@functools.cache
def char_set(bits: int) -> frozenset[str]:
    """Return the characters that have any of ``bits`` (for str.translate-style scans)."""
    return frozenset(map(chr, np.flatnonzero(flags() & bits).tolist()))
