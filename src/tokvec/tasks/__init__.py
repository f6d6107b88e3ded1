"""Embedding tasks with MTEB's protocol: STS, classification, clustering, pairs, reranking, retrieval, bitext.

Every task takes any :class:`tokvec.embed.Encoder` and data read by :mod:`tokvec.tasks.readers` (so users
can bring their own files), and returns a :class:`TaskResult`. The shared sets run by name with
:func:`run_task` / :func:`evaluate` (``STSBenchmark``, ``SciFact``, ...). Needs scikit-learn
(``pip install 'tokvec[tasks]'``).

>>> "SciFact" in TASKS
True
"""

from ._common import TaskResult, embed_texts
from .bitext import evaluate_bitext
from .classification import evaluate_classification
from .clustering import evaluate_clustering
from .pairs import evaluate_pairs
from .readers import (
    LabelledTexts,
    RerankSample,
    RetrievalData,
    SentencePairs,
    read_agnews,
    read_beir,
    read_classification,
    read_lines,
    read_mrpc,
    read_pairs,
    read_reranking,
    read_sts,
)
from .registry import PUBLISHED, TASKS, evaluate, flores, run_task
from .reranking import evaluate_reranking
from .retrieval import evaluate_retrieval
from .sts import evaluate_sts

__all__ = [
    "PUBLISHED",
    "TASKS",
    "LabelledTexts",
    "RerankSample",
    "RetrievalData",
    "SentencePairs",
    "TaskResult",
    "embed_texts",
    "evaluate",
    "evaluate_bitext",
    "evaluate_classification",
    "evaluate_clustering",
    "evaluate_pairs",
    "evaluate_reranking",
    "evaluate_retrieval",
    "evaluate_sts",
    "flores",
    "read_agnews",
    "read_beir",
    "read_classification",
    "read_lines",
    "read_mrpc",
    "read_pairs",
    "read_reranking",
    "read_sts",
    "run_task",
]
