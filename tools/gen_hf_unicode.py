"""Regenerate src/tokvec/data/hf_unicode.npz by asking Hugging Face ``tokenizers`` about every code point.

The normalizers and pre-tokenizers of ``tokenizers`` read Unicode properties from Rust crates that
follow different Unicode versions (the punctuation table is years older than Python's, lowercasing
is newer, the NFx tables are older). Instead of guessing we probe ``tokenizers`` itself, one code
point at a time, and store:

- ``flag_starts``/``flag_values``: uint16 bit flags per code point as run-length ranges (the bits are
  the constants of :mod:`tokvec.tokens.normalizers.hf_unicode`);
- ``ccc_zero``: combining characters that ``tokenizers`` gives canonical combining class 0 (newer ones);
- for each mapping (NFD, NFKD, NFC, NFKC, lower), the code points where the single-character result of
  ``tokenizers`` differs from Python's ``unicodedata``/``str.lower``: ``<form>_keys`` uint32[K],
  ``<form>_offsets`` int64[K+1], ``<form>_values`` uint32 (the replacement text, as code points).

Run (developers only; needs tokenizers): ``python tools/gen_hf_unicode.py``
"""

from __future__ import annotations

import pathlib
import sys
import unicodedata

import numpy as np
from tokenizers import normalizers as N
from tokenizers import pre_tokenizers as P

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))
from tokvec.tokens.normalizers import hf_unicode as hu

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/tokvec/data/hf_unicode.npz"


def main() -> None:
    cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    flags = np.zeros(0x110000, dtype=np.uint16)
    ws_split, punct, digits, words = (
        P.WhitespaceSplit(),
        P.Punctuation(),
        P.Digits(individual_digits=True),
        P.Whitespace(),
    )
    clean = N.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    chinese = N.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    strip_bert = N.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    strip_accents, nfd = N.StripAccents(), N.NFD()
    for c in cps:
        ch = chr(c)
        f = 0
        if len(ws_split.pre_tokenize_str(f"a{ch}a")) == 2:
            f |= hu.WHITESPACE
        if len(punct.pre_tokenize_str(f"a{ch}a")) == 3:
            f |= hu.PUNCTUATION
        if len(digits.pre_tokenize_str(f"a{ch}a")) == 3:
            f |= hu.NUMERIC
        pieces = [p for p, _ in words.pre_tokenize_str(f"a{ch}")]
        if pieces == [f"a{ch}"]:
            f |= hu.WORD
        elif pieces == ["a"]:
            f |= hu.REGEX_SPACE
        out = clean.normalize_str(ch)
        if out == "":
            f |= hu.CONTROL
        elif out == " " and ch != " ":
            f |= hu.CLEAN_SPACE
        if len(chinese.normalize_str(ch)) == 3:
            f |= hu.CHINESE
        if strip_accents.normalize_str(ch) == "":
            f |= hu.COMBINING_MARK
        if nfd.normalize_str(ch) == ch and strip_bert.normalize_str(ch) == "":
            f |= hu.NONSPACING_MARK
        flags[c] = f
    starts = np.flatnonzero(np.diff(flags, prepend=np.int32(-1))).astype(np.uint32)
    arrays = {"flag_starts": starts, "flag_values": flags[starts]}
    probes = {"NFD": N.NFD(), "NFKD": N.NFKD(), "NFC": N.NFC(), "NFKC": N.NFKC(), "lower": N.Lowercase()}
    for form, norm in probes.items():
        keys, texts = [], []
        for c in cps:
            ch = chr(c)
            want = norm.normalize_str(ch)
            have = ch.lower() if form == "lower" else unicodedata.normalize(form, ch)
            if want != have:
                keys.append(c)
                texts.append(want)
        arrays[f"{form}_keys"] = np.array(keys, dtype=np.uint32)
        arrays[f"{form}_offsets"] = np.cumsum([0] + [len(t) for t in texts]).astype(np.int64)
        arrays[f"{form}_values"] = np.array([ord(x) for t in texts for x in t], dtype=np.uint32)
        print(f"{form}: {len(keys)} code points differ from Python's unicodedata {unicodedata.unidata_version}")
    # canonical combining classes: characters that Python reorders but tokenizers' older tables do not know
    zero = []
    for c in cps:
        if unicodedata.combining(chr(c)):
            before = nfd.normalize_str("a\u0345" + chr(c)) == "a\u0345" + chr(c)  # ccc 240 stays first
            after = nfd.normalize_str("a" + chr(c) + "\u0334") == "a" + chr(c) + "\u0334"  # ccc 1 stays last
            if before and after and unicodedata.combining(chr(c)) not in (1, 240):
                zero.append(c)
    arrays["ccc_zero"] = np.array(zero, dtype=np.uint32)
    print(f"{len(zero)} combining characters have class 0 in tokenizers")
    tmp = OUT.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(OUT)
    print(f"{len(starts)} flag ranges -> {OUT}")


if __name__ == "__main__":
    main()
