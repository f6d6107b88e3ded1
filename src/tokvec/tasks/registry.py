"""The shared evaluation sets by name, read from the shared data folder, and :func:`evaluate` over several.

Names: ``STSBenchmark`` (STS-B test), ``Banking77Classification`` (train -> test), ``AGNewsClassification``
(AG News test only: even rows are the training pool, odd rows the test set), ``Banking77Clustering``
(Banking77 test texts), ``SciFact`` (BEIR test), ``MRPC`` (test pairs), ``WikiQA`` (test reranking) and
``FLORES:<src>-<tgt>`` (FLORES-200 devtest bitext mining, e.g. ``FLORES:deu_Latn-eng_Latn``).
``PUBLISHED`` holds MTEB's published all-MiniLM-L6-v2 main scores where MTEB has the task.

>>> sorted(TASKS)[:3]
['AGNewsClassification', 'Banking77Classification', 'Banking77Clustering']
"""

from __future__ import annotations

import difflib
import os
import pathlib
from collections.abc import Callable, Iterable

from ..embed.protocol import Encoder
from ..errors import TokvecFileError, UnknownNameError
from . import readers
from ._common import TaskResult, data_root
from .bitext import evaluate_bitext
from .classification import evaluate_classification
from .clustering import evaluate_clustering
from .pairs import evaluate_pairs
from .reranking import evaluate_reranking
from .retrieval import evaluate_retrieval
from .sts import evaluate_sts

EVAL = "embeddings-eval"

#: MTEB's published main scores of sentence-transformers/all-MiniLM-L6-v2 (x100)
PUBLISHED = {"STSBenchmark": 82.03, "Banking77Classification": 80.04, "SciFact": 64.51}

Runner = Callable[[Encoder, pathlib.Path], TaskResult]


def _file(root: pathlib.Path, relative: str) -> pathlib.Path:
    path = root / relative
    if not path.exists():
        raise TokvecFileError(
            f"{path}: missing. Point $TOKVEC_TEST_DATA (or data=) at the folder holding {EVAL}/ and flores200/"
        )
    return path


def _sts(e: Encoder, root: pathlib.Path) -> TaskResult:
    return evaluate_sts(e, readers.read_sts(_file(root, f"{EVAL}/stsb/stsb-en-test.csv")), name="STSBenchmark")


def _banking(e: Encoder, root: pathlib.Path) -> TaskResult:
    train = readers.read_classification(_file(root, f"{EVAL}/banking77/train.csv"))
    test = readers.read_classification(_file(root, f"{EVAL}/banking77/test.csv"))
    return evaluate_classification(e, train, test, name="Banking77Classification")


def _agnews(e: Encoder, root: pathlib.Path) -> TaskResult:
    data = readers.read_agnews(_file(root, f"{EVAL}/agnews/test.csv"))
    train = readers.LabelledTexts(data.texts[0::2], data.labels[0::2])
    test = readers.LabelledTexts(data.texts[1::2], data.labels[1::2])
    return evaluate_classification(e, train, test, name="AGNewsClassification")


def _banking_clustering(e: Encoder, root: pathlib.Path) -> TaskResult:
    data = readers.read_classification(_file(root, f"{EVAL}/banking77/test.csv"))
    return evaluate_clustering(e, data, name="Banking77Clustering")


def _scifact(e: Encoder, root: pathlib.Path) -> TaskResult:
    return evaluate_retrieval(e, readers.read_beir(_file(root, f"{EVAL}/scifact")), name="SciFact")


def _mrpc(e: Encoder, root: pathlib.Path) -> TaskResult:
    return evaluate_pairs(e, readers.read_mrpc(_file(root, f"{EVAL}/mrpc/msr_paraphrase_test.txt")), name="MRPC")


def _wikiqa(e: Encoder, root: pathlib.Path) -> TaskResult:
    samples = readers.read_reranking(_file(root, f"{EVAL}/wikiqa/WikiQA-test.txt"))
    return evaluate_reranking(e, samples, name="WikiQA")


TASKS: dict[str, Runner] = {
    "STSBenchmark": _sts,
    "Banking77Classification": _banking,
    "AGNewsClassification": _agnews,
    "Banking77Clustering": _banking_clustering,
    "SciFact": _scifact,
    "MRPC": _mrpc,
    "WikiQA": _wikiqa,
}


def flores(encoder: Encoder, source: str, target: str, *, root: pathlib.Path | None = None) -> TaskResult:
    """Mine FLORES-200 devtest translations from ``source`` into ``target`` (codes such as ``eng_Latn``)."""
    root = root if root is not None else data_root()
    folder = _file(root, "flores200")
    nested = folder / "flores200_dataset"  # the layout of the original release
    devtest = (nested if nested.is_dir() else folder) / "devtest"
    lines = []
    for code in (source, target):
        path = devtest / f"{code}.devtest"
        if not path.is_file():
            known = sorted(p.name.split(".")[0] for p in devtest.glob("*.devtest"))
            close = difflib.get_close_matches(code, known, n=3)
            raise UnknownNameError(
                f"FLORES-200 has no language {code!r} under {devtest}"
                + (f"; did you mean {', '.join(close)}?" if close else f" ({len(known)} languages there)")
            )
        lines.append(readers.read_lines(path))
    return evaluate_bitext(encoder, lines[0], lines[1], name=f"FLORES:{source}-{target}")


def run_task(encoder: Encoder, name: str, *, data: str | os.PathLike[str] | None = None) -> TaskResult:
    """Run the shared task ``name`` (see the module docstring) with ``encoder``."""
    root = pathlib.Path(data) if data is not None else data_root()
    if name.startswith("FLORES:"):
        pair = name.split(":", 1)[1].split("-")
        if len(pair) != 2:
            raise UnknownNameError(f"{name!r}: write FLORES:<source>-<target>, e.g. FLORES:deu_Latn-eng_Latn")
        return flores(encoder, pair[0], pair[1], root=root)
    runner = TASKS.get(name)
    if runner is None:
        close = difflib.get_close_matches(name, list(TASKS), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UnknownNameError(
            f"unknown task {name!r}{hint}; known tasks: {', '.join(TASKS)}, FLORES:<source>-<target>"
        )
    return runner(encoder, root)


def evaluate(encoder: Encoder, tasks: Iterable[str], *, data: str | os.PathLike[str] | None = None) -> list[TaskResult]:
    """Run each named task with ``encoder``; return their results in order."""
    return [run_task(encoder, name, data=data) for name in tasks]
