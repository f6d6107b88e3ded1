"""Slices of the real corpora that the trainer tests share (read once per session)."""

from __future__ import annotations

import functools
import gzip

from tests.conftest import data_path

ELTEC = "text/eltec-eng/eltec-eng.txt.gz"
FLORES_LANGS = ("eng_Latn", "deu_Latn", "zho_Hans", "arb_Arab", "hin_Deva")


@functools.cache
def eltec_lines(megabytes: float, skip_megabytes: float = 0.0) -> tuple[str, ...]:
    """The lines (with their newline) of ELTeC from ``skip_megabytes`` on, until ``megabytes`` of UTF-8 are read."""
    path = data_path(ELTEC)
    out, seen, taken = [], 0, 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for line in f:
            n = len(line.encode("utf-8"))
            if seen < skip_megabytes * 1e6:
                seen += n
                continue
            if taken >= megabytes * 1e6:
                break
            out.append(line)
            taken += n
    return tuple(out)


@functools.cache
def flores_devtest() -> tuple[str, ...]:
    """FLORES-200 devtest in English, German, Chinese, Arabic and Hindi (5,060 sentences)."""
    texts: list[str] = []
    for lang in FLORES_LANGS:
        texts += data_path(f"flores200/devtest/{lang}.devtest").read_text(encoding="utf-8").splitlines()
    return tuple(texts)
