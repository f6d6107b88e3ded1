"""A transformer sentence encoder: tokvec's tokenizer, a BERT-family model from safetensors, pooling.

Build one with :func:`tokvec.load_encoder`. ``embed`` gives one vector per text (sentence-transformers'
``encode``), ``embed_tokens`` one vector per token, ``embed_chunks`` the vectors of the windows of long
texts, ``embed_ids`` the vectors of given token id sequences. Texts are sorted by length into batches so
that little is padded; an iterable is read ``block`` texts at a time, so memory stays bounded.

>>> import tokvec
>>> enc = tokvec.load_encoder("all-MiniLM-L6-v2")  # doctest: +SKIP
>>> enc.embed(["This is an example sentence"]).shape  # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import itertools
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .._progress import Progress
from ..errors import TokvecError
from ..errors import TruncationWarning as TruncationWarning  # defined in errors.py; the old name stays
from .batching import Inputs, Specials, batch_slices, length_order, pad_batch, windows
from .pooling import dense, pool
from .pooling import normalize as unit_length
from .protocol import Chunks
from .quantize import quantize
from .spec import ModelSpec

LONG = ("truncate", "chunk", "error")


@dataclass(frozen=True)
class TokenEmbeddings:
    """One vector per token of a text: ``tokens``, ``ids``, ``offsets`` (characters; special tokens (0, 0))."""

    tokens: list[str]
    ids: np.ndarray
    offsets: np.ndarray
    vectors: np.ndarray

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass
class EmbedStats:
    """Running counts of an encoder's work: texts, tokens (specials included), texts cut, texts windowed."""

    texts: int = 0
    tokens: int = 0
    truncated: int = 0
    chunked: int = 0


class TransformerEncoder:
    """A sentence-embedding model; see the module docstring. Immutable but for its running :attr:`stats`."""

    def __init__(self, spec: ModelSpec, tokenizer: object, engine: object, dense_layers: list, *, name: str,
                 fingerprint: str) -> None:  # fmt: skip
        self.spec = spec
        self.tokenizer = tokenizer
        self.engine = engine
        self.name = name
        self.dim = spec.dim
        self.max_seq_length = spec.max_seq_length
        self._dense = dense_layers
        self._fingerprint = fingerprint
        self._specials = Specials.of(tokenizer)
        if self.max_seq_length <= len(self._specials):
            raise TokvecError(f"{name}: max_seq_length {self.max_seq_length} leaves no room for text")
        self._pad_id = spec.transformer.pad_id
        self._roberta = spec.transformer.pad_id if spec.transformer.architecture == "roberta" else None
        self.stats = EmbedStats()
        self._stats_lock = threading.Lock()

    @property
    def max_content(self) -> int:
        """The most content tokens one input holds (max_seq_length less the special tokens)."""
        return self.max_seq_length - len(self._specials)

    def fingerprint(self) -> str:
        """Return a hash of the weights and the model's settings (an index refuses queries of another model)."""
        return self._fingerprint

    def __repr__(self) -> str:
        e = self.engine
        return (f"TransformerEncoder({self.name!r}, dim={self.dim}, max_seq_length={self.max_seq_length}, "
                f"engine={type(e).__name__}, compute={getattr(e, 'precision', '?')})")  # fmt: skip

    # ------------------------------------------------------------------ tokenizing
    def _tokenize(self, texts: list[str], prompt: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        for k, t in enumerate(texts):
            if not isinstance(t, str):
                raise TokvecError(f"text {k} is {type(t).__name__}, not a string: embed takes a list of strings")
        if prompt:
            texts = [prompt + t for t in texts]
        # Hugging Face's reading of special-token text typed in a text ("[SEP]" -> its id), as sentence-transformers
        batch = self.tokenizer.encode_batch(  # type: ignore[attr-defined]
            texts, add_special_tokens=False, num_threads=1, allowed_special="all"
        )
        return np.asarray(batch.ids, dtype=np.int32), np.asarray(batch.bounds, dtype=np.int64), batch.offsets

    def _inputs(self, texts: list[str], long: str, stride: int, prompt: str | None, first: int) -> Inputs:
        ids, bounds, _ = self._tokenize(texts, prompt)
        lengths = np.diff(bounds)
        over = np.flatnonzero(lengths > self.max_content)
        if len(over) and long == "error":
            k = int(over[0])
            raise TokvecError(
                f"text {first + k} has {int(lengths[k]) + len(self._specials)} tokens, more than the model's"
                f" max_seq_length {self.max_seq_length} (text begins {texts[k][:60]!r}); use long='truncate' or 'chunk'"
            )
        if long == "chunk" and len(over):
            parts = [windows(bounds[k : k + 2], max_content=self.max_content, stride=stride) for k in range(len(texts))]
            owner = np.repeat(np.arange(len(texts)), [len(p) for p in parts])
            ranges = np.concatenate(parts)
        else:
            ranges = np.stack([bounds[:-1], np.minimum(bounds[1:], bounds[:-1] + self.max_content)], axis=1)
            owner = np.arange(len(texts))
        with self._stats_lock:
            self.stats.texts += len(texts)
            self.stats.truncated += len(over) if long == "truncate" else 0
            self.stats.chunked += len(over) if long == "chunk" else 0
            self.stats.tokens += int((ranges[:, 1] - ranges[:, 0]).sum()) + len(ranges) * len(self._specials)
        if len(over) and long == "truncate":
            warnings.warn(
                f"{len(over)} of {len(texts)} texts are longer than {self.max_seq_length} tokens and were cut there"
                " (long='chunk' embeds them whole, in windows)", TruncationWarning, stacklevel=4)  # fmt: skip
        return Inputs(ids, ranges, owner)

    # ------------------------------------------------------------------ running the model
    def _run(self, ids: np.ndarray, ranges: np.ndarray, *, batch_size: int, num_threads: int,
             tokens: bool = False, specials: Specials | None = None, head: bool = True
             ) -> np.ndarray | list[np.ndarray]:  # fmt: skip
        """Return pooled vectors float32 [N, dim] (or, ``tokens``: a list of [n_i, hidden] token vectors)."""
        specials = self._specials if specials is None else specials
        order = length_order(ranges)
        width = self.dim if head else self.spec.transformer.hidden
        out: np.ndarray | list = [None] * len(ranges) if tokens else np.empty((len(ranges), width), np.float32)

        def one(bounds: tuple[int, int]) -> None:
            rows = order[bounds[0] : bounds[1]]
            input_ids, positions, mask = pad_batch(ids, ranges[rows], specials, pad_id=self._pad_id,
                                                   roberta_positions=self._roberta)  # fmt: skip
            hidden = self.engine.run(input_ids, positions, mask, num_threads=num_threads)  # type: ignore[attr-defined]
            if tokens:
                for r, row in enumerate(rows.tolist()):
                    out[row] = np.array(hidden[r, : int(mask[r].sum())])  # type: ignore[index]
            elif head:
                out[rows] = self._head(hidden, mask)  # type: ignore[index]
            else:
                out[rows] = pool(hidden, mask, "mean")  # type: ignore[index]

        threads = num_threads if getattr(self.engine, "parallel_batches", False) else 1
        lengths = ranges[order, 1] - ranges[order, 0] + len(specials)  # the padded widths
        cap = getattr(self.engine, "batch_tokens", None)  # the engine's best batch, in padded tokens
        _each_batch(one, batch_slices(lengths, batch_size, threads, cap), threads)
        return out

    def _run_unpadded(self, ids: np.ndarray, *, batch_size: int, num_threads: int, head: bool) -> np.ndarray:
        """Return pooled vectors float32 [N, dim or hidden] of ``ids`` int64 [N, S] (all S tokens real, no padding).

        The engine's unpadded graph (no mask; see :meth:`OnnxEngine.run_unpadded`); ``head=False`` takes the
        graph's own mean over the positions.
        """
        n, length = ids.shape
        positions = np.arange(length, dtype=np.int64)
        if self._roberta is not None:  # every token is real: RoBERTa counts from the padding id on
            positions = positions + self._roberta + 1
        out = np.empty((n, self.dim if head else self.spec.transformer.hidden), np.float32)
        ones = np.ones((min(batch_size, n), length), np.int32)

        def one(bounds: tuple[int, int]) -> None:
            batch = ids[bounds[0] : bounds[1]]
            pos = np.ascontiguousarray(np.broadcast_to(positions, batch.shape))
            x = self.engine.run_unpadded(batch, pos, mean=not head)  # type: ignore[attr-defined]
            out[bounds[0] : bounds[1]] = self._head(x, ones[: len(batch)]) if head else x

        slices = batch_slices(np.full(n, length), batch_size, num_threads)
        _each_batch(one, slices, num_threads)  # the unpadded graph is onnxruntime's: thread-safe
        return out

    def _head(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        x = pool(hidden, mask, self.spec.pooling)
        for (weight, bias), d in zip(self._dense, self.spec.dense, strict=True):
            x = dense(x, weight, bias, d.activation)
        return unit_length(x) if self.spec.normalize else x.astype(np.float32, copy=False)

    # ------------------------------------------------------------------ public API
    def embed(
        self,
        texts: Iterable[str] | str,
        *,
        batch_size: int = 32,
        normalize: bool = False,
        precision: str = "float32",
        truncate_dim: int | None = None,
        prompt: str | None = None,
        long: str = "truncate",
        stride: int = 32,
        num_threads: int | None = None,
        progress: bool | None = None,
        block: int = 4096,
    ) -> np.ndarray:
        """Return one vector per text, float32 [N, dim] (or the quantized ``precision``), in the texts' order.

        As sentence-transformers' ``encode``: the model's own modules (pooling, Dense, Normalize) run, then
        ``truncate_dim`` keeps the first dimensions, ``normalize`` scales to unit length, ``precision``
        quantizes (int8/uint8 ranges from these vectors). ``long``: ``truncate`` cuts at ``max_seq_length``
        (a :class:`TruncationWarning` and ``stats.truncated`` count them), ``chunk`` embeds windows of
        ``max_seq_length`` tokens overlapping by ``stride`` and averages them weighted by their tokens,
        ``error`` raises. ``progress``: a bar on stderr (default: when there are over 1,000 texts).
        """
        single = isinstance(texts, str)
        options = dict(prompt=prompt, long=long, stride=stride, num_threads=num_threads, progress=progress, block=block)
        parts = list(self.iter_embed([texts] if single else texts, batch_size=batch_size, **options))
        x = np.concatenate(parts) if parts else np.zeros((0, self.dim), np.float32)
        if truncate_dim is not None:
            if not 0 < truncate_dim <= self.dim:
                raise TokvecError(
                    f"truncate_dim {truncate_dim} must be between 1 and the model's {self.dim} dimensions"
                )
            x = x[:, :truncate_dim]
        if normalize:
            x = unit_length(x)
        x = quantize(x, precision)
        return x[0] if single else x

    def iter_embed(
        self,
        texts: Iterable[str],
        *,
        batch_size: int = 32,
        prompt: str | None = None,
        long: str = "truncate",
        stride: int = 32,
        num_threads: int | None = None,
        progress: bool | None = None,
        block: int = 4096,
    ) -> Iterator[np.ndarray]:
        """Yield the vectors of ``texts`` in blocks of ``block`` texts (float32, the model's own output)."""
        if long not in LONG:
            raise TokvecError(f"long={long!r}: use one of {', '.join(LONG)}")
        if batch_size < 1 or block < 1:
            raise TokvecError(f"batch_size ({batch_size}) and block ({block}) must be at least 1")
        threads = num_threads or os.cpu_count() or 1
        total = len(texts) if hasattr(texts, "__len__") else None  # type: ignore[arg-type]
        show = progress if progress is not None else (total is None or total > 1000)
        it = iter(texts)
        done = 0
        with Progress(total, label="embed", unit="texts", enabled=bool(show)) as bar:
            while chunk := list(itertools.islice(it, block)):
                inputs = self._inputs(chunk, long, stride, prompt, done)
                vectors = self._run(inputs.ids, inputs.ranges, batch_size=batch_size, num_threads=threads)
                if len(inputs.owner) != len(chunk):  # windows: average each text's windows, weighted by tokens
                    vectors = self._merge_windows(vectors, inputs, len(chunk))
                done += len(chunk)
                bar.set(done)
                yield vectors

    def _merge_windows(self, vectors: np.ndarray, inputs: Inputs, n: int) -> np.ndarray:
        weight = (inputs.ranges[:, 1] - inputs.ranges[:, 0] + len(self._specials)).astype(np.float32)
        out = np.zeros((n, vectors.shape[1]), np.float32)
        np.add.at(out, inputs.owner, vectors * weight[:, None])
        out /= np.bincount(inputs.owner, weights=weight, minlength=n).astype(np.float32)[:, None]
        return unit_length(out) if self.spec.normalize else out

    def embed_chunks(self, texts: Iterable[str], *, stride: int = 32, batch_size: int = 32,
                     num_threads: int | None = None) -> Chunks:  # fmt: skip
        """Return the windows of ``texts`` (at most max_seq_length tokens, overlapping by ``stride``) and vectors."""
        texts = list(texts)
        ids, bounds, offsets = self._tokenize(texts, None)
        parts = [windows(bounds[k : k + 2], max_content=self.max_content, stride=stride) for k in range(len(texts))]
        ranges = np.concatenate(parts) if parts else np.zeros((0, 2), np.int64)
        owner = np.repeat(np.arange(len(texts)), [len(p) for p in parts])
        spans = np.zeros((len(ranges), 2), np.int64)
        for r, (a, b) in enumerate(ranges.tolist()):
            spans[r] = (offsets[a, 0], offsets[b - 1, 1]) if b > a else (0, 0)
        vectors = self._run(ids, ranges, batch_size=batch_size, num_threads=num_threads or os.cpu_count() or 1)
        return Chunks(owner.astype(np.int64), spans, (ranges[:, 1] - ranges[:, 0]).astype(np.int64), vectors)

    def embed_tokens(self, text: str, *, num_threads: int | None = None) -> TokenEmbeddings:
        """Return one contextual vector per token of ``text`` (special tokens included, as the model sees it)."""
        ids, bounds, offsets = self._tokenize([text], None)
        hi = min(int(bounds[1]), self.max_content)
        vectors = self._run(ids, np.array([[0, hi]]), batch_size=1, num_threads=num_threads or 1, tokens=True)[0]
        pre, suf = self._specials.prefix, self._specials.suffix
        all_ids = np.array([*pre, *ids[:hi].tolist(), *suf], dtype=np.int32)
        offs = np.concatenate([np.zeros((len(pre), 2), np.int64), offsets[:hi], np.zeros((len(suf), 2), np.int64)])
        tokens = self.tokenizer.id_to_token_list(all_ids.tolist())  # type: ignore[attr-defined]
        return TokenEmbeddings(list(tokens), all_ids, offs, vectors)

    def embed_ids(
        self,
        sequences: Iterable[Iterable[int]],
        *,
        batch_size: int = 32,
        num_threads: int | None = None,
        head: bool = True,
    ) -> np.ndarray:
        """Return the model's vectors float32 [N, dim] of id sequences (the caller includes the special tokens).

        ``head=False``: the mean of the last hidden states, float32 [N, hidden], without the model's pooling,
        Dense and Normalize modules (what model2vec's distillation pools). Sequences that all have the same
        length, at most :data:`~tokvec.embed.engines.UNPADDED_MAX` ids (a 2-D integer array is the cheapest
        way to give them), run on the engine's graph without padding when it has one (onnxruntime, float32):
        the same vectors to float32 rounding, 15-25% faster on 3-id sequences.
        """
        vocab = self.spec_vocab_size
        threads = num_threads or os.cpu_count() or 1
        if isinstance(sequences, np.ndarray) and sequences.ndim == 2 and sequences.dtype.kind in "iu":
            grid = sequences.astype(np.int64, copy=False)
            wrong = (grid < 0).any(axis=1) | (grid >= vocab).any(axis=1)
            if len(grid) and (not 0 < grid.shape[1] <= self.max_seq_length or wrong.any()):
                k = int(wrong.argmax())  # 0 when the length is what is wrong
                raise TokvecError(f"sequence {k}: needs 1 to {self.max_seq_length} ids in [0, {vocab})")
            if self._can_run_unpadded(grid.shape[1]):
                return self._run_unpadded(np.ascontiguousarray(grid), batch_size=batch_size, num_threads=threads,
                                          head=head)  # fmt: skip
            sequences = list(grid)
        seqs = [np.asarray(list(s), dtype=np.int32) for s in sequences]
        for k, s in enumerate(seqs):
            if len(s) == 0 or len(s) > self.max_seq_length or s.min() < 0 or s.max() >= vocab:
                raise TokvecError(f"sequence {k}: needs 1 to {self.max_seq_length} ids in [0, {vocab})")
        bounds = np.zeros(len(seqs) + 1, np.int64)
        np.cumsum([len(s) for s in seqs], out=bounds[1:])
        flat = np.concatenate(seqs) if seqs else np.zeros(0, np.int32)
        lengths = np.diff(bounds)
        if len(seqs) and (lengths == lengths[0]).all() and self._can_run_unpadded(int(lengths[0])):
            grid = flat.astype(np.int64).reshape(len(seqs), int(lengths[0]))
            return self._run_unpadded(grid, batch_size=batch_size, num_threads=threads, head=head)
        # the caller's ids carry their own special tokens, so none are added around them
        return self._run(flat, np.stack([bounds[:-1], bounds[1:]], axis=1), batch_size=batch_size,
                         num_threads=threads, specials=Specials((), ()), head=head)  # fmt: skip

    def _can_run_unpadded(self, length: int) -> bool:
        from .engines import UNPADDED_MAX

        return bool(getattr(self.engine, "unpadded", False)) and 0 < length <= UNPADDED_MAX

    @property
    def spec_vocab_size(self) -> int:
        """Rows of the model's input embedding matrix."""
        return int(self.engine.vocab_rows)  # type: ignore[attr-defined]


def _each_batch(one: Callable[[tuple[int, int]], None], slices: list[tuple[int, int]], threads: int) -> None:
    """Call ``one((start, end))`` for every batch, on ``threads`` threads when there are several batches."""
    if threads > 1 and len(slices) > 1:
        with ThreadPoolExecutor(min(threads, len(slices))) as pool_:
            for _ in pool_.map(one, slices):  # re-raises a batch's error here
                pass
    else:
        for bounds in slices:
            one(bounds)
