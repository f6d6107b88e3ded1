"""Evaluate word vectors as gensim does: word-similarity sets and the Google analogy set.

Similarity (gensim's ``evaluate_word_pairs``): tab-separated ``word1 word2 score`` lines (``#``
comments skipped), keys matched case-insensitively (the most frequent spelling wins), pairs with an
unknown word skipped and counted; Pearson and Spearman (average ranks for ties) of the human
scores against the cosines. Analogies (gensim's ``evaluate_word_analogies``): ``: section`` headers
then ``a b c d`` lines; only the ``restrict`` most frequent keys (default 30,000) are used, for the
questions and the answers; the answer is the first of the 5 nearest keys to b - a + c (3CosAdd)
that is not a, b or c; accuracy per section and over all.

>>> import numpy as np
>>> spearman([1, 2, 3, 4], [10, 20, 40, 30])
0.8
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from .._io import open_binary
from ..errors import FormatError
from .index import top_k, unit_rows
from .keyed import KeyedVectors

SIMILARITY_SETS = {  # name -> path under the data folder (../shared/data or $TOKVEC_TEST_DATA)
    "WS-353": "eval/wordsim353.tsv",
    "SimLex-999": "eval/simlex999.txt",
    "MEN": "eval/faruqui/EN-MEN-TR-3k.txt",
    "RareWords": "eval/faruqui/EN-RW-STANFORD.txt",
    "MTurk-287": "eval/faruqui/EN-MTurk-287.txt",
    "MTurk-771": "eval/faruqui/EN-MTurk-771.txt",
}
ANALOGY_SET = "eval/questions-words.txt"


@dataclass(frozen=True)
class SimilarityResult:
    """Correlations with human scores; ``pairs`` used and ``oov_pairs`` skipped (an unknown word)."""

    name: str
    pearson: float
    spearman: float
    pairs: int
    oov_pairs: int

    @property
    def oov_ratio(self) -> float:
        """The share of pairs skipped, in percent (as gensim reports it)."""
        total = self.pairs + self.oov_pairs
        return 100.0 * self.oov_pairs / total if total else 0.0


@dataclass(frozen=True)
class AnalogySection:
    """One section of the analogy set: questions answered right and wrong (questions with unknown words skipped)."""

    name: str
    correct: int
    incorrect: int

    @property
    def accuracy(self) -> float:
        """correct / (correct + incorrect), 0 when no question could be asked."""
        n = self.correct + self.incorrect
        return self.correct / n if n else 0.0


@dataclass(frozen=True)
class AnalogyResult:
    """Per-section results, the total, and how many questions were skipped."""

    sections: list[AnalogySection]
    total: AnalogySection
    skipped: int

    @property
    def accuracy(self) -> float:
        """The overall accuracy (gensim's analogies score)."""
        return self.total.accuracy


def _ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = np.arange(1, len(x) + 1)
    _values, inverse = np.unique(x, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / np.bincount(inverse))[inverse]  # ties share their average rank


def pearson(x: object, y: object) -> float:
    """Return Pearson's correlation of two sequences of numbers."""
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    a, b = a - a.mean(), b - b.mean()
    denom = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denom) if denom else float("nan")


def spearman(x: object, y: object) -> float:
    """Return Spearman's rank correlation (Pearson's of the average ranks)."""
    return pearson(_ranks(np.asarray(x, dtype=np.float64)), _ranks(np.asarray(y, dtype=np.float64)))


def _case_map(kv: KeyedVectors, restrict: int | None) -> dict[str, int]:
    keys = kv.keys[: restrict if restrict is not None else len(kv)]
    return {k.upper(): i for i, k in reversed(list(enumerate(keys)))}  # the most frequent spelling wins


def _lines(path: str | os.PathLike[str]) -> list[str]:
    with open_binary(path) as f:
        return f.read().decode("utf-8", errors="replace").splitlines()


def evaluate_similarity(
    kv: KeyedVectors, path: str | os.PathLike[str], *, name: str | None = None, restrict: int | None = 300_000
) -> SimilarityResult:
    """Score ``kv`` on a word-similarity file (see the module docstring)."""
    vocab = _case_map(kv, restrict)
    unit = kv.unit_vectors
    gold: list[float] = []
    model: list[float] = []
    oov = 0
    for n, line in enumerate(_lines(path), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 3:
            raise FormatError(f"{path} line {n}: expected 'word1<TAB>word2<TAB>score', got {line[:60]!r}")
        a, b = parts[0].strip().upper(), parts[1].strip().upper()
        if a not in vocab or b not in vocab:
            oov += 1
            continue
        gold.append(float(parts[2]))
        model.append(float(unit[vocab[a]] @ unit[vocab[b]]))
    label = name or os.path.basename(os.fspath(path))
    if len(gold) < 2:
        return SimilarityResult(label, float("nan"), float("nan"), len(gold), oov)
    return SimilarityResult(label, pearson(gold, model), spearman(gold, model), len(gold), oov)


def evaluate_analogies(
    kv: KeyedVectors, path: str | os.PathLike[str], *, restrict: int = 30_000, batch: int = 2048
) -> AnalogyResult:
    """Score ``kv`` on an analogy file such as Google's questions-words.txt (see the module docstring)."""
    vocab = _case_map(kv, restrict)
    keys_upper = [k.upper() for k in kv.keys[:restrict]]
    unit = kv.unit_vectors[:restrict]
    names: list[str] = []
    questions: list[tuple[int, int, int, int, int]] = []  # section, a, b, c, expected
    skipped = 0
    for n, line in enumerate(_lines(path), start=1):
        if line.startswith(":"):
            names.append(line[1:].strip())
            continue
        words = line.upper().split()
        if not words:
            continue
        if len(words) != 4 or not names:
            raise FormatError(f"{path} line {n}: expected ': section' or four words, got {line[:60]!r}")
        if all(w in vocab for w in words):
            questions.append((len(names) - 1, *(vocab[w] for w in words)))
        else:
            skipped += 1
    correct = np.zeros(len(names), dtype=np.int64)
    wrong = np.zeros(len(names), dtype=np.int64)
    for lo in range(0, len(questions), batch):
        part = np.array(questions[lo : lo + batch], dtype=np.int64).reshape(-1, 5)
        query = unit[part[:, 2]] + unit[part[:, 3]] - unit[part[:, 1]]
        exclude = part[:, 1:4].tolist()  # gensim's most_similar never returns its query words
        idx, _ = top_k(unit, unit_rows(query / 3.0), 5, exclude=exclude)
        for (section, a, b, c, expected), row in zip(part.tolist(), idx.tolist(), strict=True):
            ignore = {keys_upper[a], keys_upper[b], keys_upper[c]}
            predicted = next((keys_upper[i] for i in row if i >= 0 and keys_upper[i] not in ignore), None)
            if predicted == keys_upper[expected]:
                correct[section] += 1
            else:
                wrong[section] += 1
    sections = [AnalogySection(s, int(correct[i]), int(wrong[i])) for i, s in enumerate(names)]
    total = AnalogySection("total", int(correct.sum()), int(wrong.sum()))
    return AnalogyResult(sections, total, skipped)
