"""Read task data from the files people have, so that users can score their own sets.

Layouts (UTF-8; a BOM is skipped):

- **STS**: CSV (``.csv``) or TSV (``.tsv``/``.txt``) rows ``sentence1, sentence2, score``, no header
  (as ``embeddings-eval/stsb``).
- **classification**: CSV/TSV rows ``text, label``; a first row ``text,label`` (or ``text,category``) is a header.
- **pairs**: TSV rows ``label, sentence1, sentence2`` with labels 0/1 (:func:`read_pairs`), or MRPC's own
  files (:func:`read_mrpc`).
- **reranking**: TSV rows ``query, candidate, label`` (0/1); rows of one query are consecutive (WikiQA).
- **retrieval**: a BEIR folder: ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``,
  ``text``), ``qrels/<split>.tsv`` (header, then ``query-id, corpus-id, score``).
- **bitext**: two files with one sentence a line, line ``i`` of one the translation of line ``i`` of the other.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "sts.csv")
>>> _ = open(path, "w").write('A cat sits.,"A cat, sitting.",4.5\\nA dog.,Rain.,0\\n')
>>> read_sts(path).scores.tolist()
[4.5, 0.0]
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..errors import FormatError, TokvecFileError


@dataclass(frozen=True)
class SentencePairs:
    """Aligned ``sentences1[i]``, ``sentences2[i]`` with ``values[i]`` (a gold score, or a 0/1 label)."""

    sentences1: list[str]
    sentences2: list[str]
    scores: np.ndarray


@dataclass(frozen=True)
class LabelledTexts:
    """``texts[i]`` carries ``labels[i]`` (strings)."""

    texts: list[str]
    labels: list[str]


@dataclass(frozen=True)
class RerankSample:
    """A query with its relevant (``positive``) and irrelevant (``negative``) candidates."""

    query: str
    positive: list[str]
    negative: list[str]


@dataclass(frozen=True)
class RetrievalData:
    """A BEIR set: ``corpus[id] = (title, text)``, ``queries[id] = text``, ``qrels[query][doc] = relevance``."""

    corpus: dict[str, tuple[str, str]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _open(path: str | os.PathLike[str]) -> Iterator[str]:
    if not os.path.isfile(path):
        raise TokvecFileError(f"{path}: no such file")
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below; a generator cannot hold it in a with block and name lines)
    except OSError as e:
        raise TokvecFileError(f"cannot read {path}: {e.strerror}") from None
    with f:
        for number, raw in enumerate(f, 1):  # subtle: lines end at b"\n", as with newline="" on UTF-8
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise FormatError(
                    f"{path} line {number}: not UTF-8 text (bad byte {e.start} of the line); re-encode it as UTF-8"
                ) from None


def _rows(path: str | os.PathLike[str], *, delimiter: str | None = None) -> Iterator[tuple[int, list[str]]]:
    name = os.fspath(path)
    if delimiter is None:
        delimiter = "," if name.lower().endswith(".csv") else "\t"
    if delimiter == "\t":  # subtle: TSV sets (MRPC, WikiQA) hold bare quotes inside the text
        for number, line in enumerate(_open(path), 1):
            line = line.rstrip("\r\n")
            if line.strip():
                yield number, line.split("\t")
        return
    rows = csv.reader(_open(path))
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as e:
            raise FormatError(f"{path} line {rows.line_num}: not CSV ({e})") from None
        number += 1
        if row and any(cell.strip() for cell in row):
            yield number, row


def _fields(path: object, number: int, row: list[str], n: int, what: str) -> list[str]:
    if len(row) != n:
        raise FormatError(f"{path} line {number}: expected {n} fields ({what}), got {len(row)}: {row[:4]!r}")
    return row


def read_sts(path: str | os.PathLike[str]) -> SentencePairs:
    """Read an STS file: rows ``sentence1, sentence2, score`` without a header."""
    s1, s2, scores = [], [], []
    for number, row in _rows(path):
        a, b, score = _fields(path, number, row, 3, "sentence1, sentence2, score")
        try:
            scores.append(float(score))
        except ValueError:
            raise FormatError(f"{path} line {number}: the score {score!r} is not a number") from None
        s1.append(a)
        s2.append(b)
    if not s1:
        raise FormatError(f"{path}: no sentence pairs (expected rows sentence1, sentence2, score)")
    return SentencePairs(s1, s2, np.array(scores, dtype=np.float64))


_HEADERS = {("text", "label"), ("text", "category"), ("sentence", "label"), ("text", "class")}


def read_classification(path: str | os.PathLike[str]) -> LabelledTexts:
    """Read rows ``text, label`` (a header row ``text,label`` or ``text,category`` is skipped)."""
    texts, labels = [], []
    for number, row in _rows(path):
        text, label = _fields(path, number, row, 2, "text, label")
        if number == 1 and (text.strip().lower(), label.strip().lower()) in _HEADERS:
            continue
        texts.append(text)
        labels.append(label.strip())
    if not texts:
        raise FormatError(f"{path}: no labelled texts (expected rows text, label)")
    return LabelledTexts(texts, labels)


def read_agnews(path: str | os.PathLike[str]) -> LabelledTexts:
    """Read AG News (Zhang et al. 2015): rows ``class, title, description``; the text is title + " " + description."""
    texts, labels = [], []
    for number, row in _rows(path, delimiter=","):
        label, title, description = _fields(path, number, row, 3, "class, title, description")
        # subtle: the original files write line breaks inside a description as a backslash
        texts.append(f"{title} {description}".replace("\\", " ").strip())
        labels.append(label)
    return LabelledTexts(texts, labels)


def _label01(path: object, number: int, value: str) -> int:
    if value.strip() not in ("0", "1"):
        raise FormatError(f"{path} line {number}: the label {value!r} is not 0 or 1")
    return int(value)


def read_pairs(path: str | os.PathLike[str]) -> SentencePairs:
    """Read pair classification rows ``label, sentence1, sentence2`` (TSV, labels 0/1)."""
    s1, s2, labels = [], [], []
    for number, row in _rows(path, delimiter="\t"):
        label, a, b = _fields(path, number, row, 3, "label, sentence1, sentence2")
        labels.append(_label01(path, number, label))
        s1.append(a)
        s2.append(b)
    return SentencePairs(s1, s2, np.array(labels, dtype=np.int64))


def read_mrpc(path: str | os.PathLike[str]) -> SentencePairs:
    """Read an MRPC file (header ``Quality, #1 ID, #2 ID, #1 String, #2 String``)."""
    s1, s2, labels = [], [], []
    for number, row in _rows(path, delimiter="\t"):
        if number == 1 and row[0].strip() == "Quality":
            continue
        label, _, _, a, b = _fields(path, number, row, 5, "Quality, #1 ID, #2 ID, #1 String, #2 String")
        labels.append(_label01(path, number, label))
        s1.append(a)
        s2.append(b)
    return SentencePairs(s1, s2, np.array(labels, dtype=np.int64))


def read_reranking(path: str | os.PathLike[str]) -> list[RerankSample]:
    """Read rows ``query, candidate, label``; consecutive rows with one query make one sample."""
    samples: list[RerankSample] = []
    for number, row in _rows(path, delimiter="\t"):
        query, candidate, label = _fields(path, number, row, 3, "query, candidate, label")
        if not samples or samples[-1].query != query:
            samples.append(RerankSample(query, [], []))
        (samples[-1].positive if _label01(path, number, label) else samples[-1].negative).append(candidate)
    if not samples:
        raise FormatError(f"{path}: no rows (expected query, candidate, label)")
    return samples


def _jsonl(path: str, fields: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(_open(path), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise FormatError(f"{path} line {number}: not JSON ({e.msg})") from None
        except RecursionError:
            raise FormatError(f"{path} line {number}: JSON nested too deeply") from None
        if not isinstance(record, dict) or any(f not in record for f in fields):
            raise FormatError(f"{path} line {number}: expected an object with the fields {', '.join(fields)}")
        yield number, record


def read_beir(folder: str | os.PathLike[str], *, split: str = "test") -> RetrievalData:
    """Read a BEIR folder; only queries with judgements in ``qrels/<split>.tsv`` are kept (as MTEB does)."""
    folder = os.fspath(folder)
    qrels_path = os.path.join(folder, "qrels", f"{split}.tsv")
    for needed in ("corpus.jsonl", "queries.jsonl", os.path.join("qrels", f"{split}.tsv")):
        if not os.path.isfile(os.path.join(folder, needed)):
            raise TokvecFileError(
                f"{os.path.join(folder, needed)}: missing; a BEIR folder holds corpus.jsonl, queries.jsonl and "
                f"qrels/{split}.tsv"
            )
    corpus: dict[str, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    corpus_path = os.path.join(folder, "corpus.jsonl")
    for number, record in _jsonl(corpus_path, ("_id", "text")):
        doc_id = str(record["_id"])
        if doc_id in seen:
            raise FormatError(f"{corpus_path} line {number}: duplicate _id {doc_id!r} (first on line {seen[doc_id]})")
        seen[doc_id] = number
        corpus[doc_id] = (str(record.get("title") or ""), str(record["text"] or ""))
    if not corpus:
        raise FormatError(f"{corpus_path}: the corpus is empty")
    qrels: dict[str, dict[str, int]] = {}
    for number, row in _rows(qrels_path, delimiter="\t"):
        if number == 1 and not row[-1].strip().lstrip("-").isdigit():
            continue  # the header query-id, corpus-id, score
        query_id, doc_id, score = _fields(qrels_path, number, row, 3, "query-id, corpus-id, score")
        if doc_id not in corpus:
            raise FormatError(f"{qrels_path} line {number}: corpus-id {doc_id!r} is not in {corpus_path}")
        qrels.setdefault(query_id, {})[doc_id] = int(score)
    queries_path = os.path.join(folder, "queries.jsonl")
    queries = {str(r["_id"]): str(r["text"]) for _, r in _jsonl(queries_path, ("_id", "text"))}
    missing = [q for q in qrels if q not in queries]
    if missing:
        raise FormatError(f"{qrels_path}: query-id {missing[0]!r} is not in {queries_path} ({len(missing)} missing)")
    if not qrels:
        raise FormatError(f"{qrels_path}: no judgements")
    return RetrievalData(corpus, {q: queries[q] for q in qrels}, qrels)


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read one sentence a line (line breaks dropped, blank lines kept so that lines stay aligned)."""
    return [line.rstrip("\r\n") for line in _open(path)]
