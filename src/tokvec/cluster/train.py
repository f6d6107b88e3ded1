"""Train a tokenizer on many files: count per file (map), add the counts (reduce), learn once.

The trainers work in two steps, :func:`~tokvec.tokens.trainers.counting.count_words` (a corpus to
:class:`WordCounts`: distinct pre-tokens and their counts, sorted by bytes) and ``learn_bpe`` /
``learn_wordpiece`` / ``learn_unigram`` (counts to a model). Counting is additive: a line is one
document, so the counts of a corpus are the sums of its files' counts. Each task counts one file
with the very function ``train_bpe`` uses; the sums are built as a tree on the workers (8 parts per
merge), so only counts cross the network and the client receives one table; the learner then runs
once, here, on counts equal to one process's, and writes the same ``tokenizer.json`` byte for byte.

>>> import pathlib, tempfile, tokvec
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for k, text in enumerate(["low lower newest\\n", "wider lowest\\n"]):
...     _ = (folder / f"part{k}.txt").write_text(text * 3)
>>> r = train_files("bpe", [str(folder / "*.txt")], vocab_size=262, special_tokens=())
>>> r.merges == tokvec.train_bpe(sorted(folder.glob("*.txt")), vocab_size=262, special_tokens=(), progress=False).merges
True
"""

from __future__ import annotations

import functools
import pathlib
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import TokvecError, UnknownNameError
from ..tokens.trainers.bpe import learn_bpe
from ..tokens.trainers.config import BpeConfig, UnigramConfig, WordPieceConfig, from_options
from ..tokens.trainers.counting import count_words
from ..tokens.trainers.unigram import learn_unigram
from ..tokens.trainers.word_counts import WordCounts
from ..tokens.trainers.wordpiece import learn_wordpiece
from .engine import map_reduce
from .sources import Source, expand, read_batches

TRAINERS = {"bpe": (BpeConfig, learn_bpe), "wordpiece": (WordPieceConfig, learn_wordpiece),
            "unigram": (UnigramConfig, learn_unigram)}  # fmt: skip


def train_files(
    trainer: str,
    files: Sequence[str],
    *,
    client: Any = None,
    field: str = "text",
    progress: bool = False,
    **options: Any,
) -> Any:
    """Train ``trainer`` (bpe, wordpiece or unigram) on ``files`` (paths or globs); options as the trainer's.

    Returns the trainer's result (``BpeResult``, ...), equal to ``tokvec.train_bpe(files, ...)``'s.
    """
    if trainer not in TRAINERS:
        raise UnknownNameError(f"unknown trainer {trainer!r}: use one of {', '.join(TRAINERS)}")
    config_class, learn = TRAINERS[trainer]
    config = from_options(config_class, options)
    words = count_sources(expand(files, field=field), config, client=client, progress=progress)
    return learn(words, config, progress=progress)


def count_sources(sources: Sequence[Source], config: Any, *, client: Any = None, progress: bool = False) -> WordCounts:
    """Count the pre-tokens of every source as ``config`` says, one task per file, and add the counts."""
    task = functools.partial(count_source, config=config)
    words = map_reduce(
        client, task, sources, merge_counts, weights=[s.size for s in sources], label="count words", progress=progress
    )
    if words.skipped_lines:
        warnings.warn(f"skipped {words.skipped_lines} lines that are not valid UTF-8", stacklevel=3)
    if not len(words):
        raise TokvecError("the corpus is empty: no words to count (check the files given)")
    return words


def count_source(source: Source, *, config: Any) -> WordCounts:
    """Count the pre-tokens of one file (the work of one task); its skipped lines are counted, not warned."""
    corpus: Any = (
        (doc for batch in read_batches(source) for doc in batch) if source.is_jsonl else pathlib.Path(source.path)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return count_words(
            corpus, pre_tokenizer=config.pre_tokenizer, normalizer=config.normalizer, strict=config.strict,
            allow_empty=True,
        )  # fmt: skip


def merge_counts(parts: Sequence[WordCounts]) -> WordCounts:
    """Add the counts of several parts (of the same pre-tokenizer) into one table, sorted by bytes.

    The tables travel and merge as numpy arrays (:meth:`WordCounts.merge`: one sort), never as dictionaries.

    >>> a = WordCounts.from_dict({b"the": 2, b" cat": 1}, "gpt2")
    >>> b = WordCounts.from_dict({b"the": 1, b" hat": 4}, "gpt2")
    >>> sorted(merge_counts([a, b]).items())
    [(b' cat', 1), (b' hat', 4), (b'the', 3)]
    """
    return WordCounts.merge(parts)
