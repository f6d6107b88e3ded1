"""Tokenizer parity across languages (Petrov et al. 2023) on FLORES-200: tokens per language, premium vs English.

FLORES-200 holds the same sentences translated into 204 languages, so a tokenizer that needs more
tokens for one language than for English makes its speakers pay more, wait longer and fit less in
a context window. The *premium* of a language is its token count over English's on the same
sentences (Petrov et al., "Language Model Tokenizers Introduce Unfairness Between Languages",
NeurIPS 2023): 1.0 is parity, 3.0 means three times the tokens. Counts are the text's own tokens
(no [CLS]/</s> added, special-token text read as text), summed over every sentence of the splits.

>>> import tokvec
>>> corpus = FloresCorpus({"eng_Latn": ["Hello world."], "deu_Latn": ["Hallo Welt."]}, {"eng_Latn": "English"})
>>> result = parity([tokvec.load("gpt2")], corpus, progress=False)
>>> result.codes, result.counts.tolist(), result.premiums.round(2).tolist()
(('deu_Latn', 'eng_Latn'), [[5], [3]], [[1.67], [1.0]])
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._io import atomic_write, read_utf8
from .._progress import Progress
from .._table import format_table
from ..errors import TokvecError, TokvecFileError, UnknownNameError
from .adapt import batch_lengths, encode_plain_batch, name_of

SPLITS = ("dev", "devtest")
ENGLISH = "eng_Latn"


@dataclass(frozen=True)
class FloresCorpus:
    """Sentences per language code (``eng_Latn``), in the same order in every language, and language names."""

    sentences: dict[str, list[str]]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """The language codes, sorted."""
        return sorted(self.sentences)

    def name(self, code: str) -> str:
        """Return the language's name (the code when the map does not know it)."""
        return self.names.get(code, code)


def data_folder() -> Path:
    """Return the FLORES-200 folder: ``$TOKVEC_TEST_DATA/flores200``, else ``../shared/data/flores200``.

    ``..`` is tried from the working folder, then from the project that holds this package.
    """
    if "TOKVEC_TEST_DATA" in os.environ:
        return Path(os.environ["TOKVEC_TEST_DATA"]) / "flores200"
    candidates = [Path.cwd().parent, Path(__file__).resolve().parents[3].parent]
    for base in candidates:
        if (base / "shared" / "data" / "flores200").is_dir():
            return base / "shared" / "data" / "flores200"
    return candidates[0] / "shared" / "data" / "flores200"


def load_flores(
    folder: str | os.PathLike[str] | None = None, *, splits: Sequence[str] = SPLITS, languages: Sequence[str] = ()
) -> FloresCorpus:
    """Read FLORES-200 ``folder/{split}/{code}.{split}`` for every split (lines joined in split order).

    ``languages`` keeps only those codes (default: every language of the first split).
    """
    root = Path(folder) if folder is not None else data_folder()
    if not splits:
        raise TokvecError("load_flores needs at least one split: 'dev', 'devtest' or both")
    first = root / splits[0]
    if not first.is_dir():
        raise TokvecFileError(
            f"{first} is not a folder: give the FLORES-200 folder that holds dev/ and devtest/"
            " (--flores PATH, or set TOKVEC_TEST_DATA to the shared data folder)"
        )
    found = sorted(p.name[: -len(splits[0]) - 1] for p in first.glob(f"*.{splits[0]}"))
    codes = list(languages) or found
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise UnknownNameError(f"FLORES-200 has no language {unknown[0]!r}; codes look like eng_Latn, zho_Hans")
    sentences: dict[str, list[str]] = {}
    for code in codes:
        lines: list[str] = []
        for split in splits:
            path = root / split / f"{code}.{split}"
            lines.extend(read_utf8(path).splitlines())
        sentences[code] = lines
    lengths = {len(v) for v in sentences.values()}
    if len(lengths) > 1:
        raise TokvecError(f"FLORES files in {root} have different line counts {sorted(lengths)}: they must align")
    return FloresCorpus(sentences, _language_names(root / "flores_language_map.csv"))


def _language_names(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return {row[1].strip(): row[0].strip() for row in rows[1:] if len(row) == 2}


@dataclass(frozen=True)
class ParityResult:
    """Token counts (int64[L, T]) of L languages by T tokenizers on the same sentences, and their premiums."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    tokenizers: tuple[str, ...]
    counts: np.ndarray
    baseline: str = ENGLISH

    @property
    def premiums(self) -> np.ndarray:
        """float64[L, T]: each language's tokens over the baseline language's, per tokenizer."""
        base = self.counts[self.codes.index(self.baseline)].astype(np.float64)
        return self.counts / np.where(base > 0, base, np.nan)

    def order(self, sort: str = "premium") -> np.ndarray:
        """Return the row order: ``premium`` (mean premium over tokenizers, highest first), ``name`` or ``code``."""
        if sort == "premium":
            return np.argsort(-np.nanmean(self.premiums, axis=1), kind="stable")
        if sort in ("name", "code"):
            keys = self.names if sort == "name" else self.codes
            return np.array(sorted(range(len(keys)), key=lambda k: keys[k].casefold()), dtype=np.int64)
        raise UnknownNameError(f"unknown sort {sort!r}: use premium, name or code")

    def rows(self, sort: str = "premium") -> list[dict[str, Any]]:
        """Return one dict per language: code, name, and per tokenizer its tokens and premium."""
        prem = self.premiums
        out = []
        for k in self.order(sort).tolist():
            row: dict[str, Any] = {"code": self.codes[k], "language": self.names[k]}
            for t, tok in enumerate(self.tokenizers):
                row[f"tokens {tok}"] = int(self.counts[k, t])
                row[f"premium {tok}"] = round(float(prem[k, t]), 4)
            out.append(row)
        return out

    def to_table(self, sort: str = "premium", *, limit: int | None = None) -> str:
        """Return an aligned table of premiums (and tokens) per language."""
        headers = ["code", "language"]
        for tok in self.tokenizers:
            headers += [f"tokens {tok}", f"premium {tok}"]
        rows = [list(r.values()) for r in self.rows(sort)[:limit]]
        numeric = range(2, len(headers))
        return format_table(headers, rows, numeric=numeric)

    def to_csv(self, path: str | os.PathLike[str], sort: str = "premium") -> None:
        """Write the rows as CSV (atomically): code, language, then tokens and premium per tokenizer."""
        rows = self.rows(sort)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        atomic_write(path, buf.getvalue().encode("utf-8"))

    def summary(self) -> list[dict[str, Any]]:
        """Per tokenizer: median and largest premium, and the share of languages at least twice English."""
        prem = self.premiums
        out = []
        for t, tok in enumerate(self.tokenizers):
            col = prem[:, t]
            worst = int(np.nanargmax(col))
            out.append(
                {
                    "tokenizer": tok,
                    "tokens English": int(self.counts[self.codes.index(self.baseline), t]),
                    "median premium": round(float(np.nanmedian(col)), 2),
                    "largest premium": round(float(col[worst]), 2),
                    "worst language": self.names[worst],
                    "languages >= 2x": int(np.sum(col >= 2)),
                }
            )
        return out


def parity(
    tokenizers: Sequence[Any],
    corpus: FloresCorpus,
    *,
    baseline: str = ENGLISH,
    progress: bool = True,
    num_threads: int | None = None,
) -> ParityResult:
    """Count every language's tokens with every tokenizer (names are loaded with :func:`tokvec.load`).

    Each language is one ``encode_batch`` of its sentences; the progress bar (stderr) counts bytes.
    """
    from ..tokens.presets import load

    toks = [load(t) if isinstance(t, str) else t for t in tokenizers]
    codes = corpus.codes
    if baseline not in corpus.sentences:
        raise UnknownNameError(f"the baseline language {baseline!r} is not in the corpus (codes: {codes[:5]}...)")
    sizes = [sum(len(s.encode("utf-8")) + 1 for s in corpus.sentences[c]) for c in codes]
    counts = np.zeros((len(codes), len(toks)), dtype=np.int64)
    with Progress(sum(sizes) * len(toks), label="parity", enabled=progress) as bar:
        for t, tok in enumerate(toks):
            for k, code in enumerate(codes):
                batch = encode_plain_batch(tok, corpus.sentences[code], num_threads=num_threads)
                counts[k, t] = int(batch_lengths(batch).sum())
                bar.update(sizes[k])
    counts.flags.writeable = False
    names = tuple(corpus.name(c) for c in codes)
    return ParityResult(tuple(codes), names, tuple(name_of(t) for t in toks), counts, baseline)
